package solver_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// TestConcurrentUpdateRefused: while an update runs, a second Update,
// UpdateWith or Minimize on the same state, from another goroutine or
// from within the loss function, returns ErrConcurrentUse at once and
// changes nothing; the running update completes as if alone (run with
// -race: no data race).
func TestConcurrentUpdateRefused(t *testing.T) {
	s := testprob.NewState(t, solver.DefaultOptions())
	x := testprob.RosenbrockStart(4)
	y := append([]float64(nil), x...)
	testprob.Updates(t, s, x, testprob.Quadratic(4), 2)
	// The reference: the same updates, the last with another closure of
	// the same loss, as the blocking one is.
	ref := testprob.NewState(t, solver.DefaultOptions())
	testprob.Updates(t, ref, y, testprob.Quadratic(4), 2)
	testprob.Updates(t, ref, y, func(x, g []float64) (float64, any, error) { return testprob.Quadratic(4)(x, g) }, 1)

	started, release := make(chan struct{}), make(chan struct{})
	first := true
	blocking := func(x, g []float64) (float64, any, error) {
		if first {
			first = false
			close(started)
			<-release
		}
		return testprob.Quadratic(4)(x, g)
	}
	done := make(chan error)
	go func() { done <- s.Update(x, blocking) }()
	<-started
	other := append([]float64(nil), x...)
	for name, call := range map[string]func() error{
		"Update":     func() error { return s.Update(other, testprob.Quadratic(4)) },
		"UpdateWith": func() error { return s.UpdateWith(other, testprob.Quadratic(4), solver.UpdateOptions{}) },
		"Minimize": func() error {
			_, err := solver.Minimize(context.Background(), other, testprob.Quadratic(4), s, solver.DefaultStopOptions())
			return err
		},
	} {
		if err := call(); !errors.Is(err, solver.ErrConcurrentUse) {
			t.Errorf("%s during an update: %v, want ErrConcurrentUse", name, err)
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, want := testprob.StateString(s), testprob.StateString(ref); got != want {
		t.Errorf("the update that ran differs from one run alone:\n%s\nwant\n%s", got, want)
	}
	if !sameFloats(x, y) {
		t.Errorf("x = %v, want %v", x, y)
	}
	// The state is free again.
	if err := s.Update(x, testprob.Quadratic(4)); err != nil {
		t.Errorf("Update after the refused calls: %v", err)
	}
}

// TestReentrantUpdateRefused: a loss function that updates the state it
// is evaluated for gets ErrConcurrentUse.
func TestReentrantUpdateRefused(t *testing.T) {
	s := testprob.NewState(t, solver.DefaultOptions())
	x := testprob.RosenbrockStart(2)
	var inner error
	f := func(x, g []float64) (float64, any, error) {
		if inner == nil {
			inner = s.Update(append([]float64(nil), x...), testprob.Quadratic(2))
		}
		return testprob.Quadratic(2)(x, g)
	}
	if err := s.Update(x, f); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(inner, solver.ErrConcurrentUse) {
		t.Errorf("Update from within the loss function: %v, want ErrConcurrentUse", inner)
	}
}

// sameFloats reports whether a and b hold the same bits.
func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
