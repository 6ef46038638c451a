package main

import (
	"encoding/csv"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// noisyCSV returns two overlapping classes ("no", "yes") in two features,
// n rows, each label flipped with probability noise: with few rows, label
// noise and a wide network, training drives the training loss to zero
// while the validation loss, after a few iterations, rises.
func noisyCSV(n int, seed uint64, noise float64) string {
	rng := rand.New(rand.NewPCG(seed, 3))
	var b strings.Builder
	b.WriteString("x1,x2,label\n")
	for i := range n {
		c := i % 2
		x1 := rng.NormFloat64() + float64(2*c-1)
		x2 := rng.NormFloat64()
		if rng.Float64() < noise {
			c = 1 - c
		}
		fmt.Fprintf(&b, "%.4f,%.4f,%s\n", x1, x2, []string{"no", "yes"}[c])
	}
	return b.String()
}

// validationRows returns the iteration and validation loss of each
// iteration object of train --format json that has one.
func validationRows(t *testing.T, stdout string) (iters []int, losses []float64, summary map[string]any) {
	t.Helper()
	for _, obj := range jsonLines(t, stdout) {
		switch obj["kind"] {
		case "iteration":
			if v, ok := obj["validation_loss"].(float64); ok {
				iters = append(iters, int(obj["iteration"].(float64)))
				losses = append(losses, v)
			}
		case "summary":
			summary = obj
		}
	}
	if summary == nil {
		t.Fatalf("no summary in:\n%s", stdout)
	}
	return iters, losses, summary
}

// overfitArgs trains a 64-64 network on 24 noisy rows, validated on 200.
var overfitArgs = []string{"train", "--data", "train.csv", "--validation-data", "valid.csv", "--hidden", "64,64",
	"--max-iterations", "60", "--format", "json", "--log-level", "error"}

// TestBestValidationNetwork: on a data set where the validation loss rises
// while the training loss falls, --output-network best-validation-loss
// saves the network of the lowest validation loss of the run (measured
// again here, from predict's probabilities), strictly below the last.
func TestBestValidationNetwork(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "train.csv", noisyCSV(24, 1, 0.25))
	writeFile(t, dir, "valid.csv", noisyCSV(200, 2, 0))
	r := runBinary(t, dir, append(overfitArgs, "--output-network", "best-validation-loss", "--model-out", "best.model")...)
	mustSucceed(t, r, "train --output-network best-validation-loss")
	iters, losses, summary := validationRows(t, r.stdout)
	if len(iters) < 20 {
		t.Fatalf("%d validated iterations, want every iteration of a long run", len(iters))
	}
	k := 0
	for i, l := range losses {
		if l < losses[k] {
			k = i
		}
	}
	last := losses[len(losses)-1]
	if !(losses[k] < last) || iters[k] >= iters[len(iters)-1] {
		t.Fatalf("validation loss lowest %v at iteration %d, last %v: the data set does not overfit", losses[k], iters[k], last)
	}
	if got := int(summary["best_validation_iteration"].(float64)); got != iters[k] {
		t.Errorf("summary best_validation_iteration %d, want %d (the table's minimum)", got, iters[k])
	}
	if got := summary["best_validation_loss"].(float64); got != losses[k] {
		t.Errorf("summary best_validation_loss %v, want %v", got, losses[k])
	}
	if summary["output_network"] != "best-validation-loss" {
		t.Errorf("summary output_network %v", summary["output_network"])
	}
	got := savedValidationLoss(t, dir, "best.model")
	if math.Abs(got-losses[k]) > 1e-9*losses[k] {
		t.Errorf("validation loss of the saved network %v, want the run's minimum %v", got, losses[k])
	}
	if !(got < last) {
		t.Errorf("saved network's validation loss %v is not below the last iteration's %v", got, last)
	}

	checkEvaluatedAccuracy(t, dir, "best.model", summary)

	// The default saves the last network (whose outputs saturate: its
	// cross-entropy cannot be recomputed from rounded probabilities, so
	// its accuracy is compared).
	r = runBinary(t, dir, append(overfitArgs, "--model-out", "last.model")...)
	mustSucceed(t, r, "train")
	_, lastLosses, lastSummary := validationRows(t, r.stdout)
	if fmt.Sprint(lastLosses) != fmt.Sprint(losses) {
		t.Error("the output network changed the run (validation losses differ)")
	}
	checkEvaluatedAccuracy(t, dir, "last.model", lastSummary)
}

// checkEvaluatedAccuracy compares evaluate's accuracy of a saved model on
// valid.csv with the validation accuracy train's summary reported for it.
func checkEvaluatedAccuracy(t *testing.T, dir, model string, summary map[string]any) {
	t.Helper()
	ev := runBinary(t, dir, "evaluate", "--model", model, "--data", "valid.csv", "--format", "json")
	mustSucceed(t, ev, "evaluate")
	obj := jsonLines(t, ev.stdout)[0]
	if obj["accuracy"] != summary["validation_accuracy"] {
		t.Errorf("%s: evaluate accuracy %v, train summary %v", model, obj["accuracy"], summary["validation_accuracy"])
	}
}

// savedValidationLoss returns the cross-entropy of a saved model on
// valid.csv, from predict's probabilities written exactly.
func savedValidationLoss(t *testing.T, dir, model string) float64 {
	t.Helper()
	p := runBinary(t, dir, "predict", "--model", model, "--data", "valid.csv", "--precision", "0")
	mustSucceed(t, p, "predict")
	recs, err := csv.NewReader(strings.NewReader(p.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	truth, _ := csv.NewReader(strings.NewReader(noisyCSV(200, 2, 0))).ReadAll()
	col := map[string]int{"no": 2, "yes": 3} // row,label,prob_no,prob_yes
	sum := 0.0
	for i, rec := range recs[1:] {
		pr, err := strconv.ParseFloat(rec[col[truth[i+1][2]]], 64)
		if err != nil {
			t.Fatal(err)
		}
		sum -= math.Log(pr)
	}
	return sum / float64(len(recs)-1)
}

// TestValidationPatience: the run stops where the table says it should:
// at the first validation that makes Patience in a row without a new
// lowest loss. Up to there, the rows are those of the run without
// patience.
func TestValidationPatience(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "train.csv", noisyCSV(24, 1, 0.25))
	writeFile(t, dir, "valid.csv", noisyCSV(200, 2, 0))
	full := runBinary(t, dir, overfitArgs...)
	mustSucceed(t, full, "train")
	iters, losses, _ := validationRows(t, full.stdout)
	for _, tt := range []struct{ patience, frequency int }{{5, 1}, {3, 2}} {
		t.Run(fmt.Sprintf("patience %d frequency %d", tt.patience, tt.frequency), func(t *testing.T) {
			want, best, since := -1, math.Inf(1), 0
			for i, it := range iters {
				if it%tt.frequency != 0 {
					continue
				}
				if losses[i] < best {
					best, since = losses[i], 0
				} else if since++; since >= tt.patience {
					want = it
					break
				}
			}
			if want < 0 {
				t.Fatal("the table never runs out of patience")
			}
			r := runBinary(t, dir, append(overfitArgs, "--validation-patience", strconv.Itoa(tt.patience),
				"--validation-frequency", strconv.Itoa(tt.frequency))...)
			mustSucceed(t, r, "train --validation-patience")
			gotIters, gotLosses, summary := validationRows(t, r.stdout)
			if summary["status"] != "ValidationPatience" || int(summary["total_iterations"].(float64)) != want {
				t.Errorf("status %v after %v iterations, want ValidationPatience after %d", summary["status"], summary["total_iterations"], want)
			}
			for i, it := range gotIters {
				if it%tt.frequency != 0 {
					t.Errorf("iteration %d validated with --validation-frequency %d", it, tt.frequency)
				}
				if j := it - 1; iters[j] != it || losses[j] != gotLosses[i] {
					t.Errorf("iteration %d: validation loss %v, want %v as in the run without patience", it, gotLosses[i], losses[j])
				}
			}
		})
	}
	text := runBinary(t, dir, "train", "--data", "train.csv", "--validation-data", "valid.csv", "--hidden", "64,64",
		"--validation-patience", "5", "--log-level", "error")
	mustSucceed(t, text, "train --validation-patience (table)")
	if st := summaryValue(t, text.stdout, "Stop status"); !strings.HasPrefix(st, "ValidationPatience (early stop): the validation loss did not improve for --validation-patience 5") {
		t.Errorf("Stop status %q", st)
	}
}

// TestValidationResume: a run split by a checkpoint keeps its best
// network and its patience count: it ends as the unbroken run does.
func TestValidationResume(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "train.csv", noisyCSV(24, 1, 0.25))
	writeFile(t, dir, "valid.csv", noisyCSV(200, 2, 0))
	args := []string{"train", "--data", "train.csv", "--validation-data", "valid.csv", "--hidden", "64,64",
		"--format", "json", "--log-level", "error", "--output-network", "best-validation-loss", "--validation-patience", "8"}
	whole := runBinary(t, dir, append(args, "--max-iterations", "60")...)
	mustSucceed(t, whole, "unbroken run")
	_, _, want := validationRows(t, whole.stdout)
	// The best comes within the first few iterations: split after it.
	first := runBinary(t, dir, append(args, "--max-iterations", "6", "--checkpoint", "run.ckpt")...)
	mustSucceed(t, first, "first part")
	second := runBinary(t, dir, append(args, "--max-iterations", "60", "--resume", "run.ckpt")...)
	mustSucceed(t, second, "resumed part")
	_, _, got := validationRows(t, second.stdout)
	for _, key := range []string{"status", "total_iterations", "best_validation_iteration", "best_validation_loss", "validation_accuracy"} {
		if fmt.Sprint(got[key]) != fmt.Sprint(want[key]) {
			t.Errorf("%s: resumed %v, unbroken %v", key, got[key], want[key])
		}
	}
}

// TestValidationTrace: the trace holds the validation of each validated
// iteration, inspect prints it as train did, and the plots of train and
// inspect draw the validation loss on the loss panel and an accuracy
// panel below the three others.
func TestValidationTrace(t *testing.T) {
	dir := t.TempDir()
	r := runBinary(t, dir, "train", "--max-iterations", "20", "--validation-split", "0.2", "--validation-frequency", "2",
		"--trace", "run.jsonl", "--plot", "train.png", "--format", "json", "--log-level", "error")
	mustSucceed(t, r, "train --trace with validation")
	ins := runBinary(t, dir, "inspect", "run.jsonl", "--format", "json", "--plot", "inspect.png")
	mustSucceed(t, ins, "inspect --format json")
	var trained, inspected []map[string]any
	for _, o := range jsonLines(t, r.stdout) {
		if o["kind"] == "iteration" {
			trained = append(trained, o)
		}
	}
	for _, o := range jsonLines(t, ins.stdout) {
		if o["kind"] == "iteration" {
			inspected = append(inspected, o)
		}
	}
	if len(trained) != 20 || len(inspected) != 20 {
		t.Fatalf("%d rows trained, %d inspected, want 20", len(trained), len(inspected))
	}
	for i := range trained {
		for _, key := range []string{"validation_loss", "validation_accuracy"} {
			if fmt.Sprint(trained[i][key]) != fmt.Sprint(inspected[i][key]) {
				t.Errorf("iteration %d: %s %v in train, %v in inspect", i+1, key, trained[i][key], inspected[i][key])
			}
		}
		if odd := i%2 == 0; odd != (trained[i]["validation_loss"] == "NaN") {
			t.Errorf("iteration %d: validation_loss %v with --validation-frequency 2", i+1, trained[i]["validation_loss"])
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "run.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), fmt.Sprintf(`"version":%d`, trace.Version)) || strings.Count(string(b), `"validation_loss"`) != 10 {
		t.Errorf("trace: want version %d with 10 validated iterations:\n%s", trace.Version, b)
	}
	for _, name := range []string{"train.png", "inspect.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		if b.Dy() != 12*plotDPI {
			t.Errorf("%s is %d pixels high, want four panels of 3 inches (%d)", name, b.Dy(), 12*plotDPI)
		}
		for i, lohi := range [][2]int{{0, 1}, {3, 4}} { // the loss panel and the accuracy panel
			lo, hi := b.Min.Y+lohi[0]*b.Dy()/4, b.Min.Y+lohi[1]*b.Dy()/4
			if n := countColor(img, validColor, lo, hi); n < 100 {
				t.Errorf("%s: %d pixels of the validation colour in panel %d, want a drawn line", name, n, []int{1, 4}[i])
			}
		}
	}
}

// TestInspectOldTrace: a version 1 trace (before validation keys) still
// reads, without validation columns.
func TestInspectOldTrace(t *testing.T) {
	r := runBinary(t, mustAbs(t, "."), "inspect", mustAbs(t, filepath.Join("..", "..", "solver", "trace", "testdata", "v1.jsonl")))
	mustSucceed(t, r, "inspect v1.jsonl")
	header := strings.Fields(strings.SplitN(r.stdout, "\n", 2)[0])
	if len(header) != 8 || header[0] != "Iteration" {
		t.Errorf("header %q, want the 8 solver columns only", header)
	}
}
