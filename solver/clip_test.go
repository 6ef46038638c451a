package solver

import (
	"math"
	"testing"
)

// TestGradientClipping checks that the clipped gradient drives the
// direction, the directional derivative and y, while Gradients stays raw.
func TestGradientClipping(t *testing.T) {
	tests := []struct {
		name      string
		norm, val float64
		clipped   func(g []float64) []float64
	}{
		{"norm", 1, 0, func(g []float64) []float64 {
			n := math.Hypot(g[0], g[1])
			return []float64{g[0] / n, g[1] / n}
		}},
		// g₀ = (−215.6, −88): the first component is clipped, and g₁
		// differs from g₀ after clipping, so y ≠ 0 and the pair is stored.
		{"value", 0, 100, func(g []float64) []float64 {
			return []float64{math.Max(-100, math.Min(100, g[0])), math.Max(-100, math.Min(100, g[1]))}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := DefaultOptions()
			opts.GradientClipNorm, opts.GradientClipValue = tc.norm, tc.val
			opts.LineSearchMethod = Backtracking // clipping can defeat the curvature test
			s := coreNewState(t, opts)
			x := []float64{-1.2, 1}
			g0 := make([]float64, 2)
			coreRosenbrock(x, g0) // raw g₀ = (−215.6, −88), ‖g₀‖ ≈ 232.9: both clips are active
			gc0 := tc.clipped(g0)
			coreUpdates(t, s, x, coreRosenbrock, 1)
			// First direction: d = −c·λ₀·clip(g₀) with λ₀ = 1, shortened by c
			// to the first-step limit 10·max(1, ‖x₀‖) when longer.
			c := math.Min(1, maxFirstStep*math.Hypot(-1.2, 1)/math.Hypot(gc0[0], gc0[1]))
			if want := -c * (gc0[0]*gc0[0] + gc0[1]*gc0[1]); math.Abs(s.DirectionalDerivative-want) > 1e-12*math.Abs(want) {
				t.Errorf("DirectionalDerivative = %v, want −c‖clip(g)‖² = %v", s.DirectionalDerivative, want)
			}
			g1 := make([]float64, 2)
			coreRosenbrock(x, g1)
			if !sameBits(s.Gradients, g1) {
				t.Errorf("Gradients = %v, want the raw gradient %v", s.Gradients, g1)
			}
			// Every trial's derivative is clip(g(x₀ + α·d))ᵀd, the clipped
			// gradient the line search must use throughout.
			for _, tr := range s.LineSearchTrials {
				xt := []float64{-1.2 - tr.Step*c*gc0[0], 1 - tr.Step*c*gc0[1]}
				gt := make([]float64, 2)
				coreRosenbrock(xt, gt)
				gct := tc.clipped(gt)
				want := -c * (gct[0]*gc0[0] + gct[1]*gc0[1])
				if scale := math.Hypot(gct[0], gct[1]) * math.Hypot(gc0[0], gc0[1]); math.Abs(tr.Derivative-want) > 1e-12*scale {
					t.Errorf("trial at α = %v: derivative %v, want clip(g)ᵀd = %v", tr.Step, tr.Derivative, want)
				}
			}
			if s.PairStatus != PairStored {
				t.Fatalf("PairStatus = %q, want %q: the test needs a stored pair", s.PairStatus, PairStored)
			}
			gc1 := tc.clipped(g1)
			y := s.GradientsDifferenceHistory[0]
			for i := range y {
				if want := gc1[i] - gc0[i]; math.Abs(y[i]-want) > 1e-12*math.Abs(want) {
					t.Errorf("y[%d] = %v, want clip(g₁) − clip(g₀) = %v", i, y[i], want)
				}
			}
		})
	}
}

// TestClipGradient checks clipGradient on hand-worked vectors: by norm
// (only above the threshold, to exactly the threshold), by value, and by
// norm then value.
func TestClipGradient(t *testing.T) {
	for _, tc := range []struct {
		name      string
		norm, val float64
		g, want   []float64
	}{
		{"off", 0, 0, []float64{30, -40}, []float64{30, -40}},
		{"norm at the threshold", 5, 0, []float64{3, 4}, []float64{3, 4}},
		{"norm below twice the threshold", 5, 0, []float64{6, 8}, []float64{3, 4}},            // ‖g‖ = 10: scale ½
		{"norm far above", 5, 0, []float64{300, -400}, []float64{3, -4}},                      // ‖g‖ = 500: scale 1/100
		{"value", 0, 2, []float64{3, -4, 1, -2}, []float64{2, -2, 1, -2}},                     // components limited to [−2, 2]
		{"norm then value", 5, 3.5, []float64{6, 8}, []float64{3, 3.5}},                       // (3, 4), then 4 → 3.5
		{"value after an inactive norm clip", 100, 1, []float64{0.5, -7}, []float64{0.5, -1}}, // ‖g‖ ≈ 7 < 100
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := DefaultOptions()
			opts.GradientClipNorm, opts.GradientClipValue = tc.norm, tc.val
			s := coreNewState(t, opts)
			g := append([]float64(nil), tc.g...)
			got := s.clipGradient(make([]float64, len(g)), g)
			for i := range tc.want {
				if math.Abs(got[i]-tc.want[i]) > 1e-15*math.Abs(tc.want[i]) {
					t.Errorf("clip(%v) = %v, want %v", tc.g, got, tc.want)
					break
				}
			}
			if !sameBits(g, tc.g) {
				t.Errorf("clipGradient modified its input: %v", g)
			}
		})
	}
}
