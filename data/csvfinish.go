package data

import (
	"fmt"
	"math"
)

// encodes reports whether the options ask for an Encoding: categorical
// columns, a missing-cell policy, fill rows or a fixed encoding.
func (o *CSVOptions) encodes() bool {
	return o.Categorical || o.Missing != MissingError || o.Encoding != nil || o.FillRows != nil
}

// finish turns the rows read into ds's features: it drops the rows with a
// missing cell (MissingDropRows), fixes each column's levels and fill
// value, and one-hot encodes the categorical columns.
func (p *parser) finish(ds *Dataset) error {
	keep := make([]int, 0, len(p.missing))
	for r, m := range p.missing {
		if m && p.opts.Missing == MissingDropRows {
			ds.DroppedRows = append(ds.DroppedRows, r+1)
			continue
		}
		keep = append(keep, r)
	}
	if len(keep) == 0 {
		return p.fail(p.headerLine+1, 0, "", ErrMissingCell, fmt.Sprintf("every one of the %d rows has a missing cell, and missing cells drop their row", len(p.missing)))
	}
	for _, r := range p.opts.FillRows {
		if r >= len(p.missing) {
			return fmt.Errorf("%w: fill row %d of a file of %d rows (CSVOptions.FillRows)", ErrInvalidOption, r, len(p.missing))
		}
	}
	enc := &Encoding{Columns: make([]ColumnEncoding, len(p.cols))}
	for i := range p.cols {
		if err := p.encodeColumn(i, keep, &enc.Columns[i]); err != nil {
			return err
		}
	}
	if size := 8 * int64(len(keep)) * int64(enc.Width()); enc.Width() > 0 && size/int64(enc.Width())/8 != int64(len(keep)) || size > p.maxBytes() {
		return p.fail(p.headerLine, 0, "", ErrTooLarge, fmt.Sprintf("%d rows × %d features (the categorical columns one-hot encoded), more than %d bytes of values, the most that is read",
			len(keep), enc.Width(), p.maxBytes()))
	}
	ds.Rows, ds.Cols, ds.FeatureNames = len(keep), enc.Width(), enc.FeatureNames()
	if p.opts.encodes() {
		ds.Encoding = enc
	}
	ds.Features = make([]float64, 0, len(keep)*ds.Cols)
	nc := len(p.cols)
	for _, r := range keep {
		for i := range p.cols {
			col, v := &p.cols[i], p.values[r*nc+i]
			if col.levels == nil {
				if math.IsNaN(v) {
					v = col.fill
				}
				ds.Features = append(ds.Features, v)
				continue
			}
			k := int(col.fill)
			switch {
			case col.fixed == nil && r < len(col.text) && col.text[r] != "":
				k = indexOf(col.levels, col.text[r])
			case col.fixed != nil && !math.IsNaN(v):
				k = int(v)
			}
			for j := range col.levels {
				ds.Features = append(ds.Features, b2f(j == k))
			}
		}
	}
	if len(keep) < len(p.missing) {
		p.keepTargets(ds, keep)
	}
	return nil
}

// b2f returns 1 for true, 0 for false.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// encodeColumn sets the encoding of feature column i (levels, fill value)
// from the kept rows, or takes it from CSVOptions.Encoding, and records
// the levels and fill value in the parser's column.
func (p *parser) encodeColumn(i int, keep []int, ce *ColumnEncoding) error {
	col := &p.cols[i]
	name := p.names[col.header]
	nc := len(p.cols)
	missingIn := func(r int) bool {
		return math.IsNaN(p.values[r*nc+i]) && (r >= len(col.text) || col.text[r] == "")
	}
	switch {
	case col.fixed != nil:
		*ce = col.fixed.clone()
	case col.hasTexts:
		seen := map[string]bool{}
		var levels []string
		for _, r := range keep {
			if r < len(col.text) && col.text[r] != "" && !seen[col.text[r]] {
				seen[col.text[r]] = true
				levels = append(levels, col.text[r])
			}
		}
		*ce = ColumnEncoding{Name: name, Levels: sortLabels(levels)}
	default:
		*ce = ColumnEncoding{Name: name}
	}
	col.levels = ce.Levels
	if col.fixed == nil && p.opts.encodes() {
		// Record the fill values whatever the policy, so that a later file
		// can be read with MissingMean.
		from := keep
		if p.opts.FillRows != nil {
			from = p.opts.FillRows
		}
		if err := p.learnFill(i, from, missingIn, ce); err != nil {
			return err
		}
	}
	if p.opts.Missing != MissingMean {
		return nil
	}
	switch {
	case ce.Levels != nil && ce.FillLevel != "":
		col.fill = float64(indexOf(ce.Levels, ce.FillLevel))
		return nil
	case ce.Levels == nil && ce.Fill != nil:
		col.fill = *ce.Fill
		return nil
	}
	for _, r := range keep {
		if missingIn(r) {
			return p.fail(p.headerLine, col.header+1, name, ErrMissingCell,
				fmt.Sprintf("a missing cell in data row %d, and the encoding stores no fill value for the column", r+1))
		}
	}
	return nil
}

// learnFill sets ce's fill value: the mean of a numeric column's present
// cells, the most frequent level of a categorical one (the first in
// Levels on ties).
func (p *parser) learnFill(i int, keep []int, missingIn func(int) bool, ce *ColumnEncoding) error {
	col, nc := &p.cols[i], len(p.cols)
	if ce.Levels != nil {
		counts := make(map[string]int, len(ce.Levels))
		for _, r := range keep {
			if !missingIn(r) {
				counts[col.text[r]]++
			}
		}
		best := 0
		for _, l := range ce.Levels {
			if counts[l] > best {
				best, ce.FillLevel = counts[l], l
			}
		}
		return nil
	}
	// Running mean m_n = m_{n−1} + (v − m_{n−1})/n: no overflow of a sum.
	mean, n := 0.0, 0
	for _, r := range keep {
		if v := p.values[r*nc+i]; !math.IsNaN(v) {
			n++
			mean += (v - mean) / float64(n)
		}
	}
	if n == 0 {
		return p.fail(p.headerLine, col.header+1, p.names[col.header], ErrMissingCell, "no cell with a value to take the mean of")
	}
	ce.Fill = &mean
	return nil
}

// keepTargets keeps the labels or targets of the kept rows and, when the
// classes are taken from the data, forgets the classes seen only in
// dropped rows.
func (p *parser) keepTargets(ds *Dataset, keep []int) {
	switch p.task {
	case Regression:
		k := len(ds.TargetNames)
		t := make([]float64, 0, len(keep)*k)
		for _, r := range keep {
			t = append(t, ds.Targets[r*k:(r+1)*k]...)
		}
		ds.Targets = t
	case Classification:
		labels := make([]int, len(keep))
		for i, r := range keep {
			labels[i] = ds.Labels[r]
		}
		ds.Labels = labels
		if p.opts.ClassNames != nil {
			return
		}
		// Renumber by order of appearance among the kept rows.
		renumber := make(map[int]int)
		var seen []string
		for i, l := range labels {
			k, ok := renumber[l]
			if !ok {
				k = len(seen)
				renumber[l] = k
				seen = append(seen, p.classSeen[l])
			}
			labels[i] = k
		}
		p.classSeen = seen
	}
}
