package stochastic

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func smallPBOptions() ProgressiveBatchOptions {
	o := DefaultProgressiveBatchOptions()
	o.InitialBatchSize, o.VarianceGroups = 32, 8
	o.NIterations = 40
	o.ConvergenceTest = NoConvergenceTest
	return o
}

func pbRun(t *testing.T, obj Objective, opts ProgressiveBatchOptions, x []float64, hook func(*State) error) (*ProgressiveBatch, Result) {
	t.Helper()
	s, err := NewProgressiveBatch(obj, len(x), opts)
	return runSolver(t, s, err, x, hook)
}

// On a strongly convex logistic regression (N = 20000, p = 20, λ = 1e-3)
// progressive batching L-BFGS with its defaults, and with blocks of 8 rows,
// comes within 1e-10 of the optimal loss in at most 10 epochs, over three
// sampling seeds, having
// grown its batch from 512 terms to all of them: it converges to the exact
// minimiser, not to a noise floor.
func TestProgressiveReachesOptimum(t *testing.T) {
	const n, p, epochs = 20000, 20, 10
	lg := logistic(n, p, 11)
	// The optimum to ‖g‖∞ <= 1e-10: within about 1e-16 of the minimum
	// (gap <= ‖g‖²/(2λ)).
	best := optimumTo(t, lg, p, 1e-10)
	for _, run := range []struct{ seed, blocks int }{{1, 1}, {2, 1}, {3, 1}, {1, 8}, {2, 8}, {3, 8}} {
		seed := uint64(run.seed)
		o := DefaultProgressiveBatchOptions()
		o.NIterations, o.MaxEpochs, o.Seed, o.BlockSize = 1000, epochs, seed, run.blocks
		o.ConvergenceTest = NoConvergenceTest
		x := make([]float64, p)
		var reached float64
		s, res := pbRun(t, lg, o, x, func(st *State) error {
			if st.FullSetEvaluated && st.FullLoss-best <= 1e-10 {
				reached = st.Epoch
				return ErrStop
			}
			return nil
		})
		gap := fullLoss(t, lg, x) - best
		t.Logf("seed %d, blocks of %d rows: gap %.3g after %.2f epochs, %d iterations, batch %d", seed, run.blocks, gap, res.State.Epoch, res.State.Iteration, s.BatchSize())
		if gap > 1e-10 || reached == 0 {
			t.Errorf("seed %d: gap %.3g after %.2f epochs, want <= 1e-10 within %d", seed, gap, res.State.Epoch, epochs)
		}
		if s.BatchSize() != n {
			t.Errorf("seed %d: batch of %d terms at the end, want all %d", seed, s.BatchSize(), n)
		}
	}
}

func TestProgressiveSameSeedBitIdentical(t *testing.T) {
	lg := logistic(500, 8, 5)
	run := func(seed uint64) []float64 {
		o := smallPBOptions()
		o.Seed = seed
		x := make([]float64, 8)
		pbRun(t, lg, o, x, nil)
		return x
	}
	a, b := run(7), run(7)
	sameBits(t, "same seed", a, b)
	if c := run(8); math.Float64bits(a[0]) == math.Float64bits(c[0]) {
		t.Errorf("seeds 7 and 8 gave the same x[0]")
	}
}

// The batch grows monotonically, in multiples of VarianceGroups, to all N
// terms; from then on every evaluation is the whole set in order, the first
// one only on the rows the last smaller batch did not hold.
func TestProgressiveBatchGrowsToWholeSet(t *testing.T) {
	const n = 500
	lg := logistic(n, 8, 5)
	rec := &recorder{Objective: lg}
	o := smallPBOptions()
	o.FullSetEvery = -1
	var sizes []int
	var terms []int64
	s, _ := pbRun(t, rec, o, make([]float64, 8), func(st *State) error {
		sizes = append(sizes, st.BatchSize)
		terms = append(terms, st.TermsEvaluated)
		return nil
	})
	first := slices.Index(sizes, n)
	if first < 1 || s.BatchSize() != n {
		t.Fatalf("batch sizes %v: never reached N = %d after the first iteration", sizes, n)
	}
	for k, b := range sizes {
		if k > 0 && b < sizes[k-1] {
			t.Errorf("iteration %d: batch shrank from %d to %d", k+1, sizes[k-1], b)
		}
		if k > 0 && b != n && b != o.InitialBatchSize && b%o.VarianceGroups != 0 {
			t.Errorf("iteration %d: batch of %d terms, not a multiple of %d", k+1, b, o.VarianceGroups)
		}
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	// The calls of the first iteration on the whole set: the complement of
	// the previous batch (sorted), then whole-set trials.
	before, seen := terms[first-1], int64(0)
	for _, c := range rec.calls {
		seen += int64(len(c))
		if seen <= before {
			continue
		}
		if len(c) != n && !slices.IsSorted(c) {
			t.Fatalf("an evaluation after the switch on %d unsorted rows", len(c))
		}
		if len(c) == n && !slices.Equal(c, all) {
			t.Fatalf("a whole-set evaluation not in row order")
		}
	}
	if got := terms[first] - terms[first-1]; got >= int64(2*n) {
		t.Errorf("first whole-set iteration evaluated %d terms, want fewer than 2N = %d (the previous batch's rows reused)", got, 2*n)
	}
}

// With the whole set as the first batch the method is full-batch L-BFGS:
// each iteration costs N terms per line-search trial (the accepted trial's
// gradient serves the next iteration) and every pair is s = x_{k+1} − x_k,
// y = ∇F(x_{k+1}) − ∇F(x_k).
func TestProgressiveWholeSetIsFullBatch(t *testing.T) {
	const n, p = 300, 6
	lg := logistic(n, p, 9)
	o := smallPBOptions()
	o.InitialBatchSize, o.NIterations = n, 12
	x := make([]float64, p)
	prev := make([]float64, p)
	var s *ProgressiveBatch
	trials := 0
	g0, g1 := make([]float64, p), make([]float64, p)
	hook := func(st *State) error {
		trials += st.LineSearchTrials
		if want := int64(n * (1 + trials)); st.TermsEvaluated != want {
			t.Fatalf("iteration %d: %d terms evaluated, want N·(1 + trials) = %d", st.Iteration, st.TermsEvaluated, want)
		}
		if st.PairStatus != PairStored {
			t.Fatalf("iteration %d: pair %v", st.Iteration, st.PairStatus)
		}
		pairs, newest := s.CorrectionPairs(), s.CorrectionIndices()[0]
		sv, yv := pairs[newest*p:(newest+1)*p], pairs[(o.M+newest)*p:(o.M+newest+1)*p]
		lg.EvaluateRows(s.allRows(), prev, g0)
		lg.EvaluateRows(s.allRows(), x, g1)
		for i := range sv {
			if d := math.Abs(sv[i] - (x[i] - prev[i])); d > 1e-12*(1+math.Abs(sv[i])) {
				t.Fatalf("iteration %d: s[%d] = %v, x_{k+1} − x_k = %v", st.Iteration, i, sv[i], x[i]-prev[i])
			}
			if yv[i] != g1[i]-g0[i] {
				t.Fatalf("iteration %d: y[%d] = %v, full gradient difference %v", st.Iteration, i, yv[i], g1[i]-g0[i])
			}
		}
		if !st.FullSetEvaluated || st.FullLoss != fullLoss(t, lg, x) {
			t.Fatalf("iteration %d: full-set loss %v (evaluated %v), want %v", st.Iteration, st.FullLoss, st.FullSetEvaluated, fullLoss(t, lg, x))
		}
		copy(prev, x)
		return nil
	}
	var err error
	if s, err = NewProgressiveBatch(lg, p, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), x, hook); err != nil {
		t.Fatal(err)
	}
}

func TestProgressiveResumeBitIdentical(t *testing.T) {
	for _, blocks := range []int{1, 4} {
		t.Run(fmt.Sprintf("blocks of %d", blocks), func(t *testing.T) { testProgressiveResume(t, blocks) })
	}
}

func testProgressiveResume(t *testing.T, blocks int) {
	const n, p = 500, 8
	lg := logistic(n, p, 7)
	base := smallPBOptions()
	base.FullSetEvery, base.BlockSize = 3, blocks
	whole := make([]float64, p)
	var sizes []int
	sw, _ := pbRun(t, lg, base, whole, func(st *State) error {
		sizes = append(sizes, st.BatchSize)
		return nil
	})
	first := slices.Index(sizes, n)
	if first < 2 {
		t.Fatalf("batch sizes %v: the whole set too early or never", sizes)
	}
	// Splits: early, just before the first whole-set iteration (the
	// previous batch's part pending), on the whole set.
	for _, split := range []int{1, first, first + 2} {
		first := base
		first.NIterations = split
		x := make([]float64, p)
		s1, _ := pbRun(t, lg, first, x, nil)
		var buf bytes.Buffer
		if err := s1.WriteCheckpoint(&buf, x); err != nil {
			t.Fatal(err)
		}
		second := base
		second.NIterations = base.NIterations - split
		s2, err := NewProgressiveBatch(lg, p, second)
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float64, p)
		if err := s2.ReadCheckpoint(&buf, y); err != nil {
			t.Fatal(err)
		}
		if _, err := s2.Run(context.Background(), y, nil); err != nil {
			t.Fatal(err)
		}
		sameBits(t, "resumed", whole, y)
		if s2.State() != sw.State() {
			t.Errorf("split %d: state %+v, uninterrupted %+v", split, s2.State(), sw.State())
		}
	}
	// A multi-batch checkpoint does not load.
	mb, _ := mbRun(t, lg, smallMBOptions(), make([]float64, p), nil)
	var buf bytes.Buffer
	if err := mb.WriteCheckpoint(&buf, make([]float64, p)); err != nil {
		t.Fatal(err)
	}
	s, _ := NewProgressiveBatch(lg, p, base)
	if err := s.ReadCheckpoint(&buf, make([]float64, p)); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("multi-batch checkpoint: %v, want ErrCheckpoint", err)
	}
	// Nor one written with another block size.
	other := base
	other.BlockSize = 1 + blocks%4
	so, _ := pbRun(t, lg, other, make([]float64, p), nil)
	buf.Reset()
	if err := so.WriteCheckpoint(&buf, make([]float64, p)); err != nil {
		t.Fatal(err)
	}
	s, _ = NewProgressiveBatch(lg, p, base)
	if err := s.ReadCheckpoint(&buf, make([]float64, p)); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("checkpoint with blocks of %d rows into blocks of %d: %v, want ErrCheckpoint", other.BlockSize, blocks, err)
	}
}

// flat has a constant loss and a non-zero gradient: no step decreases it.
type flat struct{ Objective }

func (f flat) EvaluateRows(rows []int, x, grad []float64) (float64, any, error) {
	for i := range grad {
		grad[i] = 1
	}
	return 1, nil, nil
}

// A line search that finds no decrease stops the run with LineSearchFailed
// and leaves x where it was.
func TestProgressiveLineSearchFailed(t *testing.T) {
	lg := logistic(200, 4, 1)
	o := smallPBOptions()
	o.MaxLineSearchTrials = 5
	x := []float64{1, 2, 3, 4}
	s, res := pbRun(t, flat{lg}, o, x, nil)
	if res.Status != LineSearchFailed || res.Iterations != 0 || !slices.Equal(x, []float64{1, 2, 3, 4}) {
		t.Errorf("status %v after %d iterations, x %v; want LineSearchFailed, 0, x unchanged", res.Status, res.Iterations, x)
	}
	if got, want := s.State().TermsEvaluated, int64(32*(1+5)); got != want {
		t.Errorf("%d terms evaluated, want %d (the batch and 5 trials)", got, want)
	}
}

// An objective that cannot evaluate subsets is reported against
// InitialBatchSize; with the whole set as the first batch it works.
func TestProgressiveObjectiveWithoutSubsets(t *testing.T) {
	lg := logistic(200, 4, 1)
	o := smallPBOptions()
	s, _ := NewProgressiveBatch(fullOnly{lg}, 4, o)
	_, err := s.Run(context.Background(), make([]float64, 4), nil)
	if !errors.Is(err, ErrRowSubsets) || !strings.Contains(err.Error(), "InitialBatchSize") {
		t.Errorf("error %v, want one naming InitialBatchSize and wrapping ErrRowSubsets", err)
	}
	o.InitialBatchSize = 200
	pbRun(t, fullOnly{lg}, o, make([]float64, 4), nil)
}

// The inner product test tolerates noisier batches than the norm test: on
// the same problem and seed its batch grows more slowly, and both runs
// descend.
func TestProgressiveInnerProductTest(t *testing.T) {
	lg := logistic(20000, 8, 3)
	grow := func(o ProgressiveBatchOptions) (int, float64) {
		o.NIterations, o.InitialBatchSize, o.VarianceGroups = 8, 64, 8
		x := make([]float64, 8)
		s, _ := pbRun(t, lg, o, x, nil)
		return s.BatchSize(), fullLoss(t, lg, x)
	}
	o := DefaultProgressiveBatchOptions()
	bNorm, fNorm := grow(o)
	o.SampleTest, o.OrthogonalityNu = InnerProductTest, DefaultOrthogonalityNu
	bInner, fInner := grow(o)
	t.Logf("norm test: batch %d, loss %v; inner product test: batch %d, loss %v", bNorm, fNorm, bInner, fInner)
	if bInner >= bNorm {
		t.Errorf("inner product test grew the batch to %d, the norm test to %d", bInner, bNorm)
	}
	if l0 := math.Log(2); !(fNorm < l0 && fInner < l0) {
		t.Errorf("losses %v and %v, want below log 2 = %v at x = 0", fNorm, fInner, l0)
	}
}
