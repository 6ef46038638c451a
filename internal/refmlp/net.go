package refmlp

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Sentinel errors; errors from this package wrap one of them.
var (
	// ErrShape: bad layer sizes or batch, or a slice of the wrong length.
	ErrShape = errors.New("refmlp: shape mismatch")
	// ErrLabel: a label outside [0, number of classes).
	ErrLabel = errors.New("refmlp: label out of range")
)

// Float is the element type of a Net: float64 or float32.
type Float interface {
	float32 | float64
}

// A Net computes the loss and gradient of one fully connected ReLU network
// with softmax cross-entropy (see the package documentation) for batches of
// a fixed size. It owns its work buffers, so a Net must not be used by two
// goroutines at once; create one per goroutine.
type Net[T Float] struct {
	sizes   []int
	batch   int
	nParams int
	wOff    []int // wOff[l]: offset of layer l's Weights in the parameters
	bOff    []int // bOff[l]: offset of layer l's Bias
	acts    [][]T // acts[l]: batch × sizes[l+1]; ReLU outputs of hidden layers, logits of the last
	deltas  [][]T // deltas[l]: batch × sizes[l+1], ∂loss/∂A of layer l
	blas    gemmer[T]
}

// New returns a Net for layer sizes [n0, n1, …, nL] (inputs, hidden widths,
// classes; at least two entries, each >= 1) and batches of batch >= 1 rows.
// Use New[float64] or New[float32].
func New[T Float](sizes []int, batch int) (*Net[T], error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("%w: %d layer sizes (want at least 2: inputs and classes)", ErrShape, len(sizes))
	}
	if batch < 1 {
		return nil, fmt.Errorf("%w: batch %d (valid: >= 1)", ErrShape, batch)
	}
	const limit = math.MaxInt32 // keeps every product below and every buffer length far from overflow
	n := &Net[T]{sizes: slices.Clone(sizes), batch: batch, blas: newGemmer[T]()}
	for l, s := range sizes {
		if s < 1 || s > limit || batch > limit/s {
			return nil, fmt.Errorf("%w: sizes[%d] = %d with batch %d (valid: sizes >= 1, batch·size <= %d)", ErrShape, l, s, batch, limit)
		}
		if l == 0 {
			continue
		}
		in := sizes[l-1]
		if in > (limit-n.nParams-s)/s {
			return nil, fmt.Errorf("%w: sizes %v: more than %d parameters", ErrShape, sizes, limit)
		}
		n.wOff = append(n.wOff, n.nParams)
		n.bOff = append(n.bOff, n.nParams+in*s)
		n.nParams += in*s + s
		n.acts = append(n.acts, make([]T, batch*s))
		n.deltas = append(n.deltas, make([]T, batch*s))
	}
	return n, nil
}

// Sizes returns a copy of the layer sizes.
func (n *Net[T]) Sizes() []int { return slices.Clone(n.sizes) }

// Batch returns the number of rows LossGrad expects.
func (n *Net[T]) Batch() int { return n.batch }

// NumParams returns the length of the parameter and gradient slices:
// Σ_l n(l-1)·n(l) + n(l).
func (n *Net[T]) NumParams() int { return n.nParams }

// Layer returns views into params of the Weights (row-major n(l-1) × n(l))
// and Bias of layer l, 0 <= l < len(sizes)−1. The same offsets serve a
// gradient slice.
func (n *Net[T]) Layer(params []T, l int) (weights, bias []T, err error) {
	if n == nil || len(n.sizes) < 2 {
		return nil, nil, fmt.Errorf("%w: Net not created by New", ErrShape)
	}
	if len(params) != n.nParams {
		return nil, nil, fmt.Errorf("%w: len(params) = %d, want %d", ErrShape, len(params), n.nParams)
	}
	if l < 0 || l >= len(n.wOff) {
		return nil, nil, fmt.Errorf("%w: layer %d (valid: 0 to %d)", ErrShape, l, len(n.wOff)-1)
	}
	return params[n.wOff[l]:n.bOff[l]], params[n.bOff[l] : n.bOff[l]+n.sizes[l+1]], nil
}

// LossGrad returns the mean softmax cross-entropy loss of the network with
// parameters params on the batch x (row-major, Batch() × sizes[0]) with class
// labels (len Batch(), each in [0, sizes[L])), and writes its gradient with
// respect to params into grad (len NumParams()), overwriting it. With grad
// nil it computes the loss only. The loss is accumulated in float64 for both
// element types. NaN or infinite inputs give a NaN or infinite loss, not an
// error. LossGrad allocates nothing (see the package documentation for
// gonum's share on large layers).
func (n *Net[T]) LossGrad(params, x []T, labels []int, grad []T) (float64, error) {
	if err := n.check(params, x, labels, grad); err != nil {
		return 0, err
	}
	n.forward(params, x)
	last := len(n.sizes) - 1
	loss := softmaxCrossEntropy(n.acts[last-1], labels, n.sizes[last], n.deltas[last-1], grad != nil)
	if grad != nil {
		n.backward(params, x, grad)
	}
	return loss, nil
}

// check validates the arguments of LossGrad.
func (n *Net[T]) check(params, x []T, labels []int, grad []T) error {
	if n == nil || len(n.sizes) < 2 {
		return fmt.Errorf("%w: Net not created by New", ErrShape)
	}
	if len(params) != n.nParams {
		return fmt.Errorf("%w: len(params) = %d, want %d", ErrShape, len(params), n.nParams)
	}
	if grad != nil && len(grad) != n.nParams {
		return fmt.Errorf("%w: len(grad) = %d, want %d", ErrShape, len(grad), n.nParams)
	}
	if len(x) != n.batch*n.sizes[0] {
		return fmt.Errorf("%w: len(x) = %d, want batch·inputs = %d·%d", ErrShape, len(x), n.batch, n.sizes[0])
	}
	if len(labels) != n.batch {
		return fmt.Errorf("%w: len(labels) = %d, want batch = %d", ErrShape, len(labels), n.batch)
	}
	classes := n.sizes[len(n.sizes)-1]
	for i, y := range labels {
		if y < 0 || y >= classes {
			return fmt.Errorf("%w: labels[%d] = %d (valid: 0 to %d)", ErrLabel, i, y, classes-1)
		}
	}
	return nil
}
