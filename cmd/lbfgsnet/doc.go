// Command lbfgsnet trains small neural networks on full batches with the
// L-BFGS solver, and inspects and uses what it trained.
//
//	lbfgsnet train   [flags]        train a network and print every iteration
//	lbfgsnet inspect [flags] TRACE  print a recorded run back, with a diagnosis
//	lbfgsnet predict [flags]        predict with a saved model
//
// Run "lbfgsnet help" or "lbfgsnet SUBCOMMAND --help" for the flags, and
// see docs/cli.md for the full reference with sample output.
//
// Exit codes: 0 success (whatever solver status ended the run), 1 failure
// (a missing, malformed or unwritable file, unusable data), 2 usage error
// (unknown command or flag, bad flag value, missing or extra argument), 130
// interrupted by SIGINT or SIGTERM (train stops after the current
// iteration and writes the files it was asked for; a second signal quits
// at once, removing the temporary files of the outputs not yet written).
//
// # Architecture
//
// run (run.go) dispatches to one function per subcommand (train.go,
// inspect.go, predict.go); each parses its own flag set (flags.go and
// train_flags.go), returns an error that run maps to the exit code, and
// writes results to stdout and its logrus log to stderr. train wires the
// packages together: data reads and splits the CSV, nn builds the network
// and its objective (the solver's loss function), and solver.Minimize runs with a hook that prints each row (table.go),
// records the trace and writes periodic checkpoints. Every output file is
// written under a temporary name and renamed when complete (atomic.go), so
// no reader ever sees a half-written file. inspect re-reads a trace,
// diagnoses it (diagnose.go, plateau.go) and plots it with gonum/plot
// (plot.go).
package main
