// Command lbfgsnet trains small neural networks on full batches with the
// L-BFGS solver, and inspects and uses what it trained.
//
//	lbfgsnet train   [flags]        train a network and print every iteration
//	lbfgsnet inspect [flags] TRACE  print a recorded run back, with a diagnosis
//	lbfgsnet predict [flags]        predict with a saved model
//
// Run "lbfgsnet help" or "lbfgsnet SUBCOMMAND --help" for the flags, and
// see docs/cli.md for the full reference with sample output. Exit codes: 0
// success, 1 failure, 2 usage error, 130 interrupted (the files asked for
// were still written).
package main

import (
	"context"
	"os"
)

func main() {
	ctx, stop := notifyContext(context.Background())
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
