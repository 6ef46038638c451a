package nn_test

import (
	"fmt"
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// userFC is a user layer that is a FullyConnected layer under another
// type: nn does not fuse it with the activation after it, so a network of
// userFC layers evaluates the unfused ops.
type userFC struct{ nn.FullyConnected }

// TestFusedDenseActivation compares a network whose FullyConnected layers
// nn fuses with the activation after them against the same network built
// from userFC layers (unfused), on every fusable activation, both dtypes,
// one and two shards: the fused op computes the same operations in the
// same order (the bias copied in, one GEMM, f in place; f′ from y, the
// bias gradient summed in addRows' order), so losses, gradients and
// predictions must be bit-identical, in float32 as in float64. The batch
// has a zero row and zero biases, so that z = 0 exactly, where ReLU's
// derivative is taken as 0 on both paths. The widths 32 and 16 take the
// one-pass backward of a layer with few outputs above a ReLU or LeakyReLU
// layer (gatedBackOp, where the processor has AVX-512), whose unfused
// counterparts are the small products of matMulOp and the gate.
func TestFusedDenseActivation(t *testing.T) {
	acts := []nn.Layer{nn.ReLU{}, nn.LeakyReLU{}, nn.LeakyReLU{Scale: 0.2}, nn.ELU{Alpha: 0.7}, nn.Tanh{}, nn.Sigmoid{}}
	const rows, in = 37, 6
	for k, act := range acts {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			for _, shards := range []int{1, 2} {
				for _, w := range [][2]int{{9, 5}, {32, 16}} {
					name := fmt.Sprintf("%d-%s/%v/shards=%d/widths=%d,%d", k, act.Kind(), dt, shards, w[0], w[1])
					t.Run(name, func(t *testing.T) {
						fused := []nn.Layer{nn.FullyConnected{OutputSize: w[0]}, act, nn.FullyConnected{OutputSize: w[1]}, act, nn.FullyConnected{OutputSize: 3}, nn.Softmax{}}
						plain := []nn.Layer{userFC{nn.FullyConnected{OutputSize: w[0]}}, act, userFC{nn.FullyConnected{OutputSize: w[1]}}, act, userFC{nn.FullyConnected{OutputSize: 3}}, nn.Softmax{}}
						a := mustNet(t, in, fused, dt, 7)
						b := mustNet(t, in, plain, dt, 7)
						p := append([]float64(nil), a.Flat()...)
						zeroBiases(a, p)
						for _, n := range []*nn.Network{a, b} {
							if err := n.SetFlatLearnables(p); err != nil {
								t.Fatal(err)
							}
						}
						x, y := randomBatch(newRand(3), rows, in, 3, nn.CrossEntropy)
						clear(x[5*in : 6*in]) // z = 0 exactly on row 5
						opts := nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-2, Shards: shards}
						la, ga := evalExact(t, a, x, y, opts)
						lb, gb := evalExact(t, b, x, y, opts)
						if la != lb {
							t.Errorf("loss fused %v, unfused %v", la, lb)
						}
						for i := range ga {
							if ga[i] != gb[i] && !(math.IsNaN(ga[i]) && math.IsNaN(gb[i])) {
								t.Fatalf("gradient[%d] fused %v, unfused %v", i, ga[i], gb[i])
							}
						}
						pa, err := a.Predict(x)
						if err != nil {
							t.Fatal(err)
						}
						pb, err := b.Predict(x)
						if err != nil {
							t.Fatal(err)
						}
						for i := range pa {
							if pa[i] != pb[i] {
								t.Fatalf("prediction[%d] fused %v, unfused %v", i, pa[i], pb[i])
							}
						}
					})
				}
			}
		}
	}
}

// zeroBiases sets the values of net's "Bias" learnables in p to 0.
func zeroBiases(net *nn.Network, p []float64) {
	for _, l := range net.Learnables() {
		if l.Parameter == "Bias" {
			clear(p[l.Offset : l.Offset+len(l.Value)])
		}
	}
}

// evalExact returns the loss and gradient of net's objective at its
// learnables, evaluated twice to check that the second run (reusing the
// ops' buffers) gives the first one's bits.
func evalExact(t *testing.T, net *nn.Network, x, y []float64, opts nn.ObjectiveOptions) (float64, []float64) {
	t.Helper()
	ev, _ := evaluator(t, net, x, y, opts)
	g := make([]float64, len(net.Flat()))
	g2 := make([]float64, len(g))
	loss, _, err := ev.Evaluate(net.Flat(), g)
	if err != nil {
		t.Fatal(err)
	}
	loss2, _, err := ev.Evaluate(net.Flat(), g2)
	if err != nil {
		t.Fatal(err)
	}
	if loss2 != loss {
		t.Fatalf("second evaluation: loss %v, first %v", loss2, loss)
	}
	for i := range g {
		if g[i] != g2[i] {
			t.Fatalf("second evaluation: gradient[%d] %v, first %v", i, g2[i], g[i])
		}
	}
	return loss, g
}
