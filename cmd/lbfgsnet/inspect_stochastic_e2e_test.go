package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// isPNG fails unless path holds a PNG image.
func isPNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("%s: not a PNG (%v)", path, err)
	}
}

// A stochastic run's trace: train --plot draws it, inspect prints train's
// table back with a diagnosis (table and JSON), draws it with --plot, and
// refuses the full-batch-only flags.
func TestInspectStochasticTrace(t *testing.T) {
	dir := t.TempDir()
	args := append(append([]string{}, progressiveArgs...), "--max-epochs", "20", "--trace", "pb.jsonl", "--plot", "train.png")
	tr := runBinary(t, dir, args...)
	mustSucceed(t, tr, strings.Join(args, " "))
	isPNG(t, filepath.Join(dir, "train.png"))
	trained := strings.Split(strings.TrimSpace(tr.stdout), "\n")

	r := runBinary(t, dir, "inspect", "pb.jsonl", "--plot", "inspect.png")
	mustSucceed(t, r, "inspect pb.jsonl")
	isPNG(t, filepath.Join(dir, "inspect.png"))
	out := strings.Split(r.stdout, "\n")
	// The table is train's, line for line.
	for i, l := range trained {
		if strings.TrimSpace(l) == "" {
			break
		}
		if out[i] != l {
			t.Fatalf("inspect line %d %q, train printed %q", i+1, out[i], l)
		}
	}
	if st := summaryValue(t, r.stdout, "Stop status"); st != "FullSetAccuracy" {
		t.Errorf("Stop status %q", st)
	}
	if b := summaryValue(t, r.stdout, "Batch"); b != "grew from 16 to 150 rows" {
		t.Errorf("Batch %q", b)
	}

	j := runBinary(t, dir, "inspect", "--format", "json", "pb.jsonl")
	mustSucceed(t, j, "inspect --format json")
	lines := strings.Split(strings.TrimSpace(j.stdout), "\n")
	var d map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &d); err != nil {
		t.Fatal(err)
	}
	if d["kind"] != "diagnosis" || d["converged"] != true || d["last_batch_size"] != float64(150) {
		t.Errorf("diagnosis %v", d)
	}

	for _, flag := range [][]string{{"--trials"}, {"--plateau", "0.1"}} {
		e := runInProcess(t.Context(), append([]string{"inspect", filepath.Join(dir, "pb.jsonl")}, flag...)...)
		if e.code != 2 || !strings.Contains(e.stderr, flag[0]) {
			t.Errorf("inspect %s on a stochastic trace: exit %d, %q", flag[0], e.code, e.stderr)
		}
	}
	// A damaged line is an error naming the file and line.
	b, _ := os.ReadFile(filepath.Join(dir, "pb.jsonl"))
	ls := strings.SplitAfter(string(b), "\n")
	ls[1] = strings.Replace(ls[1], `"epoch"`, `"epochs"`, 1)
	writeFile(t, dir, "bad.jsonl", strings.Join(ls, ""))
	e := runInProcess(t.Context(), "inspect", filepath.Join(dir, "bad.jsonl"))
	if e.code == 0 || !strings.Contains(e.stderr, `bad.jsonl: line 2: unknown key "epochs"`) {
		t.Errorf("damaged trace: exit %d, %q", e.code, e.stderr)
	}
}

// The stochastic plot leaves out what a log axis cannot show (a diverged
// run's largest float64, zero steps) and says so for an empty panel.
func TestRenderStochasticPlotUnplottable(t *testing.T) {
	big, one := math.MaxFloat64, 1.0
	recs := []stochastic.TraceRecord{
		{Iteration: 1, Epoch: 0.1, BatchSize: 10, BatchLoss: 1, GradientsNorm: 1, StepNorm: 0, FullLoss: &one},
		{Iteration: 2, Epoch: 0.2, BatchSize: 20, BatchLoss: big, GradientsNorm: big, StepNorm: 0, FullLoss: &big},
	}
	if _, err := renderStochasticPlot("t", recs); err != nil {
		t.Fatal(err)
	}
	p, err := stochasticPanelPlot(stochasticPanels[2], recs, true)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Label.Text != "StepNorm (no value > 0 to show)" {
		t.Errorf("label %q", p.Y.Label.Text)
	}
	if err := writeStochasticPlot(t.TempDir()+"/x.png", "t", nil); err == nil {
		t.Error("plot of no iterations succeeded")
	}
}
