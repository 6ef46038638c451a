#include "textflag.h"

// The AVX-512 kernels of kernel_back.go. Rows of y, out are h elements
// apart, as are the rows c of wt and dwt; each row of dz holds k values;
// h is a multiple of 16 (float32) or 8 (float64), n and k are at least 1.
// Every multiply-add is one fused operation (VFMADD231), the sums over c
// in the order c = 0, 1, …, k−1 from +0, those over the rows in row order.
//
// flags: 1 out = dz·wt (row by row: out[i, j] = Σ_c dz[i, c]·wt[c, j]);
// 2 (with 1) out ⊙= g, g = 1 where y > 0 and s elsewhere (also where y
// is NaN); 8 dwt[c, j] += Σ_i dz[i, c]·y[i, j].

// func back32AVX512(n, h, k int, dz, wt, y, out, dwt *float32, s float32, flags int)
TEXT ·back32AVX512(SB), NOSPLIT, $0-80
	MOVQ         n+0(FP), CX
	MOVQ         h+8(FP), DX
	MOVQ         k+16(FP), BX
	MOVQ         dz+24(FP), R8
	MOVQ         wt+32(FP), R9
	MOVQ         y+40(FP), R10
	MOVQ         out+48(FP), R11
	MOVQ         dwt+56(FP), R12
	VBROADCASTSS s+64(FP), Z4
	MOVQ         flags+72(FP), R14
	MOVL         $0x3f800000, AX
	VPBROADCASTD AX, Z3          // 1
	VPXORD       Z5, Z5, Z5      // 0
	SHLQ         $2, DX          // bytes per row of y, out, wt, dwt
	TESTQ        CX, CX
	JZ           back32done

back32row:
	XORQ SI, SI // byte offset of the 16 columns j in a row

back32col:
	TESTQ $1, R14
	JZ    back32dw
	VPXORD Z0, Z0, Z0
	LEAQ   (R9)(SI*1), DI
	XORQ   AX, AX

back32dot:
	VMOVUPS          (DI), Z1
	VFMADD231PS.BCST (R8)(AX*4), Z1, Z0 // Z0 += wt[c, j]·dz[i, c]
	ADDQ             DX, DI
	INCQ             AX
	CMPQ             AX, BX
	JLT              back32dot
	TESTQ            $2, R14
	JZ               back32store
	VMOVUPS          (R10)(SI*1), Z1
	VCMPPS           $0x1e, Z5, Z1, K1  // y > 0 (ordered: false for NaN)
	VMOVAPS          Z4, Z2
	VMOVAPS          Z3, K1, Z2         // g = y > 0 ? 1 : s
	VMULPS           Z2, Z0, Z0

back32store:
	VMOVUPS Z0, (R11)(SI*1)

back32dw:
	TESTQ   $8, R14
	JZ      back32next
	VMOVUPS (R10)(SI*1), Z1
	LEAQ    (R12)(SI*1), DI
	XORQ    AX, AX

back32acc:
	VMOVUPS          (DI), Z2
	VFMADD231PS.BCST (R8)(AX*4), Z1, Z2 // dwt[c, j] += y[i, j]·dz[i, c]
	VMOVUPS          Z2, (DI)
	ADDQ             DX, DI
	INCQ             AX
	CMPQ             AX, BX
	JLT              back32acc

back32next:
	ADDQ $64, SI
	CMPQ SI, DX
	JLT  back32col
	LEAQ (R8)(BX*4), R8
	ADDQ DX, R10
	ADDQ DX, R11
	DECQ CX
	JNZ  back32row

back32done:
	VZEROUPPER
	RET

// func back64AVX512(n, h, k int, dz, wt, y, out, dwt *float64, s float64, flags int)
TEXT ·back64AVX512(SB), NOSPLIT, $0-80
	MOVQ         n+0(FP), CX
	MOVQ         h+8(FP), DX
	MOVQ         k+16(FP), BX
	MOVQ         dz+24(FP), R8
	MOVQ         wt+32(FP), R9
	MOVQ         y+40(FP), R10
	MOVQ         out+48(FP), R11
	MOVQ         dwt+56(FP), R12
	VBROADCASTSD s+64(FP), Z4
	MOVQ         flags+72(FP), R14
	MOVQ         $0x3ff0000000000000, AX
	VPBROADCASTQ AX, Z3          // 1
	VPXORQ       Z5, Z5, Z5      // 0
	SHLQ         $3, DX
	TESTQ        CX, CX
	JZ           back64done

back64row:
	XORQ SI, SI

back64col:
	TESTQ $1, R14
	JZ    back64dw
	VPXORQ Z0, Z0, Z0
	LEAQ   (R9)(SI*1), DI
	XORQ   AX, AX

back64dot:
	VMOVUPD          (DI), Z1
	VFMADD231PD.BCST (R8)(AX*8), Z1, Z0
	ADDQ             DX, DI
	INCQ             AX
	CMPQ             AX, BX
	JLT              back64dot
	TESTQ            $2, R14
	JZ               back64store
	VMOVUPD          (R10)(SI*1), Z1
	VCMPPD           $0x1e, Z5, Z1, K1
	VMOVAPD          Z4, Z2
	VMOVAPD          Z3, K1, Z2
	VMULPD           Z2, Z0, Z0

back64store:
	VMOVUPD Z0, (R11)(SI*1)

back64dw:
	TESTQ   $8, R14
	JZ      back64next
	VMOVUPD (R10)(SI*1), Z1
	LEAQ    (R12)(SI*1), DI
	XORQ    AX, AX

back64acc:
	VMOVUPD          (DI), Z2
	VFMADD231PD.BCST (R8)(AX*8), Z1, Z2
	VMOVUPD          Z2, (DI)
	ADDQ             DX, DI
	INCQ             AX
	CMPQ             AX, BX
	JLT              back64acc

back64next:
	ADDQ $64, SI
	CMPQ SI, DX
	JLT  back64col
	LEAQ (R8)(BX*8), R8
	ADDQ DX, R10
	ADDQ DX, R11
	DECQ CX
	JNZ  back64row

back64done:
	VZEROUPPER
	RET

// back32x4 and back64x4 are back32AVX512 and back64AVX512 on groups of
// four rows, for which dz4 holds dz rearranged: for each group, for each
// c, the four rows' dz[r, c] side by side. Each broadcast of a dz value
// then serves both its products, and each load of wt[c, j] and each load
// and store of dwt[c, j] four rows: the sums are formed in the same order
// as row by row.

// func back32x4(groups, h, k int, dz4, wt, y, out, dwt *float32, s float32, flags int)
TEXT ·back32x4(SB), NOSPLIT, $0-80
	MOVQ         groups+0(FP), CX
	MOVQ         h+8(FP), DX
	MOVQ         dz4+24(FP), R8
	MOVQ         wt+32(FP), R9
	MOVQ         y+40(FP), R10
	MOVQ         out+48(FP), R11
	MOVQ         dwt+56(FP), R12
	VBROADCASTSS s+64(FP), Z25
	MOVL         $0x3f800000, AX
	VPBROADCASTD AX, Z24
	VPXORD       Z26, Z26, Z26
	SHLQ         $2, DX       // bytes per row
	LEAQ         (DX)(DX*2), R15 // three rows
	TESTQ        CX, CX
	JZ           b32x4done

b32x4group:
	MOVQ k+16(FP), BX
	SHLQ $4, BX
	ADDQ R8, BX       // the end of the group's dz4
	XORQ SI, SI

b32x4col:
	LEAQ  (R10)(SI*1), R13
	LEAQ  (R11)(SI*1), R14
	MOVQ  SI, DI
	MOVQ  R8, AX
	TESTQ $10, flags+72(FP)
	JZ    b32x4dot
	VMOVUPS (R13), Z6
	VMOVUPS (R13)(DX*1), Z7
	VMOVUPS (R13)(DX*2), Z8
	VMOVUPS (R13)(R15*1), Z9
	TESTQ $1, flags+72(FP)
	JZ    b32x4wonly

b32x4dot:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	TESTQ $8, flags+72(FP)
	JZ    b32x4donly

b32x4both:
	VBROADCASTSS 0(AX), Z11
	VBROADCASTSS 4(AX), Z12
	VBROADCASTSS 8(AX), Z13
	VBROADCASTSS 12(AX), Z14
	VMOVUPS      (R9)(DI*1), Z10
	VFMADD231PS Z11, Z10, Z0
	VFMADD231PS Z12, Z10, Z1
	VFMADD231PS Z13, Z10, Z2
	VFMADD231PS Z14, Z10, Z3
	VMOVUPS      (R12)(DI*1), Z15
	VFMADD231PS Z11, Z6, Z15
	VFMADD231PS Z12, Z7, Z15
	VFMADD231PS Z13, Z8, Z15
	VFMADD231PS Z14, Z9, Z15
	VMOVUPS      Z15, (R12)(DI*1)
	ADDQ         DX, DI
	ADDQ         $16, AX
	CMPQ         AX, BX
	JLT          b32x4both
	JMP          b32x4gate

b32x4donly:
	VBROADCASTSS 0(AX), Z11
	VBROADCASTSS 4(AX), Z12
	VBROADCASTSS 8(AX), Z13
	VBROADCASTSS 12(AX), Z14
	VMOVUPS      (R9)(DI*1), Z10
	VFMADD231PS Z11, Z10, Z0
	VFMADD231PS Z12, Z10, Z1
	VFMADD231PS Z13, Z10, Z2
	VFMADD231PS Z14, Z10, Z3
	ADDQ         DX, DI
	ADDQ         $16, AX
	CMPQ         AX, BX
	JLT          b32x4donly

b32x4gate:
	TESTQ $2, flags+72(FP)
	JZ    b32x4store
	VCMPPS  $0x1e, Z26, Z6, K1
	VMOVAPS Z25, Z16
	VMOVAPS Z24, K1, Z16
	VMULPS  Z16, Z0, Z0
	VCMPPS  $0x1e, Z26, Z7, K2
	VMOVAPS Z25, Z17
	VMOVAPS Z24, K2, Z17
	VMULPS  Z17, Z1, Z1
	VCMPPS  $0x1e, Z26, Z8, K3
	VMOVAPS Z25, Z18
	VMOVAPS Z24, K3, Z18
	VMULPS  Z18, Z2, Z2
	VCMPPS  $0x1e, Z26, Z9, K4
	VMOVAPS Z25, Z19
	VMOVAPS Z24, K4, Z19
	VMULPS  Z19, Z3, Z3

b32x4store:
	VMOVUPS Z0, (R14)
	VMOVUPS Z1, (R14)(DX*1)
	VMOVUPS Z2, (R14)(DX*2)
	VMOVUPS Z3, (R14)(R15*1)
	JMP   b32x4next

b32x4wonly:
	VBROADCASTSS 0(AX), Z11
	VBROADCASTSS 4(AX), Z12
	VBROADCASTSS 8(AX), Z13
	VBROADCASTSS 12(AX), Z14
	VMOVUPS      (R12)(DI*1), Z15
	VFMADD231PS Z11, Z6, Z15
	VFMADD231PS Z12, Z7, Z15
	VFMADD231PS Z13, Z8, Z15
	VFMADD231PS Z14, Z9, Z15
	VMOVUPS      Z15, (R12)(DI*1)
	ADDQ         DX, DI
	ADDQ         $16, AX
	CMPQ         AX, BX
	JLT          b32x4wonly

b32x4next:
	ADDQ $64, SI
	CMPQ SI, DX
	JLT  b32x4col
	MOVQ BX, R8
	LEAQ (R10)(DX*4), R10
	LEAQ (R11)(DX*4), R11
	DECQ CX
	JNZ  b32x4group

b32x4done:
	VZEROUPPER
	RET

// func back64x4(groups, h, k int, dz4, wt, y, out, dwt *float64, s float64, flags int)
TEXT ·back64x4(SB), NOSPLIT, $0-80
	MOVQ         groups+0(FP), CX
	MOVQ         h+8(FP), DX
	MOVQ         dz4+24(FP), R8
	MOVQ         wt+32(FP), R9
	MOVQ         y+40(FP), R10
	MOVQ         out+48(FP), R11
	MOVQ         dwt+56(FP), R12
	VBROADCASTSD s+64(FP), Z25
	MOVQ         $0x3ff0000000000000, AX
	VPBROADCASTQ AX, Z24
	VPXORQ       Z26, Z26, Z26
	SHLQ         $3, DX       // bytes per row
	LEAQ         (DX)(DX*2), R15 // three rows
	TESTQ        CX, CX
	JZ           b64x4done

b64x4group:
	MOVQ k+16(FP), BX
	SHLQ $5, BX
	ADDQ R8, BX       // the end of the group's dz4
	XORQ SI, SI

b64x4col:
	LEAQ  (R10)(SI*1), R13
	LEAQ  (R11)(SI*1), R14
	MOVQ  SI, DI
	MOVQ  R8, AX
	TESTQ $10, flags+72(FP)
	JZ    b64x4dot
	VMOVUPD (R13), Z6
	VMOVUPD (R13)(DX*1), Z7
	VMOVUPD (R13)(DX*2), Z8
	VMOVUPD (R13)(R15*1), Z9
	TESTQ $1, flags+72(FP)
	JZ    b64x4wonly

b64x4dot:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	TESTQ $8, flags+72(FP)
	JZ    b64x4donly

b64x4both:
	VBROADCASTSD 0(AX), Z11
	VBROADCASTSD 8(AX), Z12
	VBROADCASTSD 16(AX), Z13
	VBROADCASTSD 24(AX), Z14
	VMOVUPD      (R9)(DI*1), Z10
	VFMADD231PD Z11, Z10, Z0
	VFMADD231PD Z12, Z10, Z1
	VFMADD231PD Z13, Z10, Z2
	VFMADD231PD Z14, Z10, Z3
	VMOVUPD      (R12)(DI*1), Z15
	VFMADD231PD Z11, Z6, Z15
	VFMADD231PD Z12, Z7, Z15
	VFMADD231PD Z13, Z8, Z15
	VFMADD231PD Z14, Z9, Z15
	VMOVUPD      Z15, (R12)(DI*1)
	ADDQ         DX, DI
	ADDQ         $32, AX
	CMPQ         AX, BX
	JLT          b64x4both
	JMP          b64x4gate

b64x4donly:
	VBROADCASTSD 0(AX), Z11
	VBROADCASTSD 8(AX), Z12
	VBROADCASTSD 16(AX), Z13
	VBROADCASTSD 24(AX), Z14
	VMOVUPD      (R9)(DI*1), Z10
	VFMADD231PD Z11, Z10, Z0
	VFMADD231PD Z12, Z10, Z1
	VFMADD231PD Z13, Z10, Z2
	VFMADD231PD Z14, Z10, Z3
	ADDQ         DX, DI
	ADDQ         $32, AX
	CMPQ         AX, BX
	JLT          b64x4donly

b64x4gate:
	TESTQ $2, flags+72(FP)
	JZ    b64x4store
	VCMPPD  $0x1e, Z26, Z6, K1
	VMOVAPD Z25, Z16
	VMOVAPD Z24, K1, Z16
	VMULPD  Z16, Z0, Z0
	VCMPPD  $0x1e, Z26, Z7, K2
	VMOVAPD Z25, Z17
	VMOVAPD Z24, K2, Z17
	VMULPD  Z17, Z1, Z1
	VCMPPD  $0x1e, Z26, Z8, K3
	VMOVAPD Z25, Z18
	VMOVAPD Z24, K3, Z18
	VMULPD  Z18, Z2, Z2
	VCMPPD  $0x1e, Z26, Z9, K4
	VMOVAPD Z25, Z19
	VMOVAPD Z24, K4, Z19
	VMULPD  Z19, Z3, Z3

b64x4store:
	VMOVUPD Z0, (R14)
	VMOVUPD Z1, (R14)(DX*1)
	VMOVUPD Z2, (R14)(DX*2)
	VMOVUPD Z3, (R14)(R15*1)
	JMP   b64x4next

b64x4wonly:
	VBROADCASTSD 0(AX), Z11
	VBROADCASTSD 8(AX), Z12
	VBROADCASTSD 16(AX), Z13
	VBROADCASTSD 24(AX), Z14
	VMOVUPD      (R12)(DI*1), Z15
	VFMADD231PD Z11, Z6, Z15
	VFMADD231PD Z12, Z7, Z15
	VFMADD231PD Z13, Z8, Z15
	VFMADD231PD Z14, Z9, Z15
	VMOVUPD      Z15, (R12)(DI*1)
	ADDQ         DX, DI
	ADDQ         $32, AX
	CMPQ         AX, BX
	JLT          b64x4wonly

b64x4next:
	ADDQ $64, SI
	CMPQ SI, DX
	JLT  b64x4col
	MOVQ BX, R8
	LEAQ (R10)(DX*4), R10
	LEAQ (R11)(DX*4), R11
	DECQ CX
	JNZ  b64x4group

b64x4done:
	VZEROUPPER
	RET

// fwd32Small and fwd64Small set z = y·w + b for y (n×h) and w (h×k),
// k small, from wt, wᵀ padded with zero rows to a multiple of four, and b
// padded alike: for each row of z, four classes at a time, the products
// summed in lanes over the row (one fused multiply-add each, columns in
// order), the lanes added in a fixed tree, then b added.

// func fwd32Small(n, h, k int, y, wt, b, z *float32, mask int)
TEXT ·fwd32Small(SB), NOSPLIT, $0-64
	MOVQ n+0(FP), CX
	MOVQ h+8(FP), DX
	MOVQ k+16(FP), BX
	MOVQ y+24(FP), R8
	MOVQ wt+32(FP), R9
	MOVQ b+40(FP), R10
	MOVQ z+48(FP), R11
	SHLQ $2, DX // bytes per row of y and wt
	TESTQ CX, CX
	JZ   f32done

f32row:
	MOVQ R9, DI   // wt, chunk by chunk: four rows of wt
	MOVQ R10, R12 // b
	MOVQ R11, R13 // z[i, 4q]
	XORQ AX, AX   // 4q

f32chunk:
	// the mask of the chunk's classes below k
	MOVQ  BX, R14
	SUBQ  AX, R14
	MOVQ  $15, R15
	CMPQ  R14, $4
	JGE   f32full
	MOVQ  mask+56(FP), R15

f32full:
	KMOVW R15, K1
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	LEAQ  (DX)(DX*2), R15
	XORQ  SI, SI

f32col:
	VMOVUPS        (R8)(SI*1), Z8
	MOVQ         DI, R14
	ADDQ         SI, R14
	VFMADD231PS (R14), Z8, Z0
	VFMADD231PS (R14)(DX*1), Z8, Z1
	VFMADD231PS (R14)(DX*2), Z8, Z2
	VFMADD231PS (R14)(R15*1), Z8, Z3
	ADDQ         $64, SI
	CMPQ         SI, DX
	JLT          f32col
	VEXTRACTF64X4 $1, Z0, Y4
	VADDPS        Y4, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y5
	VADDPS        Y5, Y1, Y1
	VEXTRACTF64X4 $1, Z2, Y6
	VADDPS        Y6, Y2, Y2
	VEXTRACTF64X4 $1, Z3, Y7
	VADDPS        Y7, Y3, Y3
	VEXTRACTF128  $1, Y0, X4
	VADDPS        X4, X0, X0
	VEXTRACTF128  $1, Y1, X5
	VADDPS        X5, X1, X1
	VEXTRACTF128  $1, Y2, X6
	VADDPS        X6, X2, X2
	VEXTRACTF128  $1, Y3, X7
	VADDPS        X7, X3, X3
	VHADDPS       X1, X0, X0 // a0+a1, a2+a3, b0+b1, b2+b3
	VHADDPS       X3, X2, X2
	VHADDPS       X2, X0, X0 // the four sums
	VADDPS        (R12), X0, X0 // + b
	VMOVUPS       X0, K1, (R13)

	LEAQ (DI)(DX*4), DI
	ADDQ $16, R12
	ADDQ $16, R13
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  f32chunk
	ADDQ DX, R8
	LEAQ (R11)(BX*4), R11
	DECQ CX
	JNZ  f32row

f32done:
	VZEROUPPER
	RET

// func fwd64Small(n, h, k int, y, wt, b, z *float64, mask int)
TEXT ·fwd64Small(SB), NOSPLIT, $0-64
	MOVQ n+0(FP), CX
	MOVQ h+8(FP), DX
	MOVQ k+16(FP), BX
	MOVQ y+24(FP), R8
	MOVQ wt+32(FP), R9
	MOVQ b+40(FP), R10
	MOVQ z+48(FP), R11
	SHLQ $3, DX // bytes per row of y and wt
	TESTQ CX, CX
	JZ   f64done

f64row:
	MOVQ R9, DI   // wt, chunk by chunk: four rows of wt
	MOVQ R10, R12 // b
	MOVQ R11, R13 // z[i, 4q]
	XORQ AX, AX   // 4q

f64chunk:
	// the mask of the chunk's classes below k
	MOVQ  BX, R14
	SUBQ  AX, R14
	MOVQ  $15, R15
	CMPQ  R14, $4
	JGE   f64full
	MOVQ  mask+56(FP), R15

f64full:
	KMOVW R15, K1
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	LEAQ  (DX)(DX*2), R15
	XORQ  SI, SI

f64col:
	VMOVUPD        (R8)(SI*1), Z8
	MOVQ         DI, R14
	ADDQ         SI, R14
	VFMADD231PD (R14), Z8, Z0
	VFMADD231PD (R14)(DX*1), Z8, Z1
	VFMADD231PD (R14)(DX*2), Z8, Z2
	VFMADD231PD (R14)(R15*1), Z8, Z3
	ADDQ         $64, SI
	CMPQ         SI, DX
	JLT          f64col
	VEXTRACTF64X4 $1, Z0, Y4
	VADDPD        Y4, Y0, Y0
	VEXTRACTF64X4 $1, Z1, Y5
	VADDPD        Y5, Y1, Y1
	VEXTRACTF64X4 $1, Z2, Y6
	VADDPD        Y6, Y2, Y2
	VEXTRACTF64X4 $1, Z3, Y7
	VADDPD        Y7, Y3, Y3
	VHADDPD       Y1, Y0, Y0 // a0+a1, b0+b1, a2+a3, b2+b3
	VHADDPD       Y3, Y2, Y2 // c0+c1, d0+d1, c2+c3, d2+d3
	VPERM2F128    $0x20, Y2, Y0, Y4 // a01, b01, c01, d01
	VPERM2F128    $0x31, Y2, Y0, Y5 // a23, b23, c23, d23
	VADDPD        Y5, Y4, Y0
	VADDPD        (R12), Y0, Y0 // + b
	VMOVUPD       Y0, K1, (R13)

	LEAQ (DI)(DX*4), DI
	ADDQ $32, R12
	ADDQ $32, R13
	ADDQ $4, AX
	CMPQ AX, BX
	JLT  f64chunk
	ADDQ DX, R8
	LEAQ (R11)(BX*8), R11
	DECQ CX
	JNZ  f64row

f64done:
	VZEROUPPER
	RET
