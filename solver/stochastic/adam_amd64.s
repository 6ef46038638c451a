//go:build !amd64.v3

#include "textflag.h"

// func adamSSE2(x, g, m, v []float64, c *[7][2]float64)
TEXT ·adamSSE2(SB), NOSPLIT, $0-104
	MOVQ   x_base+0(FP), DI
	MOVQ   x_len+8(FP), CX
	MOVQ   g_base+24(FP), SI
	MOVQ   m_base+48(FP), R8
	MOVQ   v_base+72(FP), R9
	MOVQ   c+96(FP), R10
	MOVUPD 0(R10), X8   // β₁
	MOVUPD 16(R10), X9  // 1−β₁
	MOVUPD 32(R10), X10 // β₂
	MOVUPD 48(R10), X11 // 1−β₂
	MOVUPD 64(R10), X12 // step
	MOVUPD 80(R10), X13 // root
	MOVUPD 96(R10), X14 // ε
	XORQ   AX, AX
	SHRQ   $1, CX
	JZ     adamdone

adamloop:
	MOVUPD (SI)(AX*8), X0 // g
	MOVUPD (R8)(AX*8), X1
	MULPD  X8, X1         // β₁m
	MOVAPD X0, X2
	MULPD  X9, X2         // (1−β₁)g
	ADDPD  X2, X1         // m = β₁m + (1−β₁)g
	MOVUPD X1, (R8)(AX*8)
	MOVUPD (R9)(AX*8), X3
	MULPD  X10, X3        // β₂v
	MOVAPD X0, X4
	MULPD  X11, X4        // (1−β₂)g
	MULPD  X0, X4         // ((1−β₂)g)g
	ADDPD  X4, X3         // v = β₂v + (1−β₂)g²
	MOVUPD X3, (R9)(AX*8)
	SQRTPD X3, X5
	DIVPD  X13, X5        // √v/root
	ADDPD  X14, X5        // + ε
	MULPD  X12, X1        // step·m
	DIVPD  X5, X1         // step·m / (√v/root + ε)
	MOVUPD (DI)(AX*8), X7
	SUBPD  X1, X7         // x −= …
	MOVUPD X7, (DI)(AX*8)
	ADDQ   $2, AX
	DECQ   CX
	JNZ    adamloop

adamdone:
	RET
