package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// TestResume: a run stopped at iteration 17 with a checkpoint and resumed
// to 40 writes the same model, bit for bit, as an uninterrupted run to 40.
func TestResume(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "40", "--model-out", "whole.model", "--quiet"), "uninterrupted run")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "17", "--checkpoint", "run.ckpt", "--quiet"), "first part")
	r := runBinary(t, dir, "train", "--max-iterations", "40", "--resume", "run.ckpt", "--model-out", "resumed.model", "--trace", "rest.jsonl")
	mustSucceed(t, r, "resumed part")
	if got := summaryValue(t, r.stdout, "Iterations"); got != "23 in this run, resumed at iteration 17, now at 40" {
		t.Errorf("Iterations: %q", got)
	}
	whole, err := os.ReadFile(filepath.Join(dir, "whole.model"))
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := os.ReadFile(filepath.Join(dir, "resumed.model"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole, resumed) {
		t.Error("the resumed run's model differs from the uninterrupted run's")
	}
	tr := readTrace(t, filepath.Join(dir, "rest.jsonl"))
	if tr.Header.StartIteration != 17 || tr.Iterations[0].Iteration != 18 || len(tr.Iterations) != 23 {
		t.Errorf("resumed trace: start %d, first iteration %d, %d iterations; want 17, 18, 23",
			tr.Header.StartIteration, tr.Iterations[0].Iteration, len(tr.Iterations))
	}
	ins := runBinary(t, dir, "inspect", "rest.jsonl")
	mustSucceed(t, ins, "inspect rest.jsonl")
	if got := summaryValue(t, ins.stdout, "Resumed"); got != "from a checkpoint at iteration 17" {
		t.Errorf("inspect Resumed: %q", got)
	}
}

// readTrace reads a trace file.
func readTrace(t *testing.T, path string) trace.Trace {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := trace.Read(f)
	if err != nil {
		t.Fatalf("read trace %s: %v", path, err)
	}
	return tr
}

// TestPlot: --plot on train and inspect writes a PNG of the documented size
// with each series drawn in its panel: the top, middle and bottom thirds
// of the picture hold lines in the loss, gradient-norm and step-norm
// colours.
func TestPlot(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "30", "--trace", "run.jsonl", "--plot", "train.png", "--quiet"), "train --plot")
	mustSucceed(t, runBinary(t, dir, "inspect", "run.jsonl", "--plot", "inspect.png"), "inspect --plot")
	for _, name := range []string{"train.png", "inspect.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// plotWidth × plotHeight inches at plotDPI.
		b := img.Bounds()
		if b.Dx() != 7*plotDPI || b.Dy() != 9*plotDPI {
			t.Errorf("%s is %d×%d pixels, want %d×%d", name, b.Dx(), b.Dy(), 7*plotDPI, 9*plotDPI)
		}
		for i, c := range []color.RGBA{lossColor, gradColor, stepColor} {
			lo, hi := b.Min.Y+i*b.Dy()/3, b.Min.Y+(i+1)*b.Dy()/3
			// A 1.5-point line across 30 iterations covers hundreds of
			// pixels; 100 in the exact colour is far more than any label
			// or axis could hold by chance.
			if n := countColor(img, c, lo, hi); n < 100 {
				t.Errorf("%s: %d pixels of %s's colour in panel %d, want a drawn line (>= 100)", name, n, plotPanels[i].label, i+1)
			}
		}
	}
	noTempFiles(t, dir)
}

// countColor counts the pixels of img in rows [lo, hi) equal to c.
func countColor(img image.Image, c color.RGBA, lo, hi int) int {
	n := 0
	for y := lo; y < hi; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c {
				n++
			}
		}
	}
	return n
}

// TestZeroIterations: a run that meets its tolerance at the starting point
// does no iteration; train and inspect say so and write no plot.
func TestZeroIterations(t *testing.T) {
	dir := t.TempDir()
	r := runBinary(t, dir, "train", "--gradient-tolerance", "10", "--trace", "zero.jsonl", "--plot", "zero.png")
	mustSucceed(t, r, "train --gradient-tolerance 10")
	if got := summaryValue(t, r.stdout, "Iterations"); got != "0" {
		t.Errorf("Iterations: %q, want 0", got)
	}
	ins := runBinary(t, dir, "inspect", "zero.jsonl", "--plot", "zero.png")
	mustSucceed(t, ins, "inspect zero.jsonl")
	if got := summaryValue(t, ins.stdout, "Stopped"); !strings.HasPrefix(got, "GradientTolerance (converged) after 0 iterations, 1 loss evaluation,") {
		t.Errorf("Stopped: %q", got)
	}
	for _, out := range []string{r.stderr, ins.stderr} {
		if !strings.Contains(out, "no plot written") {
			t.Errorf("no warning about the plot:\n%s", out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "zero.png")); err == nil {
		t.Error("zero.png written for a run without iterations")
	}
}
