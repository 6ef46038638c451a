package nn

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// checkBatch validates x and t and returns the number of rows and the
// width of the targets; custom says t may have any width or be empty.
func (n *Network) checkBatch(x, t []float64, custom bool) (rows, tcols int, err error) {
	if len(x) == 0 || len(x)%n.inputSize != 0 {
		return 0, 0, fmt.Errorf("%w: len(x) = %d is not a positive multiple of InputSize %d", ErrShape, len(x), n.inputSize)
	}
	rows = len(x) / n.inputSize
	switch {
	case custom && len(t) == 0:
	case custom && len(t)%rows == 0:
		tcols = len(t) / rows
	case !custom && len(t) == rows*n.OutputSize():
		tcols = n.OutputSize()
	case custom:
		return 0, 0, fmt.Errorf("%w: len(t) = %d is not a multiple of the %d rows", ErrShape, len(t), rows)
	default:
		return 0, 0, fmt.Errorf("%w: len(t) = %d, want rows × OutputSize = %d × %d", ErrShape, len(t), rows, n.OutputSize())
	}
	if err := n.checkValues("x", x); err != nil {
		return 0, 0, err
	}
	return rows, tcols, n.checkValues("t", t)
}

// checkObjective validates opts against the network.
func (n *Network) checkObjective(opts ObjectiveOptions, rows int) error {
	if math.IsNaN(opts.L2) || math.IsInf(opts.L2, 0) || opts.L2 < 0 {
		return fmt.Errorf("%w: L2 = %v (valid: finite, >= 0)", ErrInvalidOption, opts.L2)
	}
	if opts.Shards < 0 || opts.Shards > rows {
		return fmt.Errorf("%w: Shards = %d (valid: 0 to the number of rows, %d)", ErrInvalidOption, opts.Shards, rows)
	}
	if opts.Shards > 1 && n.hasStatistics() {
		return fmt.Errorf("%w: Shards = %d with batch normalisation (valid: 0 or 1; its statistics are those of all the rows)", ErrInvalidOption, opts.Shards)
	}
	if opts.MaxGraphs < 0 || opts.MaxGraphs > 1024 {
		return fmt.Errorf("%w: MaxGraphs = %d (valid: 0 to 1024)", ErrInvalidOption, opts.MaxGraphs)
	}
	if err := n.checkWeights(opts, rows); err != nil {
		return err
	}
	if opts.Cost != nil {
		if opts.Loss != 0 {
			return fmt.Errorf("%w: Loss = %v with a Cost (valid: 0, the Cost replaces the Loss)", ErrInvalidOption, opts.Loss)
		}
		if opts.Metrics {
			return fmt.Errorf("%w: Metrics with a Cost (valid: false; metrics need a built-in Loss)", ErrInvalidOption)
		}
		if _, err := opts.Derivatives.layout(n.inputSize); err != nil {
			return err
		}
		return nil
	}
	if len(opts.Derivatives.First)+len(opts.Derivatives.Second) > 0 {
		return fmt.Errorf("%w: Derivatives without a Cost (valid: none; a built-in Loss uses no derivatives)", ErrInvalidOption)
	}
	last := n.layers[len(n.layers)-1].layer.Kind()
	switch opts.Loss {
	case CrossEntropy:
		if last != KindSoftmax {
			return fmt.Errorf("%w: %v needs a network ending in a Softmax layer, this one ends in %q", ErrInvalidOption, opts.Loss, last)
		}
		return nil
	case BinaryCrossEntropy:
		if last != KindSigmoid {
			return fmt.Errorf("%w: %v needs a network ending in a Sigmoid layer, this one ends in %q", ErrInvalidOption, opts.Loss, last)
		}
		return nil
	case MeanSquaredError, Huber, MeanAbsoluteError:
		return nil
	}
	return fmt.Errorf("%w: Loss = %v (valid: CrossEntropy, BinaryCrossEntropy, MeanSquaredError, Huber, MeanAbsoluteError, or a Cost)", ErrInvalidOption, opts.Loss)
}

// checkWeights validates the loss parameters and weights of opts.
func (n *Network) checkWeights(opts ObjectiveOptions, rows int) error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 }
	if bad(opts.HuberDelta) {
		return fmt.Errorf("%w: HuberDelta = %v (valid: finite, >= 0)", ErrInvalidOption, opts.HuberDelta)
	}
	if opts.HuberDelta != 0 && opts.Loss != Huber {
		return fmt.Errorf("%w: HuberDelta = %v with Loss %v (valid: Huber only)", ErrInvalidOption, opts.HuberDelta, opts.Loss)
	}
	if opts.ClassWeights != nil {
		if opts.Loss != CrossEntropy {
			return fmt.Errorf("%w: ClassWeights with Loss %v (valid: CrossEntropy only)", ErrInvalidOption, opts.Loss)
		}
		if len(opts.ClassWeights) != n.OutputSize() {
			return fmt.Errorf("%w: %d ClassWeights for %d classes", ErrInvalidOption, len(opts.ClassWeights), n.OutputSize())
		}
		for i, v := range opts.ClassWeights {
			if bad(v) {
				return fmt.Errorf("%w: ClassWeights[%d] = %v (valid: finite, >= 0)", ErrInvalidOption, i, v)
			}
		}
	}
	if opts.RowWeights != nil {
		if len(opts.RowWeights) != rows {
			return fmt.Errorf("%w: %d RowWeights for %d rows", ErrInvalidOption, len(opts.RowWeights), rows)
		}
		for i, v := range opts.RowWeights {
			if bad(v) || (n.dtype == tensor.Float32 && v > math.MaxFloat32) {
				return fmt.Errorf("%w: RowWeights[%d] = %v (valid: finite, >= 0)", ErrInvalidOption, i, v)
			}
		}
	}
	return nil
}

// matrixOf returns v (rows × cols) as a tensor of the network's dtype.
func (n *Network) matrixOf(v []float64, rows, cols int) *tensor.Dense {
	t := tensor.New(tensor.Of(n.dtype), tensor.WithShape(rows, cols))
	setFloats(t, v)
	return t
}

// checkValues reports the first value of v that is NaN or infinite, or
// that a float32 network would round to an infinity (|v| > MaxFloat32).
func (n *Network) checkValues(name string, v []float64) error {
	limit := math.MaxFloat64
	if n.dtype == tensor.Float32 {
		limit = math.MaxFloat32
	}
	for i, e := range v {
		if !(math.Abs(e) <= limit) { // also true for NaN
			return fmt.Errorf("%w: %s[%d] = %v (valid: finite, |value| <= %g for a %v network)", ErrNonFinite, name, i, e, limit, n.dtype)
		}
	}
	return nil
}
