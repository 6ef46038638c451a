package nn

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Metrics summarises a network's fit to its training batch at the point
// the loss was evaluated: the extra output (MATLAB's
// AdditionalLossFunctionOutputs) of an autodiff closure built with
// Objective.Metrics.
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

// Metrics turns the values of the shards' Outputs after an evaluation
// (outputs[s][0] is shard s's scores) into a Metrics value. It has the
// type of autodiff.Options.Extra, and autodiff.FromObjective makes it the
// extra value of the objective's loss closure:
//
//	ev, err := autodiff.FromObjective(obj)
//
// It reads the values in place and allocates only the returned value.
func (o *Objective) Metrics(outputs [][]gorgonia.Value) (any, error) {
	if o == nil {
		return nil, fmt.Errorf("%w: Metrics: nil Objective, outputs of %d shards", ErrShape, len(outputs))
	}
	if len(outputs) != len(o.Shards) {
		return nil, fmt.Errorf("%w: Metrics: outputs of %d shards, the objective has %d", ErrShape, len(outputs), len(o.Shards))
	}
	var hits, count int
	var sq float64
	for s, out := range outputs {
		sh := o.Shards[s]
		if len(out) != 1 {
			return nil, fmt.Errorf("%w: Metrics: shard %d has %d outputs, want 1", ErrShape, s, len(out))
		}
		z, err := denseOf(out[0], sh.Rows*o.cols)
		if err != nil {
			return nil, fmt.Errorf("nn: Metrics: shard %d: %w", s, inner(err))
		}
		t := o.targets[sh.FirstRow*o.cols : (sh.FirstRow+sh.Rows)*o.cols]
		var h, c int
		var q float64
		if z.Dtype() == tensor.Float64 {
			h, c, q = score(o.loss, o.cols, z.Float64s(), t)
		} else {
			h, c, q = score(o.loss, o.cols, z.Float32s(), t)
		}
		hits, count, sq = hits+h, count+c, sq+q
	}
	m := Metrics{Accuracy: math.NaN(), RMSE: math.NaN()}
	if o.loss == MeanSquaredError {
		m.RMSE = math.Sqrt(sq / float64(len(o.targets)))
	} else {
		m.Accuracy = float64(hits) / float64(count)
	}
	return m, nil
}

// score returns the correct predictions, the predictions made and the
// sum of squared errors of scores z against targets t.
func score[T float](l Loss, cols int, z []T, t []float64) (hits, count int, sq float64) {
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
	case MeanSquaredError:
		for i, v := range z {
			d := float64(v) - t[i]
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
	if d.Shape().TotalSize() != n || d.IsMaterializable() {
		return nil, fmt.Errorf("%w: got shape %v, want %d contiguous values", ErrShape, d.Shape(), n)
	}
	if dt := d.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("%w: dtype %v, want float64 or float32", ErrShape, dt)
	}
	return d, nil
}
