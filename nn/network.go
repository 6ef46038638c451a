package nn

import (
	"fmt"
	"math/rand/v2"
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
	// Layers are the network's layers in order; at least one
	// FullyConnected. MATLAB's iris network is
	//	FullyConnected{OutputSize: 32}, ReLU{}, FullyConnected{OutputSize: 32}, ReLU{},
	//	FullyConnected{OutputSize: 3}, Softmax{}
	Layers []Layer
	// Dtype is the element type of the learnables and of every graph the
	// network builds: tensor.Float64 or tensor.Float32. The zero value
	// means tensor.Float64.
	Dtype tensor.Dtype
}

// A Network is a sequential stack of layers with its learnable parameters.
// It builds gorgonia graphs from them: an Objective for training, a
// forward pass for Predict, or the nodes of Forward in a caller's graph.
//
// Its learnables are listed by Learnables, in network order and, within a
// FullyConnected layer, Weights (shape InputSize×OutputSize, row-major)
// then Bias; the flat vector of FlatLearnables concatenates them in that
// order. Predict, Classify and the methods that read the network may run
// concurrently; SetFlatLearnables must not run concurrently with any other
// method.
//
// Create a Network with New or Load. A nil or zero Network has no layers:
// its accessors return zero values and its other methods an error wrapping
// ErrInvalidNetwork.
type Network struct {
	dtype     tensor.Dtype
	inputSize int
	specs     []layerSpec
	params    []param
	size      int // total number of learnable values

	mu   sync.Mutex // guards pred
	pred *predictor
}

// New creates a network from cfg, initialising its learnables from r
// (layer by layer, Weights then Bias, each filled in row-major order by
// its Initializer), so the same seed gives the same network.
func New(cfg Config, r *rand.Rand) (*Network, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: nil *rand.Rand", ErrInvalidNetwork)
	}
	n, err := build(cfg.InputSize, specsOf(cfg.Layers), cfg.Dtype)
	if err != nil {
		return nil, err
	}
	k := 0
	for i, s := range n.specs {
		if s.Type != typeFC {
			continue
		}
		fc := fcOf(cfg.Layers[i])
		w, b := &n.params[k], &n.params[k+1]
		k += 2
		fill(w, r, orInit(fc.WeightsInitializer, GlorotUniform), w.shape[0], w.shape[1])
		fill(b, r, orInit(fc.BiasInitializer, Zeros), w.shape[0], w.shape[1])
	}
	return n, nil
}

func orInit(f, def Initializer) Initializer {
	if f == nil {
		return def
	}
	return f
}

// fill runs init on a float64 scratch and stores the result in p.
func fill(p *param, r *rand.Rand, init Initializer, fanIn, fanOut int) {
	v := make([]float64, p.size())
	init(r, fanIn, fanOut, v)
	setFloats(p.t, v)
}

// fcOf returns the FullyConnected value behind l, given by value or by
// pointer.
func fcOf(l Layer) FullyConnected {
	switch v := l.(type) {
	case FullyConnected:
		return v
	case *FullyConnected:
		return *v // not nil: specOf rejected nil pointers
	}
	return FullyConnected{}
}

// specsOf returns the layers' descriptions; a nil Layer (or nil pointer to
// one) gives an empty type, which validation rejects.
func specsOf(layers []Layer) []layerSpec {
	specs := make([]layerSpec, len(layers))
	for i, l := range layers {
		specs[i] = specOf(l)
	}
	return specs
}

// specOf returns l.spec(), or the zero layerSpec if l is nil or a nil
// pointer (whose value method would dereference nil).
func specOf(l Layer) (s layerSpec) {
	if l == nil {
		return layerSpec{}
	}
	defer func() {
		if recover() != nil {
			s = layerSpec{}
		}
	}()
	return l.spec()
}

// build validates an architecture and allocates zeroed learnables.
func build(inputSize int, specs []layerSpec, dt tensor.Dtype) (*Network, error) {
	n, err := plan(inputSize, specs, dt)
	if err != nil {
		return nil, err
	}
	n.allocate()
	return n, nil
}

// plan validates an architecture and lays out its learnables without
// allocating them.
func plan(inputSize int, specs []layerSpec, dt tensor.Dtype) (*Network, error) {
	if dt == (tensor.Dtype{}) {
		dt = tensor.Float64
	}
	if dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("%w: Dtype %v (valid: float64 or float32)", ErrInvalidNetwork, dt)
	}
	if inputSize < 1 {
		return nil, fmt.Errorf("%w: InputSize = %d (valid: >= 1)", ErrInvalidNetwork, inputSize)
	}
	for i, s := range specs {
		if err := s.validate(i); err != nil {
			return nil, err
		}
		specs[i] = s.withDefaults()
	}
	if err := resolveNames(specs); err != nil {
		return nil, err
	}
	n := &Network{dtype: dt, inputSize: inputSize, specs: specs}
	in := inputSize
	for _, s := range specs {
		if s.Type != typeFC {
			continue
		}
		if in >= (MaxLearnables-n.size)/s.OutputSize { // out·(in+1) values would exceed the bound
			return nil, fmt.Errorf("%w: layer %s: more than MaxLearnables = %d learnables", ErrInvalidNetwork, s.Name, MaxLearnables)
		}
		n.addParam(s.Name, "Weights", in, s.OutputSize)
		n.addParam(s.Name, "Bias", s.OutputSize)
		in = s.OutputSize
	}
	if len(n.params) == 0 {
		return nil, fmt.Errorf("%w: no FullyConnected layer", ErrInvalidNetwork)
	}
	return n, nil
}

func (n *Network) addParam(layer, name string, shape ...int) {
	p := param{layer: layer, name: name, shape: shape, offset: n.size}
	n.size += p.size()
	n.params = append(n.params, p)
}

// valid returns an error unless n was created by New or Load.
func (n *Network) valid() error {
	if n == nil || len(n.params) == 0 {
		return fmt.Errorf("%w: nil or zero Network (create it with New or Load)", ErrInvalidNetwork)
	}
	return nil
}

// allocate gives every learnable a zeroed tensor.
func (n *Network) allocate() {
	for i := range n.params {
		n.params[i].t = tensor.New(tensor.Of(n.dtype), tensor.WithShape(n.params[i].shape...))
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
// its last FullyConnected layer.
func (n *Network) OutputSize() int {
	if n.valid() != nil {
		return 0
	}
	return n.params[len(n.params)-1].shape[0] // the last Bias
}

// Layers returns the network's layers with their resolved names (the
// initializers are not kept and are nil).
func (n *Network) Layers() []Layer {
	if n == nil {
		return nil
	}
	ls := make([]Layer, len(n.specs))
	for i, s := range n.specs {
		ls[i] = s.layer()
	}
	return ls
}
