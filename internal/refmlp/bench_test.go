package refmlp

import (
	"fmt"
	"testing"
)

// benchSizes are the networks of the nn benchmarks (issue 4): iris
// (150×4-32-32-3), a digits-sized network (1797×64-128-10) and a larger one
// (10000×784-256-10, MNIST-shaped).
var benchSizes = []struct {
	name  string
	sizes []int
	batch int
}{
	{"iris", []int{4, 32, 32, 3}, 150},
	{"digits", []int{64, 128, 10}, 1797},
	{"large", []int{784, 256, 10}, 10000},
}

// BenchmarkLossGrad measures one loss-and-gradient evaluation of the
// reference, float64 and float32, reporting evaluations per second:
//
//	go test -run XXX -bench LossGrad -benchtime 2s ./internal/refmlp
func BenchmarkLossGrad(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name+"/float64", func(b *testing.B) {
			if s.name == "large" && testing.Short() {
				b.Skip("large network skipped under -short")
			}
			net, params, x, labels := randomProblem[float64](b, s.sizes, s.batch, 1)
			benchLossGrad(b, net, params, x, labels)
		})
		b.Run(s.name+"/float32", func(b *testing.B) {
			if s.name == "large" && testing.Short() {
				b.Skip("large network skipped under -short")
			}
			net, params, x, labels := randomProblem[float32](b, s.sizes, s.batch, 1)
			benchLossGrad(b, net, params, x, labels)
		})
	}
}

func benchLossGrad[T Float](b *testing.B, net *Net[T], params, x []T, labels []int) {
	grad := make([]T, len(params))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := net.LossGrad(params, x, labels, grad); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
}

func ExampleNet_LossGrad() {
	// A 2-input, 2-class network with one hidden layer of 2 units, one row.
	net, err := New[float64]([]int{2, 2, 2}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	params := []float64{
		1, 0, // layer 0 Weights, row 0 (input 0 → units 0, 1)
		0, 1, // layer 0 Weights, row 1 (input 1 → units 0, 1)
		0, 0, // layer 0 Bias
		1, 0, // layer 1 Weights, row 0 (hidden 0 → classes 0, 1)
		0, 1, // layer 1 Weights, row 1
		0, 0, // layer 1 Bias
	}
	grad := make([]float64, net.NumParams())
	// x = [1, -1]: the hidden layer is ReLU([1, -1]) = [1, 0], the logits
	// are [1, 0], and the loss for class 0 is log(1 + e^{-1}).
	loss, err := net.LossGrad(params, []float64{1, -1}, []int{0}, grad)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("loss %.6f, %d parameters\n", loss, net.NumParams())
	w, b, _ := net.Layer(grad, 1)
	fmt.Printf("dW1 %.4f\ndb1 %.4f\n", w, b)
	// Output:
	// loss 0.313262, 12 parameters
	// dW1 [-0.2689 0.2689 0.0000 0.0000]
	// db1 [-0.2689 0.2689]
}
