package main

import (
	"context"
	"os"
)

// main runs the command line and exits with run's exit code; a first
// SIGINT or SIGTERM cancels the context, a second one quits at once.
func main() {
	ctx, stop := notifyContext(context.Background(), quitAtOnce)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
