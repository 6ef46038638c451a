package metrics

import (
	"errors"
	"fmt"
)

// ErrInvalidInput is wrapped by every error of this package: slices of
// different lengths, no rows, a class index out of range, a non-finite
// value.
var ErrInvalidInput = errors.New("metrics: invalid input")

// ClassScores are the scores of one class.
type ClassScores struct {
	// Name is the class name.
	Name string `json:"name"`
	// Precision is TP/(TP+FP): of the rows predicted as the class, the
	// fraction that are; 0 when the class is never predicted.
	Precision float64 `json:"precision"`
	// Recall is TP/(TP+FN): of the rows of the class, the fraction
	// predicted as it; 0 when the class is absent from the truth.
	Recall float64 `json:"recall"`
	// F1 is the harmonic mean 2PR/(P+R); 0 when P+R = 0.
	F1 float64 `json:"f1"`
	// Support is the number of rows of the class in the truth.
	Support int `json:"support"`
}

// Averages are class scores averaged over the classes.
type Averages struct {
	// Precision, Recall and F1 averaged.
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Classification is the report of a classifier on labelled rows.
type Classification struct {
	// Rows is the number of rows; Correct those predicted right.
	Rows    int `json:"rows"`
	Correct int `json:"correct"`
	// Accuracy is Correct/Rows.
	Accuracy float64 `json:"accuracy"`
	// Classes holds the scores of each class, in class order.
	Classes []ClassScores `json:"classes"`
	// Macro averages the class scores with equal weights; Weighted with
	// weights Support/Rows (scikit-learn's "macro avg" and "weighted avg").
	Macro    Averages `json:"macro_average"`
	Weighted Averages `json:"weighted_average"`
	// Confusion[t][p] counts the rows of true class t predicted as p.
	Confusion [][]int `json:"confusion"`
}

// Classify scores predicted classes against true ones; classNames[k] names
// class k. The error wraps ErrInvalidInput when truth and predicted differ
// in length or are empty, classNames is empty, or a class index is outside
// [0, len(classNames)).
func Classify(truth, predicted []int, classNames []string) (*Classification, error) {
	k := len(classNames)
	switch {
	case len(truth) != len(predicted):
		return nil, fmt.Errorf("%w: %d true classes, %d predicted", ErrInvalidInput, len(truth), len(predicted))
	case len(truth) == 0:
		return nil, fmt.Errorf("%w: no rows", ErrInvalidInput)
	case k == 0:
		return nil, fmt.Errorf("%w: no class names", ErrInvalidInput)
	}
	c := &Classification{Rows: len(truth), Confusion: make([][]int, k), Classes: make([]ClassScores, k)}
	cells := make([]int, k*k)
	for t := range c.Confusion {
		c.Confusion[t] = cells[t*k : (t+1)*k : (t+1)*k]
	}
	for i, t := range truth {
		p := predicted[i]
		if t < 0 || t >= k || p < 0 || p >= k {
			return nil, fmt.Errorf("%w: row %d: true class %d, predicted %d (valid: 0 to %d)", ErrInvalidInput, i, t, p, k-1)
		}
		c.Confusion[t][p]++
		if t == p {
			c.Correct++
		}
	}
	c.Accuracy = float64(c.Correct) / float64(c.Rows)
	for j, name := range classNames {
		tp, predictedAs := c.Confusion[j][j], 0
		for t := range k {
			predictedAs += c.Confusion[t][j]
		}
		support := 0
		for _, n := range c.Confusion[j] {
			support += n
		}
		s := ClassScores{Name: name, Support: support,
			Precision: ratio(tp, predictedAs), Recall: ratio(tp, support)}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		c.Classes[j] = s
		w := float64(support) / float64(c.Rows)
		c.Macro.Precision += s.Precision / float64(k)
		c.Macro.Recall += s.Recall / float64(k)
		c.Macro.F1 += s.F1 / float64(k)
		c.Weighted.Precision += w * s.Precision
		c.Weighted.Recall += w * s.Recall
		c.Weighted.F1 += w * s.F1
	}
	return c, nil
}

// ratio returns a/b, or 0 when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
