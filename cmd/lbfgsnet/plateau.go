package main

import (
	"fmt"
	"math"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// plateauWindow is the number of iterations over which findPlateaus
// averages the rate at which the loss falls: long enough that one short
// step among long ones does not split a plateau, short enough to find a
// stall of a few iterations.
const plateauWindow = 5

// plateau is a stretch of iterations, records[first] to records[last],
// over which the loss fell slowly.
type plateau struct{ first, last int }

// findPlateaus returns the maximal stretches of records covered by windows
// of plateauWindow iterations over each of which the loss fell by less
// than rate per iteration on average (a geometric mean: a window from L_a
// to L_b of n iterations falls by 1 − (L_b/L_a)^(1/n) per iteration). A
// loss that rose counts as not falling; windows with a non-finite loss
// never count. The rate is relative, so that the steady fall of a run
// converging linearly on a log scale is not mistaken for a plateau even
// when the absolute decrease is tiny.
func findPlateaus(recs []trace.Record, rate float64) []plateau {
	flat := make([]bool, len(recs))
	for i := plateauWindow; i < len(recs); i++ {
		a, b := recs[i-plateauWindow], recs[i]
		if r := fallRate(a.Loss, b.Loss, b.Iteration-a.Iteration); r < rate {
			for j := i - plateauWindow; j <= i; j++ {
				flat[j] = true
			}
		}
	}
	var out []plateau
	for i := 0; i < len(flat); i++ {
		if !flat[i] {
			continue
		}
		p := plateau{first: i}
		for i+1 < len(flat) && flat[i+1] {
			i++
		}
		p.last = i
		out = append(out, p)
	}
	return out
}

// fallRate is the relative decrease of the loss per iteration from a to b
// over n >= 1 iterations: 1 − (b/a)^(1/n) for positive losses, (a − b)/(n·|a|)
// otherwise; negative when the loss rose, and +Inf (never a plateau) for a
// non-finite loss or a fall from exactly 0.
func fallRate(a, b float64, n int) float64 {
	switch {
	case math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) || n < 1:
		return math.Inf(1)
	case a > 0 && b > 0:
		return 1 - math.Pow(b/a, 1/float64(n))
	case a == 0 && b >= 0:
		return 0
	case a == 0:
		return math.Inf(1)
	}
	return (a - b) / (float64(n) * math.Abs(a))
}

// text describes the plateau: "iterations 13 to 37 (loss 0.0394 to
// 0.0331, 0.69% per iteration)".
func (p plateau) text(recs []trace.Record) string {
	a, b := recs[p.first], recs[p.last]
	return fmt.Sprintf("iterations %d to %d (loss %s to %s, %s%% per iteration)", a.Iteration, b.Iteration,
		formatG(a.Loss, 3), formatG(b.Loss, 3), formatG(100*fallRate(a.Loss, b.Loss, b.Iteration-a.Iteration), 2))
}

// object is the plateau in --format json.
func (p plateau) object(recs []trace.Record) orderedObject {
	a, b := recs[p.first], recs[p.last]
	return orderedObject{{"first_iteration", a.Iteration}, {"last_iteration", b.Iteration},
		{"first_loss", jsonNumber(a.Loss)}, {"last_loss", jsonNumber(b.Loss)}}
}
