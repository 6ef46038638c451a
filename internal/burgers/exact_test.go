package burgers

import (
	"math"
	"testing"
)

// TestExactInitial: at t = 0 the solution is −sin(πx), and for small t it
// is close to it (the shock forms later, at t ≈ 1/π).
func TestExactInitial(t *testing.T) {
	e, err := NewExact(Nu, DefaultHermiteNodes)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= 100; i++ {
		x := -1 + 2*float64(i)/100
		if got, want := e.At(x, 0), -math.Sin(math.Pi*x); got != want {
			t.Errorf("u(%v, 0) = %v, want %v", x, got, want)
		}
		// u_t = −u·u_x + ν·u_xx at t = 0: first-order change over 1e-6
		u0 := -math.Sin(math.Pi * x)
		ux, uxx := -math.Pi*math.Cos(math.Pi*x), math.Pi*math.Pi*math.Sin(math.Pi*x)
		const dt = 1e-6
		want := u0 + dt*(-u0*ux+Nu*uxx)
		if got := e.At(x, dt); math.Abs(got-want) > 1e-9 {
			t.Errorf("u(%v, %v) = %.12f, Taylor expansion %.12f", x, dt, got, want)
		}
	}
}

// TestExactAgainstTrapezoid compares the Gauss–Hermite sums with the
// trapezoid rule on η ∈ [−3, 3] (2·10⁵ intervals; the integrands are
// smooth and e^(−η²/4νt) < e^(−700) beyond), which converges
// exponentially for such integrands.
func TestExactAgainstTrapezoid(t *testing.T) {
	e, err := NewExact(Nu, DefaultHermiteNodes)
	if err != nil {
		t.Fatal(err)
	}
	k := 1 / (2 * math.Pi * Nu)
	trap := func(x, tt float64) float64 {
		const n, a = 200000, 3.0
		h := 2 * a / n
		// exponent's maximum, for scaling
		top := math.Inf(-1)
		for i := 0; i <= n; i++ {
			eta := -a + float64(i)*h
			top = max(top, -k*math.Cos(math.Pi*(x-eta))-eta*eta/(4*Nu*tt))
		}
		var num, den float64
		for i := 0; i <= n; i++ {
			eta := -a + float64(i)*h
			v := math.Exp(-k*math.Cos(math.Pi*(x-eta)) - eta*eta/(4*Nu*tt) - top)
			if i == 0 || i == n {
				v /= 2
			}
			num += math.Sin(math.Pi*(x-eta)) * v
			den += v
		}
		return -num / den
	}
	for _, tt := range []float64{0.25, 0.5, 0.75, 1} {
		for _, x := range []float64{-0.9, -0.5, -0.1, -0.01, 0, 0.003, 0.05, 0.3, 0.77} {
			got, want := e.At(x, tt), trap(x, tt)
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("u(%v, %v): Gauss–Hermite %.15f, trapezoid %.15f", x, tt, got, want)
			}
		}
	}
}

func TestExactErrors(t *testing.T) {
	for _, nu := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := NewExact(nu, 10); err == nil {
			t.Errorf("NewExact(%v, 10): no error", nu)
		}
	}
	if _, err := NewExact(Nu, 0); err == nil {
		t.Error("NewExact with 0 nodes: no error")
	}
}
