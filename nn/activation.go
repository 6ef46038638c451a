package nn

import "math"

// actKind names an activation function.
type actKind int

const (
	actReLU actKind = iota + 1
	actLeakyReLU
	actTanh
	actSigmoid
	actELU
	actGELU
	actSoftmax
	actSoftplus
	actSwish
)

// activation is a function with its parameter: Alpha is the slope for
// z < 0 of LeakyReLU and the saturation of ELU.
type activation struct {
	kind  actKind
	alpha float64
}

func (a activation) String() string {
	switch a.kind {
	case actReLU:
		return "ReLU"
	case actLeakyReLU:
		return "LeakyReLU"
	case actTanh:
		return "Tanh"
	case actSigmoid:
		return "Sigmoid"
	case actELU:
		return "ELU"
	case actGELU:
		return "GELU"
	case actSoftmax:
		return "Softmax"
	case actSoftplus:
		return "Softplus"
	case actSwish:
		return "Swish"
	}
	return "unknown activation"
}

// gradName names the activation's gradient op (a constant string, so
// that error checks in the ops' hot path allocate nothing).
func (a activation) gradName() string {
	switch a.kind {
	case actReLU:
		return "ReLUGrad"
	case actLeakyReLU:
		return "LeakyReLUGrad"
	case actTanh:
		return "TanhGrad"
	case actSigmoid:
		return "SigmoidGrad"
	case actELU:
		return "ELUGrad"
	case actGELU:
		return "GELUGrad"
	case actSoftmax:
		return "SoftmaxGrad"
	case actSoftplus:
		return "SoftplusGrad"
	case actSwish:
		return "SwishGrad"
	}
	return "unknown activation gradient"
}

// sigmoid returns 1/(1+e^(−z)) without overflow for large |z|.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Φ and φ, the standard normal CDF and density, for GELU.
func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
func normPDF(z float64) float64 { return math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi) }

// activate sets y = f(z) elementwise; cols is the row width (Softmax
// normalises each row of cols entries).
func activate[T float](a activation, cols int, z, y []T) {
	switch a.kind {
	case actReLU:
		relu(z, y)
	case actLeakyReLU:
		s := T(a.alpha)
		for i, v := range z {
			if v > 0 {
				y[i] = v
			} else {
				y[i] = s * v
			}
		}
	case actTanh:
		tanhs(z, y)
	case actSigmoid:
		for i, v := range z {
			y[i] = T(sigmoid(float64(v)))
		}
	case actELU:
		for i, v := range z {
			if v > 0 {
				y[i] = v
			} else {
				y[i] = T(a.alpha * math.Expm1(float64(v))) // α(e^z − 1)
			}
		}
	case actGELU:
		for i, v := range z {
			y[i] = T(float64(v) * normCDF(float64(v))) // z·Φ(z)
		}
	case actSoftmax:
		softmax(cols, z, y)
	case actSoftplus:
		for i, v := range z {
			y[i] = T(softplus(float64(v)))
		}
	case actSwish:
		for i, v := range z {
			y[i] = T(float64(v) * sigmoid(float64(v))) // z·σ(z)
		}
	}
}

// activateGrad sets dz = dy ⊙ f′(z), given z, y = f(z) and dy; for Softmax
// dz = y ⊙ (dy − Σ_row dy⊙y).
func activateGrad[T float](a activation, cols int, z, y, dy, dz []T) {
	switch a.kind {
	case actReLU:
		gatedGrad(z, y, dy, dz, 0, 0)
	case actLeakyReLU:
		gatedGrad(z, y, dy, dz, a.alpha, 0)
	case actTanh:
		tanhGrad(y, dy, dz)
	case actSigmoid:
		for i, v := range y {
			dz[i] = dy[i] * v * (1 - v) // σ′ = σ(1 − σ)
		}
	case actELU:
		gatedGrad(z, y, dy, dz, a.alpha, 1) // α e^z = y + α
	case actGELU:
		for i, v := range z {
			x := float64(v)
			dz[i] = T(float64(dy[i]) * (normCDF(x) + x*normPDF(x))) // Φ(z) + zφ(z)
		}
	case actSoftplus:
		for i, v := range z {
			dz[i] = T(float64(dy[i]) * sigmoid(float64(v))) // softplus′ = σ
		}
	case actSwish:
		for i, v := range z {
			x, s := float64(v), sigmoid(float64(v))
			dz[i] = T(float64(dy[i]) * (s + x*s*(1-s))) // swish′ = σ + zσ(1 − σ)
		}
	case actSoftmax:
		for r := 0; r+cols <= len(z); r += cols {
			yr, dyr, dzr := y[r:r+cols], dy[r:r+cols], dz[r:r+cols]
			dot := 0.0
			for j, v := range yr {
				dot += float64(dyr[j]) * float64(v)
			}
			for j, v := range yr {
				dzr[j] = T(float64(v) * (float64(dyr[j]) - dot))
			}
		}
	}
}
