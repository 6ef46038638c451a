// Command nnls unmixes a measured spectrum into non-negative amounts of
// known component spectra: non-negative least squares,
//
//	minimise ½‖A·c − b‖²  subject to  c ≥ 0,
//
// where column j of A is component j's spectrum, b the measured mixture
// and c the amounts. Amounts cannot be negative, but an unconstrained fit
// of overlapping, noisy spectra makes some of them so; with
// solver.Options.Lower = 0 the solver runs L-BFGS-B and the components
// absent from the mixture come out exactly zero, at their bound.
//
// The six components are Gaussian bands over 200 channels, chosen to
// overlap; the mixture holds three of them plus noise drawn from a fixed
// seed. The program prints both fits beside the true amounts, the
// Karush–Kuhn–Tucker check of the constrained one, and the solver state
// that reports it (ProjectedGradientNorm, ActiveBounds).
//
//	go run ./examples/nnls
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// The components: band centre and width, in channels.
var bands = []struct{ centre, width float64 }{
	{40, 18}, {62, 20}, {95, 15}, {118, 22}, {150, 16}, {165, 25},
}

// truth holds the amounts in the mixture: components 1, 3 and 5 are absent.
var truth = []float64{2.0, 0, 0.7, 0, 1.3, 0}

const (
	channels   = 200
	noiseSigma = 0.05
	seed       = 4
)

// result is what run found, for the test.
type result struct {
	status           solver.Status
	fit, free        []float64 // constrained and unconstrained amounts
	gradient         []float64 // ∇f at the constrained fit
	pgNorm           float64   // ProjectedGradientNorm reported by the state
	active           int       // ActiveBounds reported by the state
	iterations, eval int
}

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nnls:", err)
		os.Exit(1)
	}
}

// spectra returns the channels×k matrix A of the component spectra
// (row-major) and the measured mixture b = A·truth + noise.
func spectra(rng *rand.Rand) (a, b []float64) {
	k := len(bands)
	a = make([]float64, channels*k)
	b = make([]float64, channels)
	for i := 0; i < channels; i++ {
		for j, c := range bands {
			z := (float64(i) - c.centre) / c.width
			a[i*k+j] = math.Exp(-z * z / 2)
			b[i] += a[i*k+j] * truth[j]
		}
		b[i] += noiseSigma * rng.NormFloat64()
	}
	return a, b
}

// leastSquares returns f(c) = ½‖A·c − b‖² with ∇f = Aᵀ(A·c − b) as a
// solver.LossFunc.
func leastSquares(a, b []float64) solver.LossFunc {
	k := len(bands)
	return func(c, grad []float64) (float64, any, error) {
		clear(grad)
		var f float64
		for i := 0; i < channels; i++ {
			row := a[i*k : (i+1)*k]
			r := -b[i]
			for j, v := range row {
				r += v * c[j]
			}
			f += r * r / 2
			for j, v := range row {
				grad[j] += v * r
			}
		}
		return f, nil, nil
	}
}

// fit minimises f from c = 1 with the given lower bounds (nil: none) and
// returns the amounts and the final state.
func fit(f solver.LossFunc, lower []float64) ([]float64, *solver.LBFGSState, solver.Result, error) {
	opts := solver.DefaultOptions()
	opts.Lower = lower
	state, err := solver.NewLBFGSState(opts)
	if err != nil {
		return nil, nil, solver.Result{}, err
	}
	c := []float64{1, 1, 1, 1, 1, 1}
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance, stop.StepTolerance = 0, 0
	stop.ProjectedGradientTolerance = 1e-7 // the KKT residual, ‖P(c − ∇f) − c‖∞
	stop.FunctionTolerance = 1e-15         // or no decrease the loss can show
	res, err := solver.Minimize(context.Background(), c, f, state, stop)
	return c, state, res, err
}

// run builds the problem, fits it with and without the bounds and writes
// the report to w.
func run(w io.Writer) (result, error) {
	var res result
	a, b := spectra(rand.New(rand.NewPCG(seed, 0)))
	f := leastSquares(a, b)

	free, _, _, err := fit(f, nil)
	if err != nil {
		return res, err
	}
	lower := make([]float64, len(bands)) // c ≥ 0
	c, state, r, err := fit(f, lower)
	if err != nil {
		return res, err
	}
	res = result{status: r.Status, fit: c, free: free, pgNorm: state.ProjectedGradientNorm,
		active: state.ActiveBounds, iterations: r.Iterations, eval: r.LossEvaluations}
	res.gradient = make([]float64, len(c))
	if _, _, err := f(append([]float64(nil), c...), res.gradient); err != nil {
		return res, err
	}

	fmt.Fprintf(w, "unmixing a %d-channel spectrum into %d overlapping components (noise σ = %g, seed %d)\n\n",
		channels, len(bands), noiseSigma, seed)
	fmt.Fprintf(w, "%-9s %8s %14s %14s %14s\n", "component", "true", "least squares", "non-negative", "gradient")
	for j := range c {
		fmt.Fprintf(w, "%-9d %8.3f %14.4f %14.4f %14.2e\n", j, truth[j], free[j], c[j], res.gradient[j])
	}
	fmt.Fprintf(w, "\nL-BFGS-B: %v after %d iterations, %d evaluations\n", r.Status, r.Iterations, r.LossEvaluations)
	fmt.Fprintf(w, "loss %.6g, projected gradient ‖P(c − ∇f) − c‖∞ = %.1e, %d of %d amounts at their bound 0\n",
		state.Loss, state.ProjectedGradientNorm, state.ActiveBounds, len(c))
	fmt.Fprintln(w, "KKT: every amount at 0 has ∇f ≥ 0 (raising it would not help), every positive amount has ∇f ≈ 0")
	return res, nil
}
