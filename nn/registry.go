package nn

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// A LayerDecoder rebuilds a layer from the configuration a model file
// stores for it: the layer's JSON encoding.
type LayerDecoder func(config []byte) (Layer, error)

var registry = struct {
	sync.RWMutex
	m map[LayerKind]LayerDecoder
}{m: map[LayerKind]LayerDecoder{}}

// RegisterLayer makes a kind of layer known to Load and UnmarshalModel,
// in the manner of database/sql.Register: decode rebuilds a layer of the
// kind from its stored JSON configuration. A package defining a layer
// registers it in an init function. An empty kind, a kind containing "/"
// or whitespace, a nil decode and a kind registered before are errors
// wrapping ErrRegistry.
func RegisterLayer(kind LayerKind, decode LayerDecoder) error {
	if kind == "" || strings.ContainsAny(string(kind), "/ \t\n") {
		return fmt.Errorf("%w: kind %q (valid: non-empty, no \"/\" or whitespace)", ErrRegistry, kind)
	}
	if decode == nil {
		return fmt.Errorf("%w: kind %q: nil decoder", ErrRegistry, kind)
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.m[kind]; dup {
		return fmt.Errorf("%w: kind %q is already registered", ErrRegistry, kind)
	}
	registry.m[kind] = decode
	return nil
}

// RegisterLayerType registers the layer type L under kind, decoding its
// stored configuration with encoding/json into a zero L: the layer's
// exported fields are what a model file keeps (tag a field `json:"-"` to
// leave it out, as the built-in layers do with their initialisers).
func RegisterLayerType[L Layer](kind LayerKind) error {
	return RegisterLayer(kind, func(config []byte) (Layer, error) {
		var l L
		if err := json.Unmarshal(config, &l); err != nil {
			return nil, err
		}
		return l, nil
	})
}

// RegisteredLayers returns the registered kinds, sorted.
func RegisteredLayers() []LayerKind {
	registry.RLock()
	defer registry.RUnlock()
	ks := make([]LayerKind, 0, len(registry.m))
	for k := range registry.m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// decoderOf returns the decoder of kind.
func decoderOf(kind LayerKind) (LayerDecoder, bool) {
	registry.RLock()
	defer registry.RUnlock()
	d, ok := registry.m[kind]
	return d, ok
}

// errUnregistered reports a kind nobody registered.
func errUnregistered(kind LayerKind) error {
	return fmt.Errorf("%w: layer kind %q is not registered (register its type with nn.RegisterLayerType[T](%q) before saving or loading)",
		ErrRegistry, kind, kind)
}

// encodeLayer returns l's stored configuration.
func encodeLayer(l Layer) ([]byte, error) {
	if _, ok := decoderOf(l.Kind()); !ok {
		return nil, errUnregistered(l.Kind())
	}
	b, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("%w: encode layer of kind %q: %w", ErrRegistry, l.Kind(), err)
	}
	return b, nil
}

// decodeLayer rebuilds a layer of kind from its configuration.
func decodeLayer(kind LayerKind, config []byte) (Layer, error) {
	dec, ok := decoderOf(kind)
	if !ok {
		return nil, errUnregistered(kind)
	}
	if len(config) == 0 {
		config = []byte("{}")
	}
	l, err := dec(config)
	if err != nil {
		return nil, fmt.Errorf("%w: decode layer of kind %q: %w", ErrRegistry, kind, err)
	}
	if l == nil || kindOf(l) != kind {
		return nil, fmt.Errorf("%w: the decoder of kind %q returned a layer of kind %q", ErrRegistry, kind, kindOf(l))
	}
	return l, nil
}

// The built-in layers register themselves.
func init() {
	for _, err := range []error{
		RegisterLayerType[FullyConnected](KindFullyConnected),
		RegisterLayerType[ReLU](KindReLU),
		RegisterLayerType[LeakyReLU](KindLeakyReLU),
		RegisterLayerType[Tanh](KindTanh),
		RegisterLayerType[Sigmoid](KindSigmoid),
		RegisterLayerType[ELU](KindELU),
		RegisterLayerType[GELU](KindGELU),
		RegisterLayerType[Softmax](KindSoftmax),
		RegisterLayerType[Residual](KindResidual),
		RegisterLayerType[LayerNorm](KindLayerNorm),
		RegisterLayerType[BatchNorm](KindBatchNorm),
	} {
		if err != nil {
			panic(err) // a broken invariant: the built-in kinds are distinct
		}
	}
}
