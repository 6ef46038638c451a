package data

import (
	"slices"
	"strconv"
	"strings"
)

// label maps cell c of rec to a class: the fixed class index when
// CSVOptions.ClassNames is set, else the label's order of appearance
// (renumbered by finishClasses); -1 for a missing label of a row that
// MissingDropRows will leave out.
func (p *parser) label(rec []string, c, row int) (int, error) {
	s := strings.TrimSpace(rec[c])
	line, _ := p.cr.FieldPos(c)
	if p.opts.Missing != MissingError && isMissing(s) {
		if p.opts.Missing == MissingMean {
			return 0, p.fail(line, c+1, p.names[c], ErrMissingCell, quoteCell(rec[c])+": a missing label cannot be filled (drop the row instead)")
		}
		p.missing[row] = true
		return -1, nil
	}
	if k, ok := p.classIndex[s]; ok {
		return k, nil
	}
	if s == "" {
		return 0, p.fail(line, c+1, p.names[c], ErrEmptyCell, quoteCell(rec[c]))
	}
	if p.opts.ClassNames != nil {
		return 0, p.fail(line, c+1, p.names[c], ErrUnknownClass, quoteCell(s)+", want one of "+summarize(p.opts.ClassNames))
	}
	k := len(p.classSeen)
	s = strings.Clone(s) // do not keep the whole record's memory alive
	p.classIndex[s] = k
	p.classSeen = append(p.classSeen, s)
	return k, nil
}

// finishClasses sets ds.ClassNames and, when the classes were not fixed by
// CSVOptions.ClassNames, renumbers ds.Labels from order of appearance to
// sorted order (see CSVOptions.ClassNames).
func (p *parser) finishClasses(ds *Dataset) {
	if p.opts.ClassNames != nil {
		ds.ClassNames = slices.Clone(p.opts.ClassNames)
		return
	}
	ds.ClassNames = sortLabels(p.classSeen)
	rank := make(map[string]int, len(ds.ClassNames))
	for k, name := range ds.ClassNames {
		rank[name] = k
	}
	renumber := make([]int, len(p.classSeen)) // order of appearance -> sorted class
	for i, name := range p.classSeen {
		renumber[i] = rank[name]
	}
	for i, l := range ds.Labels {
		ds.Labels[i] = renumber[l]
	}
}

// sortLabels returns the labels sorted numerically when all are base-10
// integers (ties in value by text), otherwise by byte order.
func sortLabels(labels []string) []string {
	sorted := slices.Clone(labels)
	values := make(map[string]int64, len(labels))
	for _, l := range labels {
		v, err := strconv.ParseInt(l, 10, 64)
		if err != nil {
			slices.Sort(sorted)
			return sorted
		}
		values[l] = v
	}
	slices.SortFunc(sorted, func(a, b string) int {
		if values[a] != values[b] {
			if values[a] < values[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return sorted
}
