package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refSoftmaxRow and refCrossEntropy are the row-by-row loops, one
// math.Exp at a time, that softmaxRows and crossEntropyValue replace:
// the results the tests require to the bit.
func refSoftmaxRow[T float](z, p []T) float64 {
	m := float64(z[0])
	for _, v := range z[1:] {
		m = max(m, float64(v))
	}
	s := 0.0
	for j, v := range z {
		e := math.Exp(float64(v) - m)
		p[j] = T(e)
		s += e
	}
	inv := 1 / s
	for j := range p {
		p[j] = T(float64(p[j]) * inv)
	}
	return m + math.Log(s)
}

func refCrossEntropy[T float](c []float64, cols int, z, t, w, p []T) float64 {
	sum := 0.0
	for r := 0; r*cols < len(z); r++ {
		zr, tr := z[r*cols:(r+1)*cols], t[r*cols:(r+1)*cols]
		row := 0.0
		lse := refSoftmaxRow(zr, p[r*cols:(r+1)*cols])
		for j, tj := range tr {
			if tj != 0 {
				row += classWeight(c, j) * float64(tj) * (lse - float64(zr[j]))
			}
		}
		sum += rowWeight(w, r) * row
	}
	return sum
}

func refCrossEntropyGrad[T float](c []float64, cols int, scale float64, t, w, p, dz []T) {
	for r := 0; r*cols < len(t); r++ {
		s := scale * rowWeight(w, r)
		tr, dr, pr := t[r*cols:(r+1)*cols], dz[r*cols:(r+1)*cols], p[r*cols:(r+1)*cols]
		as := 0.0
		for j, v := range tr {
			as += classWeight(c, j) * float64(v)
		}
		for j, v := range tr {
			dr[j] = T(s * (as*float64(pr[j]) - classWeight(c, j)*float64(v)))
		}
	}
}

// softmaxInputs returns rows×cols logits: a network's (N(0, 3²)), some
// rows of large spread (their exponentials subnormal or zero), and, in
// some rows, a special value of simdInputs (NaN, ±Inf, ±0, extremes);
// with nan false, none that makes a row's loss NaN (NaN or +Inf).
func softmaxInputs(r *rand.Rand, rows, cols int, nan bool) []float64 {
	z := make([]float64, rows*cols)
	for i := range rows {
		zr := z[i*cols : (i+1)*cols]
		scale := 3.0
		if r.IntN(4) == 0 {
			scale = 400
		}
		for j := range zr {
			zr[j] = scale * r.NormFloat64()
		}
		if r.IntN(5) == 0 {
			v := simdInputs(r, 1)[0]
			if nan || (v == v && !math.IsInf(v, 1)) {
				zr[r.IntN(cols)] = v
			}
		}
	}
	return z
}

// targetInputs returns rows×cols targets: one-hot rows, rows of
// probabilities, and now and then −0, a zero row or (with nan) NaN.
func targetInputs(r *rand.Rand, rows, cols int, nan bool) []float64 {
	t := make([]float64, rows*cols)
	for i := range rows {
		tr := t[i*cols : (i+1)*cols]
		switch r.IntN(6) {
		case 0:
			for j := range tr {
				tr[j] = r.Float64()
			}
		case 1:
			tr[r.IntN(cols)] = math.Copysign(0, -1)
			tr[r.IntN(cols)] = 1
		case 2:
			if nan && r.IntN(4) == 0 {
				tr[r.IntN(cols)] = math.NaN()
			}
		default:
			tr[r.IntN(cols)] = 1
		}
	}
	return t
}

// TestSoftmaxCrossEntropy checks the Softmax activation, the CrossEntropy
// loss (with and without class and row weights) and its gradient against
// the row-by-row loops they replace, bit for bit (NaN for NaN: which
// NaN the sum or the max of a NaN and another number is depends on the
// operand order the compiler picks, in either loop), in
// float64 and float32, for rows of 1 to 1100 classes (rows longer than
// exps' block among them) and 0 to 150 rows: with the widest exp kernel,
// with AVX2 and with the Go loop alone.
func TestSoftmaxCrossEntropy(t *testing.T) {
	t.Run("widest", testSoftmaxCrossEntropy)
	if haveExpAVX512 {
		t.Run("AVX2", func(t *testing.T) {
			haveExpAVX512 = false
			defer func() { haveExpAVX512 = true }()
			testSoftmaxCrossEntropy(t)
		})
	}
	if haveExpFMA {
		t.Run("Go", func(t *testing.T) {
			haveExpFMA = false
			defer func() { haveExpFMA = true }()
			testSoftmaxCrossEntropy(t)
		})
	}
}

func testSoftmaxCrossEntropy(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for _, cols := range []int{1, 2, 3, 4, 7, 8, 10, 11, 16, 33, 100, 511, 512, 513, 1100} {
		for _, rows := range []int{0, 1, 3, 4, 5, 63, 64, 65, 150} {
			if rows*cols > 40000 {
				continue
			}
			nan := r.IntN(2) == 0 // else a finite loss, which a wrong term would change
			z, tg := softmaxInputs(r, rows, cols, nan), targetInputs(r, rows, cols, nan)
			w, c := make([]float64, rows), make([]float64, cols)
			for i := range w {
				w[i] = r.Float64()
			}
			for i := range c {
				c[i] = 2 * r.Float64()
			}
			name := fmt.Sprintf("%d×%d (NaN %v)", rows, cols, nan)
			checkSoftmaxCrossEntropy(t, name, cols, z, tg, w, c)
			z32, t32, w32 := make([]float32, len(z)), make([]float32, len(tg)), make([]float32, len(w))
			for i := range z {
				z32[i], t32[i] = float32(z[i]), float32(tg[i])
			}
			for i := range w {
				w32[i] = float32(w[i])
			}
			checkSoftmaxCrossEntropy(t, name, cols, z32, t32, w32, c)
		}
	}
}

func checkSoftmaxCrossEntropy[T float](t *testing.T, name string, cols int, z, tg, w []T, c []float64) {
	t.Helper()
	n := len(z)
	want, got := make([]T, n), make([]T, n)
	for r := 0; r < n; r += cols {
		refSoftmaxRow(z[r:r+cols], want[r:r+cols])
	}
	activate(activation{kind: actSoftmax}, cols, z, got)
	checkSame(t, name+" softmax", got, want)
	for _, ws := range []struct {
		name string
		w    []T
		c    []float64
	}{{"", nil, nil}, {" row weights", w, nil}, {" class weights", nil, c}, {" both", w, c}} {
		l := lossSpec{loss: CrossEntropy, classW: ws.c}
		wantLoss := refCrossEntropy(ws.c, cols, z, tg, ws.w, want)
		gotLoss := lossValue(l, cols, z, tg, ws.w, got)
		if !sameBits(gotLoss, wantLoss) {
			t.Fatalf("%T %s%s: loss %v, want %v", z[0], name, ws.name, gotLoss, wantLoss)
		}
		checkSame(t, name+ws.name+" probabilities", got, want)
		wantGrad, gotGrad := make([]T, n), make([]T, n)
		refCrossEntropyGrad(ws.c, cols, 0.37, tg, ws.w, want, wantGrad)
		lossGrad(l, cols, 0.37, z, tg, ws.w, got, gotGrad)
		checkSame(t, name+ws.name+" gradient", gotGrad, wantGrad)
	}
}

func checkSame[T float](t *testing.T, name string, got, want []T) {
	t.Helper()
	for i := range want {
		if !sameBits(got[i], want[i]) {
			t.Fatalf("%T %s: [%d] = %v, want %v", got[i], name, i, got[i], want[i])
		}
	}
}
