package data

import (
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
)

// Source is the randomness Split draws on: a uniformly distributed uint64
// per call. *math/rand/v2.Rand, *math/rand.Rand and the math/rand/v2
// generators (PCG, ChaCha8) all satisfy it, so a caller passes whichever
// seeded generator it already has. Split uses only Uint64, so its result
// depends only on the generator's output stream.
type Source interface {
	Uint64() uint64
}

// Split divides ds into a training and a validation set, stratified: each
// class contributes to the validation set in proportion to its size, so both
// sets keep the class balance of ds. Regression and unlabelled datasets are
// split as one group. Which rows go where is drawn from rng; the same ds,
// fraction and generator state give the same split. Both sets keep the rows
// in their order in ds and keep ds's class numbering (ClassNames).
//
// The validation set has round(validationFraction × ds.Rows) rows, shared
// among the classes by largest remainder (each class gets the whole part of
// its quota, the remaining rows go to the classes with the largest
// fractional parts, ties to the lower class), but every class keeps at
// least one training row, which may leave the validation set a little
// smaller. validationFraction must be in (0, 1), else the error wraps
// ErrInvalidOption; a split that would leave no validation row gives
// ErrTooFewRows; an invalid ds gives ErrInvalidDataset.
func Split(ds *Dataset, validationFraction float64, rng Source) (train, validation *Dataset, err error) {
	trainRows, validRows, err := SplitRows(ds, validationFraction, rng)
	if err != nil {
		return nil, nil, err
	}
	if train, err = ds.Subset(trainRows); err != nil {
		return nil, nil, err
	}
	if validation, err = ds.Subset(validRows); err != nil {
		return nil, nil, err
	}
	return train, validation, nil
}

// SplitRows is Split without the copies: it returns the rows of ds (0-based,
// in order) that Split puts in the training and in the validation set, for
// the same arguments and generator state. Use it to split data read again
// (with CSVOptions.FillRows, so that the fill values of missing cells come
// from the training rows only) exactly as a first read was split.
func SplitRows(ds *Dataset, validationFraction float64, rng Source) (trainRows, validRows []int, err error) {
	if err := ds.Validate(); err != nil {
		return nil, nil, err
	}
	if !(validationFraction > 0 && validationFraction < 1) {
		return nil, nil, fmt.Errorf("%w: Split: validation fraction %v (valid: 0 < fraction < 1)", ErrInvalidOption, validationFraction)
	}
	if isNil(rng) {
		return nil, nil, fmt.Errorf("%w: Split: nil random source", ErrInvalidOption)
	}
	groups := groupRows(ds)
	quota := allocate(groups, validationFraction, ds.Rows)
	total := 0
	for _, q := range quota {
		total += q
	}
	if total == 0 {
		return nil, nil, fmt.Errorf("%w: Split: validation fraction %v of %d rows selects no validation row", ErrTooFewRows, validationFraction, ds.Rows)
	}
	inValidation := make([]bool, ds.Rows)
	for g, rows := range groups {
		shuffle(rows, rng)
		for _, r := range rows[:quota[g]] {
			inValidation[r] = true
		}
	}
	trainRows = make([]int, 0, ds.Rows-total)
	validRows = make([]int, 0, total)
	for r, v := range inValidation {
		if v {
			validRows = append(validRows, r)
		} else {
			trainRows = append(trainRows, r)
		}
	}
	return trainRows, validRows, nil
}

// groupRows returns the row indices of each class, in row order (one group
// of all rows when ds is not a classification dataset). Empty classes give
// empty groups.
func groupRows(ds *Dataset) [][]int {
	if ds.Task != Classification {
		all := make([]int, ds.Rows)
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	groups := make([][]int, len(ds.ClassNames))
	for i, l := range ds.Labels {
		groups[l] = append(groups[l], i)
	}
	return groups
}

// allocate shares round(f·n) validation rows among the groups by largest
// remainder, capping each group at len−1 rows.
func allocate(groups [][]int, f float64, n int) []int {
	quota := make([]int, len(groups))
	want := int(math.Round(f * float64(n)))
	for g, rows := range groups {
		// Since f < 1, floor(f·n_g) <= n_g − 1 whenever n_g >= 1: the cap holds.
		quota[g] = int(math.Floor(f * float64(len(rows))))
		want -= quota[g]
	}
	order := make([]int, len(groups))
	for g := range order {
		order[g] = g
	}
	frac := func(g int) float64 {
		q := f * float64(len(groups[g]))
		return q - math.Floor(q)
	}
	// Largest fractional part first; slices.SortStableFunc keeps ties in
	// class order.
	slices.SortStableFunc(order, func(a, b int) int {
		switch fa, fb := frac(a), frac(b); {
		case fa > fb:
			return -1
		case fa < fb:
			return 1
		}
		return 0
	})
	for _, g := range order {
		if want <= 0 {
			break
		}
		if quota[g] < len(groups[g])-1 {
			quota[g]++
			want--
		}
	}
	return quota
}

// shuffle permutes rows uniformly at random (Fisher–Yates), drawing from rng.
func shuffle(rows []int, rng Source) {
	for i := len(rows) - 1; i > 0; i-- {
		j := uintn(rng, uint64(i+1))
		rows[i], rows[j] = rows[j], rows[i]
	}
}

// uintn returns a uniform integer in [0, n), n > 0, by Lemire's multiply and
// reject method (D. Lemire, "Fast random integer generation in an interval",
// ACM TOMACS 29(1), 2019).
func uintn(rng Source, n uint64) uint64 {
	hi, lo := bits.Mul64(rng.Uint64(), n)
	if lo < n {
		threshold := -n % n // 2^64 mod n
		for lo < threshold {
			hi, lo = bits.Mul64(rng.Uint64(), n)
		}
	}
	return hi
}

// isNil reports whether rng is nil or a nil pointer in an interface.
func isNil(rng Source) bool {
	if rng == nil {
		return true
	}
	switch v := reflect.ValueOf(rng); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan:
		return v.IsNil()
	}
	return false
}
