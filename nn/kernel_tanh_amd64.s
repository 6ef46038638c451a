//go:build !amd64.v3

#include "textflag.h"

// The constants of tanhFMA64, each repeated in four lanes: those of
// math.Exp's FMA path (exp_amd64.s: the reduction by ln 2 in two parts,
// the Taylor coefficients 1/k!) and of math.tanh (tanh.go), as bits.
// 0: abs mask
DATA tanhc<>+0(SB)/8, $0x7fffffffffffffff
DATA tanhc<>+8(SB)/8, $0x7fffffffffffffff
DATA tanhc<>+16(SB)/8, $0x7fffffffffffffff
DATA tanhc<>+24(SB)/8, $0x7fffffffffffffff
// 32: sign mask
DATA tanhc<>+32(SB)/8, $0x8000000000000000
DATA tanhc<>+40(SB)/8, $0x8000000000000000
DATA tanhc<>+48(SB)/8, $0x8000000000000000
DATA tanhc<>+56(SB)/8, $0x8000000000000000
// 64: log2(e)
DATA tanhc<>+64(SB)/8, $0x3ff71547652b82fe
DATA tanhc<>+72(SB)/8, $0x3ff71547652b82fe
DATA tanhc<>+80(SB)/8, $0x3ff71547652b82fe
DATA tanhc<>+88(SB)/8, $0x3ff71547652b82fe
// 96: ln 2, upper part
DATA tanhc<>+96(SB)/8, $0x3fe62e42fefa3000
DATA tanhc<>+104(SB)/8, $0x3fe62e42fefa3000
DATA tanhc<>+112(SB)/8, $0x3fe62e42fefa3000
DATA tanhc<>+120(SB)/8, $0x3fe62e42fefa3000
// 128: ln 2, lower part
DATA tanhc<>+128(SB)/8, $0x3d53de6af278ece6
DATA tanhc<>+136(SB)/8, $0x3d53de6af278ece6
DATA tanhc<>+144(SB)/8, $0x3d53de6af278ece6
DATA tanhc<>+152(SB)/8, $0x3d53de6af278ece6
// 160: 1/16
DATA tanhc<>+160(SB)/8, $0x3fb0000000000000
DATA tanhc<>+168(SB)/8, $0x3fb0000000000000
DATA tanhc<>+176(SB)/8, $0x3fb0000000000000
DATA tanhc<>+184(SB)/8, $0x3fb0000000000000
// 192: 1/8!
DATA tanhc<>+192(SB)/8, $0x3efa01a01a01a01a
DATA tanhc<>+200(SB)/8, $0x3efa01a01a01a01a
DATA tanhc<>+208(SB)/8, $0x3efa01a01a01a01a
DATA tanhc<>+216(SB)/8, $0x3efa01a01a01a01a
// 224: 1/7!
DATA tanhc<>+224(SB)/8, $0x3f2a01a01a01a01a
DATA tanhc<>+232(SB)/8, $0x3f2a01a01a01a01a
DATA tanhc<>+240(SB)/8, $0x3f2a01a01a01a01a
DATA tanhc<>+248(SB)/8, $0x3f2a01a01a01a01a
// 256: 1/6!
DATA tanhc<>+256(SB)/8, $0x3f56c16c16c16c17
DATA tanhc<>+264(SB)/8, $0x3f56c16c16c16c17
DATA tanhc<>+272(SB)/8, $0x3f56c16c16c16c17
DATA tanhc<>+280(SB)/8, $0x3f56c16c16c16c17
// 288: 1/5!
DATA tanhc<>+288(SB)/8, $0x3f81111111111111
DATA tanhc<>+296(SB)/8, $0x3f81111111111111
DATA tanhc<>+304(SB)/8, $0x3f81111111111111
DATA tanhc<>+312(SB)/8, $0x3f81111111111111
// 320: 1/4!
DATA tanhc<>+320(SB)/8, $0x3fa5555555555555
DATA tanhc<>+328(SB)/8, $0x3fa5555555555555
DATA tanhc<>+336(SB)/8, $0x3fa5555555555555
DATA tanhc<>+344(SB)/8, $0x3fa5555555555555
// 352: 1/3!
DATA tanhc<>+352(SB)/8, $0x3fc5555555555555
DATA tanhc<>+360(SB)/8, $0x3fc5555555555555
DATA tanhc<>+368(SB)/8, $0x3fc5555555555555
DATA tanhc<>+376(SB)/8, $0x3fc5555555555555
// 384: 1/2
DATA tanhc<>+384(SB)/8, $0x3fe0000000000000
DATA tanhc<>+392(SB)/8, $0x3fe0000000000000
DATA tanhc<>+400(SB)/8, $0x3fe0000000000000
DATA tanhc<>+408(SB)/8, $0x3fe0000000000000
// 416: 1
DATA tanhc<>+416(SB)/8, $0x3ff0000000000000
DATA tanhc<>+424(SB)/8, $0x3ff0000000000000
DATA tanhc<>+432(SB)/8, $0x3ff0000000000000
DATA tanhc<>+440(SB)/8, $0x3ff0000000000000
// 448: 2
DATA tanhc<>+448(SB)/8, $0x4000000000000000
DATA tanhc<>+456(SB)/8, $0x4000000000000000
DATA tanhc<>+464(SB)/8, $0x4000000000000000
DATA tanhc<>+472(SB)/8, $0x4000000000000000
// 480: 0.625
DATA tanhc<>+480(SB)/8, $0x3fe4000000000000
DATA tanhc<>+488(SB)/8, $0x3fe4000000000000
DATA tanhc<>+496(SB)/8, $0x3fe4000000000000
DATA tanhc<>+504(SB)/8, $0x3fe4000000000000
// 512: MAXLOG/2
DATA tanhc<>+512(SB)/8, $0x404601e678fc457b
DATA tanhc<>+520(SB)/8, $0x404601e678fc457b
DATA tanhc<>+528(SB)/8, $0x404601e678fc457b
DATA tanhc<>+536(SB)/8, $0x404601e678fc457b
// 544: tanhP[0]
DATA tanhc<>+544(SB)/8, $0xbfeedc5baafd6f4b
DATA tanhc<>+552(SB)/8, $0xbfeedc5baafd6f4b
DATA tanhc<>+560(SB)/8, $0xbfeedc5baafd6f4b
DATA tanhc<>+568(SB)/8, $0xbfeedc5baafd6f4b
// 576: tanhP[1]
DATA tanhc<>+576(SB)/8, $0xc058d26a0e26682d
DATA tanhc<>+584(SB)/8, $0xc058d26a0e26682d
DATA tanhc<>+592(SB)/8, $0xc058d26a0e26682d
DATA tanhc<>+600(SB)/8, $0xc058d26a0e26682d
// 608: tanhP[2]
DATA tanhc<>+608(SB)/8, $0xc0993ac030580563
DATA tanhc<>+616(SB)/8, $0xc0993ac030580563
DATA tanhc<>+624(SB)/8, $0xc0993ac030580563
DATA tanhc<>+632(SB)/8, $0xc0993ac030580563
// 640: tanhQ[0]
DATA tanhc<>+640(SB)/8, $0x405c33f28a581b86
DATA tanhc<>+648(SB)/8, $0x405c33f28a581b86
DATA tanhc<>+656(SB)/8, $0x405c33f28a581b86
DATA tanhc<>+664(SB)/8, $0x405c33f28a581b86
// 672: tanhQ[1]
DATA tanhc<>+672(SB)/8, $0x40a176fa0e5535fa
DATA tanhc<>+680(SB)/8, $0x40a176fa0e5535fa
DATA tanhc<>+688(SB)/8, $0x40a176fa0e5535fa
DATA tanhc<>+696(SB)/8, $0x40a176fa0e5535fa
// 704: tanhQ[2]
DATA tanhc<>+704(SB)/8, $0x40b2ec102442040c
DATA tanhc<>+712(SB)/8, $0x40b2ec102442040c
DATA tanhc<>+720(SB)/8, $0x40b2ec102442040c
DATA tanhc<>+728(SB)/8, $0x40b2ec102442040c
// 736: exponent bias 1023
DATA tanhc<>+736(SB)/8, $0x00000000000003ff
DATA tanhc<>+744(SB)/8, $0x00000000000003ff
DATA tanhc<>+752(SB)/8, $0x00000000000003ff
DATA tanhc<>+760(SB)/8, $0x00000000000003ff
GLOBL tanhc<>(SB), RODATA|NOPTR, $768

// func tanhFMA64(dst, src []float64) int
//
// Four lanes at a time, each lane computes what math.Tanh computes with
// math.Exp's FMA path, operation for operation: both branches of tanh
// (|x| >= 0.625: 1 − 2/(e^(2|x|)+1) with the sign of x; else the rational
// function of x²) with the one division shared, then ±1 where
// |x| > MAXLOG/2 and x where x = ±0. e^(2|x|) is only used for
// 0.625 <= |x| <= MAXLOG/2, where its exponent k lies in [2, 127]: none of
// math.Exp's overflow or subnormal cases arise. A block holding a NaN
// ends the call (the caller computes it with math.Tanh); the result is the
// number of elements done.
TEXT ·tanhFMA64(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	XORQ AX, AX
	SHRQ $2, CX
	JZ   tanhdone

tanhloop:
	VMOVUPD   (SI)(AX*8), Y0       // x
	VCMPPD    $3, Y0, Y0, Y1       // unordered: x is NaN
	VMOVMSKPD Y1, BX
	TESTQ     BX, BX
	JNZ       tanhdone
	VANDPD    tanhc<>+0(SB), Y0, Y1 // z = |x|

	// s = e^a, a = 2z, as math.Exp's FMA path
	VADDPD       Y1, Y1, Y2               // a = 2z (exact)
	VMULPD       tanhc<>+64(SB), Y2, Y3   // a·log₂e
	VCVTPD2DQY   Y3, X4                   // k, rounded to nearest
	VCVTDQ2PD    X4, Y3
	VFNMADD231PD tanhc<>+96(SB), Y3, Y2   // r = a − k·ln2 (upper part)
	VFNMADD231PD tanhc<>+128(SB), Y3, Y2  // r −= k·ln2 (lower part)
	VMULPD       tanhc<>+160(SB), Y2, Y2  // r/16
	VMOVUPD      tanhc<>+192(SB), Y3      // Horner: p = 1/8!
	VFMADD213PD  tanhc<>+224(SB), Y2, Y3  // p = p·r + 1/7!
	VFMADD213PD  tanhc<>+256(SB), Y2, Y3
	VFMADD213PD  tanhc<>+288(SB), Y2, Y3
	VFMADD213PD  tanhc<>+320(SB), Y2, Y3
	VFMADD213PD  tanhc<>+352(SB), Y2, Y3
	VFMADD213PD  tanhc<>+384(SB), Y2, Y3
	VFMADD213PD  tanhc<>+416(SB), Y2, Y3  // p = p·r + 1
	VMULPD       Y3, Y2, Y2               // u = r·p = e^(r/16) − 1
	VADDPD       tanhc<>+448(SB), Y2, Y3  // squared four times: u = u·(u+2)
	VMULPD       Y3, Y2, Y2
	VADDPD       tanhc<>+448(SB), Y2, Y3
	VMULPD       Y3, Y2, Y2
	VADDPD       tanhc<>+448(SB), Y2, Y3
	VMULPD       Y3, Y2, Y2
	VADDPD       tanhc<>+448(SB), Y2, Y3
	VFMADD213PD  tanhc<>+416(SB), Y3, Y2  // the last one plus 1: e^r
	VPMOVSXDQ    X4, Y4
	VPADDQ       tanhc<>+736(SB), Y4, Y4
	VPSLLQ       $52, Y4, Y4              // 2^k
	VMULPD       Y4, Y2, Y2               // s = e^r·2^k
	VADDPD       tanhc<>+416(SB), Y2, Y2  // s+1

	// the rational function: x + x·x²·P(x²)/Q(x²)
	VMULPD Y0, Y0, Y5              // w = x²
	VMULPD tanhc<>+544(SB), Y5, Y6 // P = (P0·w + P1)·w + P2
	VADDPD tanhc<>+576(SB), Y6, Y6
	VMULPD Y5, Y6, Y6
	VADDPD tanhc<>+608(SB), Y6, Y6
	VADDPD tanhc<>+640(SB), Y5, Y7 // Q = ((w + Q0)·w + Q1)·w + Q2
	VMULPD Y5, Y7, Y7
	VADDPD tanhc<>+672(SB), Y7, Y7
	VMULPD Y5, Y7, Y7
	VADDPD tanhc<>+704(SB), Y7, Y7
	VMULPD Y5, Y0, Y8              // (x·w)·P
	VMULPD Y6, Y8, Y8

	// one division for both: q = 2/(s+1) where z >= 0.625, else x·w·P/Q
	VCMPPD    $29, tanhc<>+480(SB), Y1, Y9 // z >= 0.625 (ordered)
	VBLENDVPD Y9, tanhc<>+448(SB), Y8, Y8
	VBLENDVPD Y9, Y2, Y7, Y7
	VDIVPD    Y7, Y8, Y8
	VMOVUPD   tanhc<>+416(SB), Y10
	VSUBPD    Y8, Y10, Y10         // 1 − q
	VANDPD    tanhc<>+32(SB), Y0, Y11
	VORPD     Y11, Y10, Y10        // with the sign of x (1 − q > 0)
	VADDPD    Y8, Y0, Y8           // x + q
	VBLENDVPD Y9, Y10, Y8, Y8

	VCMPPD    $30, tanhc<>+512(SB), Y1, Y9 // z > MAXLOG/2: ±1
	VORPD     tanhc<>+416(SB), Y11, Y10
	VBLENDVPD Y9, Y10, Y8, Y8
	VXORPD    Y10, Y10, Y10
	VCMPPD    $0, Y10, Y0, Y9      // x = ±0: x
	VBLENDVPD Y9, Y0, Y8, Y8

	VMOVUPD Y8, (DI)(AX*8)
	ADDQ    $4, AX
	DECQ    CX
	JNZ     tanhloop

tanhdone:
	VZEROUPPER
	MOVQ AX, ret+48(FP)
	RET

// func tanhAVX512(dst, src []float64) int
//
// tanhFMA64 with AVX-512: eight lanes at a time, the constants held in
// Z8–Z30, the selections by mask registers. k is rounded to an integral
// float64 (VRNDSCALEPD, to nearest even as the conversion to an integer
// rounds) and s = e^r·2^k is scaled by VSCALEFPD, which is exact where k
// lies (2 to 127): the same operations' results on each lane, so the same
// bits.
TEXT ·tanhAVX512(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	XORQ AX, AX
	SHRQ $3, CX
	JZ   tanh512done
	VBROADCASTSD tanhc<>+0(SB), Z8
	VBROADCASTSD tanhc<>+32(SB), Z9
	VBROADCASTSD tanhc<>+64(SB), Z10
	VBROADCASTSD tanhc<>+96(SB), Z11
	VBROADCASTSD tanhc<>+128(SB), Z12
	VBROADCASTSD tanhc<>+160(SB), Z13
	VBROADCASTSD tanhc<>+192(SB), Z14
	VBROADCASTSD tanhc<>+224(SB), Z15
	VBROADCASTSD tanhc<>+256(SB), Z16
	VBROADCASTSD tanhc<>+288(SB), Z17
	VBROADCASTSD tanhc<>+320(SB), Z18
	VBROADCASTSD tanhc<>+352(SB), Z19
	VBROADCASTSD tanhc<>+384(SB), Z20
	VBROADCASTSD tanhc<>+416(SB), Z21
	VBROADCASTSD tanhc<>+448(SB), Z22
	VBROADCASTSD tanhc<>+480(SB), Z23
	VBROADCASTSD tanhc<>+512(SB), Z24
	VBROADCASTSD tanhc<>+544(SB), Z25
	VBROADCASTSD tanhc<>+576(SB), Z26
	VBROADCASTSD tanhc<>+608(SB), Z27
	VBROADCASTSD tanhc<>+640(SB), Z28
	VBROADCASTSD tanhc<>+672(SB), Z29
	VBROADCASTSD tanhc<>+704(SB), Z30

tanh512loop:
	VMOVUPD  (SI)(AX*8), Z0 // x
	VCMPPD   $3, Z0, Z0, K1 // unordered: x is NaN
	KORTESTW K1, K1
	JNZ      tanh512done
	VPANDQ   Z8, Z0, Z1     // z = |x|

	// s = e^a, a = 2z, as math.Exp's FMA path
	VADDPD       Z1, Z1, Z2   // a = 2z
	VMULPD       Z10, Z2, Z3  // a·log₂e
	VRNDSCALEPD  $8, Z3, Z4   // k, rounded to nearest (as a float64)
	VFNMADD231PD Z11, Z4, Z2  // r = a − k·ln2 (upper part)
	VFNMADD231PD Z12, Z4, Z2  // r −= k·ln2 (lower part)
	VMULPD       Z13, Z2, Z2  // r/16
	VMOVAPD      Z14, Z3      // Horner: p = 1/8!
	VFMADD213PD  Z15, Z2, Z3
	VFMADD213PD  Z16, Z2, Z3
	VFMADD213PD  Z17, Z2, Z3
	VFMADD213PD  Z18, Z2, Z3
	VFMADD213PD  Z19, Z2, Z3
	VFMADD213PD  Z20, Z2, Z3
	VFMADD213PD  Z21, Z2, Z3  // p = p·r + 1
	VMULPD       Z3, Z2, Z2   // u = r·p
	VADDPD       Z22, Z2, Z3  // u = u·(u+2), four times
	VMULPD       Z3, Z2, Z2
	VADDPD       Z22, Z2, Z3
	VMULPD       Z3, Z2, Z2
	VADDPD       Z22, Z2, Z3
	VMULPD       Z3, Z2, Z2
	VADDPD       Z22, Z2, Z3
	VFMADD213PD  Z21, Z3, Z2  // the last one plus 1: e^r
	VSCALEFPD    Z4, Z2, Z2   // s = e^r·2^k (exact, as the product with 2^k)
	VADDPD       Z21, Z2, Z2  // s+1

	// the rational function
	VMULPD Z0, Z0, Z5  // w = x²
	VMULPD Z25, Z5, Z6 // P(w)
	VADDPD Z26, Z6, Z6
	VMULPD Z5, Z6, Z6
	VADDPD Z27, Z6, Z6
	VADDPD Z28, Z5, Z7 // Q(w)
	VMULPD Z5, Z7, Z7
	VADDPD Z29, Z7, Z7
	VMULPD Z5, Z7, Z7
	VADDPD Z30, Z7, Z7
	VMULPD Z5, Z0, Z5  // (x·w)·P
	VMULPD Z6, Z5, Z5

	// one division for both, then the selections
	VCMPPD  $29, Z23, Z1, K2 // z >= 0.625
	VMOVAPD Z22, K2, Z5
	VMOVAPD Z2, K2, Z7
	VDIVPD  Z7, Z5, Z5       // q
	VPANDQ  Z9, Z0, Z6       // the sign of x
	VSUBPD  Z5, Z21, Z7      // 1 − q
	VPORQ   Z6, Z7, Z7
	VADDPD  Z5, Z0, Z5       // x + q
	VMOVAPD Z7, K2, Z5
	VCMPPD  $30, Z24, Z1, K3 // z > MAXLOG/2: ±1
	VPORQ   Z21, Z6, K3, Z5
	VPTESTNMQ Z8, Z0, K4     // x = ±0: x
	VMOVAPD Z0, K4, Z5

	VMOVUPD Z5, (DI)(AX*8)
	ADDQ    $8, AX
	DECQ    CX
	JNZ     tanh512loop

tanh512done:
	VZEROUPPER
	MOVQ AX, ret+48(FP)
	RET

// func tanhGradAVX(y, dy, dz []float64)
//
// dz = dy·(1 − y·y), four lanes at a time, each operation the Go loop's,
// separately rounded, for len(y) elements (a multiple of 4).
TEXT ·tanhGradAVX(SB), NOSPLIT, $0-72
	MOVQ         y_base+0(FP), SI
	MOVQ         y_len+8(FP), CX
	MOVQ         dy_base+24(FP), DX
	MOVQ         dz_base+48(FP), DI
	VBROADCASTSD tanhc<>+416(SB), Y3 // 1
	SHRQ         $2, CX
	JZ           tanhgraddone

tanhgradloop:
	VMOVUPD (SI), Y0
	VMULPD  Y0, Y0, Y1   // y·y
	VSUBPD  Y1, Y3, Y1   // 1 − y·y
	VMULPD  (DX), Y1, Y1 // dy·(1 − y·y)
	VMOVUPD Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     tanhgradloop

tanhgraddone:
	VZEROUPPER
	RET
