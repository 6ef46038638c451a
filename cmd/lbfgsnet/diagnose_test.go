package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

func TestFindPlateaus(t *testing.T) {
	recs := func(losses ...float64) []trace.Record {
		out := make([]trace.Record, len(losses))
		for i, l := range losses {
			out[i] = trace.Record{Iteration: i + 1, Loss: l}
		}
		return out
	}
	// geometric returns n losses from l falling by the fraction r per
	// iteration.
	geometric := func(l, r float64, n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = l
			l *= 1 - r
		}
		return out
	}
	cat := func(parts ...[]float64) []float64 {
		var out []float64
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name string
		loss []float64
		want []plateau
	}{
		{"empty", nil, nil},
		{"shorter than a window", []float64{1, 1, 1, 1, 1}, nil},
		{"flat", []float64{1, 1, 1, 1, 1, 1, 1}, []plateau{{0, 6}}},
		// Falling 50% per iteration is linear convergence on a log scale,
		// however small the losses become: no plateau.
		{"converging", geometric(1, 0.5, 40), nil},
		// 0.5% per iteration is below the 1% rate.
		{"slow", geometric(1, 0.005, 10), []plateau{{0, 9}}},
		// Falling 50% per iteration, a stall of 10 iterations at 0.1%,
		// then 50% again: the stall alone (a window reaching into it from
		// either side averages far above 1%).
		{"stall", cat(geometric(1, 0.5, 10), geometric(math.Pow(0.5, 10), 0.001, 10), geometric(math.Pow(0.5, 11)*math.Pow(0.999, 9), 0.5, 10)), []plateau{{10, 19}}},
		{"rising", []float64{1, 1.1, 1.2, 1.3, 1.4, 1.5}, []plateau{{0, 5}}},
		{"non-finite", []float64{math.Inf(1), 1, 1, 1, 1, math.NaN()}, nil},
		{"zero", []float64{0, 0, 0, 0, 0, 0}, []plateau{{0, 5}}},
		{"negative", []float64{-1, -2, -3, -4, -5, -6}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// 0.01 is the default of --plateau.
			got := findPlateaus(recs(tc.loss...), 0.01)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("findPlateaus = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlateauText(t *testing.T) {
	recs := make([]trace.Record, 40)
	for i := range recs {
		// Plateaus at iterations 1 to 6 and 31 to 40 (where the run
		// ends), a fall of 10% per iteration between.
		l := 1.0
		switch {
		case i < 6:
		case i < 30:
			l = math.Pow(0.9, float64(i-5))
		default:
			l = math.Pow(0.9, 24)
		}
		recs[i] = trace.Record{Iteration: i + 1, Loss: l}
	}
	d := diagnose(trace.Trace{Iterations: recs}, 0.01)
	want := "2 (the loss falling by less than 1% per iteration over 5 iterations): iterations 1 to 6 (loss 1 to 1, 0% per iteration); " +
		"iterations 30 to 40 (loss 0.0798 to 0.0798, 0% per iteration), where the run ended"
	if got := d.plateauText(); got != want {
		t.Errorf("plateauText =\n%s\nwant\n%s", got, want)
	}
}

func TestIterationList(t *testing.T) {
	tests := []struct {
		its  []int
		want string
	}{
		{nil, "none"},
		{[]int{4}, "1 (iteration 4)"},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "12 (iterations 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … 2 more)"},
	}
	for _, tc := range tests {
		if got := iterationList(tc.its, nil); got != tc.want {
			t.Errorf("iterationList(%v) = %q, want %q", tc.its, got, tc.want)
		}
	}
}

// eventTrace is a hand-made trace with one of each event inspect reports:
// a direction reset (2), a skipped pair (3), a non-finite trial (4), a
// failed line search (5) and a loss that rose (6).
func eventTrace() trace.Trace {
	ok := []solver.LineSearchTrial{{Step: 1, Loss: 1, Derivative: -1, Outcome: solver.TrialAccepted}}
	rec := func(it int, loss float64) trace.Record {
		return trace.Record{Iteration: it, Loss: loss, GradientsNorm: loss / 10, StepNorm: 0.5, LearningRate: 1,
			LineSearchStatus: solver.LineSearchCompleted, LossEvaluations: 1, PairStatus: solver.PairStored, Trials: ok}
	}
	recs := []trace.Record{rec(1, 8), rec(2, 4), rec(3, 2), rec(4, 1), rec(5, 1), rec(6, 1.5), rec(7, 0.5)}
	recs[1].DirectionReset = true
	recs[2].PairStatus, recs[2].CurvatureProduct = solver.PairSkipped, -2e-9
	recs[3].Trials = []solver.LineSearchTrial{{Step: 1, Loss: math.NaN(), Outcome: solver.TrialNonFinite}, {Step: 0.1, Loss: 1, Outcome: solver.TrialAccepted}}
	recs[3].LossEvaluations = 2
	recs[4].LineSearchStatus, recs[4].StepNorm, recs[4].LearningRate, recs[4].PairStatus = solver.LineSearchFailed, 0, 0, solver.PairNone
	recs[4].Trials = []solver.LineSearchTrial{{Step: 1, Loss: 3, Outcome: solver.TrialArmijo}}
	opts := solver.DefaultOptions()
	return trace.Trace{Header: trace.Header{Version: trace.Version, Options: opts}, Iterations: recs,
		Summary: &solver.Result{Status: solver.IterationLimit, Iterations: 7, LossEvaluations: 9, Loss: 0.5, GradientsNorm: 0.05}}
}

// TestInspectEvents writes eventTrace to a file and checks that inspect
// reports each event at its iteration, as text and as JSON, and plots it.
func TestInspectEvents(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "events.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := trace.Write(f, eventTrace()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r := runInProcess(t.Context(), "inspect", path, "--plot", filepath.Join(dir, "events.png"))
	mustSucceed(t, r, "inspect events.jsonl")
	for label, want := range map[string]string{
		"Stopped":              "IterationLimit (early stop) after 7 iterations, 9 loss evaluations, 00:00:00.000",
		"Direction resets":     "1 (iteration 2)",
		"Skipped pairs":        "1 (iteration 3 (sᵀy -2e-09))",
		"Non-finite trials":    "1 (iteration 4)",
		"Line-search failures": "1 (iteration 5)",
		"Loss increases":       "1 (iteration 6)",
		"Plateaus":             "none: over every 5 iterations the loss fell by more than 1% per iteration",
		"Loss evaluations":     "8 in the iterations (9 with the starting point), 1.14 per iteration, at most 2 (iteration 4); the first trial step was accepted in 5 of 7 iterations",
	} {
		if got := summaryValue(t, r.stdout, label); got != want {
			t.Errorf("%s: %q, want %q", label, got, want)
		}
	}
	j := runInProcess(t.Context(), "inspect", "--format", "json", path)
	mustSucceed(t, j, "inspect --format json")
	lines := jsonLines(t, j.stdout)
	if len(lines) != 8 {
		t.Fatalf("%d JSON lines, want 7 iterations and the diagnosis", len(lines))
	}
	d := lines[7]
	for key, want := range map[string]string{"kind": "diagnosis", "status": "IterationLimit", "direction_resets": "[2]",
		"skipped_pairs": "[3]", "non_finite_trials": "[4]", "line_search_failures": "[5]", "loss_increases": "[6]", "plateaus": "[]"} {
		if got := fmt.Sprint(d[key]); got != want {
			t.Errorf("diagnosis %s = %s, want %s", key, got, want)
		}
	}
}
