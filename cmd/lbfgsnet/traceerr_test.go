package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// shortTrace returns the lines of a trace of three iterations on a
// quadratic, with its summary.
func shortTrace(t *testing.T) []string {
	t.Helper()
	var buf bytes.Buffer
	s, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rec, err := trace.NewRecorder(&buf, s)
	if err != nil {
		t.Fatal(err)
	}
	f := func(x, g []float64) (float64, any, error) {
		g[0], g[1] = 2*(x[0]-1), 20*(x[1]+2)
		return (x[0]-1)*(x[0]-1) + 10*(x[1]+2)*(x[1]+2), nil, nil
	}
	res, err := solver.Minimize(context.Background(), []float64{3, 4}, f, s, solver.StopOptions{MaxIterations: 3, Hook: rec.Record})
	if err == nil {
		err = rec.Finish(res)
	}
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	return lines[:len(lines)-1]
}

// TestTraceLineText checks that the cause of a malformed trace line reads
// in the trace's terms (key, value found, value wanted), never in Go's.
func TestTraceLineText(t *testing.T) {
	lines := shortTrace(t)
	header, it1, summary := lines[0], lines[1], lines[len(lines)-1]
	loss := regexp.MustCompile(`"loss":[^,]*`)
	for _, tc := range []struct{ name, input, want string }{
		{"unknown key", header + strings.Replace(it1, `"loss":`, `"lost":`, 1), `unknown key "lost"`},
		{"lowercase nan", header + loss.ReplaceAllString(it1, `"loss":"nan"`),
			`key "loss": found the string "nan", want a number, "NaN", "+Inf" or "-Inf"`},
		{"float overflow", header + loss.ReplaceAllString(it1, `"loss":1e999`),
			`key "loss": found the number 1e999 (too large for a 64-bit float)`},
		{"string iteration", header + strings.Replace(it1, `"iteration":1`, `"iteration":"1"`, 1),
			`key "iteration": found a string, want an integer`},
		{"fractional iteration", header + strings.Replace(it1, `"iteration":1`, `"iteration":1.5`, 1),
			`key "iteration": found the number 1.5, want an integer`},
		{"boolean trial step", header + regexp.MustCompile(`"step":[^,]*`).ReplaceAllString(it1, `"step":true`),
			`key "trials.step": found a boolean, want a number`},
		{"string option", strings.Replace(header, `"history_size":10`, `"history_size":"10"`, 1),
			`key "options.history_size": found a string, want an integer`},
		{"number kind", header + `{"kind":3}` + "\n", `key "kind": found a number, want a string`},
		{"array line", header + "[1]\n", "found an array, want an object"},
		{"unknown status", header + regexp.MustCompile(`"status":"\w+"`).ReplaceAllString(summary, `"status":"Done"`),
			`key "status": found the string "Done", want a status: "NotTerminated", "GradientTolerance"`},
		{"cut mid-line", header + it1[:len(it1)/2], "not valid JSON (at byte"},
		{"trailing data", header + strings.TrimSuffix(it1, "\n") + " {}\n", "not valid JSON (at byte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := trace.Read(strings.NewReader(tc.input))
			var le *trace.LineError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *trace.LineError", err)
			}
			got := traceLineText(le.Err)
			if !strings.Contains(got, tc.want) {
				t.Errorf("text = %q, want it to contain %q", got, tc.want)
			}
			for _, bad := range []string{"Go ", "json:", "unmarshal", "wire", "float64"} {
				if strings.Contains(got, bad) {
					t.Errorf("text = %q mentions %q", got, bad)
				}
			}
		})
	}
}
