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
)

// String returns the name ParseLoss accepts.
func (l Loss) String() string {
	switch l {
	case CrossEntropy:
		return "crossentropy"
	case BinaryCrossEntropy:
		return "binary-crossentropy"
	case MeanSquaredError:
		return "mse"
	}
	return fmt.Sprintf("Loss(%d)", int(l))
}

// gradName names the loss's gradient op (a constant string).
func (l Loss) gradName() string {
	switch l {
	case CrossEntropy:
		return "crossentropy gradient"
	case BinaryCrossEntropy:
		return "binary-crossentropy gradient"
	case MeanSquaredError:
		return "mse gradient"
	}
	return "unknown loss gradient"
}

// ParseLoss returns the Loss named s: "crossentropy",
// "binary-crossentropy" or "mse".
func ParseLoss(s string) (Loss, error) {
	for _, l := range []Loss{CrossEntropy, BinaryCrossEntropy, MeanSquaredError} {
		if l.String() == s {
			return l, nil
		}
	}
	return 0, fmt.Errorf("%w: loss %q (valid: crossentropy, binary-crossentropy, mse)", ErrInvalidOption, s)
}

// lossValue returns the sum over all rows of the loss of z (logits or
// outputs) against t, before division by N; for CrossEntropy it stores the
// softmax of each row in p.
func lossValue[T float](l Loss, cols int, z, t, p []T) float64 {
	sum := 0.0
	switch l {
	case CrossEntropy:
		for r := 0; r+cols <= len(z); r += cols {
			lse := softmaxRow(z[r:r+cols], p[r:r+cols])
			for j, tj := range t[r : r+cols] {
				if tj != 0 {
					sum += float64(tj) * (lse - float64(z[r+j])) // T·(logsumexp(z) − z)
				}
			}
		}
	case BinaryCrossEntropy:
		for i, v := range z {
			x := float64(v)
			sum += max(x, 0) - x*float64(t[i]) + math.Log1p(math.Exp(-math.Abs(x)))
		}
	case MeanSquaredError:
		for i, v := range z {
			d := float64(v) - float64(t[i])
			sum += d * d
		}
	}
	return sum
}

// lossGrad sets dz = scale·∂(sum)/∂z for the sum lossValue returns: for
// CrossEntropy (Σ_k t_k)·p − t with p the stored softmax, for
// BinaryCrossEntropy σ(z) − t, for MeanSquaredError 2(z − t).
func lossGrad[T float](l Loss, cols int, scale float64, z, t, p, dz []T) {
	switch l {
	case CrossEntropy:
		for r := 0; r+cols <= len(z); r += cols {
			tr := t[r : r+cols]
			ts := 0.0
			for _, v := range tr {
				ts += float64(v)
			}
			for j, v := range tr {
				dz[r+j] = T(scale * (ts*float64(p[r+j]) - float64(v)))
			}
		}
	case BinaryCrossEntropy:
		for i, v := range z {
			dz[i] = T(scale * (sigmoid(float64(v)) - float64(t[i])))
		}
	case MeanSquaredError:
		for i, v := range z {
			dz[i] = T(2 * scale * (float64(v) - float64(t[i])))
		}
	}
}
