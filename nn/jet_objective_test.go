package nn_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// wave is a user's activation made of gorgonia's ops, f(z) = z + sin(z)/2,
// with its input derivatives built from the jet's blocks.
type wave struct{}

func (wave) Kind() nn.LayerKind                  { return "test.wave" }
func (wave) Setup(in int) (nn.LayerSetup, error) { return nn.LayerSetup{OutputSize: in}, nil }
func (wave) Forward(x *gorgonia.Node, _ []*gorgonia.Node, _ nn.ForwardContext) (*gorgonia.Node, error) {
	b := &ops{}
	return b.add(x, b.scale(b.sin(x), 0.5)), b.err
}

// ForwardJet: f′ = 1 + cos(z)/2, f″ = −sin(z)/2; a_i = f′·z_i,
// a_ij = f″·z_i·z_j + f′·z_ij.
func (wave) ForwardJet(j *nn.Jet, _ []*gorgonia.Node, _ nn.ForwardContext) (*nn.Jet, error) {
	bs, err := j.Blocks()
	if err != nil {
		return nil, err
	}
	b := &ops{}
	z := bs[0]
	d1 := b.addC(b.scale(b.cos(z), 0.5), 1)
	d2 := b.scale(b.sin(z), -0.5)
	out := []*gorgonia.Node{b.add(z, b.scale(b.sin(z), 0.5))}
	nf := len(j.FirstInputs())
	for k := range nf {
		out = append(out, b.mul(d1, bs[1+k]))
	}
	for s, pq := range j.SecondFactors() {
		zz := b.mul(bs[1+pq[0]], bs[1+pq[1]])
		out = append(out, b.add(b.mul(d2, zz), b.mul(d1, bs[1+nf+s])))
	}
	if b.err != nil {
		return nil, b.err
	}
	return j.WithBlocks(out)
}

// ops applies gorgonia's float64 ops, keeping the first error.
type ops struct{ err error }

func (b *ops) keep(n *gorgonia.Node, err error) *gorgonia.Node {
	if b.err == nil {
		b.err = err
	}
	return n
}
func (b *ops) add(x, y *gorgonia.Node) *gorgonia.Node { return b.keep(gorgonia.Add(x, y)) }
func (b *ops) sub(x, y *gorgonia.Node) *gorgonia.Node { return b.keep(gorgonia.Sub(x, y)) }
func (b *ops) mul(x, y *gorgonia.Node) *gorgonia.Node { return b.keep(gorgonia.HadamardProd(x, y)) }
func (b *ops) sin(x *gorgonia.Node) *gorgonia.Node    { return b.keep(gorgonia.Sin(x)) }
func (b *ops) cos(x *gorgonia.Node) *gorgonia.Node    { return b.keep(gorgonia.Cos(x)) }
func (b *ops) scale(x *gorgonia.Node, c float64) *gorgonia.Node {
	return b.keep(gorgonia.Mul(x, gorgonia.NewConstant(c)))
}
func (b *ops) addC(x *gorgonia.Node, c float64) *gorgonia.Node {
	return b.keep(gorgonia.Add(x, gorgonia.NewConstant(c)))
}
func (b *ops) sumSq(x *gorgonia.Node) *gorgonia.Node {
	return b.keep(gorgonia.Sum(b.keep(gorgonia.Square(x))))
}

// pinnCost is a physics-informed cost on rows (x, t): the residual
// u_t + u·u_x − 0.05·u_xx + u_xt over X, and u at two fixed points
// (x, t) = (−1, 0.5), (1, 0.5), added in every graph with the weight
// Rows/TotalRows so that shards add up to it once.
func pinnCost(b nn.BatchNodes) (*gorgonia.Node, error) {
	o := &ops{}
	d := b.Derivatives
	u, ux, ut, uxx, uxt := d.Output, d.First[0], d.First[1], d.Second[0], d.Second[1]
	r := o.add(o.sub(o.add(ut, o.mul(u, ux)), o.scale(uxx, 0.05)), uxt)
	cost := o.scale(o.sumSq(r), 1/float64(b.TotalRows))
	g := b.X.Graph()
	x0 := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 2), gorgonia.WithName("X0"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{-1, 0.5, 1, 0.5}))))
	d0, err := b.ForwardDerivatives(x0, nn.Derivatives{})
	if err != nil {
		return nil, err
	}
	cost = o.add(cost, o.scale(o.sumSq(d0.Output), float64(b.Rows)/float64(b.TotalRows)/2))
	return cost, o.err
}

var pinnDerivs = nn.Derivatives{First: []int{0, 1}, Second: [][2]int{{0, 0}, {0, 1}}}

func pinnObjective(t *testing.T, net *nn.Network, x []float64, shards int) *nn.Objective {
	t.Helper()
	obj, err := net.NewObjective(x, nil, nn.ObjectiveOptions{Cost: pinnCost, Derivatives: pinnDerivs, Shards: shards})
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// TestObjectiveDerivatives checks an Objective whose Cost contains input
// derivatives, for built-in layers and a user's layer made of gorgonia's
// ops: the gradient against central differences (1e-6), three shards
// against one, p1, p2, p1 bit for bit, and a row subset.
func TestObjectiveDerivatives(t *testing.T) {
	for name, act := range map[string]nn.Layer{"tanh": nn.Tanh{}, "softplus": nn.Softplus{}, "user layer": wave{}} {
		t.Run(name, func(t *testing.T) {
			net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 6}, act, nn.FullyConnected{OutputSize: 5}, act, nn.FullyConnected{OutputSize: 1}}, tensor.Float64, 3)
			r := rand.New(rand.NewPCG(4, 5))
			x := make([]float64, 2*12)
			for i := range x {
				x[i] = 2*r.Float64() - 1
			}
			one, three := pinnObjective(t, net, x, 1), pinnObjective(t, net, x, 3)
			opts := autodiff.DefaultCheckOptions()
			opts.Rand = rand.New(rand.NewPCG(6, 7))
			res, err := autodiff.CheckGradient(one.Evaluate, net.Flat(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.MaxRelativeError > 1e-6 {
				t.Errorf("%v", res)
			}
			p1 := net.Flat()
			p2 := append([]float64(nil), p1...)
			for i := range p2 {
				p2[i] += 0.1 * r.NormFloat64()
			}
			g1, g3, gb := make([]float64, len(p1)), make([]float64, len(p1)), make([]float64, len(p1))
			l1, _, err := one.Evaluate(p1, g1)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := one.Evaluate(p2, gb); err != nil {
				t.Fatal(err)
			}
			l1b, _, err := one.Evaluate(p1, gb)
			if err != nil {
				t.Fatal(err)
			}
			if l1b != l1 || !equalBits(g1, gb) {
				t.Errorf("p1, p2, p1: loss %v then %v, or gradients differ", l1, l1b)
			}
			l3, _, err := three.Evaluate(p1, g3)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(l3-l1) > 1e-13*l1 {
				t.Errorf("three shards: loss %v, one shard %v", l3, l1)
			}
			for i := range g1 {
				if math.Abs(g3[i]-g1[i]) > 1e-12*(1+math.Abs(g1[i])) {
					t.Errorf("gradient %d: three shards %v, one %v", i, g3[i], g1[i])
				}
			}
			// the rows 0..11 in order, as a subset, give the full loss
			all := make([]int, 12)
			for i := range all {
				all[i] = i
			}
			ls, _, err := one.EvaluateRows(all, p1, gb)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(ls-l1) > 1e-13*l1 {
				t.Errorf("EvaluateRows on every row: %v, Evaluate %v", ls, l1)
			}
		})
	}
}

func equalBits(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}

// TestObjectiveDerivativesErrors checks the options' errors.
func TestObjectiveDerivativesErrors(t *testing.T) {
	x := []float64{0.1, 0.2, 0.3, 0.4}
	smooth := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 3}, nn.Tanh{}, nn.FullyConnected{OutputSize: 1}}, tensor.Float64, 1)
	if _, err := smooth.NewObjective(x, []float64{1, 2}, nn.ObjectiveOptions{Loss: nn.MeanSquaredError, Derivatives: pinnDerivs}); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("Derivatives without a Cost: %v, want ErrInvalidOption", err)
	}
	if _, err := smooth.NewObjective(x, nil, nn.ObjectiveOptions{Cost: pinnCost, Derivatives: nn.Derivatives{First: []int{2}}}); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("derivative with respect to input 2 of 2: %v, want ErrInvalidOption", err)
	}
	// a user layer without ForwardJet
	plain := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 2}, skipDense{Scale: 1}, nn.FullyConnected{OutputSize: 1}}, tensor.Float64, 1)
	_, err := plain.NewObjective(x, nil, nn.ObjectiveOptions{Cost: pinnCost, Derivatives: pinnDerivs})
	if !errors.Is(err, nn.ErrInvalidNetwork) {
		t.Errorf("layer without ForwardJet: %v, want ErrInvalidNetwork", err)
	}
}
