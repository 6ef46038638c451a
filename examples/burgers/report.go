package main

import (
	"fmt"
	"io"

	"github.com/lbfgsnet/lbfgsnet/internal/burgers"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// printHeader writes the header of the per-iteration table.
func printHeader(w io.Writer) {
	fmt.Fprintf(w, "%9s  %-12s  %-13s  %-12s  %-12s  %-16s  %5s\n",
		"Iteration", "Loss", "GradientsNorm", "StepNorm", "LearningRate", "LineSearchStatus", "Evals")
}

// printRow writes the state after one update.
func printRow(w io.Writer, s *solver.LBFGSState) {
	fmt.Fprintf(w, "%9d  %-12.6e  %-13.6e  %-12.6e  %-12.6g  %-16s  %5d\n",
		s.Iteration, s.Loss, s.GradientsNorm, s.StepNorm, s.LearningRate, s.LineSearchStatus, s.IterationLossEvaluations)
}

// report compares the trained network with the exact solution on MATLAB's
// four time slices, prints the errors and writes the PNG (if png is not
// empty).
func report(w io.Writer, net *nn.Network, png string) error {
	e, err := burgers.NewExact(burgers.Nu, burgers.DefaultHermiteNodes)
	if err != nil {
		return err
	}
	grid := burgers.NewGrid(e)
	pred, err := net.Predict(grid.Inputs())
	if err != nil {
		return err
	}
	errs, err := grid.Compare(pred)
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%6s  %s\n", "t", "relative L2 error")
	for k, t := range grid.Times {
		fmt.Fprintf(w, "%6.2f  %.4e\n", t, errs.Slices[k])
	}
	// err = norm(UPred - UTest) / norm(UTest)
	fmt.Fprintf(w, "\nnorm(UPred - UTest) / norm(UTest) = %.4e\n", errs.Matrix)
	if png == "" {
		return nil
	}
	if err := writePlot(png, grid, pred); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", png)
	return nil
}
