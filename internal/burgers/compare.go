package burgers

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Grid is the comparison of MATLAB's example: SliceSize equally spaced x
// in [−1, 1] at each of SliceTimes, with the exact solution there.
type Grid struct {
	// X are the points of each slice, Times the slices' times.
	X, Times []float64
	// Exact[k][i] is u(X[i], Times[k]).
	Exact [][]float64
}

// NewGrid evaluates e on the comparison grid.
func NewGrid(e *Exact) Grid {
	g := Grid{X: linspace(-1, 1, SliceSize), Times: append([]float64(nil), SliceTimes...)}
	for _, t := range g.Times {
		row := make([]float64, len(g.X))
		for i, x := range g.X {
			row[i] = e.At(x, t)
		}
		g.Exact = append(g.Exact, row)
	}
	return g
}

// Inputs returns the grid as rows (x, t), slice after slice: the input of
// a network's Predict, whose output is the prediction Compare takes.
func (g Grid) Inputs() []float64 {
	in := make([]float64, 0, 2*len(g.Times)*len(g.X))
	for _, t := range g.Times {
		for _, x := range g.X {
			in = append(in, x, t)
		}
	}
	return in
}

// Errors are the accuracy figures of a prediction on the grid.
type Errors struct {
	// Slices holds ‖u_pred − u‖₂ / ‖u‖₂ over each slice's points.
	Slices []float64
	// Matrix is MATLAB's single figure norm(UPred − UTest)/norm(UTest) over
	// the slices × points matrices, MATLAB's norm of a matrix being its
	// largest singular value.
	Matrix float64
}

// Compare returns the errors of pred, the network's output on Inputs()
// (slice after slice).
func (g Grid) Compare(pred []float64) (Errors, error) {
	n, m := len(g.Times), len(g.X)
	if len(pred) != n*m {
		return Errors{}, fmt.Errorf("burgers: %d predictions, the grid has %d × %d points", len(pred), n, m)
	}
	diff := make([]float64, n*m)
	exact := make([]float64, 0, n*m)
	var e Errors
	for k, row := range g.Exact {
		var dd, uu float64
		for i, u := range row {
			d := pred[k*m+i] - u
			diff[k*m+i] = d
			dd += d * d
			uu += u * u
		}
		e.Slices = append(e.Slices, math.Sqrt(dd/uu))
		exact = append(exact, row...)
	}
	e.Matrix = mat.Norm(mat.NewDense(n, m, diff), 2) / mat.Norm(mat.NewDense(n, m, exact), 2)
	return e, nil
}
