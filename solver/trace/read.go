package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrFormat: a trace line is not valid JSON, lacks or misplaces the header
// or summary, has an unknown key, kind or value, or comes from a newer
// format version. Read returns it inside a *LineError naming the line.
var ErrFormat = errors.New("trace: malformed trace")

// ErrInvalid: a nil reader, writer, Recorder or state.
var ErrInvalid = errors.New("trace: invalid argument")

// LineError reports a malformed trace line. Err is what is wrong with it:
// the error of encoding/json for a line that does not decode (a
// *json.SyntaxError, or a *json.UnmarshalTypeError naming the key, for
// tools to phrase in the trace's terms as lbfgsnet inspect does), or a
// message naming the key or the order of the lines.
// errors.Is(err, ErrFormat) holds, and errors.Is/As also reach Err.
type LineError struct {
	Line int   // 1-based line number
	Err  error // what is wrong with it
}

// Error returns "trace: line N: " and the cause.
func (e *LineError) Error() string {
	return fmt.Sprintf("trace: line %d: %v", e.Line, e.Err)
}

// Unwrap returns ErrFormat and Err.
func (e *LineError) Unwrap() []error { return []error{ErrFormat, e.Err} }

// Read reads a JSON-lines trace written by a Recorder
// (docs/trace-format.md), of format version 1 to 4: a header line,
// iteration lines with increasing iteration numbers, and an optional
// summary line at the end (absent when the run was killed). A malformed
// line gives a *LineError naming it; the returned Trace then holds the
// lines before it, so the completed iterations of a trace cut short
// mid-line can still be read. A read error of r is returned wrapped.
func Read(r io.Reader) (Trace, error) {
	if r == nil {
		return Trace{}, fmt.Errorf("trace: read: nil reader: %w", ErrInvalid)
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
			return t, fmt.Errorf("trace: read: %w", err)
		}
		line++
		if perr := p.parse(&t, b); perr != nil {
			return t, &LineError{Line: line, Err: perr}
		}
		if err == io.EOF {
			break
		}
	}
	if !p.header {
		return t, &LineError{Line: line + 1, Err: errors.New("no header line")}
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
		return err
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
		rec, err := w.record(&t.Header)
		if err != nil {
			return err
		}
		p.last = w.Iteration
		t.Iterations = append(t.Iterations, rec)
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
	if w.Format != format {
		return fmt.Errorf("format %q, want %q", w.Format, format)
	}
	if w.Version < 1 || w.Version > Version {
		return fmt.Errorf("format version %d, this package reads versions 1 to %d", w.Version, Version)
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
