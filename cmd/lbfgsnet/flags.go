package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// usageError is a mistake on the command line: an unknown flag, a bad
// value, a missing or extra argument. It gives exit code 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a *usageError with a formatted message.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// errHelpShown reports that --help printed the usage: exit code 0.
var errHelpShown = errors.New("help shown")

// cmdFlags is a subcommand's flag set with the text of its --help.
type cmdFlags struct {
	*flag.FlagSet
	synopsis    string // "lbfgsnet inspect [flags] TRACE"
	description string // a paragraph on what the command does
}

// newCmdFlags returns an empty flag set that reports errors instead of
// exiting and prints nothing by itself.
func newCmdFlags(name, synopsis, description string) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, synopsis: synopsis, description: description}
}

// parse parses args, allowing flags after positional arguments
// ("inspect run.jsonl --plot run.png"); "--" ends the flags. It returns the
// positional arguments. --help prints the usage to stdout and returns
// errHelpShown; any other error is a *usageError.
func (c *cmdFlags) parse(args []string, stdout io.Writer) ([]string, error) {
	var pos []string
	for {
		err := c.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage(stdout)
			return nil, errHelpShown
		}
		if err != nil {
			return nil, &usageError{flagMessage(err)}
		}
		rest := c.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// Parse stops at the first non-flag, or after a "--", which it
		// consumes: everything after "--" is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// printUsage writes the synopsis, the description and every flag with its
// default.
func (c *cmdFlags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n  %s\n\n%s\n\nFlags:\n", c.synopsis, c.description)
	c.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n        %s", line, strings.ReplaceAll(usage, "\n", "\n        "))
		if def := defaultText(f); def != "" {
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
}

// defaultText is the default shown in --help, or "" for an empty string
// (the usage text then says what it means) and for a false boolean.
func defaultText(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() && f.DefValue == "false" {
		return ""
	}
	return f.DefValue
}

// flagSyntax matches the flag names in the flag package's messages
// ("flag provided but not defined: -bogus", "invalid value "x" for flag
// -seed: ..."), which flagMessage rewrites to the "--name" form the help
// and the docs use.
var flagSyntax = regexp.MustCompile(`(flag provided but not defined: |for flag |flag needs an argument: )-+([^\s:]+)`)

// flagMessage rewrites a flag package error in the "--name" form.
func flagMessage(err error) error {
	msg := flagSyntax.ReplaceAllStringFunc(err.Error(), func(m string) string {
		sub := flagSyntax.FindStringSubmatch(m)
		switch sub[1] {
		case "flag provided but not defined: ":
			return "unknown flag --" + sub[2]
		case "for flag ":
			return "for --" + sub[2]
		}
		return "flag --" + sub[2] + " needs a value"
	})
	return errors.New(msg)
}

// setFlags returns the names of the flags given on the command line.
func (c *cmdFlags) setFlags() map[string]bool {
	set := make(map[string]bool)
	c.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// choice is a string flag restricted to a fixed set of values.
type choice struct {
	value   string
	allowed []string
}

func newChoice(def string, allowed ...string) *choice {
	return &choice{value: def, allowed: allowed}
}

func (c *choice) String() string {
	if c == nil {
		return ""
	}
	return c.value
}

// Set accepts one of the allowed values.
func (c *choice) Set(s string) error {
	for _, a := range c.allowed {
		if s == a {
			c.value = s
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(c.allowed, ", "))
}

// intList is a comma-separated list of positive integers, such as the sizes
// of the hidden layers; the empty string is the empty list.
type intList []int

func (l *intList) String() string {
	if l == nil {
		return ""
	}
	s := make([]string, len(*l))
	for i, v := range *l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

// Set parses "32,32".
func (l *intList) Set(s string) error {
	var out intList
	if strings.TrimSpace(s) != "" {
		for _, f := range strings.Split(s, ",") {
			v, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || v < 1 {
				return fmt.Errorf("%q is not a positive integer (want a comma-separated list such as 32,32)", f)
			}
			out = append(out, v)
		}
	}
	*l = out
	return nil
}
