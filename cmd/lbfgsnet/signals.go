package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// errInterrupted is the cause of a context cancelled by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// notifyContext returns a context cancelled, with a cause wrapping
// errInterrupted, on the first SIGINT or SIGTERM: train then stops after
// the current iteration and writes its files. A second signal calls
// onSecond, which is expected to end the process at once. stop releases
// the signal handler.
func notifyContext(parent context.Context, onSecond func(os.Signal)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(fmt.Errorf("%w by %s", errInterrupted, signalName(sig)))
		case <-done:
			return
		}
		select {
		case sig := <-ch:
			onSecond(sig)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// quitAtOnce is main's response to a second signal: it stops the creation
// of temporary files, removes those of the outputs being written, says so
// and exits. The
// files already in place (an earlier checkpoint) are complete, since every
// output is written under a temporary name and renamed when complete.
func quitAtOnce(sig os.Signal) {
	atomicfile.Freeze() // no output starts a temporary file after the removal
	outputs.removeTemporaries()
	fmt.Fprintf(os.Stderr, "lbfgsnet: %s again: quit at once, discarding the outputs not yet complete; files already in place are intact\n", signalName(sig))
	os.Exit(exitInterrupted)
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

// outputs lists the output files of this invocation, so that quitAtOnce
// can remove their temporary files.
var outputs outputFiles

// outputFiles is a set of output paths, safe for concurrent use.
type outputFiles struct {
	mu    sync.Mutex
	paths []string
}

// add records output paths; empty ones are skipped.
func (o *outputFiles) add(paths ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, p := range paths {
		if p != "" {
			o.paths = append(o.paths, p)
		}
	}
}

// removeTemporaries removes the temporary files beside each output, which
// writeOutput, checkpoint.Save and nn.Network.Save all
// make through internal/atomicfile before renaming them into place. It
// removes what it can: the process is about to exit, and a file it cannot
// remove is only a hidden leftover beside a complete output.
func (o *outputFiles) removeTemporaries() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, p := range o.paths {
		atomicfile.RemoveTemporaries(p)
	}
}
