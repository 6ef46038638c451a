package stochastic

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Bad options give an *OptionError naming the option.
func TestBadOptions(t *testing.T) {
	lg := logistic(200, 4, 1)
	sqn := func(f func(*SQNOptions)) error {
		o := DefaultSQNOptions()
		f(&o)
		_, err := NewSQN(lg, 4, o)
		return err
	}
	mb := func(f func(*MultiBatchOptions)) error {
		o := DefaultMultiBatchOptions()
		o.BatchSize = 20
		f(&o)
		_, err := NewMultiBatch(lg, 4, o)
		return err
	}
	pb := func(f func(*ProgressiveBatchOptions)) error {
		o := DefaultProgressiveBatchOptions()
		o.InitialBatchSize = 20
		f(&o)
		_, err := NewProgressiveBatch(lg, 4, o)
		return err
	}
	row := func(v ...int) []int { return v }
	tests := []struct {
		name, option string
		err          error
	}{
		{"batch larger than N", "BatchSize", sqn(func(o *SQNOptions) { o.BatchSize = 201 })},
		{"zero batch", "BatchSize", sqn(func(o *SQNOptions) { o.BatchSize = 0 })},
		{"negative batch", "BatchSize", sqn(func(o *SQNOptions) { o.BatchSize = -3 })},
		{"pair batch larger than N", "CorrectionPairBatchSize", sqn(func(o *SQNOptions) { o.CorrectionPairBatchSize = 201 })},
		{"zero pair batch", "CorrectionPairBatchSize", sqn(func(o *SQNOptions) { o.CorrectionPairBatchSize = 0 })},
		{"zero L", "L", sqn(func(o *SQNOptions) { o.L = 0 })},
		{"zero M", "M", sqn(func(o *SQNOptions) { o.M = 0 })},
		{"negative iterations", "NIterations", sqn(func(o *SQNOptions) { o.NIterations = -1 })},
		{"NaN threshold", "AccuracyThreshold", sqn(func(o *SQNOptions) { o.AccuracyThreshold = math.NaN() })},
		{"empty steps", "StepLengthSequence", sqn(func(o *SQNOptions) { o.StepLengthSequence = nil })},
		{"negative step", "StepLengthSequence", sqn(func(o *SQNOptions) { o.StepLengthSequence = []float64{1, -1} })},
		{"negative decay", "StepDecay", sqn(func(o *SQNOptions) { o.StepDecay = -1 })},
		{"infinite max step", "MaxStepNorm", sqn(func(o *SQNOptions) { o.MaxStepNorm = math.Inf(1) })},
		{"full set never with full-set test", "FullSetEvery", sqn(func(o *SQNOptions) { o.FullSetEvery = -1 })},
		{"seed and engine", "Seed", sqn(func(o *SQNOptions) { o.Engine = rand.NewPCG(1, 2) })},
		{"table row too short", "BatchIndices", sqn(func(o *SQNOptions) { o.BatchIndices = [][]int{row(1, 2)} })},
		{"table index out of range", "BatchIndices", sqn(func(o *SQNOptions) {
			o.BatchIndices = [][]int{row(0, 1, 2, 3, 4, 5, 6, 7, 8, 200)}
		})},
		{"table index negative", "CorrectionPairIndices", sqn(func(o *SQNOptions) {
			o.CorrectionPairBatchSize = 2
			o.CorrectionPairIndices = [][]int{row(-1, 0)}
		})},
		{"table duplicate", "CorrectionPairIndices", sqn(func(o *SQNOptions) {
			o.CorrectionPairBatchSize = 2
			o.CorrectionPairIndices = [][]int{row(3, 3)}
		})},
		{"multi-batch batch larger than N", "BatchSize", mb(func(o *MultiBatchOptions) { o.BatchSize = 201 })},
		{"multi-batch batch of one", "BatchSize", mb(func(o *MultiBatchOptions) { o.BatchSize = 1 })},
		{"zero overlap", "Overlap", mb(func(o *MultiBatchOptions) { o.Overlap = 0 })},
		{"multi-batch blocks of no row", "BlockSize", mb(func(o *MultiBatchOptions) { o.BlockSize = 0 })},
		{"multi-batch batch of one block", "BlockSize", mb(func(o *MultiBatchOptions) { o.BlockSize = 11 })},
		{"overlap above half", "Overlap", mb(func(o *MultiBatchOptions) { o.Overlap = 0.6 })},
		{"progressive first batch larger than N", "InitialBatchSize", pb(func(o *ProgressiveBatchOptions) { o.InitialBatchSize = 201 })},
		{"progressive first batch of one", "InitialBatchSize", pb(func(o *ProgressiveBatchOptions) { o.InitialBatchSize = 1 })},
		{"one variance group", "VarianceGroups", pb(func(o *ProgressiveBatchOptions) { o.VarianceGroups = 1 })},
		{"progressive blocks of no row", "BlockSize", pb(func(o *ProgressiveBatchOptions) { o.BlockSize = 0 })},
		{"progressive first batch of one block", "BlockSize", pb(func(o *ProgressiveBatchOptions) { o.BlockSize = 11 })},
		{"too many variance groups", "VarianceGroups", pb(func(o *ProgressiveBatchOptions) { o.VarianceGroups = 5000 })},
		{"unknown sample test", "SampleTest", pb(func(o *ProgressiveBatchOptions) { o.SampleTest = 7 })},
		{"zero theta", "Theta", pb(func(o *ProgressiveBatchOptions) { o.Theta = 0 })},
		{"infinite theta", "Theta", pb(func(o *ProgressiveBatchOptions) { o.Theta = math.Inf(1) })},
		{"nu with the norm test", "OrthogonalityNu", pb(func(o *ProgressiveBatchOptions) { o.OrthogonalityNu = 5.84 })},
		{"no nu with the inner product test", "OrthogonalityNu", pb(func(o *ProgressiveBatchOptions) { o.SampleTest = InnerProductTest })},
		{"growth of one", "MaxGrowth", pb(func(o *ProgressiveBatchOptions) { o.MaxGrowth = 1 })},
		{"c1 of one half", "SufficientDecrease", pb(func(o *ProgressiveBatchOptions) { o.SufficientDecrease = 0.5 })},
		{"zero line search trials", "MaxLineSearchTrials", pb(func(o *ProgressiveBatchOptions) { o.MaxLineSearchTrials = 0 })},
		{"step decay with a line search", "StepDecay", pb(func(o *ProgressiveBatchOptions) { o.StepDecay = 1 })},
		{"progressive zero M", "M", pb(func(o *ProgressiveBatchOptions) { o.M = 0 })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var oe *OptionError
			if !errors.As(tc.err, &oe) || !errors.Is(tc.err, ErrInvalidOption) {
				t.Fatalf("error %v, want an *OptionError", tc.err)
			}
			if oe.Option != tc.option || !strings.Contains(tc.err.Error(), tc.option) {
				t.Errorf("error %q names %q, want %q", tc.err, oe.Option, tc.option)
			}
		})
	}
}

// Tables with too few rows for the run, and a step sequence too short, are
// reported by Run, naming the option.
func TestRunChecksTableRows(t *testing.T) {
	lg := logistic(200, 4, 1)
	o := DefaultSQNOptions()
	o.NIterations, o.L = 30, 5
	o.BatchIndices = make([][]int, 29)
	for i := range o.BatchIndices {
		o.BatchIndices[i] = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	}
	s, err := NewSQN(lg, 4, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), make([]float64, 4), nil); err == nil || !strings.Contains(err.Error(), "BatchIndices") {
		t.Errorf("29 rows for 30 iterations: error %v, want one naming BatchIndices", err)
	}
	o.BatchIndices = nil
	o.CorrectionPairBatchSize = 2
	o.CorrectionPairIndices = [][]int{{0, 1}, {2, 3}} // the run computes 30/5 − 1 = 5 pairs
	s, _ = NewSQN(lg, 4, o)
	if _, err := s.Run(context.Background(), make([]float64, 4), nil); err == nil || !strings.Contains(err.Error(), "CorrectionPairIndices") {
		t.Errorf("2 rows for 5 pairs: error %v, want one naming CorrectionPairIndices", err)
	}
	o.CorrectionPairIndices = nil
	o.StepLengthSequence = []float64{1, 1, 1}
	s, _ = NewSQN(lg, 4, o)
	if _, err := s.Run(context.Background(), make([]float64, 4), nil); err == nil || !strings.Contains(err.Error(), "StepLengthSequence") {
		t.Errorf("3 steps for 30 iterations: error %v, want one naming StepLengthSequence", err)
	}
	o.StepLengthSequence = []float64{1}
	s, _ = NewSQN(lg, 4, o)
	if _, err := s.Run(context.Background(), make([]float64, 3), nil); !errors.Is(err, ErrDimension) {
		t.Errorf("x of length 3: error %v, want ErrDimension", err)
	}
}

// An objective that cannot evaluate row subsets is reported against the
// option that asked for a subset; with full batches it works.
func TestObjectiveWithoutSubsets(t *testing.T) {
	lg := logistic(200, 4, 1)
	o := DefaultSQNOptions()
	s, _ := NewSQN(fullOnly{lg}, 4, o)
	_, err := s.Run(context.Background(), make([]float64, 4), nil)
	if !errors.Is(err, ErrInvalidOption) || !errors.Is(err, ErrRowSubsets) || !strings.Contains(err.Error(), "BatchSize") {
		t.Errorf("error %v, want one naming BatchSize and wrapping ErrRowSubsets", err)
	}
	o.BatchSize, o.L = 200, 2
	s, _ = NewSQN(fullOnly{lg}, 4, o)
	_, err = s.Run(context.Background(), make([]float64, 4), nil)
	if !strings.Contains(err.Error(), "CorrectionPairBatchSize") {
		t.Errorf("error %v, want one naming CorrectionPairBatchSize", err)
	}
	o.CorrectionPairBatchSize = 200
	s, _ = NewSQN(fullOnly{lg}, 4, o)
	if _, err = s.Run(context.Background(), make([]float64, 4), nil); err != nil {
		t.Errorf("full batches: %v", err)
	}
	m := DefaultMultiBatchOptions()
	m.BatchSize = 200
	mb, _ := NewMultiBatch(fullOnly{lg}, 4, m)
	if _, err := mb.Run(context.Background(), make([]float64, 4), nil); !strings.Contains(err.Error(), "BatchSize") {
		t.Errorf("multi-batch: error %v, want one naming BatchSize", err)
	}
}

func TestSetOptionalInputChecksShapes(t *testing.T) {
	lg := logistic(200, 4, 1)
	s, _ := NewSQN(lg, 4, DefaultSQNOptions())
	for name, err := range map[string]error{
		"correctionPairs":            s.SetOptionalInput(make([]float64, 7), [2]int{0, 0}, nil),
		"averageArgumentLIterations": s.SetOptionalInput(nil, [2]int{0, 0}, make([]float64, 9)),
		"correctionIndices":          s.SetOptionalInput(nil, [2]int{10, 0}, nil),
	} {
		if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming it", name, err)
		}
	}
}
