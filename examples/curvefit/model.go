package main

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// newLoss builds the graph of the loss
//
//	f(A, k, C) = ½ · mean_i (A·exp(−k·t_i) + C − y_i)²
//
// with A, k and C as scalar parameter nodes, and returns its evaluator:
// ev.Evaluate is a solver.LossFunc of x = (A, k, C). The parameters'
// initial values do not matter: every evaluation writes x into them.
func newLoss(t, y []float64) (*autodiff.Evaluator, error) {
	g := gorgonia.NewGraph()
	scalar := func(name string) *gorgonia.Node {
		return gorgonia.NewScalar(g, tensor.Float64, gorgonia.WithName(name), gorgonia.WithValue(0.0))
	}
	vector := func(name string, v []float64) *gorgonia.Node {
		val := tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(append([]float64(nil), v...)))
		return gorgonia.NewVector(g, tensor.Float64, gorgonia.WithName(name), gorgonia.WithShape(len(v)), gorgonia.WithValue(val))
	}
	a, k, c := scalar("A"), scalar("k"), scalar("C")
	tn, yn := vector("t", t), vector("y", y)

	kt, err := gorgonia.Mul(k, tn) // k·t
	if err != nil {
		return nil, fmt.Errorf("k·t: %w", err)
	}
	negKt, err := gorgonia.Neg(kt)
	if err != nil {
		return nil, fmt.Errorf("−k·t: %w", err)
	}
	decay, err := gorgonia.Exp(negKt) // exp(−k·t)
	if err != nil {
		return nil, fmt.Errorf("exp(−k·t): %w", err)
	}
	scaled, err := gorgonia.Mul(a, decay)
	if err != nil {
		return nil, fmt.Errorf("A·exp(−k·t): %w", err)
	}
	pred, err := gorgonia.Add(scaled, c) // A·exp(−k·t) + C
	if err != nil {
		return nil, fmt.Errorf("prediction: %w", err)
	}
	resid, err := gorgonia.Sub(pred, yn)
	if err != nil {
		return nil, fmt.Errorf("residuals: %w", err)
	}
	sq, err := gorgonia.Square(resid)
	if err != nil {
		return nil, fmt.Errorf("squared residuals: %w", err)
	}
	mean, err := gorgonia.Mean(sq)
	if err != nil {
		return nil, fmt.Errorf("mean: %w", err)
	}
	cost, err := gorgonia.Mul(gorgonia.NewConstant(0.5), mean)
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	return autodiff.New(autodiff.Graph{Cost: cost, Params: []*gorgonia.Node{a, k, c}}, autodiff.Options{})
}

// standardErrors returns the asymptotic standard errors of least-squares
// estimates p = (A, k, C) of the curve fitted to (t, y), and the residual
// standard deviation s = √(RSS / (n − 3)). The covariance of the estimates
// is s²·(JᵀJ)⁻¹, J the n×3 Jacobian of the curve at p (Seber & Wild,
// Nonlinear Regression, Wiley 1989, §2.1):
//
//	∂/∂A = e^(−k·t),  ∂/∂k = −A·t·e^(−k·t),  ∂/∂C = 1.
func standardErrors(t, y, p []float64) (se []float64, s float64, err error) {
	var jtj [3][3]float64
	var rss float64
	for i, ti := range t {
		e := math.Exp(-p[1] * ti)
		r := p[0]*e + p[2] - y[i]
		rss += r * r
		j := [3]float64{e, -p[0] * ti * e, 1}
		for a := range 3 {
			for b := range 3 {
				jtj[a][b] += j[a] * j[b]
			}
		}
	}
	inv, ok := inverse3(jtj)
	if !ok {
		return nil, 0, fmt.Errorf("standard errors: JᵀJ is singular at %v", p)
	}
	s2 := rss / float64(len(t)-3)
	se = make([]float64, 3)
	for a := range 3 {
		se[a] = math.Sqrt(s2 * inv[a][a])
	}
	return se, math.Sqrt(s2), nil
}

// inverse3 returns the inverse of a 3×3 matrix by its adjugate, and false
// when the determinant is zero.
func inverse3(m [3][3]float64) (inv [3][3]float64, ok bool) {
	// cof(i, j) is the cofactor of m[i][j].
	cof := func(i, j int) float64 {
		r0, r1 := (i+1)%3, (i+2)%3
		c0, c1 := (j+1)%3, (j+2)%3
		return m[r0][c0]*m[r1][c1] - m[r0][c1]*m[r1][c0]
	}
	det := m[0][0]*cof(0, 0) + m[0][1]*cof(0, 1) + m[0][2]*cof(0, 2)
	if det == 0 || math.IsNaN(det) {
		return inv, false
	}
	for i := range 3 {
		for j := range 3 {
			inv[j][i] = cof(i, j) / det // the adjugate is the transposed cofactor matrix
		}
	}
	return inv, true
}
