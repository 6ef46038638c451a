// Command hybrid trains a network in two phases: a few epochs of Adam
// (stochastic.Adam) on shuffled minibatches, then L-BFGS on the full batch from
// where Adam stopped. A first-order method makes cheap progress from a
// random start, then slows down, held back by its fixed learning rate and
// the noise of its minibatch gradients; L-BFGS, with the deterministic
// full-batch loss and its curvature model, then drives the loss towards the
// noise floor of the data. The program prints the full-batch loss through
// both phases, and what Adam reaches when given the same number of passes
// over the data that L-BFGS used.
//
//	go run ./examples/hybrid
package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// The problem: y = sin(3x) + noise on [−2, 2], fitted by a 1-16-16-1 tanh
// network with the mean squared error.
const (
	numSamples = 256
	noiseSigma = 0.05
	hidden     = 16
	seed       = 1
)

// The schedule: Adam's epochs and minibatch size, then L-BFGS iterations.
const (
	adamEpochs     = 20
	batchSize      = 32
	adamRate       = 0.01 // ten times Adam's default: the network is small
	lbfgsIters     = 100
	lbfgsPrintStep = 10
)

// result is what run measured, for the test.
type result struct {
	initial       float64   // full-batch loss at the random start
	adam          []float64 // full-batch loss after each Adam epoch
	lbfgs         []float64 // full-batch loss after each L-BFGS iteration
	lbfgsEvals    int       // L-BFGS loss evaluations (each one pass over the data)
	adamSameSteps float64   // loss after Adam ran lbfgsEvals more epochs instead
	noiseFloor    float64   // σ², the expected loss of the true function
}

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hybrid:", err)
		os.Exit(1)
	}
}

// run trains the network and writes the report to w.
func run(w io.Writer) (result, error) {
	res := result{noiseFloor: noiseSigma * noiseSigma}
	xs, ys := samples(rand.New(rand.NewPCG(seed, 1)))
	net, err := newNetwork()
	if err != nil {
		return res, err
	}
	obj, err := objective(net, xs, ys)
	if err != nil {
		return res, err
	}
	full := obj.Evaluate
	x := net.Flat()
	grad := make([]float64, len(x))
	if res.initial, _, err = full(x, grad); err != nil {
		return res, err
	}
	fmt.Fprintf(w, "y = sin(3x) + noise (σ = %g), %d samples on [−2, 2]; network 1-%d-%d-1 tanh, %d learnables\n",
		noiseSigma, numSamples, hidden, hidden, len(x))
	fmt.Fprintf(w, "mean squared error; the noise floor σ² is %.3e\n\n", res.noiseFloor)
	fmt.Fprintf(w, "%-6s  %-12s  %s\n", "phase", "step", "full-batch loss")
	fmt.Fprintf(w, "%-6s  %-12s  %.4e\n", "start", "", res.initial)

	// Phase 1: Adam on minibatches.
	adam, err := newAdam(x, grad, obj.NumRows(), adamRate)
	if err != nil {
		return res, err
	}
	shuffle := rand.New(rand.NewPCG(seed, 3))
	for epoch := 1; epoch <= adamEpochs; epoch++ {
		if err := adam.epoch(obj, shuffle); err != nil {
			return res, err
		}
		loss, err := obj.Loss(x)
		if err != nil {
			return res, err
		}
		res.adam = append(res.adam, loss)
		fmt.Fprintf(w, "%-6s  %-12s  %.4e\n", "adam", fmt.Sprintf("epoch %d", epoch), loss)
	}
	atSwitch := res.adam[len(res.adam)-1]

	// Phase 2: L-BFGS on the full batch, from a copy of Adam's point.
	fmt.Fprintln(w, "--- switch to L-BFGS on the full batch ---")
	if res.lbfgs, res.lbfgsEvals, err = refine(w, append([]float64(nil), x...), full); err != nil {
		return res, err
	}

	// The comparison: Adam given the same number of passes over the data.
	for range res.lbfgsEvals {
		if err := adam.epoch(obj, shuffle); err != nil {
			return res, err
		}
	}
	adamSame, err := obj.Loss(x)
	if err != nil {
		return res, err
	}
	res.adamSameSteps = adamSame
	final := atSwitch
	if len(res.lbfgs) > 0 {
		final = res.lbfgs[len(res.lbfgs)-1]
	}
	fmt.Fprintf(w, "loss at the switch, after %d Adam epochs:  %.4e\n", adamEpochs, atSwitch)
	fmt.Fprintf(w, "after L-BFGS (%d passes over the data):   %.4e  (%.1f× lower)\n", res.lbfgsEvals, final, atSwitch/final)
	fmt.Fprintf(w, "after Adam instead (%d more epochs):      %.4e  (%.1f× lower)\n", res.lbfgsEvals, adamSame, atSwitch/adamSame)
	return res, nil
}

// newNetwork returns the 1-hidden-hidden-1 tanh network, initialised from
// the seed.
func newNetwork() (*nn.Network, error) {
	return nn.New(nn.Config{
		InputSize: 1,
		Layers: []nn.Layer{
			nn.FullyConnected{OutputSize: hidden}, nn.Tanh{},
			nn.FullyConnected{OutputSize: hidden}, nn.Tanh{},
			nn.FullyConnected{OutputSize: 1},
		},
	}, rand.New(rand.NewPCG(seed, 2)))
}

// samples draws numSamples points x uniformly on [−2, 2] and returns them
// with y = sin(3x) + noise of standard deviation noiseSigma.
func samples(rng *rand.Rand) (xs, ys []float64) {
	xs = make([]float64, numSamples)
	ys = make([]float64, numSamples)
	for i := range xs {
		xs[i] = -2 + 4*rng.Float64()
		ys[i] = math.Sin(3*xs[i]) + noiseSigma*rng.NormFloat64()
	}
	return xs, ys
}
