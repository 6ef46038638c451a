package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// errInterrupted is the cause of a context cancelled by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// notifyContext returns a context cancelled, with a cause wrapping
// errInterrupted, on the first SIGINT or SIGTERM. After that first signal
// the default handling is restored, so a second Ctrl-C ends the process at
// once (the atomic writes still leave no half-written file behind). stop
// releases the signal handler.
func notifyContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(fmt.Errorf("%w by %s", errInterrupted, signalName(sig)))
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// interruption returns the cause of ctx's cancellation when it was a
// signal, or nil.
func interruption(ctx context.Context) error {
	if c := context.Cause(ctx); c != nil && errors.Is(c, errInterrupted) {
		return c
	}
	return nil
}

// signalName returns the conventional name of the signals handled.
func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}
