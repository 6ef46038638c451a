// Command iris is MATLAB's lbfgsState example, line for line: Fisher's iris
// data, a 4-32-32-3 network with ReLU activations and a softmax output, the
// cross-entropy loss, an L-BFGS state with HistorySize 3 and
// InitialInverseHessianFactor 1.1, and ten calls of Update (MATLAB's
// lbfgsupdate). The state is printed before the loop, as MATLAB displays a
// new lbfgsState, then after every iteration, then in full at the end,
// followed by the training accuracy.
//
//	go run ./examples/iris
//
// The MATLAB line each block reproduces is quoted above it.
package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// seed draws the initial learnables (MATLAB's dlnetwork draws them from its
// global generator; here the generator is explicit, so runs repeat).
const seed = 1

// numEpochs is MATLAB's: "Train the network for 10 epochs."
const numEpochs = 10

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "iris:", err)
		os.Exit(1)
	}
}

// run trains the network and writes the report to w.
func run(w io.Writer) error {
	// [XTrain, TTrain] = iris_dataset;
	// (The features in centimetres, not standardised, as in MATLAB's example.)
	ds := data.Iris()
	tTrain, err := data.OneHot(ds.Labels, ds.NumClasses())
	if err != nil {
		return err
	}

	// net = dlnetwork(layers);
	net, err := newNetwork(ds.Cols, ds.NumClasses())
	if err != nil {
		return err
	}

	// lossFcn = @(net) dlfeval(@modelLoss,net,XTrain,TTrain);
	// (modelLoss: Y = forward(net,X); loss = crossentropy(Y,T);
	// gradients = dlgradient(loss,net.Learnables).)
	lossFcn, err := lossFunction(net, ds.Features, tTrain)
	if err != nil {
		return err
	}

	// solverState = lbfgsState(HistorySize=3, InitialInverseHessianFactor=1.1);
	opts := solver.DefaultOptions()
	opts.HistorySize = 3
	opts.InitialInverseHessianFactor = 1.1
	solverState, err := solver.NewLBFGSState(opts)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "solverState = lbfgsState(HistorySize=3, InitialInverseHessianFactor=1.1)")
	printState(w, solverState)

	// for i = 1:numEpochs
	//     [net, solverState] = lbfgsupdate(net,lossFcn,solverState);
	// end
	x := net.Flat() // the learnables as one vector, in net.Learnables order
	fmt.Fprintln(w)
	printHeader(w)
	for range numEpochs {
		if err := solverState.Update(x, lossFcn); err != nil {
			return err
		}
		printRow(w, solverState)
	}
	if err := net.SetFlatLearnables(x); err != nil {
		return err
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "solverState after", numEpochs, "updates:")
	printState(w, solverState)

	correct, err := countCorrect(net, ds)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\ntraining accuracy: %d/%d = %.2f%%\n", correct, ds.Rows, 100*float64(correct)/float64(ds.Rows))
	return nil
}

// countCorrect returns how many rows of ds the network classifies as
// labelled.
func countCorrect(net *nn.Network, ds *data.Dataset) (int, error) {
	labels, _, err := net.Classify(ds.Features)
	if err != nil {
		return 0, err
	}
	correct := 0
	for i, l := range labels {
		if l == ds.Labels[i] {
			correct++
		}
	}
	return correct, nil
}

// newNetwork returns MATLAB's network, its learnables drawn from the seed:
//
//	numHiddenUnits = 32;
//	layers = [
//	    featureInputLayer(numInputFeatures)
//	    fullyConnectedLayer(numHiddenUnits)
//	    reluLayer
//	    fullyConnectedLayer(numHiddenUnits)
//	    reluLayer
//	    fullyConnectedLayer(numClasses)
//	    softmaxLayer];
func newNetwork(numInputFeatures, numClasses int) (*nn.Network, error) {
	const numHiddenUnits = 32
	return nn.New(nn.Config{
		InputSize: numInputFeatures,
		Layers: []nn.Layer{
			nn.FullyConnected{OutputSize: numHiddenUnits},
			nn.ReLU{},
			nn.FullyConnected{OutputSize: numHiddenUnits},
			nn.ReLU{},
			nn.FullyConnected{OutputSize: numClasses},
			nn.Softmax{},
		},
	}, rand.New(rand.NewPCG(seed, 0)))
}

// lossFunction returns the loss closure of net on the batch (x, t): the
// mean cross-entropy and its gradient, with the training accuracy as the
// additional output (an nn.Metrics).
func lossFunction(net *nn.Network, x, t []float64) (solver.LossFunc, error) {
	obj, err := net.NewObjective(x, t, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Metrics: true})
	if err != nil {
		return nil, err
	}
	return obj.Evaluate, nil
}
