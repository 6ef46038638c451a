package solver

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// splitSetup returns a state of dimension n holding m pairs, and a
// gradient.
func splitSetup(t *testing.T, n, m int) (*LBFGSState, []float64) {
	t.Helper()
	opts := DefaultOptions()
	opts.HistorySize = m
	s, err := NewLBFGSState(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.init(n); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 8))
	sv, yv := make([]float64, n), make([]float64, n)
	for k := range m {
		for i := range sv {
			sv[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(7)-3))
			yv[i] = sv[i] * (0.5 + r.Float64()) // sᵀy > 0
		}
		s.appendPair(sv, yv, 1/dotProduct(sv, yv), k+1)
	}
	g := make([]float64, n)
	for i := range g {
		g[i] = r.NormFloat64()
	}
	return s, g
}

// TestSplitPassesSameBits checks the two-loop recursion on vectors long
// enough to be split into blocks (n = splitMin + 4·blockLen + 7: a last
// block that is short and not a multiple of 4): the direction is the same
// bits with and without the helper goroutine and with GOMAXPROCS 1, and
// agrees with the recursion run as one block (the summation order of
// n < splitMin) to rounding.
func TestSplitPassesSameBits(t *testing.T) {
	const n, m = splitMin + 4*blockLen + 7, 6
	s, g := splitSetup(t, n, m)
	if s.work.team.blocks != 13 {
		t.Fatalf("%d blocks, want 13", s.work.team.blocks)
	}
	defer func(old bool) { noHelper = old }(noHelper)

	noHelper = true
	want := make([]float64, n)
	s.direction(want, g)

	same := func(what string, got []float64) {
		t.Helper()
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("%s: d[%d] = %v, want %v", what, i, got[i], want[i])
			}
		}
	}
	d := make([]float64, n)
	noHelper = false
	s.work.team.helped.Store(0)
	for range 30 {
		s.direction(d, g)
		same("with the helper", d)
	}
	t.Logf("helper computed %d of %d blocks", s.work.team.helped.Load(), 30*(2*m+1)*s.work.team.blocks)

	old := runtime.GOMAXPROCS(1)
	s.direction(d, g)
	runtime.GOMAXPROCS(old)
	same("GOMAXPROCS 1", d)

	// One block: the order of the unsplit recursion.
	tm := s.work.team
	s.work.team = &team{n: n, blocks: 1, lanes: make([][4]float64, 1)}
	s.direction(d, g)
	s.work.team = tm
	var diff, norm float64
	for i := range d {
		diff = math.Max(diff, math.Abs(d[i]-want[i]))
		norm = math.Max(norm, math.Abs(want[i]))
	}
	if diff > 1e-12*norm {
		t.Errorf("split and unsplit directions differ by %v (‖d‖∞ %v), want rounding", diff, norm)
	}
}

// TestSplitPassesAllocs checks that a split recursion allocates nothing.
func TestSplitPassesAllocs(t *testing.T) {
	s, g := splitSetup(t, splitMin+1, 3)
	d := make([]float64, len(g))
	s.direction(d, g)
	if n := testing.AllocsPerRun(20, func() { s.direction(d, g) }); n != 0 {
		t.Errorf("%v allocations per direction, want 0", n)
	}
}

// TestSplitPassBlockOrder runs each kind of pass over the blocks in order
// and in reverse (as the two goroutines may finish them) and checks that
// the vector and the dot product are the same bits.
func TestSplitPassBlockOrder(t *testing.T) {
	const n = splitMin + 2*blockLen + 3
	r := rand.New(rand.NewPCG(9, 10))
	vec := func() []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(9)-4))
		}
		return v
	}
	q0, x, v := vec(), vec(), vec()
	for _, kind := range []passKind{passCopyDot, passAxpyDot, passAxpyScaleDot, passAxpyNegate} {
		tm := newTeam(n)
		q := append([]float64(nil), q0...)
		want := tm.run(pass{kind: kind, q: q, x: x, v: v, a: -0.75, c: 1.5})

		got := append([]float64(nil), q0...)
		tm.p = pass{kind: kind, q: got, x: x, v: v, a: -0.75, c: 1.5}
		for b := tm.blocks - 1; b >= 0; b-- {
			tm.block(b)
		}
		if s := tm.sum(); math.Float64bits(s) != math.Float64bits(want) {
			t.Errorf("pass %d: dot product %v in reverse block order, want %v", kind, s, want)
		}
		for i := range q {
			if math.Float64bits(got[i]) != math.Float64bits(q[i]) {
				t.Fatalf("pass %d: q[%d] = %v in reverse block order, want %v", kind, i, got[i], q[i])
			}
		}
	}
}

// TestSplitPair forms a long curvature pair in blocks, in order and in
// reverse, and checks s, y, sᵀy and yᵀy: the same bits both ways, and the
// sums equal to the serial loop's to rounding.
func TestSplitPair(t *testing.T) {
	const n = splitMin + blockLen + 5
	r := rand.New(rand.NewPCG(13, 14))
	vec := func() []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64()
		}
		return v
	}
	xn, xo, gn, go_ := vec(), vec(), vec(), vec()
	tm := newTeam(n)
	sv, yv := make([]float64, n), make([]float64, n)
	sy, yy := tm.pair(sv, yv, xn, xo, gn, go_)

	var wsy, wyy float64
	for i := range xn {
		si, yi := xn[i]-xo[i], gn[i]-go_[i]
		if sv[i] != si || yv[i] != yi {
			t.Fatalf("s[%d], y[%d] = %v, %v; want %v, %v", i, i, sv[i], yv[i], si, yi)
		}
		wsy += si * yi
		wyy += yi * yi
	}
	if math.Abs(sy-wsy) > 1e-12*wyy || math.Abs(yy-wyy) > 1e-12*wyy {
		t.Errorf("sᵀy, yᵀy = %v, %v; want %v, %v to rounding", sy, yy, wsy, wyy)
	}

	rs, ry := make([]float64, n), make([]float64, n)
	tm.p = pass{kind: passPair, s: rs, y: ry, x: xn, q: xo, v: gn, w: go_}
	for b := tm.blocks - 1; b >= 0; b-- {
		tm.block(b)
	}
	l := tm.totals()
	if got, want := [2]float64{l[0] + l[1], l[2] + l[3]}, [2]float64{sy, yy}; got != want {
		t.Errorf("sums in reverse block order %v, want %v", got, want)
	}
}

// TestSplitHelperBeforeFirstPass hands the helper a team before any pass
// has been opened (as begin does, the helper possibly running before the
// first pass is written): it must find nothing to claim and leave after
// its patience runs out, without touching the empty pass.
func TestSplitHelperBeforeFirstPass(t *testing.T) {
	tm := newTeam(splitMin + 1)
	tm.open.Store(true)
	tm.help()
	if n := tm.helped.Load(); n != 0 {
		t.Errorf("helper computed %d blocks before the first pass, want 0", n)
	}
}

// TestSplitConcurrentStates runs the recursion of four states at once, each
// long enough to be split (the one helper serves one of them at a time, the
// others run alone), and checks every direction against the state's own
// direction computed without the helper, bit for bit.
func TestSplitConcurrentStates(t *testing.T) {
	const n, m = splitMin + 3*blockLen + 1, 4
	type job struct {
		s       *LBFGSState
		g, want []float64
	}
	jobs := make([]job, 4)
	old := noHelper
	noHelper = true
	for i := range jobs {
		s, g := splitSetup(t, n+i, m)
		want := make([]float64, n+i)
		s.direction(want, g)
		jobs[i] = job{s, g, want}
	}
	noHelper = old
	errs := make(chan string, len(jobs))
	for _, j := range jobs {
		go func() {
			d := make([]float64, len(j.g))
			for range 20 {
				j.s.direction(d, j.g)
				for i := range d {
					if math.Float64bits(d[i]) != math.Float64bits(j.want[i]) {
						errs <- "direction differs from the one computed alone"
						return
					}
				}
			}
			errs <- ""
		}()
	}
	for range jobs {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// TestSplitMinimizeSameBits minimises the extended Rosenbrock function in
// n = 40000 dimensions (split passes) for 25 iterations with strong Wolfe
// searches, with and without the helper goroutine: the iterates, losses
// and evaluation counts must be the same bits.
func TestSplitMinimizeSameBits(t *testing.T) {
	const n = 40000
	f := func(x, g []float64) (float64, any, error) {
		var s float64
		for i := 0; i < len(x); i += 2 {
			a, b := x[i+1]-x[i]*x[i], 1-x[i]
			s += 100*a*a + b*b
			g[i] = -400*a*x[i] - 2*b
			g[i+1] = 200 * a
		}
		return s, nil, nil
	}
	run := func(helper bool) ([]float64, Result) {
		defer func(old bool) { noHelper = old }(noHelper)
		noHelper = !helper
		opts := DefaultOptions()
		opts.LineSearchMethod = StrongWolfe
		s, err := NewLBFGSState(opts)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = -1.2 + 0.1*float64(i%7) // Moré et al.'s start, perturbed
		}
		res, err := Minimize(context.Background(), x, f, s, StopOptions{MaxIterations: 25})
		if err != nil {
			t.Fatal(err)
		}
		return x, res
	}
	want, wres := run(false)
	got, gres := run(true)
	if gres.Iterations != wres.Iterations || gres.LossEvaluations != wres.LossEvaluations ||
		math.Float64bits(gres.Loss) != math.Float64bits(wres.Loss) {
		t.Fatalf("with the helper: %d iterations, %d evaluations, loss %v; without: %d, %d, %v",
			gres.Iterations, gres.LossEvaluations, gres.Loss, wres.Iterations, wres.LossEvaluations, wres.Loss)
	}
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("x[%d] = %v with the helper, %v without", i, got[i], want[i])
		}
	}
	if wres.Iterations < 25 {
		t.Fatalf("%d iterations (%v), want 25 for the comparison to cover pairs and updates", wres.Iterations, wres.Status)
	}
}
