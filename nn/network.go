package nn

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"gorgonia.org/tensor"
)

// MaxLearnables bounds the number of learnable values of a network
// (2³¹, 16 GiB in float64), so that a mistyped size is an error rather
// than an out-of-memory crash.
const MaxLearnables = 1 << 31

// Config describes a network to create with New.
type Config struct {
	// InputSize is the number of features per observation. Valid: >= 1.
	InputSize int
	// Layers are the network's layers in order, at least one; any type
	// implementing Layer. MATLAB's iris network is
	//	FullyConnected{OutputSize: 32}, ReLU{}, FullyConnected{OutputSize: 32}, ReLU{},
	//	FullyConnected{OutputSize: 3}, Softmax{}
	Layers []Layer
	// Dtype is the element type of every graph the network builds:
	// tensor.Float64 or tensor.Float32. The zero value means
	// tensor.Float64. The flat vector (Params) is float64 either way.
	Dtype tensor.Dtype
}

// A Network is a sequential stack of layers with its learnable parameters.
// It builds gorgonia graphs from them: an Objective for training, forward
// passes for Predict, or the nodes of Forward in a caller's graph.
//
// Its learnables are one float64 vector, Params, which the solver moves in
// place: the layers' learnables are views into it (Learnables lists them,
// layer by layer in network order, each layer's in the order its Setup
// gives). After training, Predict and Save see the trained values; a
// float32 network rounds them when it uses them. Predict, Classify and
// the methods that read the network may run concurrently with each other,
// not with a change of Params.
//
// Create a Network with New or Load. A nil or zero Network has no layers:
// its accessors return zero values and its other methods an error wrapping
// ErrInvalidNetwork.
type Network struct {
	dtype     tensor.Dtype
	inputSize int
	layers    []netLayer
	params    []param
	flat      []float64 // the learnables, the one owner of their values
	size      int       // len(flat)

	mu    sync.Mutex // guards preds and the float32 copies of params
	preds predictors
}

// netLayer is one layer of a network with what the network resolved.
type netLayer struct {
	name  string
	layer Layer
	setup LayerSetup
	in    int // input width
	first int // index in params of its first learnable
}

// New creates a network from cfg, initialising its learnables from r
// (layer by layer, each learnable in order, filled in row-major order by
// its Init), so the same seed gives the same network. A layer whose
// Setup fails, or whose Forward does not give the shape its Setup
// declares, is an error wrapping ErrInvalidNetwork that names the layer.
func New(cfg Config, r *rand.Rand) (*Network, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: nil *rand.Rand", ErrInvalidNetwork)
	}
	n, err := layout(cfg.InputSize, cfg.Layers, nil, cfg.Dtype)
	if err != nil {
		return nil, err
	}
	n.allocate()
	for _, p := range n.params {
		orInit(p.spec.Init, Zeros)(r, p.spec.FanIn, p.spec.FanOut, n.flat[p.offset:p.offset+p.size()])
	}
	if n.dtype == tensor.Float32 {
		roundFloat32(n.flat) // the initial values are float32 values
	}
	return n, nil
}

// roundFloat32 rounds every value to the nearest float32.
func roundFloat32(v []float64) {
	for i, x := range v {
		v[i] = float64(float32(x))
	}
}

// layout validates an architecture and lays out its learnables without
// allocating them; names, when not nil, are the layers' names (from a
// model file), else each layer's own or the default.
func layout(inputSize int, layers []Layer, names []string, dt tensor.Dtype) (*Network, error) {
	if dt == (tensor.Dtype{}) {
		dt = tensor.Float64
	}
	if dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("%w: Dtype %v (valid: float64 or float32)", ErrInvalidNetwork, dt)
	}
	if inputSize < 1 {
		return nil, fmt.Errorf("%w: InputSize = %d (valid: >= 1)", ErrInvalidNetwork, inputSize)
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("%w: no layers", ErrInvalidNetwork)
	}
	n := &Network{dtype: dt, inputSize: inputSize}
	if err := n.resolveNames(layers, names); err != nil {
		return nil, err
	}
	in := inputSize
	for i := range n.layers {
		l := &n.layers[i]
		s, err := setupOf(l.layer, in)
		if err != nil {
			return nil, fmt.Errorf("%w: layer %d (%s, kind %s) on inputs of width %d: %w", ErrInvalidNetwork, i, l.name, l.layer.Kind(), in, err)
		}
		if s.OutputSize < 1 {
			return nil, fmt.Errorf("%w: layer %d (%s): OutputSize = %d (valid: >= 1)", ErrInvalidNetwork, i, l.name, s.OutputSize)
		}
		l.setup, l.in, l.first = s, in, len(n.params)
		for j, ls := range s.Learnables {
			if err := checkLearnable(l.name, ls, s.Learnables[:j], n.size); err != nil {
				return nil, err
			}
			n.params = append(n.params, param{layer: l.name, spec: ls, offset: n.size})
			n.size += ls.size()
		}
		in = s.OutputSize
	}
	if n.size == 0 {
		return nil, fmt.Errorf("%w: no learnables (add a layer that has some, such as FullyConnected)", ErrInvalidNetwork)
	}
	if err := n.probe(); err != nil {
		return nil, err
	}
	return n, nil
}

// resolveNames records the layers with their names: names[i] when given,
// else the layer's own, else "<kind><k>", k counting layers of the kind
// from 1; it checks that every layer is usable and every name valid and
// unique.
func (n *Network) resolveNames(layers []Layer, names []string) error {
	count := map[LayerKind]int{}
	seen := map[string]int{}
	n.layers = make([]netLayer, len(layers))
	for i, l := range layers {
		kind := kindOf(l)
		if kind == "" {
			return fmt.Errorf("%w: layer %d is nil or has no kind", ErrInvalidNetwork, i)
		}
		count[kind]++
		name := ""
		if names != nil {
			name = names[i]
		} else {
			name = layerName(l)
		}
		if name == "" {
			name = fmt.Sprintf("%s%d", kind, count[kind])
		}
		if strings.Contains(name, "/") {
			return fmt.Errorf("%w: layer %d: name %q contains \"/\"", ErrInvalidNetwork, i, name)
		}
		if j, dup := seen[name]; dup {
			return fmt.Errorf("%w: layers %d and %d are both named %q", ErrInvalidNetwork, j, i, name)
		}
		seen[name] = i
		n.layers[i] = netLayer{name: name, layer: l}
	}
	return nil
}

// checkLearnable validates a layer's learnable given the layer's earlier
// ones and the number of values before it.
func checkLearnable(layer string, ls LearnableSpec, earlier []LearnableSpec, before int) error {
	if ls.Name == "" || strings.Contains(ls.Name, "/") {
		return fmt.Errorf("%w: layer %s: learnable name %q (valid: non-empty, no \"/\")", ErrInvalidNetwork, layer, ls.Name)
	}
	for _, e := range earlier {
		if e.Name == ls.Name {
			return fmt.Errorf("%w: layer %s: two learnables named %q", ErrInvalidNetwork, layer, ls.Name)
		}
	}
	if len(ls.Shape) == 0 {
		return fmt.Errorf("%w: layer %s: learnable %s has no shape", ErrInvalidNetwork, layer, ls.Name)
	}
	count := 1
	for _, d := range ls.Shape {
		if d < 1 {
			return fmt.Errorf("%w: layer %s: learnable %s has shape %v (valid: every dimension >= 1)", ErrInvalidNetwork, layer, ls.Name, ls.Shape)
		}
		if int64(count) > (MaxLearnables-int64(before))/int64(d) {
			return fmt.Errorf("%w: layer %s: more than MaxLearnables = %d learnables", ErrInvalidNetwork, layer, int64(MaxLearnables))
		}
		count *= d
	}
	return nil
}

// valid returns an error unless n was created by New or Load.
func (n *Network) valid() error {
	if n == nil || len(n.layers) == 0 {
		return fmt.Errorf("%w: nil or zero Network (create it with New or Load)", ErrInvalidNetwork)
	}
	return nil
}

// allocate gives the network its zeroed flat vector and the learnables'
// tensors: views into it for float64, copies for float32.
func (n *Network) allocate() {
	n.flat = make([]float64, n.size)
	for i := range n.params {
		p := &n.params[i]
		if n.dtype == tensor.Float64 {
			p.t = tensor.New(tensor.WithShape(p.spec.Shape...), tensor.WithBacking(n.flat[p.offset:p.offset+p.size()]))
		} else {
			p.t = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(p.spec.Shape...))
		}
	}
}

// Dtype returns tensor.Float64 or tensor.Float32 (the zero Dtype for a
// nil Network).
func (n *Network) Dtype() tensor.Dtype {
	if n == nil {
		return tensor.Dtype{}
	}
	return n.dtype
}

// InputSize returns the number of features per observation.
func (n *Network) InputSize() int {
	if n == nil {
		return 0
	}
	return n.inputSize
}

// OutputSize returns the width of the network's output: the OutputSize of
// its last layer.
func (n *Network) OutputSize() int {
	if n.valid() != nil {
		return 0
	}
	return n.layers[len(n.layers)-1].setup.OutputSize
}

// Layers returns the network's layers: for a registered kind, the layer
// as a model file stores it (fields tagged `json:"-"`, such as
// initialisers, are zero), with its resolved name for the built-in
// layers; otherwise the layer given to New. LayerNames gives every
// layer's name.
func (n *Network) Layers() []Layer {
	if n == nil {
		return nil
	}
	ls := make([]Layer, len(n.layers))
	for i, l := range n.layers {
		ls[i] = l.layer
		if b, err := encodeLayer(l.layer); err == nil {
			if d, err := decodeLayer(l.layer.Kind(), b); err == nil {
				ls[i] = d
			}
		}
		if r, ok := ls[i].(renamer); ok {
			ls[i] = r.renamed(l.name)
		}
	}
	return ls
}

// renamer is a built-in layer with a Name field.
type renamer interface{ renamed(name string) Layer }

// LayerNames returns the layers' resolved names, in order.
func (n *Network) LayerNames() []string {
	if n == nil {
		return nil
	}
	names := make([]string, len(n.layers))
	for i, l := range n.layers {
		names[i] = l.name
	}
	return names
}
