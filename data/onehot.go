package data

import (
	"fmt"
	"math"
)

// OneHot returns the one-hot encoding of labels as a row-major
// len(labels)×numClasses matrix: row i is all zeros but for a 1 in column
// labels[i]. It is the target matrix of a softmax cross-entropy loss. The
// error wraps ErrInvalidOption if numClasses < 1 or a label is outside
// [0, numClasses).
func OneHot(labels []int, numClasses int) ([]float64, error) {
	if numClasses < 1 {
		return nil, fmt.Errorf("%w: OneHot: numClasses %d (valid: >= 1)", ErrInvalidOption, numClasses)
	}
	if len(labels) > 0 && numClasses > math.MaxInt/len(labels) {
		return nil, fmt.Errorf("%w: OneHot: %d labels × %d classes overflows int", ErrInvalidOption, len(labels), numClasses)
	}
	for i, l := range labels {
		if l < 0 || l >= numClasses {
			return nil, fmt.Errorf("%w: OneHot: labels[%d] = %d out of range [0, %d)", ErrInvalidOption, i, l, numClasses)
		}
	}
	y := make([]float64, len(labels)*numClasses)
	for i, l := range labels {
		y[i*numClasses+l] = 1
	}
	return y, nil
}
