// Package golden holds the golden problems of the solver's tests and
// benchmarks: test functions with known minima from gonum's
// optimize/functions, with the standard starting points of Moré, Garbow &
// Hillstrom, "Testing unconstrained optimization software", ACM TOMS 7
// (1981). The solver's tests, solver's comparison benchmarks and
// bench/goldendump (which runs them beside SciPy and PyTorch) share it.
package golden

import "gonum.org/v1/gonum/optimize/functions"

// Function is the part of a gonum optimize/functions problem used here.
type Function interface {
	Func(x []float64) float64
	Grad(grad, x []float64)
}

// Problem is a test problem with a known minimum.
type Problem struct {
	Name string
	Fn   Function
	X0   []float64
	Xmin []float64 // a known minimiser, nil when only Fmin is checked
	Fmin float64
	// Xtol is the tolerance of |x − Xmin|∞ relative to max(1, |Xmin_i|):
	// loose where the minimum is flat (a gradient of 1e-6 allows an error
	// of about 1e-6/λmin(∇²f)).
	Xtol  float64
	Extra bool // beyond the first twelve problems
}

// RosenbrockStart returns the standard start (−1.2, 1, −1.2, 1, …) of
// dimension n (Moré, Garbow & Hillstrom, problem 21).
func RosenbrockStart(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = -1.2
		if i%2 == 1 {
			x[i] = 1
		}
	}
	return x
}

// ones returns a vector of n ones.
func ones(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1
	}
	return x
}

// Problems returns the golden table. Minimisers and minima are those
// of gonum's functions.*.Minima.
func Problems() []Problem {
	return []Problem{
		{Name: "ExtendedRosenbrock2", Fn: functions.ExtendedRosenbrock{}, X0: RosenbrockStart(2), Xmin: ones(2), Xtol: 1e-5},
		{Name: "ExtendedRosenbrock100", Fn: functions.ExtendedRosenbrock{}, X0: RosenbrockStart(100), Xmin: ones(100), Xtol: 1e-5},
		{Name: "Beale", Fn: functions.Beale{}, X0: []float64{1, 1}, Xmin: []float64{3, 0.5}, Xtol: 1e-5},
		{Name: "PowellBadlyScaled", Fn: functions.PowellBadlyScaled{}, X0: []float64{0, 1},
			Xmin: []float64{1.0981593296997149e-05, 9.106146739867375}, Xtol: 1e-4},
		{Name: "BrownBadlyScaled", Fn: functions.BrownBadlyScaled{}, X0: []float64{1, 1}, Xmin: []float64{1e6, 2e-6}, Xtol: 1e-6},
		{Name: "Watson6", Fn: functions.Watson{}, X0: make([]float64, 6), Fmin: 0.0022876700535523838,
			Xmin: []float64{-0.01572508644590686, 1.012434869244884, -0.23299162372002916,
				1.2604300800978554, -1.51372891341701, 0.9929964286340117}, Xtol: 1e-3},
		{Name: "Wood", Fn: functions.Wood{}, X0: []float64{-3, -1, -3, -1}, Xmin: ones(4), Xtol: 1e-5},
		{Name: "HelicalValley", Fn: functions.HelicalValley{}, X0: []float64{-1, 0, 0}, Xmin: []float64{1, 0, 0}, Xtol: 1e-6},
		{Name: "Gaussian", Fn: functions.Gaussian{}, X0: []float64{0.4, 1, 0}, Fmin: 1.12793276961912e-08,
			Xmin: []float64{0.398956137837997, 1.0000190844805048, 0}, Xtol: 1e-3},
		{Name: "Box3D", Fn: functions.Box3D{}, X0: []float64{0, 10, 20}, Xmin: []float64{1, 10, 1}, Xtol: 1e-4},
		{Name: "PenaltyI4", Fn: functions.PenaltyI{}, X0: []float64{1, 2, 3, 4}, Fmin: 2.2499775008999372e-05,
			Xmin: []float64{0.2500074995875379, 0.2500074995875379, 0.2500074995875379, 0.2500074995875379}, Xtol: 1e-3},
		{Name: "BrownAndDennis", Fn: functions.BrownAndDennis{}, X0: []float64{25, 5, -5, -1}, Fmin: 85822.20162635634,
			Xmin: []float64{-11.594439904762162, 13.203630051207202, -0.4034394881768612, 0.2367787744557347}, Xtol: 1e-4},
		// A singular Hessian at the minimiser (f ~ ‖x‖⁴): a gradient of
		// 1e-6 leaves x off by about 1e-2.
		{Name: "ExtendedPowellSingular", Fn: functions.ExtendedPowellSingular{}, X0: []float64{3, -1, 0, 1},
			Xmin: make([]float64, 4), Xtol: 5e-2, Extra: true},
		{Name: "VariablyDimensioned10", Fn: functions.VariablyDimensioned{}, X0: variablyDimensionedStart(10),
			Xmin: ones(10), Xtol: 1e-6, Extra: true},
		// From the standard start the local minimum listed second in
		// gonum's Minima is reached (as by gonum's own solvers).
		{Name: "Trigonometric10", Fn: functions.Trigonometric{}, X0: trigonometricStart(10), Fmin: 2.795056121876575e-05,
			Xmin: []float64{0.05515090434047145, 0.05684061730812344, 0.05876400231100774, 0.060990608903034337,
				0.06362621381044778, 0.06684318087364617, 0.2081615177172172, 0.16436309604419047,
				0.08500689695564931, 0.09143145386293675}, Xtol: 1e-4, Extra: true},
		{Name: "BiggsEXP6", Fn: functions.BiggsEXP6{}, X0: []float64{1, 2, 1, 1, 1, 1}, Fmin: 0.005655649925499929,
			Xmin: []float64{1.7114159947956764, 17.68319817846745, 1.1631436609697268, 5.1865615510738605,
				1.7114159947949301, 1.1631436609697998}, Xtol: 1e-3, Extra: true},
		{Name: "BiggsEXP3", Fn: functions.BiggsEXP3{}, X0: []float64{1, 2, 1}, Xmin: []float64{1, 10, 5}, Xtol: 1e-5, Extra: true},
		{Name: "GulfResearchAndDevelopment", Fn: functions.GulfResearchAndDevelopment{}, X0: []float64{5, 2.5, 0.15},
			Xmin: []float64{50, 25, 1.5}, Xtol: 1e-3, Extra: true},
		// So ill-conditioned that a gradient of 1e-6 leaves x off by
		// 10%: only the minimum is checked (gonum's minimiser is
		// (0.19999933335, 0.19131670128566283, 0.4801014860897,
		// 0.5188454026659)).
		{Name: "PenaltyII4", Fn: functions.PenaltyII{}, X0: []float64{0.5, 0.5, 0.5, 0.5}, Fmin: 9.376293007355449e-06,
			Extra: true},
	}
}

// variablyDimensionedStart returns the standard start x_i = 1 − i/n,
// i = 1 … n (Moré, Garbow & Hillstrom, problem 25).
func variablyDimensionedStart(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1 - float64(i+1)/float64(n)
	}
	return x
}

// trigonometricStart returns the standard start x_i = 1/n (Moré, Garbow &
// Hillstrom, problem 26).
func trigonometricStart(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1 / float64(n)
	}
	return x
}
