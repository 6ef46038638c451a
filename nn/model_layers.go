package nn

import (
	"encoding/json"
	"fmt"
)

// decodeLayers rebuilds the layers a header stores, with their names.
func (h *modelHeader) decodeLayers(version uint32) ([]Layer, []string, error) {
	layers := make([]Layer, len(h.Layers))
	names := make([]string, len(h.Layers))
	for i, e := range h.Layers {
		config := []byte(e.Config)
		if version == 1 {
			config = v1Config(e)
		} else if e.OutputSize != 0 || e.Alpha != 0 {
			return nil, nil, fmt.Errorf("%w: layer %d (%s): outputSize or alpha outside the config (a version 1 field)", ErrModelFormat, i, e.Name)
		}
		l, err := decodeLayer(e.Type, config)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: layer %d (%s): %w", ErrModelFormat, i, e.Name, inner(err))
		}
		layers[i], names[i] = l, e.Name
		if e.Name == "" {
			return nil, nil, fmt.Errorf("%w: layer %d has no name", ErrModelFormat, i)
		}
	}
	return layers, names, nil
}

// v1Config returns the configuration a version 2 file stores for a
// version 1 layer entry.
func v1Config(e layerEntry) []byte {
	var v any = struct{}{}
	switch e.Type {
	case KindFullyConnected:
		v = FullyConnected{OutputSize: e.OutputSize}
	case KindLeakyReLU:
		v = LeakyReLU{Scale: e.Alpha}
	case KindELU:
		v = ELU{Alpha: e.Alpha}
	}
	b, _ := json.Marshal(v) // cannot fail: plain structs of numbers
	return b
}
