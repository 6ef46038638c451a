package nn

import (
	"fmt"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// HessianVectorRows writes into hv the product of the Hessian of the loss
// on rows (as EvaluateRows computes it) at x with v, so that an Objective
// serves the stochastic solvers' correction pairs (stochastic.SQN). The
// product is a central difference of two gradients on the same rows,
// stochastic.FiniteDifferenceHessianVectorPrecision with the unit roundoff
// of the network's dtype: a step h = u^{1/3}·(1 + ‖x‖∞) along v/‖v‖, a
// relative error of about u^{2/3} (4e-11 in float64, 4e-5 in float32).
// gorgonia's second derivatives are not used: some of them are wrong
// (tanh's). hv has len(x).
func (o *Objective) HessianVectorRows(rows []int, x, v, hv []float64) error {
	if o == nil || o.full == nil {
		return errNilObjective
	}
	if len(x) != o.net.NumLearnables() {
		return fmt.Errorf("%w: HessianVectorRows: len(x) = %d, want %d", ErrShape, len(x), o.net.NumLearnables())
	}
	eps := 0x1p-52
	if o.net.dtype == tensor.Float32 {
		eps = 0x1p-23
	}
	work := make([]float64, 3*len(x))
	return stochastic.FiniteDifferenceHessianVectorPrecision(o, rows, x, v, hv, work, eps)
}
