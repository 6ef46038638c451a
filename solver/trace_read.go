package solver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrTraceFormat: a trace line is not valid JSON, lacks or misplaces the
// header or summary, has an unknown key or kind, or comes from a newer format
// version. ReadTrace returns it inside a *TraceError naming the line.
var ErrTraceFormat = errors.New("solver: malformed trace")

// TraceError reports a malformed trace line. Err says what is wrong in the
// trace's terms, for example
//
//	key "trials.step": found the string "nan", want a number, "NaN", "+Inf" or "-Inf"
//
// errors.Is(err, ErrTraceFormat) holds, and errors.Is/As also reach Err and
// the encoding/json error beneath it (a *json.SyntaxError or
// *json.UnmarshalTypeError).
type TraceError struct {
	Line int   // 1-based line number
	Err  error // what is wrong with it
}

// Error returns "solver: trace line N: " and the cause.
func (e *TraceError) Error() string {
	return fmt.Sprintf("solver: trace line %d: %v", e.Line, e.Err)
}

// Unwrap returns ErrTraceFormat and Err.
func (e *TraceError) Unwrap() []error { return []error{ErrTraceFormat, e.Err} }

// ReadTrace reads a JSON-lines trace written by a Recorder
// (docs/trace-format.md): a header line, iteration lines with increasing
// iteration numbers, and an optional summary line at the end (absent when
// the run was killed). A malformed line gives a *TraceError naming it; the
// returned Trace then holds the lines before it, so the completed
// iterations of a trace cut short mid-line can still be read. A read error
// of r is returned wrapped.
func ReadTrace(r io.Reader) (Trace, error) {
	if r == nil {
		return Trace{}, fmt.Errorf("solver: read trace: nil reader: %w", inner(ErrInvalidOption))
	}
	var (
		t    Trace
		p    traceParser
		line int
	)
	br := bufio.NewReader(r)
	for {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return t, fmt.Errorf("solver: read trace: %w", err)
		}
		line++
		if perr := p.parse(&t, b); perr != nil {
			return t, &TraceError{Line: line, Err: perr}
		}
		if err == io.EOF {
			break
		}
	}
	if !p.header {
		return t, &TraceError{Line: line + 1, Err: errors.New("no header line")}
	}
	return t, nil
}

// traceParser checks the order of the lines.
type traceParser struct {
	header, summary bool
	last            int // iteration number of the previous record
}

func (p *traceParser) parse(t *Trace, b []byte) error {
	b = bytes.TrimRight(b, "\r\n")
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty line")
	}
	var k struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(b, &k); err != nil {
		return newWireError(err)
	}
	if !p.header && k.Kind != kindHeader {
		return fmt.Errorf("first line has kind %q, want %q", k.Kind, kindHeader)
	}
	if p.summary {
		return fmt.Errorf("%q line after the summary", k.Kind)
	}
	switch k.Kind {
	case kindHeader:
		if p.header {
			return errors.New("second header line")
		}
		return p.parseHeader(t, b)
	case kindIteration:
		var w wireIteration
		if err := decodeStrict(b, &w); err != nil {
			return err
		}
		if w.Iteration <= p.last {
			return fmt.Errorf("iteration %d does not follow iteration %d", w.Iteration, p.last)
		}
		p.last = w.Iteration
		t.Iterations = append(t.Iterations, w.record())
		return nil
	case kindSummary:
		var w wireSummary
		if err := decodeStrict(b, &w); err != nil {
			return err
		}
		p.summary = true
		res := w.result()
		t.Summary = &res
		return nil
	}
	return fmt.Errorf("unknown kind %q", k.Kind)
}

func (p *traceParser) parseHeader(t *Trace, b []byte) error {
	var w wireHeader
	if err := decodeStrict(b, &w); err != nil {
		return err
	}
	if w.Format != traceFormat {
		return fmt.Errorf("format %q, want %q", w.Format, traceFormat)
	}
	if w.Version < 1 || w.Version > TraceVersion {
		return fmt.Errorf("format version %d, this package reads versions 1 to %d", w.Version, TraceVersion)
	}
	h, err := w.header()
	if err != nil {
		return err
	}
	p.header = true
	p.last = h.StartIteration
	t.Header = h
	return nil
}
