package nn

// The backward products of a dense layer with few outputs: for a layer
// Z = Y·W + b with W (h×k), k small, the input gradient dY = dZ·Wᵀ and
// the weight gradient dW = Yᵀ·dZ, and, when Y is the output of a
// FullyConnected layer fused with ReLU or LeakyReLU (denseActOp), that
// layer's dZ′ = dY ⊙ f′(Y) and bias gradient, all in one pass over Y:
// where BLAS would zero dY, write it, read it and Y again for the gate,
// and read Y once more for dW, with k ≤ 16 each product does too little
// arithmetic per element to hide those passes (1.6 of the 25 ms of a
// 5000-row shard of the 784-256-10 network in float32).
//
// The unfused products (matMulOp) run on the same kernel as the fused
// pass, so that a network nn fuses and the same network of user layers
// compute the same bits. The kernel needs AVX-512; elsewhere, and for
// shapes outside backFits, everything runs on the BLAS backend as before.

// backMaxK is the largest k the kernel takes: beyond it BLAS's products
// are as fast.
const backMaxK = 16

// backMaxBytes bounds k·h·size, the weights and the partial weight
// gradient the kernel reads and accumulates for every row, so that they
// stay in the first-level cache.
const backMaxBytes = 32 << 10

// backRows is the number of rows per kernel call: the rows of dY a call
// wrote are still in the second-level cache when their column sums are
// taken (a multiple of four, addRows' grouping).
const backRows = 32

// backBlock is the number of rows over which the kernel accumulates the
// weight gradient before the block's sum is added to the total: sums over
// a few hundred terms at a time, as a blocked GEMM forms them.
const backBlock = 8 * backRows

// backFits reports whether the kernel serves a layer with h inputs and k
// outputs in dtype T: h a whole number of 64-byte vectors, 1 ≤ k ≤
// backMaxK, k·h values within backMaxBytes.
func backFits[T float](h, k int) bool {
	var z T
	size := 8
	if _, ok := any(z).(float32); ok {
		size = 4
	}
	return haveBack && h > 0 && h*size%64 == 0 && k >= 1 && k <= backMaxK && k*h*size <= backMaxBytes
}

// kernel flags (kernel_back_amd64.s)
const (
	backDot    = 1 // out = dz·wt
	backGate   = 2 // out ⊙= g(y)
	backWeight = 8 // dwt += dzᵀ·y, per row
)

// backKernel calls the kernel on n ≤ backRows rows: the groups of four
// rows with dz rearranged for back32x4 and back64x4, then the rest row by
// row.
func backKernel[T float](n, h, k int, dz, wt, y, out, dwt []T, s T, flags int) {
	if n == 0 {
		return
	}
	// bounds, checked here once rather than by the kernel
	_ = dz[n*k-1]
	if flags&backDot != 0 {
		_, _ = wt[k*h-1], out[n*h-1]
	}
	if flags&(backGate|backWeight) != 0 {
		_ = y[n*h-1]
	}
	if flags&backWeight != 0 {
		_ = dwt[k*h-1]
	}
	var dz4 [backRows * backMaxK]T
	g := n / 4
	for q := range g {
		for c := range k {
			for r := range 4 {
				dz4[(q*k+c)*4+r] = dz[(4*q+r)*k+c]
			}
		}
	}
	at := func(v []T, i int) *T {
		if v == nil {
			return nil
		}
		return &v[i]
	}
	wt0, dwt0 := at(wt, 0), at(dwt, 0)
	switch any(dz).(type) {
	case []float32:
		if g > 0 {
			back32x4(g, h, k, f32p(&dz4[0]), f32p(wt0), f32p(at(y, 0)), f32p(at(out, 0)), f32p(dwt0), float32(s), flags)
		}
		if m := 4 * g; m < n {
			back32AVX512(n-m, h, k, f32p(&dz[m*k]), f32p(wt0), f32p(at(y, m*h)), f32p(at(out, m*h)), f32p(dwt0), float32(s), flags)
		}
	case []float64:
		if g > 0 {
			back64x4(g, h, k, f64p(&dz4[0]), f64p(wt0), f64p(at(y, 0)), f64p(at(out, 0)), f64p(dwt0), float64(s), flags)
		}
		if m := 4 * g; m < n {
			back64AVX512(n-m, h, k, f64p(&dz[m*k]), f64p(wt0), f64p(at(y, m*h)), f64p(at(out, m*h)), f64p(dwt0), float64(s), flags)
		}
	}
}

func f32p[T float](p *T) *float32 {
	if p == nil {
		return nil
	}
	return any(p).(*float32)
}

func f64p[T float](p *T) *float64 {
	if p == nil {
		return nil
	}
	return any(p).(*float64)
}

// transpose sets t (c×r) to the transpose of a (r×c).
func transpose[T float](r, c int, a, t []T) {
	a, t = a[:r*c], t[:r*c]
	for i := range r {
		row := a[i*c : (i+1)*c]
		for j, v := range row {
			t[j*r+i] = v
		}
	}
}

// backInput sets dy = dz·wᵀ for dz (n×k) and w (h×k), using wt (k×h) as
// scratch for wᵀ: matMulOp's C = A·Bᵀ with a small inner dimension.
func backInput[T float](n, h, k int, dz, w, wt, dy []T) {
	transpose(h, k, w, wt)
	for i := 0; i < n; i += backRows {
		r := min(backRows, n-i)
		backKernel(r, h, k, dz[i*k:], wt, nil, dy[i*h:], nil, 0, backDot)
	}
}

// backWeights sets dw = yᵀ·dz for y (n×h) and dz (n×k): matMulOp's
// C = Aᵀ·B with few columns. dwt (k×h) and part (k×h) are scratch.
func backWeights[T float](n, h, k int, y, dz, dw, dwt, part []T) {
	backBlocks(n, h, k, dz, nil, y, nil, dwt, part, nil, 0, backWeight)
	transpose(k, h, dwt, dw)
}

// backGated is the fused pass: dz1 = (dz·wᵀ) ⊙ g(y), g = 1 where y > 0
// and s elsewhere (ReLU's and LeakyReLU's derivatives from their output),
// db = Σ_rows dz1 in addRows' order, dw = yᵀ·dz; wt, dwt and part (k×h)
// are scratch.
func backGated[T float](n, h, k int, y, dz, w, dz1, db, dw, wt, dwt, part []T, s T) {
	transpose(h, k, w, wt)
	clear(db[:h])
	backBlocks(n, h, k, dz, wt, y, dz1, dwt, part, db, s, backDot|backGate|backWeight)
	transpose(k, h, dwt, dw)
}

// backBlocks runs the kernel on n rows backRows at a time: the weight
// gradient of each backBlock rows summed in part and added to dwt (both
// k×h, dwt cleared first), and with db the column sums of out added to
// db after each call.
func backBlocks[T float](n, h, k int, dz, wt, y, out, dwt, part, db []T, s T, flags int) {
	dwt, part = dwt[:k*h], part[:k*h]
	clear(dwt)
	for b := 0; b < n; b += backBlock {
		clear(part)
		for i := b; i < min(b+backBlock, n); i += backRows {
			r := min(backRows, n-i)
			var o []T
			if out != nil {
				o = out[i*h:]
			}
			backKernel(r, h, k, dz[i*k:], wt, y[i*h:], o, part, s, flags)
			if db != nil {
				addRows(r, h, o, db)
			}
		}
		for j, v := range part {
			dwt[j] += v
		}
	}
}

// denseSmall sets z = y·w + b for y (n×h), w (h×k) and b (k) with the
// kernel, where backFits(h, k): the forward product of a layer with few
// outputs, which BLAS computes at a fraction of its speed on large
// products (0.52 against 0.24 ms for 5000×256·256×10 in float32). s is
// scratch for (k rounded up to 4)·(h+1) values.
func denseSmall[T float](n, h, k int, y, w, b, z, s []T) {
	if n == 0 {
		return
	}
	kp := (k + 3) &^ 3
	wt, bp := s[:kp*h], s[kp*h:kp*(h+1)]
	transpose(h, k, w, wt)
	clear(wt[k*h:])
	copy(bp, b[:k])
	clear(bp[k:])
	_, _ = y[n*h-1], z[n*k-1]
	mask := 1<<(k-(kp-4)) - 1
	switch y := any(y).(type) {
	case []float32:
		fwd32Small(n, h, k, &y[0], f32p(&wt[0]), f32p(&bp[0]), f32p(&z[0]), mask)
	case []float64:
		fwd64Small(n, h, k, &y[0], f64p(&wt[0]), f64p(&bp[0]), f64p(&z[0]), mask)
	}
}
