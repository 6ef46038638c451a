package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// parser reads one CSV input into a Dataset. It is used once.
type parser struct {
	file string
	opts CSVOptions
	task Task
	cr   *csv.Reader
	// bounded counts the bytes read against CSVOptions.MaxBytes.
	bounded *boundedReader

	names      []string // trimmed header names
	headerLine int      // line of the header's last field
	features   []int    // header indices of the feature columns, in dataset order
	targets    []int    // header indices of the target columns, in dataset order

	classIndex map[string]int // label -> class, or -> order of appearance when not fixed
	classSeen  []string       // labels in order of appearance (when not fixed)

	cols    []featureColumn // one per feature column, in dataset order
	values  []float64       // rows × len(cols): a number, a fixed level index, or NaN (text, missing)
	missing []bool          // per row: a feature or target cell is missing
}

// byteOrderMark is the UTF-8 encoding of U+FEFF, which some programs write
// at the start of a CSV file.
var byteOrderMark = []byte("\ufeff")

func newParser(r io.Reader, file string, opts CSVOptions) *parser {
	limit := opts.MaxBytes
	if limit == 0 {
		limit = DefaultMaxBytes
	}
	bounded := &boundedReader{r: r, left: limit}
	// The values parsed are bounded too: each takes 8 bytes, more than
	// its text may ("1,").
	br := bufio.NewReader(bounded)
	if b, err := br.Peek(len(byteOrderMark)); err == nil && bytes.Equal(b, byteOrderMark) {
		br.Discard(len(byteOrderMark))
	}
	cr := csv.NewReader(br)
	if opts.Comma != 0 {
		cr.Comma = opts.Comma
	}
	// Allow a space after the separator before a quoted field ("1, \"2\""),
	// unless the separator is itself white space, where it would merge fields.
	cr.TrimLeadingSpace = !unicode.IsSpace(cr.Comma)
	cr.FieldsPerRecord = -1 // field counts are checked here, to report them our way
	cr.ReuseRecord = true
	p := &parser{file: file, opts: opts, task: opts.task(), cr: cr, bounded: bounded, classIndex: make(map[string]int)}
	for k, name := range opts.ClassNames {
		p.classIndex[name] = k
	}
	return p
}

// fail returns a *ParseError located in the current input, with a hint
// when the header looks separated by another character than the Comma.
func (p *parser) fail(line, column int, name string, err error, found string) error {
	hint, sep := p.separatorHint()
	return &ParseError{File: p.file, Line: line, Column: column, Name: name, Err: err, Found: found, Hint: hint, Separator: sep}
}

// errBound is returned by a boundedReader past its bound.
var errBound = errors.New("bound passed")

// boundedReader reads from r up to left bytes, then fails with errBound.
type boundedReader struct {
	r     io.Reader
	left  int64
	lines int // newlines read: the bound is passed on line lines+1
}

func (b *boundedReader) Read(buf []byte) (int, error) {
	if b.left <= 0 {
		// At the bound: an input that ends here is within it.
		var one [1]byte
		n, err := b.r.Read(one[:])
		if n == 0 && err != nil {
			return 0, err
		}
		return 0, errBound
	}
	if int64(len(buf)) > b.left {
		buf = buf[:b.left]
	}
	n, err := b.r.Read(buf)
	b.left -= int64(n)
	b.lines += bytes.Count(buf[:n], []byte{'\n'})
	return n, err
}

// readError converts an error of csv.Reader.Read.
func (p *parser) readError(err error) error {
	if errors.Is(err, errBound) {
		return p.fail(p.bounded.lines+1, 0, "", ErrTooLarge, fmt.Sprintf("more than %d bytes, the most that is read", p.maxBytes()))
	}
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		return p.fail(ce.Line, 0, "", fmt.Errorf("%w: %w at byte %d of the line", ErrSyntax, ce.Err, ce.Column), "")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == p.file {
		return fmt.Errorf("data: %w", err) // "read FILE: …" names the file already
	}
	if p.file != "" {
		return fmt.Errorf("data: read %s: %w", p.file, err)
	}
	return fmt.Errorf("data: read CSV: %w", err)
}

// read parses the header and all rows.
func (p *parser) read() (*Dataset, error) {
	header, err := p.cr.Read()
	if err == io.EOF {
		return nil, p.fail(1, 0, "", ErrEmpty, "no header row")
	}
	if err != nil {
		return nil, p.readError(err)
	}
	if err := p.readHeader(header); err != nil {
		return nil, err
	}
	ds := &Dataset{Task: p.task}
	for _, c := range p.targets {
		ds.TargetNames = append(ds.TargetNames, p.names[c])
	}
	for {
		rec, err := p.cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, p.readError(err)
		}
		if err := p.readRow(rec, ds); err != nil {
			return nil, err
		}
		ds.Rows++
	}
	if ds.Rows == 0 {
		return nil, p.fail(p.headerLine+1, 0, "", ErrNoRows, "only the header")
	}
	if err := p.finish(ds); err != nil {
		return nil, err
	}
	if p.task == Classification {
		p.finishClasses(ds)
	}
	return ds, nil
}

// readHeader checks the header names and resolves the target and feature
// columns.
func (p *parser) readHeader(header []string) error {
	p.names = make([]string, len(header))
	index := make(map[string]int, len(header))
	for i, h := range header {
		name := strings.TrimSpace(h)
		line, _ := p.cr.FieldPos(i)
		p.headerLine = line
		if name == "" {
			return p.fail(line, i+1, "", ErrEmptyCell, quoteCell(h)+" as a column name")
		}
		if j, dup := index[name]; dup {
			return p.fail(line, i+1, name, ErrDuplicateColumn, fmt.Sprintf("%s, already column %d", quoteCell(name), j+1))
		}
		index[name] = i
		p.names[i] = name
	}
	isTarget := make([]bool, len(p.names))
	for _, name := range p.opts.TargetNames {
		c, ok := index[name]
		if !ok {
			return p.fail(p.headerLine, 0, name, ErrMissingColumn, "header "+summarize(p.names))
		}
		p.targets = append(p.targets, c)
		isTarget[c] = true
	}
	for _, c := range p.opts.TargetColumns {
		if c == LastColumn {
			c = len(p.names) - 1
		}
		if c >= len(p.names) {
			return p.fail(p.headerLine, c+1, "", ErrMissingColumn, "a header of "+columns(len(p.names)))
		}
		if isTarget[c] {
			return &OptionError{Option: "CSVOptions.TargetColumns",
				Reason: fmt.Sprintf("target column indices %v select column %q twice", p.opts.TargetColumns, p.names[c])}
		}
		p.targets = append(p.targets, c)
		isTarget[c] = true
	}
	return p.resolveFeatures(index, isTarget)
}

// resolveFeatures sets p.features from CSVOptions.FeatureNames, or to every
// non-target column.
func (p *parser) resolveFeatures(index map[string]int, isTarget []bool) error {
	selected := p.opts.FeatureNames
	if p.opts.Encoding != nil {
		selected = p.opts.Encoding.ColumnNames()
	}
	if selected == nil {
		for c := range p.names {
			if !isTarget[c] {
				p.features = append(p.features, c)
			}
		}
	}
	for _, name := range selected {
		c, ok := index[name]
		if !ok {
			return p.fail(p.headerLine, 0, name, ErrMissingColumn, "header "+summarize(p.names))
		}
		if isTarget[c] {
			return &OptionError{Option: "CSVOptions.FeatureNames, CSVOptions.TargetColumns",
				Reason: fmt.Sprintf("feature column %q is also a target column", name)}
		}
		p.features = append(p.features, c)
	}
	if len(p.features) == 0 {
		found := columns(len(p.names)) + ", all of them targets"
		if len(p.names) == 1 {
			found = "1 column, the target " + quoteCell(p.names[0])
		}
		return p.fail(p.headerLine, 0, "", ErrNoFeatures, found)
	}
	p.cols = make([]featureColumn, len(p.features))
	for i, c := range p.features {
		p.cols[i].header = c
		if p.opts.Encoding != nil {
			p.cols[i].fixed = &p.opts.Encoding.Columns[i]
		}
	}
	return nil
}

// maxBytes is CSVOptions.MaxBytes, or its default.
func (p *parser) maxBytes() int64 {
	if p.opts.MaxBytes == 0 {
		return DefaultMaxBytes
	}
	return p.opts.MaxBytes
}

// readRow appends one record's features and targets to ds.
func (p *parser) readRow(rec []string, ds *Dataset) error {
	if held := 8 * int64(len(p.values)+len(ds.Targets)+len(ds.Labels)); held > p.maxBytes() {
		line, _ := p.cr.FieldPos(0)
		return p.fail(line, 0, "", ErrTooLarge, fmt.Sprintf("values of more than %d bytes before this row, the most that is read", p.maxBytes()))
	}
	if len(rec) != len(p.names) {
		line, _ := p.cr.FieldPos(0)
		return p.fail(line, 0, "", ErrFieldCount, fmt.Sprintf("%d fields, want %d as in the header", len(rec), len(p.names)))
	}
	row := len(p.missing)
	p.missing = append(p.missing, false)
	for i := range p.cols {
		v, err := p.feature(rec, &p.cols[i], row)
		if err != nil {
			return err
		}
		p.values = append(p.values, v)
	}
	switch p.task {
	case Regression:
		for _, c := range p.targets {
			v, err := p.target(rec, c, row)
			if err != nil {
				return err
			}
			ds.Targets = append(ds.Targets, v)
		}
	case Classification:
		k, err := p.label(rec, p.targets[0], row)
		if err != nil {
			return err
		}
		ds.Labels = append(ds.Labels, k)
	}
	return nil
}

// number parses cell c of rec as a finite float64.
func (p *parser) number(rec []string, c int) (float64, error) {
	s := strings.TrimSpace(rec[c])
	fail := func(err error, found string) error {
		line, _ := p.cr.FieldPos(c)
		return p.fail(line, c+1, p.names[c], err, found)
	}
	if s == "" {
		return 0, fail(ErrEmptyCell, quoteCell(rec[c]))
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange) && math.IsInf(v, 0):
		return 0, fail(ErrNonFinite, quoteCell(s)+", which overflows float64")
	case err != nil:
		return 0, fail(ErrNotNumber, quoteCell(s))
	case math.IsNaN(v) || math.IsInf(v, 0):
		return 0, fail(ErrNonFinite, quoteCell(s))
	}
	return v, nil
}
