#include "textflag.h"

// The constants of expFMA64, each repeated in four lanes: those of
// math.Exp's FMA path (exp_amd64.s: the reduction by ln 2 in two parts,
// the Taylor coefficients 1/k!) and the bounds of the exponent k for
// which it computes e^x as one product e^r·2^k with a normal 2^k, as bits.
// 0: log2(e)
DATA expc<>+0(SB)/8, $0x3ff71547652b82fe
DATA expc<>+8(SB)/8, $0x3ff71547652b82fe
DATA expc<>+16(SB)/8, $0x3ff71547652b82fe
DATA expc<>+24(SB)/8, $0x3ff71547652b82fe
// 32: ln 2, upper part
DATA expc<>+32(SB)/8, $0x3fe62e42fefa3000
DATA expc<>+40(SB)/8, $0x3fe62e42fefa3000
DATA expc<>+48(SB)/8, $0x3fe62e42fefa3000
DATA expc<>+56(SB)/8, $0x3fe62e42fefa3000
// 64: ln 2, lower part
DATA expc<>+64(SB)/8, $0x3d53de6af278ece6
DATA expc<>+72(SB)/8, $0x3d53de6af278ece6
DATA expc<>+80(SB)/8, $0x3d53de6af278ece6
DATA expc<>+88(SB)/8, $0x3d53de6af278ece6
// 96: 1/16
DATA expc<>+96(SB)/8, $0x3fb0000000000000
DATA expc<>+104(SB)/8, $0x3fb0000000000000
DATA expc<>+112(SB)/8, $0x3fb0000000000000
DATA expc<>+120(SB)/8, $0x3fb0000000000000
// 128: 1/8!
DATA expc<>+128(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+136(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+144(SB)/8, $0x3efa01a01a01a01a
DATA expc<>+152(SB)/8, $0x3efa01a01a01a01a
// 160: 1/7!
DATA expc<>+160(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+168(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+176(SB)/8, $0x3f2a01a01a01a01a
DATA expc<>+184(SB)/8, $0x3f2a01a01a01a01a
// 192: 1/6!
DATA expc<>+192(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+200(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+208(SB)/8, $0x3f56c16c16c16c17
DATA expc<>+216(SB)/8, $0x3f56c16c16c16c17
// 224: 1/5!
DATA expc<>+224(SB)/8, $0x3f81111111111111
DATA expc<>+232(SB)/8, $0x3f81111111111111
DATA expc<>+240(SB)/8, $0x3f81111111111111
DATA expc<>+248(SB)/8, $0x3f81111111111111
// 256: 1/4!
DATA expc<>+256(SB)/8, $0x3fa5555555555555
DATA expc<>+264(SB)/8, $0x3fa5555555555555
DATA expc<>+272(SB)/8, $0x3fa5555555555555
DATA expc<>+280(SB)/8, $0x3fa5555555555555
// 288: 1/3!
DATA expc<>+288(SB)/8, $0x3fc5555555555555
DATA expc<>+296(SB)/8, $0x3fc5555555555555
DATA expc<>+304(SB)/8, $0x3fc5555555555555
DATA expc<>+312(SB)/8, $0x3fc5555555555555
// 320: 1/2
DATA expc<>+320(SB)/8, $0x3fe0000000000000
DATA expc<>+328(SB)/8, $0x3fe0000000000000
DATA expc<>+336(SB)/8, $0x3fe0000000000000
DATA expc<>+344(SB)/8, $0x3fe0000000000000
// 352: 1
DATA expc<>+352(SB)/8, $0x3ff0000000000000
DATA expc<>+360(SB)/8, $0x3ff0000000000000
DATA expc<>+368(SB)/8, $0x3ff0000000000000
DATA expc<>+376(SB)/8, $0x3ff0000000000000
// 384: 2
DATA expc<>+384(SB)/8, $0x4000000000000000
DATA expc<>+392(SB)/8, $0x4000000000000000
DATA expc<>+400(SB)/8, $0x4000000000000000
DATA expc<>+408(SB)/8, $0x4000000000000000
// 416: -1022, the least k of a normal 2^k
DATA expc<>+416(SB)/8, $0xc08ff00000000000
DATA expc<>+424(SB)/8, $0xc08ff00000000000
DATA expc<>+432(SB)/8, $0xc08ff00000000000
DATA expc<>+440(SB)/8, $0xc08ff00000000000
// 448: 1023, the greatest k of a finite 2^k
DATA expc<>+448(SB)/8, $0x408ff80000000000
DATA expc<>+456(SB)/8, $0x408ff80000000000
DATA expc<>+464(SB)/8, $0x408ff80000000000
DATA expc<>+472(SB)/8, $0x408ff80000000000
// 480: exponent bias 1023 (an integer)
DATA expc<>+480(SB)/8, $0x00000000000003ff
DATA expc<>+488(SB)/8, $0x00000000000003ff
DATA expc<>+496(SB)/8, $0x00000000000003ff
DATA expc<>+504(SB)/8, $0x00000000000003ff
GLOBL expc<>(SB), RODATA|NOPTR, $512

// func expFMA64(dst, src []float64) int
//
// Four lanes at a time, each lane computes what math.Exp computes on its
// FMA path, operation for operation: k = round(x·log₂e), r = x − k·ln2
// (two fused steps), e^(r/16) − 1 by its Taylor polynomial (fused Horner
// steps), squared four times as u·(u+2), plus 1, times 2^k. math.Exp
// returns e^r·2^k so for −1022 <= k <= 1023; it returns something else
// (x for NaN, +Inf, 0 or a subnormal by two products) only where k lies
// outside: for NaN and ±Inf (whose k converts to −2³¹), for x > its
// overflow bound 709.78… (where k >= 1024) and for x < −708.74…. A
// block holding such a lane ends the call before it is stored (the
// caller computes it with math.Exp); the result is the number of elements
// done.
TEXT ·expFMA64(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	XORQ AX, AX
	SHRQ $2, CX
	JZ   expdone

exploop:
	VMOVUPD    (SI)(AX*8), Y0             // x
	VMULPD     expc<>+0(SB), Y0, Y1       // x·log₂e
	VCVTPD2DQY Y1, X4                     // k, rounded to nearest
	VCVTDQ2PD  X4, Y1
	VCMPPD     $29, expc<>+416(SB), Y1, Y2 // k >= −1022 (ordered)
	VCMPPD     $18, expc<>+448(SB), Y1, Y3 // k <= 1023 (ordered)
	VANDPD     Y3, Y2, Y2
	VMOVMSKPD  Y2, BX
	CMPQ       BX, $15
	JNE        expdone

	VFNMADD231PD expc<>+32(SB), Y1, Y0  // r = x − k·ln2 (upper part)
	VFNMADD231PD expc<>+64(SB), Y1, Y0  // r −= k·ln2 (lower part)
	VMULPD       expc<>+96(SB), Y0, Y0  // r/16
	VMOVUPD      expc<>+128(SB), Y3     // Horner: p = 1/8!
	VFMADD213PD  expc<>+160(SB), Y0, Y3 // p = p·r + 1/7!
	VFMADD213PD  expc<>+192(SB), Y0, Y3
	VFMADD213PD  expc<>+224(SB), Y0, Y3
	VFMADD213PD  expc<>+256(SB), Y0, Y3
	VFMADD213PD  expc<>+288(SB), Y0, Y3
	VFMADD213PD  expc<>+320(SB), Y0, Y3
	VFMADD213PD  expc<>+352(SB), Y0, Y3 // p = p·r + 1
	VMULPD       Y3, Y0, Y0             // u = r·p = e^(r/16) − 1
	VADDPD       expc<>+384(SB), Y0, Y3 // squared four times: u = u·(u+2)
	VMULPD       Y3, Y0, Y0
	VADDPD       expc<>+384(SB), Y0, Y3
	VMULPD       Y3, Y0, Y0
	VADDPD       expc<>+384(SB), Y0, Y3
	VMULPD       Y3, Y0, Y0
	VADDPD       expc<>+384(SB), Y0, Y3
	VFMADD213PD  expc<>+352(SB), Y3, Y0 // the last one plus 1: e^r
	VPMOVSXDQ    X4, Y4
	VPADDQ       expc<>+480(SB), Y4, Y4
	VPSLLQ       $52, Y4, Y4            // 2^k
	VMULPD       Y4, Y0, Y0             // e^r·2^k

	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	DECQ    CX
	JNZ     exploop

expdone:
	VZEROUPPER
	MOVQ AX, ret+48(FP)
	RET

// func expAVX512(dst, src []float64) int
//
// expFMA64 with AVX-512: eight lanes at a time, the constants held in
// Z8–Z22. k is rounded to an integral float64 (VRNDSCALEPD, to nearest
// even as the conversion to an integer rounds; outside the int32 range,
// where the conversion gives −2³¹, it is outside [−1022, 1023] as well)
// and e^r·2^k is scaled by VSCALEFPD, one rounding of the exact product as
// the multiplication by 2^k: the same operations' results on each lane,
// so the same bits.
TEXT ·expAVX512(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	XORQ AX, AX
	SHRQ $3, CX
	JZ   exp512done
	VBROADCASTSD expc<>+0(SB), Z8
	VBROADCASTSD expc<>+32(SB), Z9
	VBROADCASTSD expc<>+64(SB), Z10
	VBROADCASTSD expc<>+96(SB), Z11
	VBROADCASTSD expc<>+128(SB), Z12
	VBROADCASTSD expc<>+160(SB), Z13
	VBROADCASTSD expc<>+192(SB), Z14
	VBROADCASTSD expc<>+224(SB), Z15
	VBROADCASTSD expc<>+256(SB), Z16
	VBROADCASTSD expc<>+288(SB), Z17
	VBROADCASTSD expc<>+320(SB), Z18
	VBROADCASTSD expc<>+352(SB), Z19
	VBROADCASTSD expc<>+384(SB), Z20
	VBROADCASTSD expc<>+416(SB), Z21
	VBROADCASTSD expc<>+448(SB), Z22

exp512loop:
	VMOVUPD     (SI)(AX*8), Z0 // x
	VMULPD      Z8, Z0, Z1     // x·log₂e
	VRNDSCALEPD $8, Z1, Z1     // k, rounded to nearest (as a float64)
	VCMPPD      $29, Z21, Z1, K1     // k >= −1022
	VCMPPD      $18, Z22, Z1, K1, K2 // and k <= 1023
	KMOVW       K2, BX
	CMPQ        BX, $0xff
	JNE         exp512done

	VFNMADD231PD Z9, Z1, Z0  // r = x − k·ln2 (upper part)
	VFNMADD231PD Z10, Z1, Z0 // r −= k·ln2 (lower part)
	VMULPD       Z11, Z0, Z0 // r/16
	VMOVAPD      Z12, Z2     // Horner: p = 1/8!
	VFMADD213PD  Z13, Z0, Z2
	VFMADD213PD  Z14, Z0, Z2
	VFMADD213PD  Z15, Z0, Z2
	VFMADD213PD  Z16, Z0, Z2
	VFMADD213PD  Z17, Z0, Z2
	VFMADD213PD  Z18, Z0, Z2
	VFMADD213PD  Z19, Z0, Z2 // p = p·r + 1
	VMULPD       Z2, Z0, Z0  // u = r·p
	VADDPD       Z20, Z0, Z2 // u = u·(u+2), four times
	VMULPD       Z2, Z0, Z0
	VADDPD       Z20, Z0, Z2
	VMULPD       Z2, Z0, Z0
	VADDPD       Z20, Z0, Z2
	VMULPD       Z2, Z0, Z0
	VADDPD       Z20, Z0, Z2
	VFMADD213PD  Z19, Z2, Z0 // the last one plus 1: e^r
	VSCALEFPD    Z1, Z0, Z0  // e^r·2^k

	VMOVUPD Z0, (DI)(AX*8)
	ADDQ    $8, AX
	DECQ    CX
	JNZ     exp512loop

exp512done:
	VZEROUPPER
	MOVQ AX, ret+48(FP)
	RET
