package nn

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Metrics summarises a network's fit to the rows of an evaluation at
// the point the loss was evaluated: the extra value (MATLAB's
// AdditionalLossFunctionOutputs) of an Objective built with
// ObjectiveOptions.Metrics.
type Metrics struct {
	// Accuracy is, for CrossEntropy, the fraction of rows whose largest
	// output is at the target row's largest entry; for BinaryCrossEntropy,
	// the fraction of entries where (logit > 0) == (target > 0.5). NaN for
	// MeanSquaredError.
	Accuracy float64
	// RMSE is √(mean (Y − T)²) over all entries for MeanSquaredError; NaN
	// for the classification losses.
	RMSE float64
}

// metrics turns the values of the shards' outputs after an evaluation
// (outputs[s] holds shard s's scores and targets) into a Metrics value:
// the evaluator's extra value with ObjectiveOptions.Metrics. It reads
// the values in place and allocates only the returned value.
func (o *Objective) metrics(outputs [][]gorgonia.Value) (any, error) {
	var hits, count, entries int
	var sq float64
	for s, out := range outputs {
		if len(out) != 2 {
			return nil, fmt.Errorf("%w: metrics: shard %d has %d outputs, want 2", ErrShape, s, len(out))
		}
		t, ok := out[1].(*tensor.Dense)
		if !ok || t == nil {
			return nil, fmt.Errorf("%w: metrics: shard %d: targets are %T", ErrShape, s, out[1])
		}
		z, err := denseOf(out[0], t.Shape().TotalSize())
		if err != nil || z.Dtype() != t.Dtype() {
			return nil, fmt.Errorf("nn: metrics: shard %d: scores %v do not match targets %v", s, out[0], t.Shape())
		}
		var h, c int
		var q float64
		if z.Dtype() == tensor.Float64 {
			h, c, q = score(o.opts.Loss, o.tcols, z.Float64s(), t.Float64s())
		} else {
			h, c, q = score(o.opts.Loss, o.tcols, z.Float32s(), t.Float32s())
		}
		hits, count, sq, entries = hits+h, count+c, sq+q, entries+t.Shape().TotalSize()
	}
	m := Metrics{Accuracy: math.NaN(), RMSE: math.NaN()}
	if o.opts.Loss.regression() {
		m.RMSE = math.Sqrt(sq / float64(entries))
	} else {
		m.Accuracy = float64(hits) / float64(count)
	}
	return m, nil
}

// score returns the correct predictions, the predictions made and the
// sum of squared errors of scores z against targets t.
func score[T float](l Loss, cols int, z, t []T) (hits, count int, sq float64) {
	switch l {
	case CrossEntropy:
		for r := 0; r+cols <= len(z); r += cols {
			if argmax(z[r:r+cols]) == argmax(t[r:r+cols]) {
				hits++
			}
			count++
		}
	case BinaryCrossEntropy:
		for i, v := range z {
			if (v > 0) == (t[i] > 0.5) {
				hits++
			}
			count++
		}
	case MeanSquaredError, Huber, MeanAbsoluteError:
		for i, v := range z {
			d := float64(v) - float64(t[i])
			sq += d * d
		}
	}
	return hits, count, sq
}

// argmax returns the index of the largest value (the first, on ties).
func argmax[T float](v []T) int {
	k := 0
	for i, x := range v {
		if x > v[k] {
			k = i
		}
	}
	return k
}

// denseOf returns v as a float64 or float32 *tensor.Dense of n contiguous
// values.
func denseOf(v gorgonia.Value, n int) (*tensor.Dense, error) {
	d, ok := v.(*tensor.Dense)
	if !ok || d == nil {
		return nil, fmt.Errorf("%w: got %T, want a *tensor.Dense", ErrShape, v)
	}
	if d.Shape().TotalSize() != n || !rowMajor(d) {
		return nil, fmt.Errorf("%w: got shape %v, want %d contiguous values", ErrShape, d.Shape(), n)
	}
	if dt := d.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("%w: dtype %v, want float64 or float32", ErrShape, dt)
	}
	return d, nil
}
