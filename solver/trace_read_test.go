package solver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
)

// validTrace returns a short trace as text, with its lines.
func validTrace(t testing.TB) (string, []string) {
	t.Helper()
	var buf bytes.Buffer
	s, _ := NewLBFGSState(DefaultOptions())
	rec, err := NewRecorder(&buf, s)
	if err != nil {
		t.Fatal(err)
	}
	x := rosenbrockStart(2)
	for range 3 {
		if err := s.Update(x, rosenbrock); err != nil {
			t.Fatal(err)
		}
		if err := rec.Record(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Finish(Result{Status: IterationLimit, Iterations: 3, LossEvaluations: s.NumLossEvaluations}); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	lines := strings.SplitAfter(text, "\n")
	return text, lines[:len(lines)-1] // after the final newline: ""
}

func TestReadTraceMalformed(t *testing.T) {
	_, lines := validTrace(t)
	header, it1, it2, summary := lines[0], lines[1], lines[2], lines[4]
	join := func(ls ...string) string { return strings.Join(ls, "") }
	for _, tc := range []struct {
		name  string
		input string
		line  int
		want  string // substring of the error
		iters int    // iterations returned before the error
	}{
		{"empty", "", 1, "no header", 0},
		{"no header", join(it1, it2), 1, `first line has kind "iteration"`, 0},
		{"bad json", join(header, it1, "{\"kind\":\"iteration\",\n"), 3, "unexpected end", 1},
		{"cut mid-line", join(header, it1, it2[:len(it2)/2]), 3, "unexpected end", 1},
		{"blank line", join(header, "\n", it1), 2, "empty line", 0},
		{"unknown key", join(header, strings.Replace(it1, `"loss":`, `"lost":`, 1)), 2, `unknown key "lost"`, 0},
		{"unknown kind", join(header, `{"kind":"epoch"}`+"\n"), 2, `unknown kind "epoch"`, 0},
		{"newer version", strings.Replace(header, `"version":1`, `"version":2`, 1), 1, "version 2", 0},
		{"wrong format", strings.Replace(header, traceFormat, "csv", 1), 1, `format "csv"`, 0},
		{"second header", join(header, it1, header), 3, "second header", 1},
		{"after summary", join(header, it1, summary, it2), 4, "after the summary", 1},
		{"iteration order", join(header, it2, it1), 3, "iteration 1 does not follow iteration 2", 1},
		{"lowercase nan", join(header, regexp.MustCompile(`"loss":[^,]*`).ReplaceAllString(it1, `"loss":"nan"`)), 2,
			`key "loss": found the string "nan", want a number, "NaN", "+Inf" or "-Inf"`, 0},
		{"float overflow", join(header, regexp.MustCompile(`"loss":[^,]*`).ReplaceAllString(it1, `"loss":1e999`)), 2,
			`key "loss": found the number 1e999 (too large for a 64-bit float)`, 0},
		{"string iteration", join(header, strings.Replace(it1, `"iteration":1`, `"iteration":"1"`, 1)), 2,
			`key "iteration": found a string, want an integer`, 0},
		{"fractional iteration", join(header, strings.Replace(it1, `"iteration":1`, `"iteration":1.5`, 1)), 2,
			`key "iteration": found the number 1.5, want an integer`, 0},
		{"boolean trial step", join(header, regexp.MustCompile(`"step":[^,]*`).ReplaceAllString(it1, `"step":true`)), 2,
			`key "trials.step": found a boolean, want a number`, 0},
		{"string option", strings.Replace(header, `"history_size":10`, `"history_size":"10"`, 1), 1,
			`key "options.history_size": found a string, want an integer`, 0},
		{"number kind", join(header, `{"kind":3}`+"\n"), 2, `key "kind": found a number, want a string`, 0},
		{"array line", join(header, "[1]\n"), 2, "found an array, want an object", 0},
		{"unknown status", join(header, strings.Replace(summary, "IterationLimit", "Done", 1)), 2,
			`key "status": found the string "Done", want a status: "NotTerminated", "GradientTolerance"`, 0},
		{"bad schedule", strings.Replace(header, `"schedule":"constant"`, `"schedule":"linear"`, 1), 1, `"linear"`, 0},
		{"trailing data", join(header, strings.TrimSuffix(it1, "\n")+" {}\n"), 2, "after top-level value", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadTrace(strings.NewReader(tc.input))
			var te *TraceError
			if !errors.As(err, &te) || !errors.Is(err, ErrTraceFormat) {
				t.Fatalf("err = %v, want a *TraceError wrapping ErrTraceFormat", err)
			}
			if te.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want line %d and %q", err, tc.line, tc.want)
			}
			// The project's words, not Go's, and the package named once.
			for _, bad := range []string{"Go ", "json:", "unmarshal", "wire", "float64"} {
				if strings.Contains(err.Error(), bad) {
					t.Errorf("err = %v, mentions %q", err, bad)
				}
			}
			if n := strings.Count(err.Error(), "solver:"); n != 1 {
				t.Errorf("err = %v, names the package %d times, want 1", err, n)
			}
			if len(got.Iterations) != tc.iters {
				t.Errorf("%d iterations returned with the error, want %d", len(got.Iterations), tc.iters)
			}
		})
	}
}

func TestReadTraceJSONError(t *testing.T) {
	_, err := ReadTrace(strings.NewReader("{\"kind\":\n"))
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("err = %v, want it to expose the *json.SyntaxError", err)
	}
	_, lines := validTrace(t)
	_, err = ReadTrace(strings.NewReader(lines[0] + strings.Replace(lines[1], `"iteration":1`, `"iteration":"1"`, 1)))
	var ue *json.UnmarshalTypeError
	if !errors.As(err, &ue) || ue.Field != "iteration" {
		t.Errorf("err = %v, want it to expose the *json.UnmarshalTypeError of key iteration", err)
	}
	readErr := errors.New("connection reset")
	_, err = ReadTrace(io.MultiReader(strings.NewReader("{"), errReader{readErr}))
	if !errors.Is(err, readErr) || errors.Is(err, ErrTraceFormat) {
		t.Errorf("err = %v, want the read error, not a format error", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadTraceWithoutSummary(t *testing.T) {
	_, lines := validTrace(t)
	got, err := ReadTrace(strings.NewReader(strings.Join(lines[:4], "")))
	if err != nil || got.Summary != nil || len(got.Iterations) != 3 {
		t.Errorf("got %d iterations, summary %v, err %v; want 3, nil, nil", len(got.Iterations), got.Summary, err)
	}
	// A last line without its newline is still read.
	got, err = ReadTrace(strings.NewReader(strings.TrimSuffix(strings.Join(lines, ""), "\n")))
	if err != nil || got.Summary == nil {
		t.Errorf("trace without the final newline: summary %v, err %v", got.Summary, err)
	}
}

// FuzzReadTrace checks that ReadTrace never panics, and that whatever it
// accepts survives WriteTrace and ReadTrace unchanged.
func FuzzReadTrace(f *testing.F) {
	text, lines := validTrace(f)
	f.Add(text)
	f.Add(strings.Join(lines[:2], ""))
	f.Add(`{"kind":"header","format":"lbfgsnet-trace","version":1}` + "\n")
	f.Fuzz(func(t *testing.T, in string) {
		tr, err := ReadTrace(strings.NewReader(in))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteTrace(&buf, tr); err != nil {
			t.Fatalf("WriteTrace: %v", err)
		}
		back, err := ReadTrace(&buf)
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, buf.String())
		}
		if !sameTrace(tr, back) {
			t.Fatalf("round trip changed the trace:\n%+v\n%+v", tr, back)
		}
	})
}
