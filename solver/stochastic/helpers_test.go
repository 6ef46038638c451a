package stochastic

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic/problems"
)

// logistic returns a strongly convex logistic regression of n rows and p
// features (λ = 1e-3), the same for the same seed.
func logistic(n, p int, seed uint64) *problems.Logistic {
	return problems.NewLogistic(rand.New(rand.NewPCG(seed, 1)), n, p, 1e-3)
}

// recorder wraps an objective and records the rows of every Evaluate call.
type recorder struct {
	Objective
	calls [][]int
}

func (r *recorder) EvaluateRows(rows []int, x, grad []float64) (float64, any, error) {
	r.calls = append(r.calls, slices.Clone(rows))
	return r.Objective.EvaluateRows(rows, x, grad)
}

// gradOnly hides the Hessian-vector product of an objective.
type gradOnly struct{ Objective }

// fullOnly is an objective that cannot evaluate row subsets.
type fullOnly struct{ Objective }

func (f fullOnly) EvaluateRows(rows []int, x, grad []float64) (float64, any, error) {
	if len(rows) != f.NumRows() {
		return 0, nil, ErrRowSubsets
	}
	return f.Objective.EvaluateRows(rows, x, grad)
}

func sqnRun(t *testing.T, obj Objective, opts SQNOptions, x []float64, hook func(*State) error) (*SQN, Result) {
	t.Helper()
	s, err := NewSQN(obj, len(x), opts)
	return runSolver(t, s, err, x, hook)
}

func mbRun(t *testing.T, obj Objective, opts MultiBatchOptions, x []float64, hook func(*State) error) (*MultiBatch, Result) {
	t.Helper()
	s, err := NewMultiBatch(obj, len(x), opts)
	return runSolver(t, s, err, x, hook)
}

// runSolver runs a solver just created (with its creation error) from x.
func runSolver[S interface {
	Run(context.Context, []float64, func(*State) error) (Result, error)
}](t *testing.T, s S, err error, x []float64, hook func(*State) error) (S, Result) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background(), x, hook)
	if err != nil {
		t.Fatal(err)
	}
	return s, res
}

// sameBits fails unless a and b are equal bit for bit.
func sameBits(t *testing.T, what string, a, b []float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: lengths %d and %d", what, len(a), len(b))
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("%s: element %d differs: %v vs %v", what, i, a[i], b[i])
		}
	}
}

// fullLoss returns F(x) on all rows.
func fullLoss(t *testing.T, obj Objective, x []float64) float64 {
	t.Helper()
	rows := make([]int, obj.NumRows())
	for i := range rows {
		rows[i] = i
	}
	f, _, err := obj.EvaluateRows(rows, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
