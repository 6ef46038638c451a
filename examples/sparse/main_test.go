package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// checkSubgradient checks the optimality conditions of the penalised loss
// at a fit: ∇_b = 0 for the intercept; ∇_j + λ·sign(w_j) = 0 for a
// non-zero weight, |∇_j| <= λ for a zero one.
func checkSubgradient(t *testing.T, r fitResult, tol float64) {
	t.Helper()
	if math.Abs(r.gradient[0]) > tol {
		t.Errorf("λ = %v: intercept gradient %v", r.lambda, r.gradient[0])
	}
	for j, w := range r.weights {
		g := r.gradient[1+j]
		if w == 0 && math.Abs(g) > r.lambda+tol {
			t.Errorf("λ = %v: weight %d = 0 with |∇| = %v > λ", r.lambda, j, math.Abs(g))
		}
		if w != 0 && math.Abs(g+math.Copysign(r.lambda, w)) > tol {
			t.Errorf("λ = %v: weight %d = %v with ∇ + λ·sign(w) = %v", r.lambda, j, w, g+math.Copysign(r.lambda, w))
		}
	}
}

func TestRunSynthetic(t *testing.T) {
	var out bytes.Buffer
	fits, err := run(nil, &out, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if len(fits) != 3 {
		t.Fatalf("%d fits, want 3", len(fits))
	}
	informative := []string{"age", "bmi", "glucose", "insulin"}
	for i, r := range fits {
		if r.status != solver.ProjectedGradientTolerance {
			t.Errorf("λ = %v: status %v", r.lambda, r.status)
		}
		checkSubgradient(t, r, 1e-7)
		if r.zeros != len(r.weights)-len(r.kept) {
			t.Errorf("λ = %v: ZeroCoordinates %d, %d of %d weights kept", r.lambda, r.zeros, len(r.kept), len(r.weights))
		}
		if i > 0 && len(r.kept) < len(fits[i-1].kept) {
			t.Errorf("λ = %v keeps fewer features than the larger λ = %v", r.lambda, fits[i-1].lambda)
		}
	}
	// The strongest penalty keeps exactly the four measurements that drive
	// the outcome, glucose (the largest effect) first.
	strong := slices.Clone(fits[0].kept)
	if strong[0] != "glucose" {
		t.Errorf("largest weight %q, want glucose", strong[0])
	}
	slices.Sort(strong)
	if !slices.Equal(strong, informative) {
		t.Errorf("λ = %v keeps %v, want %v", fits[0].lambda, strong, informative)
	}
	for _, want := range []string{"glucose", "4 of 15 weights non-zero", "pseudo-gradient"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// A user's CSV file: iris, virginica against the rest; the petal
// measurements separate it.
func TestRunCSVFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "iris.csv")
	if err := os.WriteFile(path, data.IrisCSV(), 0o600); err != nil {
		t.Fatal(err)
	}
	header := strings.SplitN(string(data.IrisCSV()), "\n", 2)[0]
	cols := strings.Split(strings.TrimSpace(header), ",")
	target := cols[len(cols)-1]
	var out bytes.Buffer
	fits, err := run([]string{"-csv", path, "-target", target, "-positive", "virginica", "-lambda", "0.02"}, &out, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if len(fits) != 1 || !fits[0].status.Converged() {
		t.Fatalf("fits %+v", fits)
	}
	checkSubgradient(t, fits[0], 1e-7)
	if len(fits[0].kept) == 0 || !strings.Contains(fits[0].kept[0], "petal") {
		t.Errorf("kept %v, want a petal measurement first\n%s", fits[0].kept, out.String())
	}
}

func TestRunErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown label", []string{"-positive", "maybe"}, `no row has the label "maybe"`},
		{"bad lambda", []string{"-lambda", "-1"}, "-lambda -1"},
		{"missing file", []string{"-csv", filepath.Join(t.TempDir(), "none.csv")}, "none.csv"},
		{"stray argument", []string{"extra"}, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := run(tc.args, &out, &out)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
