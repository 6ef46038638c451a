#include "textflag.h"

// func reluAVX32(dst, src []float32)
TEXT ·reluAVX32(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), CX
	MOVQ   src_base+24(FP), SI
	VXORPS Y0, Y0, Y0
	SHRQ   $3, CX
	JZ     relu32done

relu32loop:
	VMOVUPS (SI), Y1
	VMAXPS  Y1, Y0, Y2 // Y2 = Y0 > Y1 ? Y0 : Y1: a NaN in Y1 is kept
	VADDPS  Y0, Y2, Y2 // −0 + 0 = +0
	VMOVUPS Y2, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     relu32loop

relu32done:
	VZEROUPPER
	RET

// func reluAVX64(dst, src []float64)
TEXT ·reluAVX64(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   dst_len+8(FP), CX
	MOVQ   src_base+24(FP), SI
	VXORPD Y0, Y0, Y0
	SHRQ   $2, CX
	JZ     relu64done

relu64loop:
	VMOVUPD (SI), Y1
	VMAXPD  Y1, Y0, Y2
	VADDPD  Y0, Y2, Y2
	VMOVUPD Y2, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     relu64loop

relu64done:
	VZEROUPPER
	RET

// func gateAVX32(z, dy, dz []float32, s, one float32)
TEXT ·gateAVX32(SB), NOSPLIT, $0-80
	MOVQ         z_base+0(FP), SI
	MOVQ         z_len+8(FP), CX
	MOVQ         dy_base+24(FP), DX
	MOVQ         dz_base+48(FP), DI
	VBROADCASTSS s+72(FP), Y3
	VBROADCASTSS one+76(FP), Y4
	VXORPS       Y0, Y0, Y0
	SHRQ         $3, CX
	JZ           gate32done

gate32loop:
	VMOVUPS   (SI), Y1
	VCMPPS    $0x1e, Y0, Y1, Y2 // Y2 = Y1 > 0 (ordered: false for NaN)
	VBLENDVPS Y2, Y4, Y3, Y5    // Y5 = Y2 ? one : s
	VMULPS    (DX), Y5, Y5
	VMOVUPS   Y5, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DX
	ADDQ      $32, DI
	DECQ      CX
	JNZ       gate32loop

gate32done:
	VZEROUPPER
	RET

// func gateAVX64(z, dy, dz []float64, s, one float64)
TEXT ·gateAVX64(SB), NOSPLIT, $0-88
	MOVQ         z_base+0(FP), SI
	MOVQ         z_len+8(FP), CX
	MOVQ         dy_base+24(FP), DX
	MOVQ         dz_base+48(FP), DI
	VBROADCASTSD s+72(FP), Y3
	VBROADCASTSD one+80(FP), Y4
	VXORPD       Y0, Y0, Y0
	SHRQ         $2, CX
	JZ           gate64done

gate64loop:
	VMOVUPD   (SI), Y1
	VCMPPD    $0x1e, Y0, Y1, Y2
	VBLENDVPD Y2, Y4, Y3, Y5
	VMULPD    (DX), Y5, Y5
	VMOVUPD   Y5, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DX
	ADDQ      $32, DI
	DECQ      CX
	JNZ       gate64loop

gate64done:
	VZEROUPPER
	RET

// func sum4AVX32(s, r0, r1, r2, r3 []float32)
TEXT ·sum4AVX32(SB), NOSPLIT, $0-120
	MOVQ s_base+0(FP), DI
	MOVQ s_len+8(FP), CX
	MOVQ r0_base+24(FP), R8
	MOVQ r1_base+48(FP), R9
	MOVQ r2_base+72(FP), R10
	MOVQ r3_base+96(FP), R11
	XORQ AX, AX
	SHRQ $3, CX
	JZ   sum32done

sum32loop:
	VMOVUPS (R8)(AX*1), Y0
	VADDPS  (R9)(AX*1), Y0, Y0  // r0 + r1
	VMOVUPS (R10)(AX*1), Y1
	VADDPS  (R11)(AX*1), Y1, Y1 // r2 + r3
	VADDPS  Y1, Y0, Y0          // (r0 + r1) + (r2 + r3)
	VADDPS  (DI)(AX*1), Y0, Y0  // s + …
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ    $32, AX
	DECQ    CX
	JNZ     sum32loop

sum32done:
	VZEROUPPER
	RET

// func sum4AVX64(s, r0, r1, r2, r3 []float64)
TEXT ·sum4AVX64(SB), NOSPLIT, $0-120
	MOVQ s_base+0(FP), DI
	MOVQ s_len+8(FP), CX
	MOVQ r0_base+24(FP), R8
	MOVQ r1_base+48(FP), R9
	MOVQ r2_base+72(FP), R10
	MOVQ r3_base+96(FP), R11
	XORQ AX, AX
	SHRQ $2, CX
	JZ   sum64done

sum64loop:
	VMOVUPD (R8)(AX*1), Y0
	VADDPD  (R9)(AX*1), Y0, Y0
	VMOVUPD (R10)(AX*1), Y1
	VADDPD  (R11)(AX*1), Y1, Y1
	VADDPD  Y1, Y0, Y0
	VADDPD  (DI)(AX*1), Y0, Y0
	VMOVUPD Y0, (DI)(AX*1)
	ADDQ    $32, AX
	DECQ    CX
	JNZ     sum64loop

sum64done:
	VZEROUPPER
	RET
