package nn_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// allLayers uses every layer type, for the model round trip.
func allLayers() []nn.Layer {
	return []nn.Layer{
		nn.FullyConnected{OutputSize: 5}, nn.ReLU{}, nn.FullyConnected{OutputSize: 5}, nn.LeakyReLU{Scale: 0.1},
		nn.FullyConnected{OutputSize: 5}, nn.Tanh{}, nn.FullyConnected{OutputSize: 5}, nn.ELU{Alpha: 0.5},
		nn.FullyConnected{OutputSize: 5}, nn.GELU{}, nn.FullyConnected{OutputSize: 5}, nn.Sigmoid{},
		nn.FullyConnected{OutputSize: 5}, nn.Softplus{}, nn.FullyConnected{OutputSize: 5}, nn.Swish{},
		nn.LayerNorm{Epsilon: 1e-3}, nn.BatchNorm{}, nn.Residual{Layers: []nn.Layer{nn.FullyConnected{OutputSize: 5}, nn.Tanh{}}},
		nn.FullyConnected{Name: "out", OutputSize: 3}, nn.Softmax{},
	}
}

func TestModelRoundTrip(t *testing.T) {
	att := map[string][]byte{"standardization": []byte(`{"mean":[1,2]}`), "classes": []byte("a\nb\nc"), "empty": {}}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		t.Run(dt.String(), func(t *testing.T) {
			net := mustNet(t, 4, allLayers(), dt, 1)
			p := net.Flat()
			// bit patterns must survive: a signed zero, an infinity, a NaN
			// with a payload
			p[0], p[1], p[2] = math.Copysign(0, -1), math.Inf(1), math.Float64frombits(0x7ff8_0000_1234_0000)
			if err := net.SetFlatLearnables(p); err != nil {
				t.Fatal(err)
			}
			if dt == tensor.Float32 {
				for i, v := range p { // as stored: rounded to float32
					p[i] = float64(float32(v))
				}
			}
			path := filepath.Join(t.TempDir(), "model.lbfgsnn")
			if err := net.Save(path, att); err != nil {
				t.Fatal(err)
			}
			got, gotAtt, err := nn.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if got.Dtype() != dt || got.InputSize() != 4 || !reflect.DeepEqual(got.Layers(), net.Layers()) {
				t.Errorf("loaded %v %d %v, want %v 4 %v", got.Dtype(), got.InputSize(), got.Layers(), dt, net.Layers())
			}
			q := got.Flat()
			for i := range p {
				if math.Float64bits(p[i]) != math.Float64bits(q[i]) {
					t.Fatalf("learnable %d: saved %v, loaded %v", i, p[i], q[i])
				}
			}
			if !reflect.DeepEqual(gotAtt, att) {
				t.Errorf("attachments %q, want %q", gotAtt, att)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("directory holds %d entries after Save, want only the model", len(entries))
			}
		})
	}
}

// TestModelPredictionsSurvive: a loaded network predicts exactly as the
// saved one.
func TestModelPredictionsSurvive(t *testing.T) {
	x, _, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float32, 3)
	b, err := net.MarshalModel(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, att, err := nn.UnmarshalModel(b)
	if err != nil || len(att) != 0 {
		t.Fatalf("UnmarshalModel: %v, attachments %v", err, att)
	}
	want, _ := net.Predict(x)
	have, _ := got.Predict(x)
	if !reflect.DeepEqual(have, want) {
		t.Error("predictions of the loaded network differ")
	}
}

// model returns a small saved model and its bytes.
func model(t *testing.T) []byte {
	t.Helper()
	net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 2}, nn.Softmax{}}, tensor.Float64, 1)
	b, err := net.MarshalModel(map[string][]byte{"note": []byte("hello")})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reseal replaces b's header with the result of edit and recomputes the
// checksum, to make files that are intact but wrong.
func reseal(t *testing.T, b []byte, edit func(header string) string) []byte {
	t.Helper()
	hsize := binary.LittleEndian.Uint64(b[12:])
	header := edit(string(b[20 : 20+hsize]))
	var out []byte
	out = append(out, b[:12]...)
	out = binary.LittleEndian.AppendUint64(out, uint64(len(header)))
	out = append(out, header...)
	out = append(out, b[20+hsize:len(b)-32]...)
	sum := sha256.Sum256(out)
	return append(out, sum[:]...)
}

func TestModelBadFiles(t *testing.T) {
	good := model(t)
	newer := bytes.Clone(good)
	binary.LittleEndian.PutUint32(newer[8:], nn.ModelFormatVersion+1)
	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, nn.ErrModelTruncated},
		{"not a model", []byte("sepal_length,sepal_width\n5.1,3.5\n"), nn.ErrModelFormat},
		{"magic only", good[:8], nn.ErrModelTruncated},
		{"half the header", good[:40], nn.ErrModelTruncated},
		{"learnables cut", good[:len(good)-40], nn.ErrModelTruncated},
		{"checksum cut", good[:len(good)-1], nn.ErrModelTruncated},
		{"trailing bytes", append(bytes.Clone(good), 0), nn.ErrModelChecksum},
		{"newer version", newer, nn.ErrModelVersion},
		{"flipped learnable bit", flip(good, len(good)-40), nn.ErrModelChecksum},
		{"wrong shape", reseal(t, good, func(h string) string { return strings.Replace(h, `"shape":[2,2]`, `"shape":[4,1]`, 1) }), nn.ErrModelMismatch},
		{"wrong learnable name", reseal(t, good, func(h string) string { return strings.Replace(h, "fc1/Bias", "fc1/Offset", 1) }), nn.ErrModelMismatch},
		{"unknown layer", reseal(t, good, func(h string) string { return strings.Replace(h, `"softmax"`, `"maxout"`, 1) }), nn.ErrRegistry},
		{"unknown dtype", reseal(t, good, func(h string) string { return strings.Replace(h, "float64", "int8", 1) }), nn.ErrModelFormat},
		{"unknown field", reseal(t, good, func(h string) string { return strings.Replace(h, `{"dtype"`, `{"extra":1,"dtype"`, 1) }), nn.ErrModelFormat},
		// encoding/json alone takes "DTYPE" for "dtype" and keeps the last
		// of two keys; the header is read strictly.
		{"key in another case", reseal(t, good, func(h string) string { return strings.Replace(h, `"dtype"`, `"DType"`, 1) }), nn.ErrModelFormat},
		{"nested key in another case", reseal(t, good, func(h string) string { return strings.Replace(h, `"shape"`, `"Shape"`, 1) }), nn.ErrModelFormat},
		{"duplicate key", reseal(t, good, func(h string) string { return strings.Replace(h, `{"dtype"`, `{"dtype":"float32","dtype"`, 1) }), nn.ErrModelFormat},
		{"architecture far larger than its learnables", reseal(t, good, func(h string) string {
			return strings.Replace(h, `"outputSize":2`, `"outputSize":1000000000`, 1)
		}), nn.ErrModelMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, att, err := nn.UnmarshalModel(tt.b)
			if !errors.Is(err, tt.want) || net != nil || att != nil {
				t.Errorf("UnmarshalModel: %v; want %v", err, tt.want)
			}
		})
	}
}

// TestModelDefaultAlpha: a file whose LeakyReLU or ELU layer has no
// "alpha" (written by other means than Save, which stores the resolved
// value) loads with the layer's default, as the Layer value it reports
// means, and predicts as the network saved with the default.
func TestModelDefaultAlpha(t *testing.T) {
	layers := []nn.Layer{
		nn.FullyConnected{OutputSize: 4}, nn.LeakyReLU{},
		nn.FullyConnected{OutputSize: 4}, nn.ELU{}, nn.FullyConnected{OutputSize: 1},
	}
	net := mustNet(t, 2, layers, tensor.Float64, 1)
	b, err := net.MarshalModel(nil)
	if err != nil {
		t.Fatal(err)
	}
	stripped := reseal(t, b, func(h string) string {
		h = strings.Replace(h, `,"alpha":0.01`, "", 1)
		return strings.Replace(h, `,"alpha":1`, "", 1)
	})
	if bytes.Contains(stripped, []byte("alpha")) {
		t.Fatal("the test failed to remove the alphas from the header")
	}
	got, _, err := nn.UnmarshalModel(stripped)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Layers(), net.Layers()) {
		t.Errorf("layers %v, want %v", got.Layers(), net.Layers())
	}
	x, _ := randomBatch(newRand(2), 20, 2, 1, nn.MeanSquaredError) // N(0, 1): both signs reach the activations
	want, _ := net.Predict(x)
	have, err := got.Predict(x)
	if err != nil || !reflect.DeepEqual(have, want) {
		t.Errorf("predictions %v, %v; want %v", have, err, want)
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}

// TestModelEveryCorruption: every truncation and every flipped bit of a
// model file gives an error, never a panic or a silently wrong network.
func TestModelEveryCorruption(t *testing.T) {
	good := model(t)
	for n := range len(good) {
		if _, _, err := nn.UnmarshalModel(good[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
	for i := range len(good) {
		for bit := range 8 {
			c := bytes.Clone(good)
			c[i] ^= 1 << bit
			if _, _, err := nn.UnmarshalModel(c); err == nil {
				t.Fatalf("bit %d of byte %d flipped: no error", bit, i)
			}
		}
	}
}

func FuzzUnmarshalModel(f *testing.F) {
	net, err := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{nn.FullyConnected{OutputSize: 2}, nn.Tanh{}}}, newRand(1))
	if err != nil {
		f.Fatal(err)
	}
	b, err := net.MarshalModel(map[string][]byte{"a": []byte("x")})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:30])
	f.Fuzz(func(t *testing.T, b []byte) {
		net, _, err := nn.UnmarshalModel(b)
		if err == nil && net.NumLearnables() == 0 {
			t.Error("a network without learnables")
		}
	})
}

func TestSaveErrors(t *testing.T) {
	net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 2}}, tensor.Float64, 1)
	dir := t.TempDir()
	if err := net.Save(filepath.Join(dir, "missing", "model"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Save into a missing directory: %v, want ErrNotExist", err)
	}
	if err := net.Save(filepath.Join(dir, "model"), map[string][]byte{"": nil}); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("Save with an empty attachment name: %v, want ErrInvalidOption", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed saves left %d files", len(entries))
	}
	// Save replaces an existing file.
	path := filepath.Join(dir, "model")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := net.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := nn.Load(path); err != nil {
		t.Errorf("Load after Save over an old file: %v", err)
	}
	if _, _, err := nn.Load(filepath.Join(dir, "nothing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want ErrNotExist", err)
	}
}
