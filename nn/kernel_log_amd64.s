#include "textflag.h"

// The constants of logAVX2, each repeated in four lanes: those of
// math.Log's assembly (log_amd64.s: √2/2, the reduction by ln 2 in two
// parts, the coefficients L1–L7 of its polynomial) and the bits that take
// a float64 apart, as bits.
// 0: mantissa mask
DATA logc<>+0(SB)/8, $0x000fffffffffffff
DATA logc<>+8(SB)/8, $0x000fffffffffffff
DATA logc<>+16(SB)/8, $0x000fffffffffffff
DATA logc<>+24(SB)/8, $0x000fffffffffffff
// 32: 0.5
DATA logc<>+32(SB)/8, $0x3fe0000000000000
DATA logc<>+40(SB)/8, $0x3fe0000000000000
DATA logc<>+48(SB)/8, $0x3fe0000000000000
DATA logc<>+56(SB)/8, $0x3fe0000000000000
// 64: 2^52
DATA logc<>+64(SB)/8, $0x4330000000000000
DATA logc<>+72(SB)/8, $0x4330000000000000
DATA logc<>+80(SB)/8, $0x4330000000000000
DATA logc<>+88(SB)/8, $0x4330000000000000
// 96: 2^52 + 1022
DATA logc<>+96(SB)/8, $0x43300000000003fe
DATA logc<>+104(SB)/8, $0x43300000000003fe
DATA logc<>+112(SB)/8, $0x43300000000003fe
DATA logc<>+120(SB)/8, $0x43300000000003fe
// 128: sqrt(2)/2
DATA logc<>+128(SB)/8, $0x3fe6a09e667f3bcd
DATA logc<>+136(SB)/8, $0x3fe6a09e667f3bcd
DATA logc<>+144(SB)/8, $0x3fe6a09e667f3bcd
DATA logc<>+152(SB)/8, $0x3fe6a09e667f3bcd
// 160: 1
DATA logc<>+160(SB)/8, $0x3ff0000000000000
DATA logc<>+168(SB)/8, $0x3ff0000000000000
DATA logc<>+176(SB)/8, $0x3ff0000000000000
DATA logc<>+184(SB)/8, $0x3ff0000000000000
// 192: 2
DATA logc<>+192(SB)/8, $0x4000000000000000
DATA logc<>+200(SB)/8, $0x4000000000000000
DATA logc<>+208(SB)/8, $0x4000000000000000
DATA logc<>+216(SB)/8, $0x4000000000000000
// 224: L7
DATA logc<>+224(SB)/8, $0x3fc2f112df3e5244
DATA logc<>+232(SB)/8, $0x3fc2f112df3e5244
DATA logc<>+240(SB)/8, $0x3fc2f112df3e5244
DATA logc<>+248(SB)/8, $0x3fc2f112df3e5244
// 256: L5
DATA logc<>+256(SB)/8, $0x3fc7466496cb03de
DATA logc<>+264(SB)/8, $0x3fc7466496cb03de
DATA logc<>+272(SB)/8, $0x3fc7466496cb03de
DATA logc<>+280(SB)/8, $0x3fc7466496cb03de
// 288: L3
DATA logc<>+288(SB)/8, $0x3fd2492494229359
DATA logc<>+296(SB)/8, $0x3fd2492494229359
DATA logc<>+304(SB)/8, $0x3fd2492494229359
DATA logc<>+312(SB)/8, $0x3fd2492494229359
// 320: L1
DATA logc<>+320(SB)/8, $0x3fe5555555555593
DATA logc<>+328(SB)/8, $0x3fe5555555555593
DATA logc<>+336(SB)/8, $0x3fe5555555555593
DATA logc<>+344(SB)/8, $0x3fe5555555555593
// 352: L6
DATA logc<>+352(SB)/8, $0x3fc39a09d078c69f
DATA logc<>+360(SB)/8, $0x3fc39a09d078c69f
DATA logc<>+368(SB)/8, $0x3fc39a09d078c69f
DATA logc<>+376(SB)/8, $0x3fc39a09d078c69f
// 384: L4
DATA logc<>+384(SB)/8, $0x3fcc71c51d8e78af
DATA logc<>+392(SB)/8, $0x3fcc71c51d8e78af
DATA logc<>+400(SB)/8, $0x3fcc71c51d8e78af
DATA logc<>+408(SB)/8, $0x3fcc71c51d8e78af
// 416: L2
DATA logc<>+416(SB)/8, $0x3fd999999997fa04
DATA logc<>+424(SB)/8, $0x3fd999999997fa04
DATA logc<>+432(SB)/8, $0x3fd999999997fa04
DATA logc<>+440(SB)/8, $0x3fd999999997fa04
// 448: ln 2, lower part
DATA logc<>+448(SB)/8, $0x3dea39ef35793c76
DATA logc<>+456(SB)/8, $0x3dea39ef35793c76
DATA logc<>+464(SB)/8, $0x3dea39ef35793c76
DATA logc<>+472(SB)/8, $0x3dea39ef35793c76
// 480: ln 2, upper part
DATA logc<>+480(SB)/8, $0x3fe62e42fee00000
DATA logc<>+488(SB)/8, $0x3fe62e42fee00000
DATA logc<>+496(SB)/8, $0x3fe62e42fee00000
DATA logc<>+504(SB)/8, $0x3fe62e42fee00000
// 512: +Inf
DATA logc<>+512(SB)/8, $0x7ff0000000000000
DATA logc<>+520(SB)/8, $0x7ff0000000000000
DATA logc<>+528(SB)/8, $0x7ff0000000000000
DATA logc<>+536(SB)/8, $0x7ff0000000000000
GLOBL logc<>(SB), RODATA|NOPTR, $544

// func logAVX2(dst, src []float64) int
//
// Four lanes at a time, each lane computes what math.Log computes on
// amd64 (log_amd64.s), operation for operation, none of them fused:
// x = f1·2^k with f1 in [½, 1) taken from x's bits, f1 doubled (and k
// less 1) where f1 <= √2/2 (its compare "not less than" of √2/2 with f1),
// f = f1 − 1, s = f/(2+f), the polynomial R in s², then
// k·ln2hi − ((f²/2 − (s·(f²/2 + R) + k·ln2lo)) − f). k is the exponent
// field less 1022, made exact in float64 from 2^52 + field (the integer
// conversion math.Log uses gives the same, exact, value). A block holding
// a lane that is not positive and finite (±0, a negative number, +Inf or
// a NaN: special cases of math.Log) ends the call before it is stored;
// the result is the number of elements done.
TEXT ·logAVX2(SB), NOSPLIT, $0-56
	MOVQ    dst_base+0(FP), DI
	MOVQ    src_base+24(FP), SI
	MOVQ    src_len+32(FP), CX
	XORQ    AX, AX
	SHRQ    $2, CX
	JZ      logdone
	VPXOR   Y14, Y14, Y14
	VMOVUPD logc<>+512(SB), Y15

logloop:
	VMOVUPD   (SI)(AX*8), Y0   // x
	VPCMPGTQ  Y14, Y0, Y1      // bits of x > 0 as integers: x > 0 or a positive NaN
	VPCMPGTQ  Y0, Y15, Y2      // bits of x < those of +Inf: not +Inf nor NaN
	VPAND     Y2, Y1, Y1
	VMOVMSKPD Y1, BX
	CMPQ      BX, $15
	JNE       logdone

	VANDPD   logc<>+0(SB), Y0, Y2   // f1: x's fraction
	VORPD    logc<>+32(SB), Y2, Y2  // with 0.5's exponent
	VPSRLQ   $52, Y0, Y3            // x's exponent field e (x > 0)
	VPOR     logc<>+64(SB), Y3, Y3  // 2^52 + e
	VSUBPD   logc<>+96(SB), Y3, Y3  // k = e − 1022 (exact)
	VMOVUPD  logc<>+128(SB), Y4
	VCMPPD   $5, Y2, Y4, Y4         // not √2/2 < f1
	VANDPD   logc<>+160(SB), Y4, Y4 // 1 there, else 0
	VSUBPD   Y4, Y3, Y3             // k −= 1 there
	VADDPD   logc<>+160(SB), Y4, Y4
	VMULPD   Y4, Y2, Y2             // f1 ·= 2 there
	VSUBPD   logc<>+160(SB), Y2, Y2 // f = f1 − 1
	VADDPD   logc<>+192(SB), Y2, Y5 // 2 + f
	VDIVPD   Y5, Y2, Y5             // s = f/(2+f)
	VMULPD   Y5, Y5, Y6             // s²
	VMULPD   Y6, Y6, Y7             // s⁴
	VMULPD   logc<>+224(SB), Y7, Y8 // t1 = s²·(L1 + s⁴·(L3 + s⁴·(L5 + s⁴·L7)))
	VADDPD   logc<>+256(SB), Y8, Y8
	VMULPD   Y7, Y8, Y8
	VADDPD   logc<>+288(SB), Y8, Y8
	VMULPD   Y7, Y8, Y8
	VADDPD   logc<>+320(SB), Y8, Y8
	VMULPD   Y8, Y6, Y6
	VMULPD   logc<>+352(SB), Y7, Y8 // t2 = s⁴·(L2 + s⁴·(L4 + s⁴·L6))
	VADDPD   logc<>+384(SB), Y8, Y8
	VMULPD   Y7, Y8, Y8
	VADDPD   logc<>+416(SB), Y8, Y8
	VMULPD   Y8, Y7, Y7
	VADDPD   Y7, Y6, Y6             // R = t1 + t2
	VMULPD   logc<>+32(SB), Y2, Y7  // hfsq = 0.5·f·f
	VMULPD   Y2, Y7, Y7
	VADDPD   Y7, Y6, Y6             // hfsq + R
	VMULPD   Y6, Y5, Y5             // s·(hfsq + R)
	VMULPD   logc<>+448(SB), Y3, Y6 // k·ln2lo
	VADDPD   Y6, Y5, Y5
	VSUBPD   Y5, Y7, Y7             // hfsq − (s·(hfsq + R) + k·ln2lo)
	VSUBPD   Y2, Y7, Y7             // … − f
	VMULPD   logc<>+480(SB), Y3, Y3 // k·ln2hi
	VSUBPD   Y7, Y3, Y3             // k·ln2hi − (…)

	VMOVUPD Y3, (DI)(AX*8)
	ADDQ    $4, AX
	DECQ    CX
	JNZ     logloop

logdone:
	VZEROUPPER
	MOVQ AX, ret+48(FP)
	RET
