package main

import (
	"fmt"
	"io"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// printState writes the state's properties in the layout of MATLAB's
// display of an lbfgsState, under the same names; "Show all properties"
// adds the options fixed at creation. Before the first update the
// iteration information is empty ([] in MATLAB).
func printState(w io.Writer, s *solver.LBFGSState) {
	empty := s.Iteration == 0
	val := func(v float64) string {
		if empty {
			return "[]"
		}
		return fmt.Sprintf("%.6g", v)
	}
	vec := func(v []float64) string {
		if len(v) == 0 {
			return "[]"
		}
		return fmt.Sprintf("[%dx1 double]", len(v))
	}
	cell := func(h [][]float64) string {
		if len(h) == 0 {
			return "{}"
		}
		return fmt.Sprintf("{1x%d cell} of [%dx1 double]", len(h), len(h[0]))
	}
	extra := "{1x0 cell}"
	if m, ok := s.AdditionalLossFunctionOutputs.(nn.Metrics); ok {
		extra = fmt.Sprintf("{Accuracy: %.4f}", m.Accuracy)
	}
	status := fmt.Sprintf("%q", s.LineSearchStatus)

	rows := []struct{ name, value string }{
		{"InverseHessianFactor", fmt.Sprintf("%.6g", s.InverseHessianFactor)},
		{"StepHistory", cell(s.StepHistory)},
		{"GradientsDifferenceHistory", cell(s.GradientsDifferenceHistory)},
		{"HistoryIndices", fmt.Sprint(s.HistoryIndices)},
		{"", ""},
		{"Iteration Information", ""},
		{"Loss", val(s.Loss)},
		{"Gradients", vec(s.Gradients)},
		{"AdditionalLossFunctionOutputs", extra},
		{"GradientsNorm", val(s.GradientsNorm)},
		{"StepNorm", val(s.StepNorm)},
		{"LineSearchStatus", status},
		{"", ""},
		{"Show all properties", ""},
		{"HistorySize", fmt.Sprint(s.HistorySize())},
		{"InitialInverseHessianFactor", fmt.Sprintf("%.6g", s.InitialInverseHessianFactor())},
		{"LineSearchMethod", fmt.Sprintf("%q", s.LineSearchMethod())},
		{"MaxNumLineSearchIterations", fmt.Sprint(s.MaxNumLineSearchIterations())},
	}
	fmt.Fprintf(w, "  LBFGSState with properties:\n\n")
	for _, r := range rows {
		switch {
		case r.name == "":
			fmt.Fprintln(w)
		case r.value == "":
			fmt.Fprintf(w, "   %s\n", r.name)
		default:
			fmt.Fprintf(w, "%37s: %s\n", r.name, r.value)
		}
	}
}

// printHeader writes the header of the per-iteration table.
func printHeader(w io.Writer) {
	fmt.Fprintf(w, "%9s  %-10s  %-13s  %-10s  %-12s  %-16s  %5s  %-7s  %s\n",
		"Iteration", "Loss", "GradientsNorm", "StepNorm", "LearningRate", "LineSearchStatus", "Evals", "Pair", "Accuracy")
}

// printRow writes the state after one update as a row of the table: the
// MATLAB properties, then the step length, the loss evaluations of the
// update, what became of the curvature pair, and the training accuracy the
// loss function returned as its additional output.
func printRow(w io.Writer, s *solver.LBFGSState) {
	acc := "-"
	if m, ok := s.AdditionalLossFunctionOutputs.(nn.Metrics); ok {
		acc = fmt.Sprintf("%.4f", m.Accuracy)
	}
	fmt.Fprintf(w, "%9d  %-10.4e  %-13.4e  %-10.4e  %-12.4g  %-16s  %5d  %-7s  %s\n",
		s.Iteration, s.Loss, s.GradientsNorm, s.StepNorm, s.LearningRate, s.LineSearchStatus,
		s.IterationLossEvaluations, s.PairStatus, acc)
}
