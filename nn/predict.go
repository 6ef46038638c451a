package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// predictor is a forward graph for a fixed number of rows, reading the
// network's live learnables.
type predictor struct {
	rows int
	x    *tensor.Dense // input buffer bound to the X node
	out  *gorgonia.Node
	prog *autodiff.Program
	used uint64
}

// maxPredictors bounds the forward graphs a network keeps, one per
// distinct number of rows, the least recently used dropped first.
const maxPredictors = 4

// predictors is the network's cache of forward graphs.
type predictors struct {
	byRows map[int]*predictor
	count  uint64
}

// get returns the predictor for rows, building it if needed.
func (ps *predictors) get(n *Network, rows int) (*predictor, error) {
	ps.count++
	if p, ok := ps.byRows[rows]; ok {
		p.used = ps.count
		return p, nil
	}
	p, err := n.newPredictor(rows)
	if err != nil {
		return nil, err
	}
	if ps.byRows == nil {
		ps.byRows = map[int]*predictor{}
	}
	if len(ps.byRows) >= maxPredictors {
		oldest, used := 0, ^uint64(0)
		for r, q := range ps.byRows {
			if q.used < used {
				oldest, used = r, q.used
			}
		}
		delete(ps.byRows, oldest)
	}
	p.used = ps.count
	ps.byRows[rows] = p
	return p, nil
}

// Predict returns the network's outputs for x (rows × InputSize,
// row-major, any number of rows >= 1, unrelated to the batch it was
// trained on): rows × OutputSize values, row-major; class probabilities
// for a network ending in Softmax, from the current Params. The forward
// graph is built for the number of rows and kept for later calls with
// that number (a few row counts at a time). A value
// of x that is not finite (or beyond float32's range for a float32
// network) is an error wrapping ErrNonFinite.
func (n *Network) Predict(x []float64) ([]float64, error) {
	if err := n.valid(); err != nil {
		return nil, err
	}
	if len(x) == 0 || len(x)%n.inputSize != 0 {
		return nil, fmt.Errorf("%w: Predict: len(x) = %d is not a positive multiple of InputSize %d", ErrShape, len(x), n.inputSize)
	}
	if err := n.checkValues("Predict: x", x); err != nil {
		return nil, err
	}
	rows := len(x) / n.inputSize
	n.mu.Lock()
	defer n.mu.Unlock()
	p, err := n.preds.get(n, rows)
	if err != nil {
		return nil, err
	}
	n.syncTensors()
	return p.run(x, rows*n.OutputSize())
}

// Classify returns the predicted class of each row of x: the index of the
// largest output (the first, on ties) for a network with several outputs or
// a softmax output layer; for a network with one output that is not a
// softmax (a binary classifier), 1 if the output exceeds 0.5 and 0
// otherwise. It also returns Predict's outputs.
func (n *Network) Classify(x []float64) (labels []int, outputs []float64, err error) {
	if outputs, err = n.Predict(x); err != nil {
		return nil, nil, err
	}
	cols := n.OutputSize()
	binary := cols == 1 && !n.softmaxOutput()
	labels = make([]int, len(outputs)/cols)
	for i := range labels {
		row := outputs[i*cols : (i+1)*cols]
		switch {
		case !binary:
			labels[i] = argmax(row)
		case row[0] > 0.5:
			labels[i] = 1
		}
	}
	return labels, outputs, nil
}

// softmaxOutput reports whether the network's last layer is a softmax.
func (n *Network) softmaxOutput() bool {
	return len(n.layers) > 0 && n.layers[len(n.layers)-1].layer.Kind() == KindSoftmax
}

func (n *Network) newPredictor(rows int) (p *predictor, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, graphPanic("predict", r)
		}
	}()
	g := gorgonia.NewGraph()
	p = &predictor{rows: rows, x: tensor.New(tensor.Of(n.dtype), tensor.WithShape(rows, n.inputSize))}
	xn := gorgonia.NewMatrix(g, n.dtype, gorgonia.WithShape(rows, n.inputSize), gorgonia.WithName("X"), gorgonia.WithValue(p.x))
	outs, err := n.forwardFused(xn, n.learnableNodes(g, n.liveTensors()), false, len(n.layers))
	if err != nil {
		return nil, err
	}
	p.out = outs[len(outs)-1]
	if p.prog, err = autodiff.NewProgram(p.out); err != nil {
		return nil, fmt.Errorf("%w: predict: %w", ErrGraph, err)
	}
	return p, nil
}

// run copies x into the input buffer, runs the graph and returns a copy of
// the size outputs as float64.
func (p *predictor) run(x []float64, size int) (out []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, graphPanic("predict", r)
		}
	}()
	setFloats(p.x, x)
	if err := p.prog.Run(); err != nil {
		return nil, fmt.Errorf("%w: predict: %w", ErrGraph, err)
	}
	d, err := denseOf(p.prog.Value(p.out), size)
	if err != nil {
		return nil, err
	}
	out = make([]float64, size)
	getFloats(d, out)
	return out, nil
}

// ClassifyLabels is Classify for a multi-label network, one whose outputs
// are independent probabilities (a final Sigmoid layer trained with
// BinaryCrossEntropy, one column per label): label j of row i is on when
// its output exceeds threshold, outputs[i·OutputSize + j] > threshold.
// It returns the rows × OutputSize decisions, row-major, and Predict's
// outputs. A threshold outside (0, 1) is an error wrapping
// ErrInvalidOption.
func (n *Network) ClassifyLabels(x []float64, threshold float64) (on []bool, outputs []float64, err error) {
	if !(threshold > 0 && threshold < 1) {
		return nil, nil, fmt.Errorf("%w: threshold = %v (valid: 0 < threshold < 1)", ErrInvalidOption, threshold)
	}
	if outputs, err = n.Predict(x); err != nil {
		return nil, nil, err
	}
	on = make([]bool, len(outputs))
	for i, v := range outputs {
		on[i] = v > threshold
	}
	return on, outputs, nil
}
