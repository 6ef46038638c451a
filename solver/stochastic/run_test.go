package stochastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic/problems"
)

// The central difference of gradients matches the exact product.
func TestFiniteDifferenceHessianVector(t *testing.T) {
	lg := logistic(200, 6, 2)
	rng := rand.New(rand.NewPCG(1, 2))
	x, v := make([]float64, 6), make([]float64, 6)
	for i := range x {
		x[i], v[i] = rng.NormFloat64(), rng.NormFloat64()*1e-3
	}
	rows := []int{3, 17, 40, 41, 199}
	exact, approx := make([]float64, 6), make([]float64, 6)
	if err := lg.HessianVectorRows(rows, x, v, exact); err != nil {
		t.Fatal(err)
	}
	if err := FiniteDifferenceHessianVector(lg, rows, x, v, approx, make([]float64, 18)); err != nil {
		t.Fatal(err)
	}
	for i := range exact {
		// relative error ≈ ε^{2/3} ≈ 4e-11 for a well-scaled problem
		if d := math.Abs(exact[i] - approx[i]); d > 1e-8*norm2(exact) {
			t.Errorf("hv[%d] = %v, exact %v", i, approx[i], exact[i])
		}
	}
}

func TestCancelHookAndDivergence(t *testing.T) {
	lg := logistic(300, 5, 3)
	o := smallSQNOptions()
	ctx, cancel := context.WithCancel(context.Background())
	s, _ := NewSQN(lg, 5, o)
	res, err := s.Run(ctx, make([]float64, 5), func(st *State) error {
		if st.Iteration == 7 {
			cancel()
		}
		return nil
	})
	if err != nil || res.Status != Cancelled || res.Iterations != 7 {
		t.Errorf("cancelled: %v, %v after %d iterations, want Cancelled after 7", err, res.Status, res.Iterations)
	}
	s, _ = NewSQN(lg, 5, o)
	res, err = s.Run(context.Background(), make([]float64, 5), func(st *State) error {
		if st.Iteration == 3 {
			return ErrStop
		}
		return nil
	})
	if err != nil || res.Status != HookStopped || res.Iterations != 3 {
		t.Errorf("ErrStop: %v, %v after %d", err, res.Status, res.Iterations)
	}
	boom := errors.New("boom")
	s, _ = NewSQN(lg, 5, o)
	if _, err = s.Run(context.Background(), make([]float64, 5), func(*State) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("hook error: %v, want boom", err)
	}
	// oneDAL's exact step on a badly scaled least-squares problem blows up.
	ls := problems.NewLeastSquares(rand.New(rand.NewPCG(1, 1)), 100, 5)
	for i := range ls.A {
		ls.A[i] *= 30
	}
	d := DefaultSQNOptions()
	d.NIterations = 1000
	x := make([]float64, 5)
	_, res = sqnRun(t, ls, d, x, nil)
	if res.Status != Diverged || firstNonFinite(x) >= 0 {
		t.Errorf("status %v with x %v, want Diverged with a finite x", res.Status, x)
	}
}

func TestConvergenceTests(t *testing.T) {
	ls := problems.NewLeastSquares(rand.New(rand.NewPCG(2, 2)), 100, 4)
	o := DefaultSQNOptions()
	o.BatchSize, o.CorrectionPairBatchSize, o.L = 100, 100, 1
	o.StepLengthSequence = []float64{0.5}
	o.NIterations = 500
	o.ConvergenceTest = BatchGradient
	o.FullSetEvery = -1
	x := make([]float64, 4)
	_, res := sqnRun(t, ls, o, x, nil)
	if res.Status != BatchAccuracy {
		t.Errorf("batch test: %v, want BatchAccuracy", res.Status)
	}
	o.ConvergenceTest, o.FullSetEvery = FullSetGradient, 3
	x = make([]float64, 4)
	_, res = sqnRun(t, ls, o, x, nil)
	if res.Status != FullSetAccuracy || res.State.Iteration%3 != 0 || !res.State.FullSetEvaluated {
		t.Errorf("full-set test: %v at iteration %d, want FullSetAccuracy at a multiple of 3", res.Status, res.State.Iteration)
	}
}

func TestMaxEpochsAndFullSetEvery(t *testing.T) {
	lg := logistic(400, 5, 4)
	o := smallSQNOptions()
	o.NIterations, o.MaxEpochs, o.FullSetEvery = 1000, 2, 0
	var full []int
	_, res := sqnRun(t, lg, o, make([]float64, 5), func(st *State) error {
		if st.FullSetEvaluated {
			full = append(full, st.Iteration)
		}
		return nil
	})
	if res.Status != EpochLimit || res.State.Epoch < 2 || res.State.Epoch > 2.5 {
		t.Errorf("%v at epoch %v, want EpochLimit just past 2", res.Status, res.State.Epoch)
	}
	// FullSetEvery 0: once per epoch, ⌈400/20⌉ = 20 iterations, and the last.
	if len(full) < 2 || full[0] != 20 || full[len(full)-1] != res.State.Iteration {
		t.Errorf("full-set evaluations at %v", full)
	}
}

func TestCheckpointRejectsDamage(t *testing.T) {
	lg := logistic(300, 5, 5)
	o := smallSQNOptions()
	o.NIterations = 12
	x := make([]float64, 5)
	s, _ := sqnRun(t, lg, o, x, nil)
	var buf bytes.Buffer
	if err := s.WriteCheckpoint(&buf, x); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	cases := map[string][]byte{
		"truncated": good[:len(good)-5],
		"empty":     nil,
		"bad magic": append([]byte("x"), good[1:]...),
		"flipped":   flip(good, len(good)-3),
		"huge size": hugeSize(good),
	}
	for name, b := range cases {
		s2, _ := NewSQN(lg, 5, o)
		if err := s2.ReadCheckpoint(bytes.NewReader(b), make([]float64, 5)); !errors.Is(err, ErrCheckpoint) {
			t.Errorf("%s: error %v, want ErrCheckpoint", name, err)
		}
	}
	other := o
	other.BatchSize = 30
	s3, _ := NewSQN(lg, 5, other)
	if err := s3.ReadCheckpoint(bytes.NewReader(good), make([]float64, 5)); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("other batch size: error %v, want ErrCheckpoint", err)
	}
	mb, _ := NewMultiBatch(lg, 5, smallMBOptions())
	if err := mb.ReadCheckpoint(bytes.NewReader(good), make([]float64, 5)); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("SQN checkpoint into multi-batch: error %v, want ErrCheckpoint", err)
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x40
	return c
}

func hugeSize(b []byte) []byte {
	c := append([]byte(nil), b...)
	for i := range 8 {
		c[len(checkpointMagic)+i] = 0xff
	}
	return c
}

func TestTraceHook(t *testing.T) {
	lg := logistic(300, 5, 6)
	o := smallSQNOptions()
	o.NIterations = 20
	var buf bytes.Buffer
	sqnRun(t, lg, o, make([]float64, 5), TraceHook(&buf))
	dec := json.NewDecoder(&buf)
	n, full := 0, 0
	for dec.More() {
		var rec map[string]any
		if err := dec.Decode(&rec); err != nil {
			t.Fatal(err)
		}
		n++
		if _, ok := rec["fullLoss"]; ok {
			full++
		}
		if n == 20 && rec["status"] != "IterationLimit" {
			t.Errorf("last record status %v", rec["status"])
		}
	}
	if n != 20 || full != 2 {
		t.Errorf("%d records, %d with fullLoss; want 20 and 2", n, full)
	}
}
