package stochastic

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic/problems"
)

// With BatchSize = CorrectionPairBatchSize = N, L = 1 and exact products, on
// a convex quadratic every SQN pair satisfies y = A·s with A the Hessian
// AᵀA/N, as the full-batch pairs y = ∇F(x_{k+1}) − ∇F(x_k) do.
func TestSQNQuadraticPairsAreFullBatchPairs(t *testing.T) {
	const n, p = 40, 6
	ls := problems.NewLeastSquares(rand.New(rand.NewPCG(3, 4)), n, p)
	hess := make([]float64, p*p) // AᵀA/N, formed explicitly
	for i := range n {
		a := ls.Row(i)
		for j := range p {
			for k := range p {
				hess[j*p+k] += a[j] * a[k] / n
			}
		}
	}
	opts := DefaultSQNOptions()
	opts.BatchSize, opts.CorrectionPairBatchSize, opts.L, opts.M = n, n, 1, 4
	opts.NIterations = 12
	opts.StepLengthSequence = []float64{0.1}
	opts.ConvergenceTest, opts.FullSetEvery = NoConvergenceTest, -1
	x := make([]float64, p)
	var s *SQN
	checked := 0
	hook := func(st *State) error {
		if st.PairStatus != PairStored {
			return nil
		}
		j := s.CorrectionIndices()[0]
		pairs := s.CorrectionPairs()
		sv, yv := pairs[j*p:(j+1)*p], pairs[(opts.M+j)*p:(opts.M+j+1)*p]
		gNew, gOld := make([]float64, p), make([]float64, p)
		avg := s.AverageArgumentLIterations()[:p] // w̄_t, the newest average
		prev := make([]float64, p)
		for i := range prev {
			prev[i] = avg[i] - sv[i]
		}
		all := s.allRows()
		ls.EvaluateRows(all, avg, gNew)
		ls.EvaluateRows(all, prev, gOld)
		for r := range p {
			var as float64
			for c := range p {
				as += hess[r*p+c] * sv[c]
			}
			if d := math.Abs(yv[r] - as); d > 1e-12*(1+math.Abs(as)) {
				t.Errorf("iteration %d: y[%d] = %v, (A·s)[%d] = %v", st.Iteration, r, yv[r], r, as)
			}
			if d := math.Abs(yv[r] - (gNew[r] - gOld[r])); d > 1e-10*(1+math.Abs(as)) {
				t.Errorf("iteration %d: y[%d] = %v, gradient difference %v", st.Iteration, r, yv[r], gNew[r]-gOld[r])
			}
		}
		checked++
		return nil
	}
	var err error
	s, err = NewSQN(ls, p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), x, hook); err != nil {
		t.Fatal(err)
	}
	// L = 1: a pair at the end of every iteration from the second on.
	if checked != opts.NIterations-1 {
		t.Errorf("checked %d pairs, want %d", checked, opts.NIterations-1)
	}
}

func smallSQNOptions() SQNOptions {
	o := RecommendedSQNOptions(500)
	o.BatchSize, o.CorrectionPairBatchSize, o.L = 20, 100, 5
	o.NIterations = 60
	o.FullSetEvery = 10
	o.ConvergenceTest = NoConvergenceTest
	return o
}

func TestSQNSameSeedBitIdentical(t *testing.T) {
	lg := logistic(500, 8, 1)
	run := func(seed uint64) []float64 {
		o := smallSQNOptions()
		o.Seed = seed
		x := make([]float64, 8)
		sqnRun(t, lg, o, x, nil)
		return x
	}
	a, b := run(9), run(9)
	sameBits(t, "same seed", a, b)
	c := run(10)
	if math.Float64bits(a[0]) == math.Float64bits(c[0]) {
		t.Errorf("seeds 9 and 10 gave the same x[0] = %v", a[0])
	}
}

// Recording the rows of a seeded run and passing them as BatchIndices and
// CorrectionPairIndices reproduces the run bit for bit.
func TestSQNExplicitTablesReproduceRun(t *testing.T) {
	lg := logistic(500, 8, 2)
	o := smallSQNOptions()
	o.FullSetEvery = -1
	rec := &recorder{Objective: gradOnly{lg}} // finite-difference products: two calls per pair
	x1 := make([]float64, 8)
	sqnRun(t, rec, o, x1, nil)
	var batches, pairs [][]int
	for _, rows := range rec.calls {
		switch len(rows) {
		case o.BatchSize:
			batches = append(batches, rows)
		case o.CorrectionPairBatchSize:
			if len(pairs) == 0 || !slices.Equal(pairs[len(pairs)-1], rows) {
				pairs = append(pairs, rows)
			}
		}
	}
	if len(batches) != o.NIterations || len(pairs) != pairsIn(0, o.NIterations, o.L) {
		t.Fatalf("recorded %d batches and %d pair batches, want %d and %d", len(batches), len(pairs), o.NIterations, pairsIn(0, o.NIterations, o.L))
	}
	o.BatchIndices, o.CorrectionPairIndices = batches, pairs
	o.Seed = 12345 // unused: the tables replace sampling
	x2 := make([]float64, 8)
	sqnRun(t, gradOnly{lg}, o, x2, nil)
	sameBits(t, "tables", x1, x2)
}

// A run split in two, resumed through oneDAL's optional tables and the same
// engine, or through a checkpoint, ends bit-identical to an uninterrupted
// one, whether the split falls on an L-block boundary or inside a block.
func TestSQNResumeBitIdentical(t *testing.T) {
	lg := logistic(500, 8, 3)
	base := smallSQNOptions()
	whole := make([]float64, 8)
	sqnRun(t, lg, base, whole, nil)
	for _, split := range []int{20, 23} {
		first := base
		first.NIterations = split
		x := make([]float64, 8)
		s1, _ := sqnRun(t, lg, first, x, nil)

		t.Run("tables", func(t *testing.T) {
			second := base
			second.NIterations = base.NIterations - split
			second.Seed, second.Engine = 0, s1.Engine()
			pcgCopy := *s1.Engine()
			defer func() { *s1.Engine() = pcgCopy }()
			s2, err := NewSQN(lg, 8, second)
			if err != nil {
				t.Fatal(err)
			}
			if err := s2.SetOptionalInput(s1.CorrectionPairs(), s1.CorrectionIndices(), s1.AverageArgumentLIterations()); err != nil {
				t.Fatal(err)
			}
			y := append([]float64(nil), x...)
			if _, err := s2.Run(context.Background(), y, nil); err != nil {
				t.Fatal(err)
			}
			sameBits(t, "resumed via tables", whole, y)
		})
		t.Run("checkpoint", func(t *testing.T) {
			var buf bytes.Buffer
			if err := s1.WriteCheckpoint(&buf, x); err != nil {
				t.Fatal(err)
			}
			second := base
			second.NIterations = base.NIterations - split
			s2, err := NewSQN(lg, 8, second)
			if err != nil {
				t.Fatal(err)
			}
			y := make([]float64, 8)
			if err := s2.ReadCheckpoint(&buf, y); err != nil {
				t.Fatal(err)
			}
			res, err := s2.Run(context.Background(), y, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameBits(t, "resumed via checkpoint", whole, y)
			if res.State.Iteration != base.NIterations {
				t.Errorf("Iteration = %d, want %d", res.State.Iteration, base.NIterations)
			}
		})
	}
}

// A second Run on the same solver continues the first.
func TestSQNSecondRunContinues(t *testing.T) {
	lg := logistic(500, 8, 4)
	o := smallSQNOptions()
	whole := make([]float64, 8)
	sqnRun(t, lg, o, whole, nil)
	o.NIterations = 27
	x := make([]float64, 8)
	s, _ := sqnRun(t, lg, o, x, nil)
	s.opts.NIterations = 33
	if _, err := s.Run(context.Background(), x, nil); err != nil {
		t.Fatal(err)
	}
	sameBits(t, "two runs", whole, x)
}
