package autodiff_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// mlpGraph is the loss and gradient graph of a 1-16-16-1 tanh network
// (examples/hybrid's) on rows rows, the mean squared error, made of
// gorgonia's own ops.
func mlpGraph(tb testing.TB, rows int) (cost *gorgonia.Node, grads gorgonia.Nodes) {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64() / 4
		}
		return v
	}
	g := gorgonia.NewGraph()
	mat := func(name string, r, c int) *gorgonia.Node {
		return gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(r, c), gorgonia.WithName(name),
			gorgonia.WithValue(tensor.New(tensor.WithShape(r, c), tensor.WithBacking(fill(r*c)))))
	}
	x, y := mat("x", rows, 1), mat("y", rows, 1)
	h := x
	var params gorgonia.Nodes
	for i, s := range [][2]int{{1, 16}, {16, 16}, {16, 1}} {
		w, b := mat("w"+string(rune('1'+i)), s[0], s[1]), mat("b"+string(rune('1'+i)), 1, s[1])
		params = append(params, w, b)
		h = gorgonia.Must(gorgonia.BroadcastAdd(gorgonia.Must(gorgonia.Mul(h, w)), b, nil, []byte{0}))
		if i < 2 {
			h = gorgonia.Must(gorgonia.Tanh(h))
		}
	}
	cost = gorgonia.Must(gorgonia.Mean(gorgonia.Must(gorgonia.Square(gorgonia.Must(gorgonia.Sub(h, y))))))
	grads, err := gorgonia.Grad(cost, params...)
	if err != nil {
		tb.Fatal(err)
	}
	return cost, grads
}

// BenchmarkRunner runs the same 32-row loss-and-gradient graph of
// gorgonia's own ops with gorgonia's tape machine (Reset and RunAll, as
// autodiff did before Program) and with a Program, interleaved, and
// reports each one's median time and the ratio tape/Program: the fixed
// cost of the tape machine's run loop on a small graph.
//
//	go test -run XXX -bench Runner -benchtime 2000x ./autodiff
func BenchmarkRunner(b *testing.B) {
	cost, grads := mlpGraph(b, 32)
	vm := gorgonia.NewTapeMachine(cost.Graph())
	prog, err := autodiff.NewProgram(append(gorgonia.Nodes{cost}, grads...)...)
	if err != nil {
		b.Fatal(err)
	}
	tape := func() {
		vm.Reset()
		if err := vm.RunAll(); err != nil {
			b.Fatal(err)
		}
	}
	ours := func() {
		if err := prog.Run(); err != nil {
			b.Fatal(err)
		}
	}
	tape()
	ours()
	if a, c := cost.Value().Data().(float64), prog.Value(cost).Data().(float64); a != c {
		b.Fatalf("tape machine's cost %v, Program's %v", a, c)
	}
	var tt, to, ratio []float64
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		tape()
		t1 := time.Now()
		ours()
		t2 := time.Now()
		tt, to = append(tt, float64(t1.Sub(t0))), append(to, float64(t2.Sub(t1)))
		ratio = append(ratio, tt[len(tt)-1]/to[len(to)-1])
	}
	med := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
	b.ReportMetric(med(tt), "tape-ns/run")
	b.ReportMetric(med(to), "program-ns/run")
	b.ReportMetric(med(ratio), "ratio")
}
