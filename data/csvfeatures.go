package data

import (
	"math"
	"strconv"
	"strings"
)

// featureColumn is what the parser learns about one feature column while
// it reads the rows: whether its cells are numbers or text, and where the
// first of each kind was, to name both when a column mixes them.
type featureColumn struct {
	header int             // index in the header
	fixed  *ColumnEncoding // from CSVOptions.Encoding, or nil

	numbers         int    // cells read as numbers
	firstNumber     string // the first of them, and its line
	firstNumberLine int
	hasTexts        bool     // a text cell was read
	text            []string // per row up to the last text cell: its text, "" for a missing cell
	firstText       string
	firstTextLine   int

	levels []string // set by finish: the categorical levels, nil for a numeric column
	fill   float64  // set by finish: the MissingMean fill value (a level index for a categorical column)
}

// feature reads cell col of rec for data row row: a number, a fixed
// level's index, or NaN for a text cell (kept in col.text) or a missing
// one (flagged in p.missing).
func (p *parser) feature(rec []string, col *featureColumn, row int) (float64, error) {
	c := col.header
	s := strings.TrimSpace(rec[c])
	line, _ := p.cr.FieldPos(c)
	fail := func(err error, found string) error { return p.fail(line, c+1, p.names[c], err, found) }
	if p.opts.Missing != MissingError && isMissing(s) {
		p.missing[row] = true
		return math.NaN(), nil
	}
	if col.fixed != nil && col.fixed.Categorical() {
		if s == "" {
			return 0, fail(ErrEmptyCell, quoteCell(rec[c]))
		}
		k := indexOf(col.fixed.Levels, s)
		if k < 0 {
			return 0, fail(ErrUnknownLevel, quoteCell(s)+" in data row "+strconv.Itoa(row+1)+", want one of "+summarize(col.fixed.Levels))
		}
		return float64(k), nil
	}
	categorical := p.opts.Categorical && col.fixed == nil
	v, err := p.number(rec, c)
	if err == nil || !categorical || s == "" || !isNotNumber(err) {
		if err == nil && col.hasTexts {
			return 0, p.fail(col.firstTextLine, c+1, p.names[c], ErrNotNumber,
				quoteCell(col.firstText)+", but the column holds the number "+quoteCell(s)+" on line "+strconv.Itoa(line)+": one-hot encoding takes columns of text only")
		}
		if err == nil && col.numbers == 0 {
			col.firstNumber, col.firstNumberLine = strings.Clone(s), line
		}
		if err == nil {
			col.numbers++
		}
		return v, err
	}
	if col.numbers > 0 {
		return 0, fail(ErrNotNumber, quoteCell(s)+", but the column holds the number "+quoteCell(col.firstNumber)+" on line "+strconv.Itoa(col.firstNumberLine)+": one-hot encoding takes columns of text only")
	}
	if !col.hasTexts {
		col.hasTexts, col.firstText, col.firstTextLine = true, strings.Clone(s), line
	}
	for len(col.text) < row {
		col.text = append(col.text, "") // the missing cells since the last text
	}
	col.text = append(col.text, strings.Clone(s))
	return math.NaN(), nil
}

// isNotNumber reports whether err is the parser's ErrNotNumber.
func isNotNumber(err error) bool {
	pe, ok := err.(*ParseError)
	return ok && pe.Err == ErrNotNumber
}

// target reads regression target cell c of rec for data row row.
func (p *parser) target(rec []string, c, row int) (float64, error) {
	s := strings.TrimSpace(rec[c])
	if p.opts.Missing != MissingError && isMissing(s) {
		if p.opts.Missing == MissingMean {
			line, _ := p.cr.FieldPos(c)
			return 0, p.fail(line, c+1, p.names[c], ErrMissingCell, quoteCell(rec[c])+": a missing target cannot be filled (drop the row instead)")
		}
		p.missing[row] = true
		return math.NaN(), nil
	}
	return p.number(rec, c)
}
