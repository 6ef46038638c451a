package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// shape is one benchmark network on one batch: rows observations, layer
// widths sizes (input first), ReLU hidden layers and a softmax output
// trained with the mean cross-entropy.
type shape struct {
	Name  string `json:"name"`
	Rows  int    `json:"rows"`
	Sizes []int  `json:"sizes"`
}

// evalShapes are the rows of the evaluation table: iris (150×4-32-32-3),
// digits-shaped (1797×64-128-10) and a larger network (10000×784-256-10).
var evalShapes = []shape{
	{"iris", 150, []int{4, 32, 32, 3}},
	{"digits", 1797, []int{64, 128, 10}},
	{"large", 10000, []int{784, 256, 10}},
}

// trainShape is the end-to-end training problem: digits-shaped data
// through 64-256-256-10.
var trainShape = shape{"digits-train", 1797, []int{64, 256, 256, 10}}

func (s shape) String() string {
	w := make([]string, len(s.Sizes))
	for i, v := range s.Sizes {
		w[i] = strconv.Itoa(v)
	}
	return fmt.Sprintf("%d×%s", s.Rows, strings.Join(w, "-"))
}

// problem is a shape with its data and initial parameters, the same for
// lbfgsnet and PyTorch: standard-normal features, uniform labels, and
// nn's Glorot-uniform initial parameters, all from seed.
type problem struct {
	shape
	x      []float64 // rows × Sizes[0]
	labels []int32
	params []float64 // nn's flat layout: per layer Weights (in×out) then Bias
}

// newProblem generates the data and parameters of s from seed.
func newProblem(s shape, seed uint64) (*problem, error) {
	r := rand.New(rand.NewPCG(seed, 0xbe4c4))
	p := &problem{shape: s, x: make([]float64, s.Rows*s.Sizes[0]), labels: make([]int32, s.Rows)}
	for i := range p.x {
		p.x[i] = r.NormFloat64()
	}
	classes := s.Sizes[len(s.Sizes)-1]
	for i := range p.labels {
		p.labels[i] = int32(r.IntN(classes))
	}
	net, err := p.network(tensor.Float64, r)
	if err != nil {
		return nil, err
	}
	p.params = net.Flat()
	return p, nil
}

// network builds the network of the shape in dtype dt.
func (p *problem) network(dt tensor.Dtype, r *rand.Rand) (*nn.Network, error) {
	var layers []nn.Layer
	for _, w := range p.Sizes[1 : len(p.Sizes)-1] {
		layers = append(layers, nn.FullyConnected{OutputSize: w}, nn.ReLU{})
	}
	layers = append(layers, nn.FullyConnected{OutputSize: p.Sizes[len(p.Sizes)-1]}, nn.Softmax{})
	return nn.New(nn.Config{InputSize: p.Sizes[0], Layers: layers, Dtype: dt}, r)
}

// evaluator returns the loss closure of the problem in dtype dt, with
// nn's default sharding and the L2 term (l2/2)·Σ‖W‖², and the initial
// parameters.
func (p *problem) evaluator(dt tensor.Dtype, l2 float64) (*nn.Objective, []float64, error) {
	net, err := p.network(dt, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		return nil, nil, err
	}
	if err := net.SetFlatLearnables(p.params); err != nil {
		return nil, nil, err
	}
	classes := p.Sizes[len(p.Sizes)-1]
	t := make([]float64, p.Rows*classes)
	for i, l := range p.labels {
		t[i*classes+int(l)] = 1
	}
	obj, err := net.NewObjective(p.x, t, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: l2, Shards: shards})
	if err != nil {
		return nil, nil, err
	}
	return obj, append([]float64(nil), p.params...), nil
}

// shards is ObjectiveOptions.Shards of every evaluator (flag -shards; 0:
// nn's default).
var shards int

// manifest describes the dumped problems for the PyTorch side.
type manifest struct {
	Problems []dumped `json:"problems"`
}

// dumped is one problem's files: raw little-endian float64 features and
// parameters, int32 labels.
type dumped struct {
	shape
	X, Labels, Params string
}

// dump writes every problem to dir and its manifest.json.
func dump(dir string, ps []*problem) error {
	var m manifest
	for _, p := range ps {
		d := dumped{shape: p.shape, X: p.Name + ".x.bin", Labels: p.Name + ".labels.bin", Params: p.Name + ".params.bin"}
		for _, f := range []struct {
			name string
			data any
		}{{d.X, p.x}, {d.Labels, p.labels}, {d.Params, p.params}} {
			if err := writeBinary(filepath.Join(dir, f.name), f.data); err != nil {
				return err
			}
		}
		m.Problems = append(m.Problems, d)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644)
}

func writeBinary(path string, data any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := binary.Write(f, binary.LittleEndian, data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// finite returns v, or -1 for NaN and infinities (JSON has no NaN).
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return -1
	}
	return v
}

// useDigits replaces the data of the 1797×64 problems by the digits files
// at prefix.
func useDigits(ps []*problem, prefix string) error {
	for _, p := range ps {
		if p.Rows != 1797 || p.Sizes[0] != 64 || p.Sizes[len(p.Sizes)-1] != 10 {
			continue
		}
		if err := readBinary(prefix+".x.bin", p.x); err != nil {
			return err
		}
		if err := readBinary(prefix+".labels.bin", p.labels); err != nil {
			return err
		}
	}
	return nil
}

// readDumped reads back the data and parameters dump wrote to dir.
func readDumped(dir string, ps []*problem) error {
	for _, p := range ps {
		for _, f := range []struct {
			name string
			data any
		}{{p.Name + ".x.bin", p.x}, {p.Name + ".labels.bin", p.labels}, {p.Name + ".params.bin", p.params}} {
			if err := readBinary(filepath.Join(dir, f.name), f.data); err != nil {
				return err
			}
		}
	}
	return nil
}

// readBinary fills data (a []float64 or []int32) from the file, which
// must hold exactly that many little-endian values.
func readBinary(path string, data any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if want := binary.Size(data); len(b) != want {
		return fmt.Errorf("%s: %d bytes, want %d", path, len(b), want)
	}
	_, err = binary.Decode(b, binary.LittleEndian, data)
	return err
}
