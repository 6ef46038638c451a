// Command sparse fits an L1-regularised logistic regression to a CSV table
// and prints the features it keeps, by name: the penalty λ·Σ|w_j| drives
// the weights of uninformative features to exactly zero, and the solver
// minimises it with OWL-QN (solver.Options.L1).
//
// The model is P(y = positive | x) = σ(b + wᵀx) on standardised features;
// the loss is the mean log-loss plus λ·‖w‖₁, the intercept b exempt from
// the penalty (L1Weights 0). For each λ the program prints the non-zero
// weights, largest first, and the solver's account of the fit: status,
// iterations, ZeroCoordinates and the pseudo-gradient norm (zero at the
// minimiser of a non-smooth objective, where the gradient is not).
//
//	go run ./examples/sparse                       # synthetic screening data
//	go run ./examples/sparse -csv FILE -target COLUMN -positive LABEL [-lambda L]
//
// Without -csv it reads a synthetic table made from a fixed seed (400
// patients, 15 measurements of which 4 drive the outcome; the others are
// noise), written as CSV text and read back through data.ReadCSV exactly
// as a file would be.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// fitResult is one λ's fit, for the test.
type fitResult struct {
	lambda     float64
	status     solver.Status
	weights    []float64 // per feature, without the intercept
	kept       []string  // names of the non-zero weights, largest |w| first
	pgNorm     float64
	zeros      int // ZeroCoordinates: penalised weights at exactly zero
	iterations int
	gradient   []float64 // ∇ of the mean log-loss at the fit (intercept first)
}

func main() {
	if _, err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sparse:", err)
		os.Exit(1)
	}
}

// run parses the flags, reads the table and fits it at each λ.
func run(args []string, stdout, stderr io.Writer) ([]fitResult, error) {
	fs := flag.NewFlagSet("sparse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("csv", "", "read the table from `FILE` (default: the synthetic screening data)")
	target := fs.String("target", "outcome", "the label `COLUMN`")
	positive := fs.String("positive", "yes", "the `LABEL` counted as the positive class")
	lambda := fs.Float64("lambda", 0, "fit this penalty `L` only (default: 0.05, 0.02 and 0.005); valid: > 0")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	lambdas := []float64{0.05, 0.02, 0.005}
	if *lambda != 0 {
		if !(*lambda > 0) || math.IsInf(*lambda, 0) {
			return nil, fmt.Errorf("-lambda %v: want a finite penalty > 0", *lambda)
		}
		lambdas = []float64{*lambda}
	}
	opts := data.CSVOptions{TargetNames: []string{*target}}
	var ds *data.Dataset
	var err error
	if *path == "" {
		ds, err = data.ReadCSV(bytes.NewReader(screeningCSV()), opts)
	} else {
		ds, err = data.ReadCSVFile(*path, opts)
	}
	if err != nil {
		return nil, err
	}
	p, err := newProblem(ds, *positive)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "L1 logistic regression: %d rows, %d features, %q = %q is positive (%d rows)\n",
		p.rows, p.cols, *target, *positive, p.positives)
	var out []fitResult
	for _, l := range lambdas {
		r, err := p.fit(l)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		fmt.Fprintf(stdout, "\nλ = %g: %d of %d weights non-zero (%v, %d iterations, pseudo-gradient ‖◇F‖∞ = %.1e)\n",
			l, len(r.kept), p.cols, r.status, r.iterations, r.pgNorm)
		for _, name := range r.kept {
			j := slices.Index(p.names, name)
			fmt.Fprintf(stdout, "  %-16s %+.4f\n", name, r.weights[j])
		}
	}
	return out, nil
}

// problem is the standardised table with binary labels y ∈ {0, 1}.
type problem struct {
	x          []float64 // rows×cols, standardised
	y          []float64
	names      []string
	rows, cols int
	positives  int
}

func newProblem(ds *data.Dataset, positive string) (*problem, error) {
	if ds.Task != data.Classification {
		return nil, errors.New("the target column must hold class labels")
	}
	k := slices.Index(ds.ClassNames, positive)
	if k < 0 {
		return nil, fmt.Errorf("no row has the label %q (labels: %q)", positive, ds.ClassNames)
	}
	p := &problem{x: slices.Clone(ds.Features), names: ds.FeatureNames, rows: ds.Rows, cols: ds.Cols, y: make([]float64, ds.Rows)}
	std, err := data.FitStandardizer(p.x, p.cols)
	if err != nil {
		return nil, err
	}
	if err := std.Transform(p.x); err != nil {
		return nil, err
	}
	for i, l := range ds.Labels {
		if l == k {
			p.y[i] = 1
			p.positives++
		}
	}
	return p, nil
}

// loss is the mean log-loss of θ = (b, w) as a solver.LossFunc.
func (p *problem) loss(theta, grad []float64) (float64, any, error) {
	clear(grad)
	var f float64
	for i := 0; i < p.rows; i++ {
		row := p.x[i*p.cols : (i+1)*p.cols]
		z := theta[0]
		for j, v := range row {
			z += theta[1+j] * v
		}
		// −log σ(z) for y = 1, −log(1 − σ(z)) for y = 0, computed stably
		f += math.Max(z, 0) - p.y[i]*z + math.Log1p(math.Exp(-math.Abs(z)))
		r := 1/(1+math.Exp(-z)) - p.y[i] // σ(z) − y
		grad[0] += r
		for j, v := range row {
			grad[1+j] += r * v
		}
	}
	m := float64(p.rows)
	for j := range grad {
		grad[j] /= m
	}
	return f / m, nil, nil
}

// fit minimises the penalised loss at λ from θ = 0.
func (p *problem) fit(lambda float64) (fitResult, error) {
	opts := solver.DefaultOptions()
	opts.LineSearchMethod = solver.Backtracking // OWL-QN's orthant-wise search
	opts.L1 = lambda
	opts.L1Weights = make([]float64, 1+p.cols)
	for j := 1; j <= p.cols; j++ {
		opts.L1Weights[j] = 1 // the intercept, weight 0, is not penalised
	}
	state, err := solver.NewLBFGSState(opts)
	if err != nil {
		return fitResult{}, err
	}
	theta := make([]float64, 1+p.cols)
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance, stop.StepTolerance = 0, 0 // ∇f ≠ 0 at an L1 minimiser
	stop.ProjectedGradientTolerance = 1e-8
	stop.FunctionTolerance = 1e-15
	res, err := solver.Minimize(context.Background(), theta, p.loss, state, stop)
	if err != nil {
		return fitResult{}, err
	}
	r := fitResult{lambda: lambda, status: res.Status, weights: theta[1:], pgNorm: state.ProjectedGradientNorm,
		zeros: state.ZeroCoordinates, iterations: res.Iterations, gradient: make([]float64, len(theta))}
	if _, _, err := p.loss(slices.Clone(theta), r.gradient); err != nil {
		return r, err
	}
	for j, w := range r.weights {
		if w != 0 {
			r.kept = append(r.kept, p.names[j])
		}
	}
	slices.SortStableFunc(r.kept, func(a, b string) int {
		wa, wb := math.Abs(r.weights[slices.Index(p.names, a)]), math.Abs(r.weights[slices.Index(p.names, b)])
		switch {
		case wa > wb:
			return -1
		case wa < wb:
			return 1
		}
		return 0
	})
	return r, nil
}
