package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// validTrace returns a short trace as text, with its lines.
func validTrace(t testing.TB) (string, []string) {
	t.Helper()
	var buf bytes.Buffer
	s, _ := solver.NewLBFGSState(solver.DefaultOptions())
	rec, err := NewRecorder(&buf, s)
	if err != nil {
		t.Fatal(err)
	}
	x := testprob.RosenbrockStart(2)
	for range 3 {
		if err := s.Update(x, testprob.Rosenbrock); err != nil {
			t.Fatal(err)
		}
		if err := rec.Record(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Finish(solver.Result{Status: solver.IterationLimit, Iterations: 3, LossEvaluations: s.NumLossEvaluations}); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	lines := strings.SplitAfter(text, "\n")
	return text, lines[:len(lines)-1] // after the final newline: ""
}

// TestReadTraceMalformed checks the line, the cause and the records
// returned with the error for each kind of malformed trace. Where the
// cause is encoding/json's, lbfgsnet inspect phrases it (its tests check
// how each reads).
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
		{"unknown key", join(header, strings.Replace(it1, `"loss":`, `"lost":`, 1)), 2, `unknown field "lost"`, 0},
		{"unknown kind", join(header, `{"kind":"epoch"}`+"\n"), 2, `unknown kind "epoch"`, 0},
		{"newer version", strings.Replace(header, `"version":4`, `"version":5`, 1), 1, "version 5", 0},
		{"wrong format", strings.Replace(header, format, "csv", 1), 1, `format "csv"`, 0},
		{"second header", join(header, it1, header), 3, "second header", 1},
		{"after summary", join(header, it1, summary, it2), 4, "after the summary", 1},
		{"iteration order", join(header, it2, it1), 3, "iteration 1 does not follow iteration 2", 1},
		{"lowercase nan", join(header, regexp.MustCompile(`"loss":[^,]*`).ReplaceAllString(it1, `"loss":"nan"`)), 2, "loss", 0},
		{"string iteration", join(header, strings.Replace(it1, `"iteration":1`, `"iteration":"1"`, 1)), 2, "iteration", 0},
		{"unknown status", join(header, strings.Replace(summary, "IterationLimit", "Done", 1)), 2, "status", 0},
		{"unknown outcome", join(header, strings.Replace(it1, `"outcome":"accepted"`, `"outcome":"taken"`, 1)), 2,
			`key "trials.outcome": unknown trial outcome "taken"`, 0},
		{"unknown pair status", join(header, strings.Replace(it1, `"pair_status":"stored"`, `"pair_status":"kept"`, 1)), 2,
			`key "pair_status": unknown pair status "kept"`, 0},
		{"unknown method", join(header, strings.Replace(it1, `"line_search_method":"weak-wolfe"`, `"line_search_method":"wolfe"`, 1)), 2,
			`key "line_search_method": unknown line-search method "wolfe"`, 0},
		{"version 2 without method", join(header, strings.Replace(it1, `"line_search_method":"weak-wolfe",`, ``, 1)), 2,
			`missing key "line_search_method"`, 0},
		{"bad schedule", strings.Replace(header, `"schedule":"constant"`, `"schedule":"linear"`, 1), 1, `"linear"`, 0},
		{"trailing data", join(header, strings.TrimSuffix(it1, "\n")+" {}\n"), 2, "after top-level value", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tc.input))
			var te *LineError
			if !errors.As(err, &te) || !errors.Is(err, ErrFormat) {
				t.Fatalf("err = %v, want a *LineError wrapping ErrFormat", err)
			}
			if te.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want line %d and %q", err, tc.line, tc.want)
			}
			if n := strings.Count(err.Error(), "trace:"); n != 1 {
				t.Errorf("err = %v, names the package %d times, want 1", err, n)
			}
			if len(got.Iterations) != tc.iters {
				t.Errorf("%d iterations returned with the error, want %d", len(got.Iterations), tc.iters)
			}
		})
	}
}

func TestReadTraceJSONError(t *testing.T) {
	_, err := Read(strings.NewReader("{\"kind\":\n"))
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("err = %v, want it to expose the *json.SyntaxError", err)
	}
	_, lines := validTrace(t)
	_, err = Read(strings.NewReader(lines[0] + strings.Replace(lines[1], `"iteration":1`, `"iteration":"1"`, 1)))
	var ue *json.UnmarshalTypeError
	if !errors.As(err, &ue) || ue.Field != "iteration" {
		t.Errorf("err = %v, want it to expose the *json.UnmarshalTypeError of key iteration", err)
	}
	readErr := errors.New("connection reset")
	_, err = Read(io.MultiReader(strings.NewReader("{"), errReader{readErr}))
	if !errors.Is(err, readErr) || errors.Is(err, ErrFormat) {
		t.Errorf("err = %v, want the read error, not a format error", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadTraceWithoutSummary(t *testing.T) {
	_, lines := validTrace(t)
	got, err := Read(strings.NewReader(strings.Join(lines[:4], "")))
	if err != nil || got.Summary != nil || len(got.Iterations) != 3 {
		t.Errorf("got %d iterations, summary %v, err %v; want 3, nil, nil", len(got.Iterations), got.Summary, err)
	}
	// A last line without its newline is still read.
	got, err = Read(strings.NewReader(strings.TrimSuffix(strings.Join(lines, ""), "\n")))
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
		tr, err := Read(strings.NewReader(in))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, tr); err != nil {
			t.Fatalf("WriteTrace: %v", err)
		}
		back, err := Read(&buf)
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, buf.String())
		}
		if !sameTrace(tr, back) {
			t.Fatalf("round trip changed the trace:\n%+v\n%+v", tr, back)
		}
	})
}

// TestValidationKeys writes a trace whose second iteration was validated:
// only that line has the validation keys, and all read back (NaN where
// absent).
func TestValidationKeys(t *testing.T) {
	f, err := os.Open("testdata/v1.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	tr.Iterations[1].ValidationLoss, tr.Iterations[1].ValidationAccuracy = 0.25, 0.875
	var buf bytes.Buffer
	if err := Write(&buf, tr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if strings.Contains(lines[1], "validation") || !strings.Contains(lines[2], `"validation_loss":0.25,"validation_accuracy":0.875}`) {
		t.Errorf("iteration lines:\n%s\n%s", lines[1], lines[2])
	}
	back, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	r := back.Iterations[1]
	if r.ValidationLoss != 0.25 || r.ValidationAccuracy != 0.875 || !math.IsNaN(r.ValidationRMSE) || !math.IsNaN(back.Iterations[0].ValidationLoss) {
		t.Errorf("read back %v %v %v, first %v", r.ValidationLoss, r.ValidationAccuracy, r.ValidationRMSE, back.Iterations[0].ValidationLoss)
	}
}

// TestReadVersion1 reads a trace written in format version 1: the method
// of each iteration comes from the header, ‖g‖∞ reads as 0.
func TestReadVersion1(t *testing.T) {
	f, err := os.Open("testdata/v1.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Header.Version != 1 || len(tr.Iterations) != 2 || tr.Summary == nil {
		t.Fatalf("version %d, %d iterations, summary %v", tr.Header.Version, len(tr.Iterations), tr.Summary)
	}
	for _, r := range tr.Iterations {
		if r.LineSearchMethod != solver.WeakWolfe || r.GradientsInfNorm != 0 || r.PairStatus != solver.PairStored {
			t.Errorf("iteration %d: method %v, ‖g‖∞ %v, pair %v", r.Iteration, r.LineSearchMethod, r.GradientsInfNorm, r.PairStatus)
		}
		if !math.IsNaN(r.ValidationLoss) || !math.IsNaN(r.ValidationAccuracy) || !math.IsNaN(r.ValidationRMSE) {
			t.Errorf("iteration %d: validation %v %v %v, want NaN (not in version 1)", r.Iteration, r.ValidationLoss, r.ValidationAccuracy, r.ValidationRMSE)
		}
	}
	// Written again, it is a current trace that reads back the same.
	var buf bytes.Buffer
	if err := Write(&buf, tr); err != nil {
		t.Fatal(err)
	}
	back, err := Read(&buf)
	tr.Header.Version = Version
	if err != nil || !sameTrace(back, tr) {
		t.Errorf("rewritten: err %v, same %v", err, sameTrace(back, tr))
	}
}
