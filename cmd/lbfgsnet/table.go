package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// row is one printed iteration: the solver's record, with the validation
// loss, accuracy and RMSE at the new parameters when they were measured
// (NaN otherwise).
type row struct {
	rec trace.Record
}

// column is one column of the iteration table.
type column struct {
	name   string
	width  int
	format func(r row) string
	json   string // key in --format json
	value  func(r row) any
}

// tableColumns returns the columns printed for a run: the solver's
// per-iteration state, and the validation loss, accuracy (classification)
// and RMSE (regression) when measured.
func tableColumns(validLoss, validAcc, validRMSE bool) []column {
	cols := []column{
		{"Iteration", 9, func(r row) string { return strconv.Itoa(r.rec.Iteration) },
			"iteration", func(r row) any { return r.rec.Iteration }},
		{"TimeElapsed", 12, func(r row) string { return formatElapsed(r.rec.Elapsed) },
			"time_elapsed_s", func(r row) any { return jsonNumber(r.rec.Elapsed.Seconds()) }},
		{"Loss", 12, func(r row) string { return formatG(r.rec.Loss, 6) },
			"loss", func(r row) any { return jsonNumber(r.rec.Loss) }},
		{"GradientsNorm", 13, func(r row) string { return formatE(r.rec.GradientsNorm) },
			"gradients_norm", func(r row) any { return jsonNumber(r.rec.GradientsNorm) }},
		{"StepNorm", 10, func(r row) string { return formatE(r.rec.StepNorm) },
			"step_norm", func(r row) any { return jsonNumber(r.rec.StepNorm) }},
		{"LearningRate", 12, func(r row) string { return formatG(r.rec.LearningRate, 4) },
			"learning_rate", func(r row) any { return jsonNumber(r.rec.LearningRate) }},
		{"LineSearchStatus", 16, func(r row) string { return r.rec.LineSearchStatus.String() },
			"line_search_status", func(r row) any { return r.rec.LineSearchStatus.String() }},
		{"LossEvaluations", 15, func(r row) string { return strconv.Itoa(r.rec.LossEvaluations) },
			"loss_evaluations", func(r row) any { return r.rec.LossEvaluations }},
	}
	if validLoss {
		cols = append(cols, column{"ValidationLoss", 14, func(r row) string { return formatG(r.rec.ValidationLoss, 6) },
			"validation_loss", func(r row) any { return jsonNumber(r.rec.ValidationLoss) }})
	}
	if validAcc {
		cols = append(cols, column{"ValidationAccuracy", 18, func(r row) string { return formatPercent(r.rec.ValidationAccuracy) },
			"validation_accuracy", func(r row) any { return jsonNumber(r.rec.ValidationAccuracy) }})
	}
	if validRMSE {
		cols = append(cols, column{"ValidationRMSE", 14, func(r row) string { return formatG(r.rec.ValidationRMSE, 6) },
			"validation_rmse", func(r row) any { return jsonNumber(r.rec.ValidationRMSE) }})
	}
	return cols
}

// rowWriter prints iteration rows as an aligned table or as JSON lines.
type rowWriter struct {
	w      io.Writer
	json   bool
	cols   []column
	header bool // the table header has been written
	err    error
}

func newRowWriter(w io.Writer, format string, cols []column) *rowWriter {
	return &rowWriter{w: w, json: format == formatJSON, cols: cols}
}

// write prints one row, after the header for the first row of a table.
func (p *rowWriter) write(r row) {
	if p.err != nil {
		return
	}
	if p.json {
		obj := orderedObject{{"kind", "iteration"}}
		for _, c := range p.cols {
			obj = append(obj, keyValue{c.json, c.value(r)})
		}
		p.err = writeJSONLine(p.w, obj)
		return
	}
	var b strings.Builder
	if !p.header {
		p.header = true
		p.line(&b, func(c column) string { return c.name })
		p.line(&b, func(c column) string { return strings.Repeat("-", c.width) })
	}
	p.line(&b, func(c column) string { return c.format(r) })
	_, p.err = io.WriteString(p.w, b.String())
}

// line appends one table line, each cell right-aligned to its column.
func (p *rowWriter) line(b *strings.Builder, cell func(column) string) {
	for i, c := range p.cols {
		if i > 0 {
			b.WriteString("  ")
		}
		fmt.Fprintf(b, "%*s", c.width, cell(c))
	}
	b.WriteByte('\n')
}

// formatElapsed prints a duration as hh:mm:ss.mmm.
func formatElapsed(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
}

// formatG prints v with up to digits significant digits.
func formatG(v float64, digits int) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

// formatE prints a norm in scientific notation, 4 significant digits.
func formatE(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'e', 3, 64)
}

// formatPercent prints a fraction as a percentage with two decimals.
func formatPercent(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(100*v, 'f', 2, 64) + "%"
}

// keyValue and orderedObject make a JSON object whose keys keep their
// order, so that --format json output reads in the table's column order.
type keyValue struct {
	key   string
	value any
}

type orderedObject []keyValue

// MarshalJSON writes the pairs in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, kv := range o {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, kv.key)
		b = append(b, ':')
		v, err := json.Marshal(kv.value)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", kv.key, err)
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// jsonNumber is a float64 that encodes NaN and ±Inf as the strings "NaN",
// "+Inf" and "-Inf" (the convention of the trace format), which JSON
// numbers cannot hold.
type jsonNumber float64

// MarshalJSON implements json.Marshaler.
func (f jsonNumber) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// writeJSONLine writes v as one line of JSON.
func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
