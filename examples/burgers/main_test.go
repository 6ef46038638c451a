package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestShortRun trains for 15 iterations on 400 collocation points and
// checks the report: one table row per iteration with a loss that never
// rises (a completed line search decreases it), the four slice errors and
// MATLAB's figure, and a PNG of the four panels.
func TestShortRun(t *testing.T) {
	const iterations = 15
	path := filepath.Join(t.TempDir(), "burgers.png")
	var out bytes.Buffer
	if err := run(&out, config{iterations: iterations, collocation: 400, png: path, seed: 1}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	var losses []float64
	evals := 0 // loss evaluations after the first iteration
	errs := map[string]float64{}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 7 && f[0] != "Iteration" && f[0] != "norm(UPred":
			l, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				t.Fatalf("row %q: %v", line, err)
			}
			if f[5] != "completed" {
				t.Errorf("row %q: line search %s", line, f[5])
			}
			if len(losses) > 0 {
				n, err := strconv.Atoi(f[6])
				if err != nil {
					t.Fatalf("row %q: %v", line, err)
				}
				evals += n
			}
			losses = append(losses, l)
		case len(f) == 2 && strings.HasPrefix(f[0], "0.") || len(f) == 2 && f[0] == "1.00":
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				t.Fatalf("error line %q: %v", line, err)
			}
			errs[f[0]] = v
		}
	}
	if len(losses) != iterations {
		t.Fatalf("%d table rows, want %d:\n%s", len(losses), iterations, text)
	}
	// each update starts from the loss the previous one ended at (the same
	// loss function is passed to every Update), so a unit step accepted at
	// once costs one evaluation; 2 per iteration would mean a re-evaluation
	if evals >= 2*(iterations-1) {
		t.Errorf("%d loss evaluations in iterations 2 to %d: the start point is evaluated again", evals, iterations)
	}
	for i := 1; i < len(losses); i++ {
		if losses[i] > losses[i-1] {
			t.Errorf("loss rose at iteration %d: %v then %v", i+1, losses[i-1], losses[i])
		}
	}
	// the network at its start is far from u; 15 iterations bring it
	// closer but not close (errors from 0.6 to 0.9 for this seed)
	for _, k := range []string{"0.25", "0.50", "0.75", "1.00"} {
		if v, ok := errs[k]; !ok || !(v > 0.05 && v < 1) {
			t.Errorf("relative error at t = %s: %v (found: %t)", k, v, ok)
		}
	}
	if !strings.Contains(text, "norm(UPred - UTest) / norm(UTest) = ") {
		t.Errorf("no MATLAB figure in the report:\n%s", text)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 864 || b.Dy() != 672 {
		t.Errorf("PNG is %v, want 864×672 (9×7 inches at 96 dpi)", b)
	}
}

func TestBadIterations(t *testing.T) {
	if err := run(&bytes.Buffer{}, config{iterations: 0, collocation: 10}); err == nil {
		t.Error("0 iterations: no error")
	}
}
