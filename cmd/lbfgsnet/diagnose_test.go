package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

func TestPlateauIndex(t *testing.T) {
	recs := func(losses ...float64) []solver.IterationRecord {
		out := make([]solver.IterationRecord, len(losses))
		for i, l := range losses {
			out[i] = solver.IterationRecord{Iteration: i + 1, Loss: l}
		}
		return out
	}
	tests := []struct {
		name     string
		recs     []solver.IterationRecord
		fraction float64
		want     int
	}{
		{"empty", nil, 0.01, -1},
		{"one", recs(1), 0.01, -1},
		{"flat", recs(1, 1, 1), 0.01, -1},
		{"rising", recs(1, 2), 0.01, -1},
		// decrease 10 → 0: within 1% (0.1) of the end from index 3 (0.05).
		{"knee", recs(10, 5, 1, 0.05, 0.01, 0), 0.01, 3},
		// within 50% (5) of the end from index 1.
		{"half", recs(10, 5, 1, 0.05, 0.01, 0), 0.5, 1},
		{"straight", recs(4, 3, 2, 1), 0.01, 3},
		{"non-finite", recs(math.Inf(1), 1), 0.01, -1},
	}
	for _, tc := range tests {
		if got := plateauIndex(tc.recs, tc.fraction); got != tc.want {
			t.Errorf("%s: plateauIndex = %d, want %d", tc.name, got, tc.want)
		}
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
func eventTrace() solver.Trace {
	ok := []solver.LineSearchTrial{{Step: 1, Loss: 1, Derivative: -1, Outcome: solver.TrialAccepted}}
	rec := func(it int, loss float64) solver.IterationRecord {
		return solver.IterationRecord{Iteration: it, Loss: loss, GradientsNorm: loss / 10, StepNorm: 0.5, LearningRate: 1,
			LineSearchStatus: solver.LineSearchCompleted, LossEvaluations: 1, PairStatus: solver.PairStored, Trials: ok}
	}
	recs := []solver.IterationRecord{rec(1, 8), rec(2, 4), rec(3, 2), rec(4, 1), rec(5, 1), rec(6, 1.5), rec(7, 0.5)}
	recs[1].DirectionReset = true
	recs[2].PairStatus, recs[2].CurvatureProduct = solver.PairSkipped, -2e-9
	recs[3].Trials = []solver.LineSearchTrial{{Step: 1, Loss: math.NaN(), Outcome: solver.TrialNonFinite}, {Step: 0.1, Loss: 1, Outcome: solver.TrialAccepted}}
	recs[3].LossEvaluations = 2
	recs[4].LineSearchStatus, recs[4].StepNorm, recs[4].LearningRate, recs[4].PairStatus = solver.LineSearchFailed, 0, 0, solver.PairNone
	recs[4].Trials = []solver.LineSearchTrial{{Step: 1, Loss: 3, Outcome: solver.TrialArmijo}}
	opts := solver.DefaultOptions()
	return solver.Trace{Header: solver.TraceHeader{Version: solver.TraceVersion, Options: opts}, Iterations: recs,
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
	if err := solver.WriteTrace(f, eventTrace()); err != nil {
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
		"Plateau":              "none: the loss was still falling at the last iteration",
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
		"skipped_pairs": "[3]", "non_finite_trials": "[4]", "line_search_failures": "[5]", "loss_increases": "[6]", "plateau_iteration": "<nil>"} {
		if got := fmt.Sprint(d[key]); got != want {
			t.Errorf("diagnosis %s = %s, want %s", key, got, want)
		}
	}
}
