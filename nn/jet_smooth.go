package nn

import "math"

// derivs returns f(z) and its first three derivatives f′, f″, f‴ for an
// elementwise activation: what the propagation of input derivatives
// (Jet) needs forward (f, f′, f″) and backward (f′, f″, f‴). ReLU and
// LeakyReLU are piecewise linear: f″ = f‴ = 0 except at the kink z = 0,
// where none of the derivatives exist and the convention f′(0) = 0 of
// their gradients (activateGrad) is kept. ELU with Alpha ≠ 1 has a kink at
// 0 too, and even with Alpha = 1 its f″ jumps there (0 to 1); its values
// at 0 are those of the left branch, as in activateGrad.
func (a activation) derivs(z float64) (f, d1, d2, d3 float64) {
	switch a.kind {
	case actTanh:
		t := math.Tanh(z)
		s := 1 - t*t                             // tanh′ = 1 − t²
		return t, s, -2 * t * s, s * (6*t*t - 2) // tanh″ = −2t(1 − t²), tanh‴ = (1 − t²)(6t² − 2)
	case actSigmoid:
		s := sigmoid(z)
		q := s * (1 - s) // σ′ = σ(1 − σ)
		return s, q, q * (1 - 2*s), q * (1 - 6*s + 6*s*s)
	case actSoftplus:
		s := sigmoid(z) // softplus′ = σ
		q := s * (1 - s)
		return softplus(z), s, q, q * (1 - 2*s)
	case actSwish:
		s := sigmoid(z) // swish = zσ(z)
		q := s * (1 - s)
		r := 1 - 2*s
		return z * s, s + z*q, q * (2 + z*r), q * (r*(3+z*r) - 2*z*q)
	case actGELU:
		p := normPDF(z) // GELU = zΦ(z); GELU′ = Φ + zφ; φ′ = −zφ
		return z * normCDF(z), normCDF(z) + z*p, p * (2 - z*z), p * z * (z*z - 4)
	case actELU:
		if z > 0 {
			return z, 1, 0, 0
		}
		e := a.alpha * math.Exp(z) // α e^z is every derivative for z <= 0
		return a.alpha * math.Expm1(z), e, e, e
	case actReLU:
		if z > 0 {
			return z, 1, 0, 0
		}
		return 0, 0, 0, 0
	case actLeakyReLU:
		if z > 0 {
			return z, 1, 0, 0
		}
		return a.alpha * z, a.alpha, 0, 0
	}
	return math.NaN(), math.NaN(), math.NaN(), math.NaN()
}

// elementwise reports whether the activation acts on each value alone,
// which the propagation of input derivatives needs (Softmax does not).
func (a activation) elementwise() bool {
	switch a.kind {
	case actTanh, actSigmoid, actSoftplus, actSwish, actGELU, actELU, actReLU, actLeakyReLU:
		return true
	}
	return false
}

// softplus returns log(1 + e^z) without overflow: max(z, 0) + log1p(e^(−|z|)).
func softplus(z float64) float64 { return max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) }
