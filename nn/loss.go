package nn

import (
	"fmt"
	"math"
)

// Loss names a built-in loss function. Each is a sum over the
// observations (rows) of an evaluation divided by their number N, as
// MATLAB's crossentropy normalises by the batch size; MeanSquaredError
// divides by the number of entries N·K.
type Loss int

// The losses. Z is the input of the network's final Softmax or Sigmoid
// layer (the logits), Y the network's output, T the targets, all N×K.
const (
	// CrossEntropy is −(1/N) Σ_i Σ_k T_ik log softmax(Z_i)_k, computed as
	// (1/N) Σ_i Σ_k T_ik (logsumexp(Z_i) − Z_ik): never the log of a
	// softmax output. The network must end with a Softmax layer; T holds
	// one-hot (or probability) rows.
	CrossEntropy Loss = iota + 1
	// BinaryCrossEntropy is −(1/N) Σ T log σ(Z) + (1−T) log(1−σ(Z)),
	// computed from the logits as (1/N) Σ max(Z, 0) − Z·T + log(1 + e^(−|Z|)).
	// The network must end with a Sigmoid layer; T holds 0/1 (or
	// probability) entries, one column per independent binary output.
	BinaryCrossEntropy
	// MeanSquaredError is the mean of the squared errors over all N·K
	// entries, (1/(N·K)) Σ (Y − T)² (PyTorch's MSELoss; twice MATLAB's
	// mse for one output, which halves it). Any final layer.
	MeanSquaredError
	// Huber is the mean over all N·K entries of ½d² where |d| <= δ and
	// δ(|d| − ½δ) elsewhere, d = Y − T, δ = ObjectiveOptions.HuberDelta
	// (MATLAB's huber, PyTorch's HuberLoss): quadratic near the target,
	// linear for outliers. Any final layer.
	Huber
	// MeanAbsoluteError is the mean of |Y − T| over all N·K entries
	// (PyTorch's L1Loss). Its gradient is sign(Y − T), 0 at 0: the loss
	// is not smooth where an output meets its target. Any final layer.
	MeanAbsoluteError
)

// DefaultHuberDelta is the default of ObjectiveOptions.HuberDelta
// (MATLAB's huber TransitionPoint).
const DefaultHuberDelta = 1.0

// regression reports whether l compares outputs with targets entry by
// entry (MeanSquaredError, Huber, MeanAbsoluteError): the mean is over
// all N·K entries, and the loss follows the network's last layer.
func (l Loss) regression() bool {
	return l == MeanSquaredError || l == Huber || l == MeanAbsoluteError
}

// losses lists the built-in losses.
var losses = []Loss{CrossEntropy, BinaryCrossEntropy, MeanSquaredError, Huber, MeanAbsoluteError}

// String returns the name ParseLoss accepts.
func (l Loss) String() string {
	switch l {
	case CrossEntropy:
		return "crossentropy"
	case BinaryCrossEntropy:
		return "binary-crossentropy"
	case MeanSquaredError:
		return "mse"
	case Huber:
		return "huber"
	case MeanAbsoluteError:
		return "mae"
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// ParseLoss returns the Loss named s: "crossentropy",
// "binary-crossentropy", "mse", "huber" or "mae".
func ParseLoss(s string) (Loss, error) {
	for _, l := range losses {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("%w: loss %q (valid: crossentropy, binary-crossentropy, mse, huber, mae)", ErrInvalidOption, s)
}

// lossSpec is a loss with its parameters.
type lossSpec struct {
	loss   Loss
	delta  float64   // Huber's δ
	classW []float64 // CrossEntropy's class weights; nil: all 1
}

// gradName names the loss's gradient op (a constant string).
func (l lossSpec) gradName() string {
	switch l.loss {
	case CrossEntropy:
		return "crossentropy gradient"
	case BinaryCrossEntropy:
		return "binary-crossentropy gradient"
	case MeanSquaredError:
		return "mse gradient"
	case Huber:
		return "huber gradient"
	case MeanAbsoluteError:
		return "mae gradient"
	}
	return "unknown loss gradient"
}

// rowWeight returns w[r], or 1 when w is nil.
func rowWeight[T float](w []T, r int) float64 {
	if w == nil {
		return 1
	}
	return float64(w[r])
}

// classWeight returns c[j], or 1 when c is nil.
func classWeight(c []float64, j int) float64 {
	if c == nil {
		return 1
	}
	return c[j]
}

// lossValue returns the sum over all rows of the loss of z (logits or
// outputs) against t, each row's term multiplied by its weight in w (nil:
// 1), before division by the normaliser; for CrossEntropy it stores the
// softmax of each row in p.
func lossValue[T float](l lossSpec, cols int, z, t, w, p []T) float64 {
	if l.loss == CrossEntropy {
		return crossEntropyValue(l.classW, cols, z, t, w, p)
	}
	sum := 0.0
	for r := 0; r*cols < len(z); r++ {
		zr, tr := z[r*cols:(r+1)*cols], t[r*cols:(r+1)*cols]
		row := 0.0
		switch l.loss {
		case BinaryCrossEntropy:
			for j, v := range zr {
				x := float64(v)
				row += max(x, 0) - x*float64(tr[j]) + math.Log1p(math.Exp(-math.Abs(x)))
			}
		case MeanSquaredError:
			for j, v := range zr {
				d := float64(v) - float64(tr[j])
				row += d * d
			}
		case Huber:
			for j, v := range zr {
				d := math.Abs(float64(v) - float64(tr[j]))
				if d <= l.delta {
					row += 0.5 * d * d
				} else {
					row += l.delta * (d - 0.5*l.delta)
				}
			}
		case MeanAbsoluteError:
			for j, v := range zr {
				row += math.Abs(float64(v) - float64(tr[j]))
			}
		}
		sum += rowWeight(w, r) * row
	}
	return sum
}

// crossEntropyValue is lossValue for CrossEntropy with class weights c
// (nil: 1): the softmax of 64 rows at a time (softmaxRows), then each
// row's term in row order.
func crossEntropyValue[T float](c []float64, cols int, z, t, w, p []T) float64 {
	var lse [64]float64
	sum := 0.0
	for r0 := 0; cols > 0 && r0*cols < len(z); r0 += len(lse) {
		lo, hi := r0*cols, min((r0+len(lse))*cols, len(z))
		softmaxRows(cols, z[lo:hi], p[lo:hi], lse[:(hi-lo)/cols])
		for i, v := range lse[:(hi-lo)/cols] {
			zr, tr := z[lo+i*cols:lo+(i+1)*cols], t[lo+i*cols:lo+(i+1)*cols]
			row := 0.0
			for j, tj := range tr {
				// c·T·(logsumexp(z) − z), where T ≠ 0; elsewhere c·T·0 = ±0
				// (c is finite), which leaves row as it is (never −0) even
				// where logsumexp(z) − z is infinite: a select without a
				// branch, mispredicted once a row for one-hot targets.
				d := v - float64(zr[j])
				var keep uint64
				if tj != 0 {
					keep = math.MaxUint64
				}
				d = math.Float64frombits(math.Float64bits(d) & keep)
				row += classWeight(c, j) * float64(tj) * d
			}
			sum += rowWeight(w, r0+i) * row
		}
	}
	return sum
}

// lossGrad sets dz = scale·w_r·∂(row r's term)/∂z for the sum lossValue
// returns: for CrossEntropy (Σ_k a_k)·p − a with a_k = c_k·t_k and p the
// stored softmax, for BinaryCrossEntropy σ(z) − t, for MeanSquaredError
// 2(z − t), for Huber d clipped to [−δ, δ], for MeanAbsoluteError
// sign(d), d = z − t.
func lossGrad[T float](l lossSpec, cols int, scale float64, z, t, w, p, dz []T) {
	for r := 0; r*cols < len(z); r++ {
		s := scale * rowWeight(w, r)
		zr, tr, dr := z[r*cols:(r+1)*cols], t[r*cols:(r+1)*cols], dz[r*cols:(r+1)*cols]
		switch l.loss {
		case CrossEntropy:
			pr := p[r*cols : (r+1)*cols]
			as := 0.0
			for j, v := range tr {
				as += classWeight(l.classW, j) * float64(v)
			}
			for j, v := range tr {
				dr[j] = T(s * (as*float64(pr[j]) - classWeight(l.classW, j)*float64(v)))
			}
		case BinaryCrossEntropy:
			for j, v := range zr {
				dr[j] = T(s * (sigmoid(float64(v)) - float64(tr[j])))
			}
		case MeanSquaredError:
			for j, v := range zr {
				dr[j] = T(2 * s * (float64(v) - float64(tr[j])))
			}
		case Huber:
			for j, v := range zr {
				d := float64(v) - float64(tr[j])
				dr[j] = T(s * max(-l.delta, min(l.delta, d)))
			}
		case MeanAbsoluteError:
			for j, v := range zr {
				switch d := float64(v) - float64(tr[j]); {
				case d > 0:
					dr[j] = T(s)
				case d < 0:
					dr[j] = T(-s)
				default:
					dr[j] = 0
				}
			}
		}
	}
}
