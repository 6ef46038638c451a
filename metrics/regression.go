package metrics

import (
	"fmt"
	"math"
)

// TargetScores are the errors of the predictions of one target.
type TargetScores struct {
	// Name is the target's name.
	Name string `json:"name"`
	// RMSE is √(Σ(ŷ−y)²/n), in the target's units.
	RMSE float64 `json:"rmse"`
	// MAE is Σ|ŷ−y|/n, in the target's units.
	MAE float64 `json:"mae"`
	// R2 is the coefficient of determination 1 − Σ(ŷ−y)²/Σ(y−ȳ)²: 1 for
	// exact predictions, 0 for predicting the mean, negative for worse; for
	// a constant target 1 if the predictions are exact and 0 otherwise.
	R2 float64 `json:"r2"`
}

// Regression is the report of a regression model on rows with known
// targets.
type Regression struct {
	// Rows is the number of rows.
	Rows int `json:"rows"`
	// Targets holds the scores of each target, in target order.
	Targets []TargetScores `json:"targets"`
}

// Regress scores predictions against targets, both row-major matrices with
// one column per name in names. The error wraps ErrInvalidInput when the
// lengths disagree, there is no row or no name, or a value is not finite.
func Regress(targets, predictions []float64, names []string) (*Regression, error) {
	k := len(names)
	switch {
	case k == 0:
		return nil, fmt.Errorf("%w: no target names", ErrInvalidInput)
	case len(targets) != len(predictions):
		return nil, fmt.Errorf("%w: %d target values, %d predictions", ErrInvalidInput, len(targets), len(predictions))
	case len(targets) == 0 || len(targets)%k != 0:
		return nil, fmt.Errorf("%w: %d values is not a positive multiple of %d targets", ErrInvalidInput, len(targets), k)
	}
	for i := range targets {
		if bad(targets[i]) || bad(predictions[i]) {
			return nil, fmt.Errorf("%w: row %d, target %q: value %v, prediction %v (valid: finite)", ErrInvalidInput, i/k, names[i%k], targets[i], predictions[i])
		}
	}
	n := len(targets) / k
	r := &Regression{Rows: n, Targets: make([]TargetScores, k)}
	for j, name := range names {
		// Two passes: the mean ȳ, then the sums of squares about it.
		mean := 0.0
		for i := range n {
			mean += targets[i*k+j]
		}
		mean /= float64(n)
		var sse, sae, sst float64
		for i := range n {
			y, d := targets[i*k+j], predictions[i*k+j]-targets[i*k+j]
			sse += d * d
			sae += math.Abs(d)
			sst += (y - mean) * (y - mean)
		}
		s := TargetScores{Name: name, RMSE: math.Sqrt(sse / float64(n)), MAE: sae / float64(n)}
		switch {
		case sst > 0:
			s.R2 = 1 - sse/sst
		case sse == 0:
			s.R2 = 1
		}
		r.Targets[j] = s
	}
	return r, nil
}

// bad reports a NaN or infinite value.
func bad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
