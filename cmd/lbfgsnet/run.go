package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
)

// Exit codes. A script can rely on them; docs/cli.md lists them.
const (
	exitOK          = 0   // the command did what it was asked
	exitFailure     = 1   // a file, the data or the run failed
	exitUsage       = 2   // unknown subcommand or flag, bad flag value, missing argument
	exitInterrupted = 130 // SIGINT or SIGTERM: stopped after the current iteration, files written
)

// subcommand is one of the command's verbs.
type subcommand struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env *env) error
}

var subcommands = []subcommand{
	{"train", "train a network with L-BFGS and print every iteration", runTrain},
	{"inspect", "print a recorded trace back as a table, diagnose it, plot it", runInspect},
	{"predict", "predict with a saved model on a CSV file", runPredict},
	{"evaluate", "measure a saved model on a labelled CSV file", runEvaluate},
}

// env carries the output streams of one invocation.
type env struct {
	stdout, stderr io.Writer
}

// run executes the command line args (without the program name) and
// returns the process exit code. It is main without the process: tests
// call it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage())
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			// "lbfgsnet help train" is "lbfgsnet train --help".
			return run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, topUsage())
		return exitOK
	}
	for _, c := range subcommands {
		if c.name == name {
			return exitCode(c.run(ctx, args[1:], e), name, stderr)
		}
	}
	fmt.Fprintf(stderr, "lbfgsnet: unknown command %q\n\n%s", name, topUsage())
	return exitUsage
}

// exitCode prints err, if any, and maps it to an exit code.
func exitCode(err error, name string, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "lbfgsnet %s: %v\nRun 'lbfgsnet %s --help' for usage.\n", name, ue.err, name)
		return exitUsage
	case errors.Is(err, errInterrupted):
		fmt.Fprintf(stderr, "lbfgsnet %s: %v\n", name, err)
		return exitInterrupted
	}
	fmt.Fprintf(stderr, "lbfgsnet %s: %v\n", name, err)
	return exitFailure
}

// topUsage is the text of "lbfgsnet help".
func topUsage() string {
	var b strings.Builder
	b.WriteString("lbfgsnet trains small neural networks on full batches with L-BFGS.\n\n")
	b.WriteString("Usage:\n  lbfgsnet <command> [flags] [arguments]\n\nCommands:\n")
	for _, c := range subcommands {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'lbfgsnet <command> --help' for the flags of a command.\n")
	b.WriteString("Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.\n")
	return b.String()
}

// errStdoutClosed is the cause of a run stopped because stdout was closed.
var errStdoutClosed = errors.New("stdout was closed")

// isBrokenPipe reports whether err is a write to a closed pipe: main
// ignores SIGPIPE, so the write returns EPIPE instead of killing the
// process before it writes its files.
func isBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE)
}
