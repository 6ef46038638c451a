package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// jetActs are the activations whose input derivatives are checked: every
// elementwise one, ELU with the default and another Alpha.
func jetActs() []activation {
	return []activation{
		{kind: actTanh}, {kind: actSigmoid}, {kind: actSoftplus}, {kind: actSwish}, {kind: actGELU},
		{kind: actELU, alpha: 1}, {kind: actELU, alpha: 0.7}, {kind: actReLU}, {kind: actLeakyReLU, alpha: 0.2},
	}
}

// smooth reports whether f″ exists everywhere but at isolated points and
// is not identically 0 (ReLU and LeakyReLU have f″ = 0).
func (a activation) smoothSecond() bool { return a.kind != actReLU && a.kind != actLeakyReLU }

// TestActivationDerivs checks f′, f″ and f‴ of every activation against
// central differences of the derivative below, away from kinks.
func TestActivationDerivs(t *testing.T) {
	const h = 1e-5
	for _, act := range jetActs() {
		t.Run(fmt.Sprintf("%v/%v", act, act.alpha), func(t *testing.T) {
			for _, z := range []float64{-6, -2.5, -1, -0.3, 0.2, 0.7, 1.5, 3, 8} {
				f, d1, d2, d3 := act.derivs(z)
				fp, d1p, d2p, _ := act.derivs(z + h)
				fm, d1m, d2m, _ := act.derivs(z - h)
				want := []float64{(fp - fm) / (2 * h), (d1p - d1m) / (2 * h), (d2p - d2m) / (2 * h)}
				for k, got := range []float64{d1, d2, d3} {
					if e := math.Abs(got-want[k]) / max(math.Abs(want[k]), 1e-3); e > 1e-6 {
						t.Errorf("z = %v: derivative %d = %.12g, central difference %.12g (f = %g)", z, k+1, got, want[k], f)
					}
				}
			}
		})
	}
}

// jetNet is a 2-5-4-1 network, an activation after each hidden layer,
// built from Jet primitives in a graph of its own.
type jetNet struct {
	x      *gorgonia.Node
	params []*gorgonia.Node
	jet    *Jet
}

var jetSizes = []int{2, 5, 4, 1}

// jetParams returns random learnables for jetSizes: per layer the
// Weights (in × out, row-major), then the Bias.
func jetParams(r *rand.Rand) []float64 {
	var p []float64
	for l := 0; l+1 < len(jetSizes); l++ {
		for range jetSizes[l]*jetSizes[l+1] + jetSizes[l+1] {
			p = append(p, r.NormFloat64()*0.9)
		}
	}
	return p
}

func newJetNet(t testing.TB, act activation, dt tensor.Dtype, x []float64, p []float64, d Derivatives) *jetNet {
	t.Helper()
	g := gorgonia.NewGraph()
	rows := len(x) / jetSizes[0]
	xt := tensor.New(tensor.Of(dt), tensor.WithShape(rows, jetSizes[0]))
	setFloats(xt, x)
	jn := &jetNet{x: gorgonia.NewMatrix(g, dt, gorgonia.WithShape(rows, jetSizes[0]), gorgonia.WithName("X"), gorgonia.WithValue(xt))}
	j, err := NewJet(jn.x, d)
	if err != nil {
		t.Fatal(err)
	}
	off := 0
	for l := 0; l+1 < len(jetSizes); l++ {
		in, out := jetSizes[l], jetSizes[l+1]
		wt := tensor.New(tensor.Of(dt), tensor.WithShape(in, out))
		setFloats(wt, p[off:off+in*out])
		bt := tensor.New(tensor.Of(dt), tensor.WithShape(out))
		setFloats(bt, p[off+in*out:off+in*out+out])
		off += in*out + out
		w := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(in, out), gorgonia.WithName(fmt.Sprintf("W%d", l)), gorgonia.WithValue(wt))
		b := gorgonia.NewVector(g, dt, gorgonia.WithShape(out), gorgonia.WithName(fmt.Sprintf("b%d", l)), gorgonia.WithValue(bt))
		jn.params = append(jn.params, w, b)
		if j, err = j.Dense(w, b, l > 0); err != nil {
			t.Fatal(err)
		}
		if l+2 < len(jetSizes) {
			if j, err = j.activation(act, fmt.Sprintf("act%d", l)); err != nil {
				t.Fatal(err)
			}
		}
	}
	jn.jet = j
	return jn
}

// jetDerivs is the derivative set of the tests: u_0, u_1, u_00, u_01, u_11.
var jetDerivs = Derivatives{First: []int{0, 1}, Second: [][2]int{{0, 0}, {0, 1}, {1, 1}}}

// channels runs the graph and returns every block of the output jet.
func (jn *jetNet) channels(t testing.TB) [][]float64 {
	t.Helper()
	out := make([]gorgonia.Value, jn.jet.layout.channels())
	for k := range out {
		n, err := jn.jet.channel(k)
		if err != nil {
			t.Fatal(err)
		}
		gorgonia.Read(n, &out[k])
	}
	vm := gorgonia.NewTapeMachine(jn.x.Graph())
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	vals := make([][]float64, len(out))
	for k, v := range out {
		d := v.(*tensor.Dense)
		vals[k] = make([]float64, d.Shape().TotalSize())
		getFloats(d, vals[k])
	}
	return vals
}

func jetInputs(r *rand.Rand, rows int) []float64 {
	x := make([]float64, rows*jetSizes[0])
	for i := range x {
		x[i] = 2*r.Float64() - 1
	}
	return x
}

// TestJetInputDerivatives checks u_i against central differences of u in
// the inputs, and u_ij against central differences of u_i, for every
// activation (float64, 1e-6 relative).
func TestJetInputDerivatives(t *testing.T) {
	const rows, h = 6, 1e-5
	for a, act := range jetActs() {
		t.Run(fmt.Sprintf("%v/%v", act, act.alpha), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(a), 15))
			p, x := jetParams(r), jetInputs(r, rows)
			base := newJetNet(t, act, tensor.Float64, x, p, jetDerivs).channels(t)
			// channel of ∂/∂x_i is 1+i; of ∂²/∂x_i∂x_j the pair's index in Second
			pairs := map[[2]int]int{{0, 0}: 3, {0, 1}: 4, {1, 0}: 4, {1, 1}: 5}
			scale := 0.0
			for _, c := range base {
				for _, v := range c {
					scale = max(scale, math.Abs(v))
				}
			}
			for i := range 2 {
				xp, xm := append([]float64(nil), x...), append([]float64(nil), x...)
				for row := range rows {
					xp[row*2+i] += h
					xm[row*2+i] -= h
				}
				cp := newJetNet(t, act, tensor.Float64, xp, p, jetDerivs).channels(t)
				cm := newJetNet(t, act, tensor.Float64, xm, p, jetDerivs).channels(t)
				for row := range rows {
					check := func(what string, got, plus, minus float64) {
						want := (plus - minus) / (2 * h)
						if e := math.Abs(got-want) / max(math.Abs(want), 1e-4*scale); e > 1e-6 {
							t.Errorf("row %d: %s = %.10g, central difference %.10g (relative error %.2g)", row, what, got, want, e)
						}
					}
					check(fmt.Sprintf("du/dx%d", i), base[1+i][row], cp[0][row], cm[0][row])
					for k := range 2 {
						check(fmt.Sprintf("d2u/dx%d dx%d", k, i), base[pairs[[2]int{k, i}]][row], cp[1+k][row], cm[1+k][row])
					}
				}
			}
			if !act.smoothSecond() {
				for _, c := range base[3:] {
					for row, v := range c {
						if v != 0 {
							t.Errorf("row %d: second derivative %v of a piecewise linear network, want 0", row, v)
						}
					}
				}
			}
		})
	}
}

// jetLoss adds to jn's graph a loss using every channel, the pattern of a
// physics-informed loss: mean((u_1 + u·u_0 − 0.1·u_00)²) + mean(u_01²) +
// mean(u_11²) + mean(u²), each mean over the rows scaled by rows/total so
// that shards of a batch of total rows add up to the batch's loss.
func jetLoss(t testing.TB, jn *jetNet, total int) *gorgonia.Node {
	t.Helper()
	ch := make([]*gorgonia.Node, jn.jet.layout.channels())
	for k := range ch {
		var err error
		if ch[k], err = jn.jet.channel(k); err != nil {
			t.Fatal(err)
		}
	}
	dt := jn.x.Dtype()
	c := func(v float64) *gorgonia.Node {
		if dt == tensor.Float32 {
			return gorgonia.NewConstant(float32(v))
		}
		return gorgonia.NewConstant(v)
	}
	scale := 1 / float64(total)
	must := func(n *gorgonia.Node, err error) *gorgonia.Node {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	sumSq := func(n *gorgonia.Node) *gorgonia.Node { return must(gorgonia.Sum(must(gorgonia.Square(n)))) }
	uu0 := must(gorgonia.HadamardProd(ch[0], ch[1]))
	res := must(gorgonia.Sub(must(gorgonia.Add(ch[2], uu0)), must(gorgonia.Mul(ch[3], c(0.1)))))
	cost := sumSq(res)
	for _, k := range []int{4, 5, 0} {
		cost = must(gorgonia.Add(cost, sumSq(ch[k])))
	}
	return must(gorgonia.Mul(cost, c(scale)))
}

func jetEvaluator(t testing.TB, act activation, dt tensor.Dtype, x, p []float64, shards int) *autodiff.Evaluator {
	t.Helper()
	rows := len(x) / jetSizes[0]
	var graphs []autodiff.Graph
	for s := range shards {
		lo, hi := s*rows/shards, (s+1)*rows/shards
		jn := newJetNet(t, act, dt, x[lo*2:hi*2], p, jetDerivs)
		graphs = append(graphs, autodiff.Graph{Cost: jetLoss(t, jn, rows), Params: jn.params})
	}
	ev, err := autodiff.NewSharded(graphs, autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestJetLossGradient checks the gradient of a loss containing u_x, u_xx
// and u_xy with respect to the learnables against central differences,
// for every activation (float64, 1e-6 relative).
func TestJetLossGradient(t *testing.T) {
	const rows = 7
	for a, act := range jetActs() {
		t.Run(fmt.Sprintf("%v/%v", act, act.alpha), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(a), 16))
			p, x := jetParams(r), jetInputs(r, rows)
			ev := jetEvaluator(t, act, tensor.Float64, x, p, 1)
			opts := autodiff.DefaultCheckOptions()
			opts.Rand = rand.New(rand.NewPCG(uint64(a), 17))
			res, err := autodiff.CheckGradient(ev.Evaluate, p, opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.MaxRelativeError > 1e-6 {
				t.Errorf("%v", res)
			}
		})
	}
}

// TestJetRepeatableSharded checks that evaluations at p1, p2, p1 give
// bit-identical results at p1, and that three shards give the loss and
// gradient of one graph (to rounding: the sums are ordered differently).
func TestJetRepeatableSharded(t *testing.T) {
	const rows = 11
	r := rand.New(rand.NewPCG(3, 18))
	p1, p2, x := jetParams(r), jetParams(r), jetInputs(r, rows)
	act := activation{kind: actTanh}
	one, three := jetEvaluator(t, act, tensor.Float64, x, p1, 1), jetEvaluator(t, act, tensor.Float64, x, p1, 3)
	eval := func(ev *autodiff.Evaluator, p []float64) (float64, []float64) {
		g := make([]float64, len(p))
		l, _, err := ev.Evaluate(p, g)
		if err != nil {
			t.Fatal(err)
		}
		return l, g
	}
	l1, g1 := eval(one, p1)
	eval(one, p2)
	l1b, g1b := eval(one, p1)
	if l1 != l1b || fmt.Sprint(g1) != fmt.Sprint(g1b) {
		t.Errorf("p1, p2, p1: loss %v then %v, gradients differ: %v", l1, l1b, fmt.Sprint(g1) != fmt.Sprint(g1b))
	}
	l3, g3 := eval(three, p1)
	if math.Abs(l3-l1) > 1e-13*math.Abs(l1) {
		t.Errorf("sharded loss %v, unsharded %v", l3, l1)
	}
	for i := range g1 {
		if math.Abs(g3[i]-g1[i]) > 1e-12*(1+math.Abs(g1[i])) {
			t.Errorf("gradient %d: sharded %v, unsharded %v", i, g3[i], g1[i])
		}
	}
}

// TestJetFloat32 compares a float32 jet and loss gradient with float64.
// float32 rounds each op to 2⁻²⁴ ≈ 6e-8; a derivative channel passes
// through 3 layers and its loss term squares it, so agreement to 1e-4
// relative to the largest value is what float32 can promise, and an
// error in a float32 kernel would show at 1e-1.
func TestJetFloat32(t *testing.T) {
	const rows = 9
	for a, act := range jetActs() {
		t.Run(fmt.Sprintf("%v/%v", act, act.alpha), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(a), 19))
			p, x := jetParams(r), jetInputs(r, rows)
			c64 := newJetNet(t, act, tensor.Float64, x, p, jetDerivs).channels(t)
			c32 := newJetNet(t, act, tensor.Float32, x, p, jetDerivs).channels(t)
			for k := range c64 {
				closeTo(t, fmt.Sprintf("channel %d", k), c32[k], c64[k], 1e-4)
			}
			g64, g32 := make([]float64, len(p)), make([]float64, len(p))
			l64, _, err := jetEvaluator(t, act, tensor.Float64, x, p, 1).Evaluate(p, g64)
			if err != nil {
				t.Fatal(err)
			}
			l32, _, err := jetEvaluator(t, act, tensor.Float32, x, p, 2).Evaluate(p, g32)
			if err != nil {
				t.Fatal(err)
			}
			closeTo(t, "loss", []float64{l32}, []float64{l64}, 1e-4)
			closeTo(t, "gradient", g32, g64, 1e-4)
		})
	}
}

// closeTo reports entries of got farther than tol·max|want| from want.
func closeTo(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	scale := 0.0
	for _, v := range want {
		scale = max(scale, math.Abs(v))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*scale {
			t.Errorf("%s[%d] = %v, float64 gives %v (tolerance %g × %g)", what, i, got[i], want[i], tol, scale)
		}
	}
}
