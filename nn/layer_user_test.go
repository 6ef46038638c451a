package nn_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// skipDense is a layer written outside nn from gorgonia's own ops:
// Y = X + tanh(X·W + b), a residual block whose width does not change.
// Its learnables are "W" (in × in) and "b" (in).
type skipDense struct {
	Name  string  `json:"-"`
	Scale float64 `json:"scale"` // multiplies the initial W
}

const skipDenseKind nn.LayerKind = "test.skipdense"

func init() {
	if err := nn.RegisterLayerType[skipDense](skipDenseKind); err != nil {
		panic(err)
	}
}

func (l skipDense) Kind() nn.LayerKind { return skipDenseKind }
func (l skipDense) LayerName() string  { return l.Name }

func (l skipDense) Setup(in int) (nn.LayerSetup, error) {
	init := func(r *rand.Rand, fanIn, fanOut int, dst []float64) {
		nn.GlorotUniform(r, fanIn, fanOut, dst)
		for i := range dst {
			dst[i] *= l.Scale
		}
	}
	return nn.LayerSetup{OutputSize: in, Learnables: []nn.LearnableSpec{
		{Name: "W", Shape: []int{in, in}, Init: init, FanIn: in, FanOut: in, L2: true},
		{Name: "b", Shape: []int{in}, FanIn: in, FanOut: in},
	}}, nil
}

func (l skipDense) Forward(x *gorgonia.Node, ps []*gorgonia.Node, ctx nn.ForwardContext) (*gorgonia.Node, error) {
	xw, err := gorgonia.Mul(x, ps[0])
	if err != nil {
		return nil, err
	}
	z, err := gorgonia.BroadcastAdd(xw, ps[1], nil, []byte{0})
	if err != nil {
		return nil, err
	}
	h, err := gorgonia.Tanh(z)
	if err != nil {
		return nil, err
	}
	return gorgonia.Add(x, h)
}

// widen is a user layer that claims to keep the width but doubles it: New
// must reject it.
type widen struct{}

func (widen) Kind() nn.LayerKind                  { return "test.widen" }
func (widen) Setup(in int) (nn.LayerSetup, error) { return nn.LayerSetup{OutputSize: in}, nil }
func (widen) Forward(x *gorgonia.Node, _ []*gorgonia.Node, _ nn.ForwardContext) (*gorgonia.Node, error) {
	return gorgonia.Concat(1, x, x)
}

func userLayers() []nn.Layer {
	return []nn.Layer{
		nn.FullyConnected{OutputSize: 4}, nn.Tanh{},
		skipDense{Scale: 0.5}, skipDense{Name: "skip", Scale: 0.5},
		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
	}
}

// TestUserLayerGradient: a layer from outside nn is differentiated by
// gorgonia and passes the gradient check to 1e-6, in float64, sharded or
// not, with L2 over its W.
func TestUserLayerGradient(t *testing.T) {
	const rows, in = 12, 3
	x, y := randomBatch(newRand(5), rows, in, 3, nn.CrossEntropy)
	for _, shards := range []int{1, 3} {
		net := mustNet(t, in, userLayers(), tensor.Float64, 5)
		ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 0.1, Shards: shards})
		opts := autodiff.DefaultCheckOptions()
		opts.Rand = newRand(6)
		res, err := autodiff.CheckGradient(ev.Evaluate, net.Flat(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.MaxRelativeError > 1e-6 {
			t.Errorf("%d shards: %v", shards, res)
		}
	}
}

// TestUserLayerTrainSaveLoad: a network with a user layer trains, its
// Params are what Predict uses, and it saves and loads bit for bit.
func TestUserLayerTrainSaveLoad(t *testing.T) {
	x, y, labels := iris(t)
	net := mustNet(t, 4, userLayers(), tensor.Float64, 3)
	names := net.LayerNames()
	if want := []string{"fc1", "tanh1", "test.skipdense1", "skip", "fc2", "softmax1"}; !slices.Equal(names, want) {
		t.Errorf("LayerNames = %q, want %q", names, want)
	}
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for range 40 {
		if err := state.Update(net.Params(), obj.Evaluate); err != nil {
			t.Fatal(err)
		}
	}
	// MATLAB's iris example reaches about 98% in this many iterations.
	if acc := accuracy(t, net, x, labels); acc < 0.95 {
		t.Errorf("training accuracy %v after 40 iterations, want >= 0.95", acc)
	}
	path := filepath.Join(t.TempDir(), "user.model")
	if err := net.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	got, _, err := nn.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Params(), net.Params()) || !slices.Equal(got.LayerNames(), names) {
		t.Error("loaded network differs from the saved one")
	}
	want, _ := net.Predict(x)
	if p, _ := got.Predict(x); !slices.Equal(p, want) {
		t.Error("loaded network predicts differently")
	}
	if ls := got.Layers(); ls[3] != (skipDense{Scale: 0.5}) {
		t.Errorf("loaded layer 3 = %#v, want the stored configuration", ls[3])
	}
}

func TestUserLayerErrors(t *testing.T) {
	// A layer whose output is not what its Setup declares: the error names
	// the layer and both shapes.
	_, err := nn.New(nn.Config{InputSize: 3, Layers: []nn.Layer{nn.FullyConnected{OutputSize: 2}, widen{}}}, newRand(1))
	if !errors.Is(err, nn.ErrInvalidNetwork) || !strings.Contains(err.Error(), "test.widen1") ||
		!strings.Contains(err.Error(), "(2, 4)") || !strings.Contains(err.Error(), "(2, 2)") {
		t.Errorf("New with a widening layer: %v; want ErrInvalidNetwork naming test.widen1, (2, 4) and (2, 2)", err)
	}
	// A residual block after a layer of another width: gorgonia's Add
	// fails, and the error names the layer and its input.
	_, err = nn.New(nn.Config{InputSize: 3, Layers: []nn.Layer{nn.FullyConnected{OutputSize: 2}, widen{}, skipDense{Name: "res"}}}, newRand(1))
	if !errors.Is(err, nn.ErrInvalidNetwork) {
		t.Errorf("New: %v, want ErrInvalidNetwork", err)
	}
	// An unregistered layer trains but does not save.
	net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 2}, unregistered{}}, tensor.Float64, 1)
	err = net.Save(filepath.Join(t.TempDir(), "m"), nil)
	if !errors.Is(err, nn.ErrRegistry) || !strings.Contains(err.Error(), `"test.unregistered"`) || !strings.Contains(err.Error(), "RegisterLayerType") {
		t.Errorf("Save with an unregistered layer: %v; want ErrRegistry naming the kind and RegisterLayerType", err)
	}
	// Registering a kind twice, or a bad kind.
	for _, kind := range []nn.LayerKind{skipDenseKind, nn.KindFullyConnected, "", "a/b", "a b"} {
		if err := nn.RegisterLayerType[skipDense](kind); !errors.Is(err, nn.ErrRegistry) {
			t.Errorf("RegisterLayerType(%q): %v, want ErrRegistry", kind, err)
		}
	}
	if err := nn.RegisterLayer("test.nil", nil); !errors.Is(err, nn.ErrRegistry) {
		t.Errorf("RegisterLayer with a nil decoder: %v, want ErrRegistry", err)
	}
	if !slices.Contains(nn.RegisteredLayers(), skipDenseKind) {
		t.Errorf("RegisteredLayers() = %v lacks %q", nn.RegisteredLayers(), skipDenseKind)
	}
}

// unregistered is a layer nobody registered: the identity.
type unregistered struct{}

func (unregistered) Kind() nn.LayerKind                  { return "test.unregistered" }
func (unregistered) Setup(in int) (nn.LayerSetup, error) { return nn.LayerSetup{OutputSize: in}, nil }
func (unregistered) Forward(x *gorgonia.Node, _ []*gorgonia.Node, _ nn.ForwardContext) (*gorgonia.Node, error) {
	return x, nil
}

// Example of the whole path for a layer of one's own: the type, its
// registration, and a network that uses it.
func ExampleRegisterLayerType() {
	net, err := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 3}, skipDense{Scale: 1}, nn.FullyConnected{OutputSize: 1},
	}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range net.Learnables() {
		fmt.Println(l.Name(), l.Shape)
	}
	// Output:
	// fc1/Weights [2 3]
	// fc1/Bias [3]
	// test.skipdense1/W [3 3]
	// test.skipdense1/b [3]
	// fc2/Weights [3 1]
	// fc2/Bias [1]
}
