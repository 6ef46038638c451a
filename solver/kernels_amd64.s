#include "textflag.h"

// func cpuid(leaf, sub uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, a+8(FP)
	MOVL BX, b+12(FP)
	MOVL CX, c+16(FP)
	MOVL DX, d+20(FP)
	RET

// func xgetbv0() (eax uint32)
TEXT ·xgetbv0(SB), NOSPLIT, $0-4
	MOVL   $0, CX
	XGETBV
	MOVL   AX, eax+0(FP)
	RET

// func axpyDotAVX(q []float64, a float64, x, v []float64, s *[4]float64)
TEXT ·axpyDotAVX(SB), NOSPLIT, $0-88
	MOVQ         q_base+0(FP), DI
	MOVQ         q_len+8(FP), CX
	VBROADCASTSD a+24(FP), Y4
	MOVQ         x_base+32(FP), SI
	MOVQ         v_base+56(FP), DX
	MOVQ         s+80(FP), R8
	VMOVUPD      (R8), Y0
	SHRQ         $2, CX
	JZ           axpydone

axpyloop:
	VMULPD  (SI), Y4, Y1 // a·x
	VADDPD  (DI), Y1, Y1 // q + a·x
	VMOVUPD Y1, (DI)
	VMULPD  (DX), Y1, Y2 // v·q
	VADDPD  Y2, Y0, Y0   // s += v·q, lane by lane
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     axpyloop

axpydone:
	VMOVUPD Y0, (R8)
	VZEROUPPER
	RET

// func copyDotAVX(dst, src, v []float64, s *[4]float64)
TEXT ·copyDotAVX(SB), NOSPLIT, $0-80
	MOVQ    dst_base+0(FP), DI
	MOVQ    src_base+24(FP), SI
	MOVQ    src_len+32(FP), CX
	MOVQ    v_base+48(FP), DX
	MOVQ    s+72(FP), R8
	VMOVUPD (R8), Y0
	SHRQ    $2, CX
	JZ      copydone

copyloop:
	VMOVUPD (SI), Y1
	VMOVUPD Y1, (DI)
	VMULPD  (DX), Y1, Y2 // v·src
	VADDPD  Y2, Y0, Y0
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     copyloop

copydone:
	VMOVUPD Y0, (R8)
	VZEROUPPER
	RET

// func dotAVX(x, y []float64, s *[4]float64)
TEXT ·dotAVX(SB), NOSPLIT, $0-56
	MOVQ    x_base+0(FP), SI
	MOVQ    x_len+8(FP), CX
	MOVQ    y_base+24(FP), DX
	MOVQ    s+48(FP), R8
	VMOVUPD (R8), Y0
	SHRQ    $2, CX
	JZ      dotdone

dotloop:
	VMOVUPD (SI), Y1
	VMULPD  (DX), Y1, Y2 // x·y
	VADDPD  Y2, Y0, Y0
	ADDQ    $32, SI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     dotloop

dotdone:
	VMOVUPD Y0, (R8)
	VZEROUPPER
	RET
