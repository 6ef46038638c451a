package trace

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// A run with bounds records its bounds (±Inf included) in the header and
// the projected gradient and active bounds in every iteration, and reads
// back as written.
func TestTraceBounds(t *testing.T) {
	o := solver.DefaultOptions()
	inf := math.Inf(1)
	o.Lower, o.Upper = []float64{-inf, -inf, -inf, 0.5}, []float64{0.5, inf, inf, inf}
	s := testprob.NewState(t, o)
	var buf bytes.Buffer
	rec, _ := NewRecorder(&buf, s)
	x := []float64{-1.2, 1, -1.2, 1}
	res, err := solver.Minimize(context.Background(), x, testprob.Rosenbrock, s, solver.StopOptions{MaxIterations: 8, Hook: rec.Record})
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Finish(res); err != nil {
		t.Fatal(err)
	}
	tr, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tr.Header.Options.Lower, o.Lower) || !slices.Equal(tr.Header.Options.Upper, o.Upper) {
		t.Errorf("header bounds %v, %v; want %v, %v", tr.Header.Options.Lower, tr.Header.Options.Upper, o.Lower, o.Upper)
	}
	last := tr.Iterations[len(tr.Iterations)-1]
	if last.ProjectedGradientNorm != s.ProjectedGradientNorm || last.ActiveBounds != s.ActiveBounds || !slices.EqualFunc(tr.Iterations, rec.Records(), func(a, b Record) bool {
		return a.ProjectedGradientNorm == b.ProjectedGradientNorm && a.ActiveBounds == b.ActiveBounds && a.StartPointProjected == b.StartPointProjected
	}) {
		t.Errorf("records read back differ from the state or the recorder")
	}
	if s.ActiveBounds == 0 {
		t.Error("no bound active after 8 iterations: the test checks too little")
	}
}
