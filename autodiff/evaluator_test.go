package autodiff_test

import (
	"errors"
	"math"
	"sync"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// relDiff returns |a − b| / max(|a|, |b|, 1e-300).
func relDiff(a, b float64) float64 {
	return math.Abs(a-b) / max(math.Abs(a), math.Abs(b), 1e-300)
}

func TestEvaluateMatchesClosedForm(t *testing.T) {
	tests := []struct {
		name string
		dt   tensor.Dtype
		// tol: float64 differs from the closed form by rounding only
		// (1e-16 per operation); float32 rounds x, the data and every
		// intermediate to 24 bits (6e-8 relative) over sums of 10 terms
		// whose cancellation (the gradient is a small difference of
		// residuals) costs up to two more digits.
		tol float64
	}{
		{"float64", tensor.Float64, 1e-12},
		{"float32", tensor.Float32, 1e-4},
	}
	points := [][]float64{{1.5, 0.7, 0.8}, {2, 0.5, 1}, {-1, 2, 3}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := autodiff.New(curveGraph(t, curveT, curveY, tt.dt), autodiff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := ev.NumParams(); got != 3 {
				t.Fatalf("NumParams() = %d, want 3", got)
			}
			for _, x := range points {
				// float32 parameters: compare with the closed form at the
				// point the graph actually sees.
				xs := append([]float64(nil), x...)
				if tt.dt == tensor.Float32 {
					for i := range xs {
						xs[i] = float64(float32(xs[i]))
					}
				}
				wantLoss, wantGrad := curveLossGrad(xs, curveT, curveY)
				grad := make([]float64, 3)
				loss, _, err := ev.Evaluate(x, grad)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(loss-wantLoss) > tt.tol*max(1, math.Abs(wantLoss)) {
					t.Errorf("x = %v: loss = %v, want %v", x, loss, wantLoss)
				}
				for i := range grad {
					if math.Abs(grad[i]-wantGrad[i]) > tt.tol*max(1, math.Abs(wantGrad[i])) {
						t.Errorf("x = %v: grad[%d] = %v, want %v", x, i, grad[i], wantGrad[i])
					}
				}
			}
		})
	}
}

// TestEvaluateRepeatable evaluates at x1, x2, x1: the two x1 results must
// be bit-identical (no state, such as accumulated gradients, leaks from
// one run into the next). The gradient buffers start with different
// garbage, as a solver's reused buffers do: Evaluate must overwrite them.
func TestEvaluateRepeatable(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		t.Run(dt.String(), func(t *testing.T) {
			ev, err := autodiff.New(curveGraph(t, curveT, curveY, dt), autodiff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			x1, x2 := []float64{1.5, 0.7, 0.8}, []float64{3, -0.2, 5}
			g1, g2, g3 := filled(3, 1), filled(3, 7), filled(3, 2)
			l1, e1, err1 := ev.Evaluate(x1, g1)
			l2, _, err2 := ev.Evaluate(x2, g2)
			l3, e3, err3 := ev.Evaluate(x1, g3)
			if err := errors.Join(err1, err2, err3); err != nil {
				t.Fatal(err)
			}
			if l1 == l2 {
				t.Fatalf("loss at x1 and x2 both %v: the test needs points with different losses", l1)
			}
			if math.Float64bits(l1) != math.Float64bits(l3) {
				t.Errorf("loss at x1: first %v, after x2 %v", l1, l3)
			}
			for i := range g1 {
				if math.Float64bits(g1[i]) != math.Float64bits(g3[i]) {
					t.Errorf("grad[%d] at x1: first %v, after x2 %v", i, g1[i], g3[i])
				}
			}
			p1, p3 := e1.([][]float64)[0], e3.([][]float64)[0]
			for i := range p1 {
				if p1[i] != p3[i] {
					t.Errorf("output[%d] at x1: first %v, after x2 %v", i, p1[i], p3[i])
				}
			}
		})
	}
}

// TestShardedMatchesSingle splits the samples into shards, each its own
// graph: the sum over shards must equal the single graph's loss and
// gradient to rounding, and the default extra value must concatenate the
// shards' outputs in order.
func TestShardedMatchesSingle(t *testing.T) {
	x := []float64{1.5, 0.7, 0.8}
	single, err := autodiff.New(curveGraph(t, curveT, curveY, tensor.Float64), autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float64, 3)
	wantLoss, wantExtra, err := single.Evaluate(x, want)
	if err != nil {
		t.Fatal(err)
	}
	for _, shards := range []int{1, 2, 3, 10} {
		var graphs []autodiff.Graph
		n := len(curveT)
		for s := range shards {
			lo, hi := s*n/shards, (s+1)*n/shards
			graphs = append(graphs, curveGraph(t, curveT[lo:hi], curveY[lo:hi], tensor.Float64))
		}
		ev, err := autodiff.NewSharded(graphs, autodiff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		grad := make([]float64, 3)
		loss, extra, err := ev.Evaluate(x, grad)
		if err != nil {
			t.Fatal(err)
		}
		// 1e-12: the tolerance for sharded against unsharded sums.
		if relDiff(loss, wantLoss) > 1e-12 {
			t.Errorf("%d shards: loss = %v, want %v", shards, loss, wantLoss)
		}
		for i := range grad {
			if relDiff(grad[i], want[i]) > 1e-12 {
				t.Errorf("%d shards: grad[%d] = %v, want %v", shards, i, grad[i], want[i])
			}
		}
		got, w := extra.([][]float64)[0], wantExtra.([][]float64)[0]
		if len(got) != len(w) {
			t.Fatalf("%d shards: %d outputs, want %d", shards, len(got), len(w))
		}
		for i := range got {
			if got[i] != w[i] {
				t.Errorf("%d shards: output[%d] = %v, want %v", shards, i, got[i], w[i])
			}
		}
	}
}

func TestEvaluateNonFiniteIsNotAnError(t *testing.T) {
	ev, err := autodiff.New(curveGraph(t, curveT, curveY, tensor.Float64), autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	grad := make([]float64, 3)
	// k = −1000: exp(1000·t) overflows to +Inf for t > 0.
	loss, _, err := ev.Evaluate([]float64{1, -1000, 0}, grad)
	if err != nil {
		t.Fatalf("Evaluate: %v, want no error", err)
	}
	if !math.IsInf(loss, 1) {
		t.Errorf("loss = %v, want +Inf", loss)
	}
	// The evaluator recovers at a finite point.
	loss, _, err = ev.Evaluate([]float64{2, 0.5, 1}, grad)
	if err != nil || loss != 0 {
		t.Errorf("at the true parameters: loss %v, err %v; want 0, nil", loss, err)
	}
}

// filled returns n copies of v.
func filled(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// TestEvaluateNotBuilt: an Evaluator not made by New gives an error, not a
// panic.
func TestEvaluateNotBuilt(t *testing.T) {
	var zero autodiff.Evaluator
	for name, ev := range map[string]*autodiff.Evaluator{"nil": nil, "zero": &zero} {
		if _, _, err := ev.Evaluate(nil, nil); !errors.Is(err, autodiff.ErrInvalidGraph) {
			t.Errorf("%s Evaluator: Evaluate: %v, want ErrInvalidGraph", name, err)
		}
		if n := ev.NumParams(); n != 0 {
			t.Errorf("%s Evaluator: NumParams() = %d, want 0", name, n)
		}
	}
}

func TestEvaluateDimension(t *testing.T) {
	ev, err := autodiff.New(curveGraph(t, curveT, curveY, tensor.Float64), autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ nx, ng int }{{2, 3}, {3, 2}, {0, 0}, {4, 4}} {
		_, _, err := ev.Evaluate(make([]float64, c.nx), make([]float64, c.ng))
		if !errors.Is(err, autodiff.ErrDimension) {
			t.Errorf("len(x) %d, len(grad) %d: err = %v, want ErrDimension", c.nx, c.ng, err)
		}
	}
}

func TestExtraOption(t *testing.T) {
	calls := 0
	opts := autodiff.Options{Extra: func(outs [][]gorgonia.Value) (any, error) {
		calls++
		if len(outs) != 1 || len(outs[0]) != 1 {
			return nil, errors.New("unexpected outputs")
		}
		return outs[0][0].Shape().TotalSize(), nil
	}}
	ev, err := autodiff.New(curveGraph(t, curveT, curveY, tensor.Float64), opts)
	if err != nil {
		t.Fatal(err)
	}
	_, extra, err := ev.Evaluate([]float64{1, 1, 1}, make([]float64, 3))
	if err != nil || extra != len(curveT) || calls != 1 {
		t.Errorf("extra %v, err %v, calls %d; want %d, nil, 1", extra, err, calls, len(curveT))
	}

	failing := autodiff.Options{Extra: func([][]gorgonia.Value) (any, error) { return nil, errors.New("boom") }}
	ev, err = autodiff.New(curveGraph(t, curveT, curveY, tensor.Float64), failing)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ev.Evaluate([]float64{1, 1, 1}, make([]float64, 3)); err == nil {
		t.Error("Extra's error was not returned")
	}
}

func TestEvaluateConcurrent(t *testing.T) {
	ev, err := autodiff.New(curveGraph(t, curveT, curveY, tensor.Float64), autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{1.5, 0.7, 0.8}
	want, _ := curveLossGrad(x, curveT, curveY)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loss, _, err := ev.Evaluate(x, make([]float64, 3))
			if err == nil && relDiff(loss, want) > 1e-12 {
				err = errors.New("wrong loss")
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Error(err)
	}
}
