package nn_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// v1Model returns a version 1 model file, as the first format version
// wrote it: a 2-3-2 network with a leaky ReLU (slope 0.2) and an ELU, and
// learnables 1, 2, 3, … in flat order.
func v1Model() ([]byte, []float64) {
	header := `{"dtype":"float64","inputSize":2,"layers":[` +
		`{"type":"fc","name":"fc1","outputSize":3},{"type":"leakyrelu","name":"leakyrelu1","alpha":0.2},` +
		`{"type":"fc","name":"out","outputSize":2},{"type":"elu","name":"elu1","alpha":1}],` +
		`"learnables":[{"name":"fc1/Weights","shape":[2,3]},{"name":"fc1/Bias","shape":[3]},` +
		`{"name":"out/Weights","shape":[3,2]},{"name":"out/Bias","shape":[2]}],"attachments":[]}`
	b := []byte("lbfgsnn\n")
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(header)))
	b = append(b, header...)
	values := make([]float64, 6+3+6+2)
	for i := range values {
		values[i] = float64(i + 1)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(values[i]))
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...), values
}

// TestModelVersion1Loads: a file of the first format version loads with
// its layers, names and learnables, and saves again as version 2.
func TestModelVersion1Loads(t *testing.T) {
	b, values := v1Model()
	net, _, err := nn.UnmarshalModel(b)
	if err != nil {
		t.Fatal(err)
	}
	wantLayers := []nn.Layer{
		nn.FullyConnected{Name: "fc1", OutputSize: 3}, nn.LeakyReLU{Name: "leakyrelu1", Scale: 0.2},
		nn.FullyConnected{Name: "out", OutputSize: 2}, nn.ELU{Name: "elu1", Alpha: 1},
	}
	if got := net.Layers(); !reflect.DeepEqual(got, wantLayers) {
		t.Errorf("layers %v, want %v", got, wantLayers)
	}
	if !slices.Equal(net.Params(), values) {
		t.Errorf("learnables %v, want %v", net.Params(), values)
	}
	// x = (1, 0): z = (1·1 + 0·4 + 7, 2 + 8, 3 + 9) = (8, 10, 12), positive
	// through the leaky ReLU; out = z·W + b with W = [[10 11] [12 13] [14 15]], b = (16, 17).
	y, err := net.Predict([]float64{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{8*10 + 10*12 + 12*14 + 16, 8*11 + 10*13 + 12*15 + 17}; !slices.Equal(y, want) {
		t.Errorf("Predict = %v, want %v", y, want)
	}
	again, err := net.MarshalModel(nil)
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(again[8:]); v != 2 {
		t.Errorf("saved as version %d, want 2", v)
	}
	back, _, err := nn.UnmarshalModel(again)
	if err != nil || !reflect.DeepEqual(back.Layers(), wantLayers) || !slices.Equal(back.Params(), values) {
		t.Errorf("version 2 round trip: %v", err)
	}
	// The version 1 fields are not accepted in a version 2 file.
	v2 := reseal(t, again, func(h string) string {
		return `{"dtype":"float64","inputSize":2,"layers":[` +
			`{"type":"fc","name":"fc1","outputSize":3},{"type":"leakyrelu","name":"leakyrelu1","alpha":0.2},` +
			`{"type":"fc","name":"out","outputSize":2},{"type":"elu","name":"elu1","alpha":1}],` +
			h[strings.Index(h, `"learnables"`):]
	})
	if _, _, err := nn.UnmarshalModel(v2); !errors.Is(err, nn.ErrModelFormat) {
		t.Errorf("version 1 fields in a version 2 file: %v, want ErrModelFormat", err)
	}
}
