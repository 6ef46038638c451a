// Command curvefit fits the decay curve y = A·exp(−k·t) + C to noisy
// samples with the L-BFGS solver. The model is a small gorgonia graph over
// three scalar parameters; autodiff turns it into the solver's loss
// function. The samples are generated from known parameters with a fixed
// seed, so the program prints the recovered parameters beside the true
// ones, with the standard errors the noise allows.
//
//	go run ./examples/curvefit
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// The curve the samples are drawn from, and how they are drawn.
const (
	trueA, trueK, trueC = 2.5, 1.3, 0.5
	numSamples          = 60  // at t = 0, 5/59, …, 5
	tMax                = 5.0 // k·tMax = 6.5: the curve has nearly reached C
	noiseSigma          = 0.05
	seed                = 1
)

// start is the initial guess (A, k, C): a unit decay to zero.
var start = []float64{1, 1, 0}

// names labels the parameters, in the order of the flat vector.
var names = []string{"A", "k", "C"}

// result is what run found, for the test.
type result struct {
	status      solver.Status
	truth, fit  []float64 // (A, k, C)
	stdErr      []float64 // standard errors of fit
	residualStd float64   // √(RSS / (n − 3)), the estimate of noiseSigma
	gradError   float64   // worst relative error of the gradient check
}

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "curvefit:", err)
		os.Exit(1)
	}
}

// run generates the samples, checks the gradient, fits the curve and
// writes the report to w.
func run(w io.Writer) (result, error) {
	rng := rand.New(rand.NewPCG(seed, 0))
	t, y := samples(rng)
	res := result{truth: []float64{trueA, trueK, trueC}}

	ev, err := newLoss(t, y)
	if err != nil {
		return res, err
	}
	// A wrong gradient is the usual reason an L-BFGS run stalls: check it
	// against central differences before fitting.
	copts := autodiff.DefaultCheckOptions()
	copts.Rand = rng
	check, err := autodiff.CheckGradient(ev.Evaluate, start, copts)
	if err != nil {
		return res, err
	}
	res.gradError = check.MaxRelativeError
	fmt.Fprintf(w, "fitting y = A·exp(−k·t) + C to %d samples on [0, %g] with noise σ = %g (seed %d)\n",
		numSamples, tMax, noiseSigma, seed)
	fmt.Fprintf(w, "gradient check at the start: %v\n", check)

	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		return res, err
	}
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance = 1e-10 // the loss is about 1e-3: fit to rounding
	stop.StepTolerance = 0         // stop on the gradient only
	x := append([]float64(nil), start...)
	run, err := solver.Minimize(context.Background(), x, ev.Evaluate, state, stop)
	if err != nil {
		return res, err
	}
	res.status, res.fit = run.Status, x
	fmt.Fprintf(w, "L-BFGS: %v after %d iterations and %d loss evaluations; loss %.6g, gradient norm %.2g\n\n",
		run.Status, run.Iterations, run.LossEvaluations, run.Loss, run.GradientsNorm)

	res.stdErr, res.residualStd, err = standardErrors(t, y, x)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(w, "%-9s  %8s  %8s  %10s  %s\n", "parameter", "true", "fitted", "std. error", "|fitted − true| / std. error")
	for i, name := range names {
		fmt.Fprintf(w, "%-9s  %8.4f  %8.4f  %10.4f  %.2f\n", name, res.truth[i], x[i], res.stdErr[i],
			math.Abs(x[i]-res.truth[i])/res.stdErr[i])
	}
	fmt.Fprintf(w, "\nresidual standard deviation %.4f (the noise σ is %g)\n", res.residualStd, noiseSigma)
	return res, nil
}

// samples returns numSamples evenly spaced times on [0, tMax] and the
// curve at those times plus Gaussian noise of standard deviation
// noiseSigma drawn from rng.
func samples(rng *rand.Rand) (t, y []float64) {
	t = make([]float64, numSamples)
	y = make([]float64, numSamples)
	for i := range t {
		t[i] = tMax * float64(i) / (numSamples - 1)
		y[i] = trueA*math.Exp(-trueK*t[i]) + trueC + noiseSigma*rng.NormFloat64()
	}
	return t, y
}
