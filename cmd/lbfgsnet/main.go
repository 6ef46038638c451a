package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// main runs the command line and exits with run's exit code; a first
// SIGINT or SIGTERM cancels the context, a second one quits at once.
// SIGPIPE is ignored: a write to a closed stdout (lbfgsnet train | head)
// then fails with EPIPE instead of killing the process, and train keeps
// training to write the files asked for (docs/cli.md, Exit codes).
func main() {
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := notifyContext(context.Background(), quitAtOnce)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
