package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	res, err := run(&buf)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	out := buf.String()
	if !res.status.Converged() {
		t.Errorf("status %v, want a converged status", res.status)
	}
	// autodiff's documentation: a correct float64 gradient of a smooth loss
	// gives relative errors around 1e-7 or smaller with the default step.
	if res.gradError > 1e-6 {
		t.Errorf("gradient check: max relative error %g, want <= 1e-6", res.gradError)
	}
	for i, name := range names {
		got, want, se := res.fit[i], res.truth[i], res.stdErr[i]
		// The estimates are asymptotically normal around the truth with
		// these standard errors: 4 of them is a 4σ bound.
		if math.Abs(got-want) > 4*se {
			t.Errorf("%s = %.4f, true %.4f: off by %.1f standard errors (%.4f), want <= 4", name, got, want, math.Abs(got-want)/se, se)
		}
		// With σ = 0.05 and 60 samples the standard errors are a few
		// hundredths; a bound of 0.1 catches a fit so poor that the 4σ test
		// above would pass by itself.
		if !(se > 0 && se < 0.1) {
			t.Errorf("%s: standard error %g, want in (0, 0.1)", name, se)
		}
		if !strings.Contains(out, name+" ") {
			t.Errorf("output lacks the row of %s\n%s", name, out)
		}
	}
	// s² is an unbiased estimate of σ²; with 57 degrees of freedom its
	// relative standard deviation is √(2/57) ≈ 0.19, so s lies within 30% of
	// σ with overwhelming probability.
	if r := res.residualStd / noiseSigma; r < 0.7 || r > 1.3 {
		t.Errorf("residual standard deviation %.4f, want within 30%% of σ = %g", res.residualStd, noiseSigma)
	}
	for _, want := range []string{"gradient check at the start", "L-BFGS: GradientTolerance", "std. error"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
}

func TestInverse3(t *testing.T) {
	// A symmetric positive definite matrix and one that is not symmetric.
	for _, m := range [][3][3]float64{
		{{4, 1, 2}, {1, 3, 0.5}, {2, 0.5, 5}},
		{{0, 2, 1}, {3, -1, 4}, {2, 7, -3}},
	} {
		inv, ok := inverse3(m)
		if !ok {
			t.Fatalf("inverse3(%v): singular, want an inverse", m)
		}
		for i := range 3 {
			for j := range 3 {
				var p float64
				for k := range 3 {
					p += m[i][k] * inv[k][j]
				}
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(p-want) > 1e-12 {
					t.Errorf("(m·inv)[%d][%d] = %g, want %g", i, j, p, want)
				}
			}
		}
	}
	if _, ok := inverse3([3][3]float64{{1, 2, 3}, {2, 4, 6}, {0, 1, 1}}); ok {
		t.Error("inverse3 of a singular matrix: ok, want false")
	}
}
