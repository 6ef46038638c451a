package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
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
			return nil, &usageError{c.flagMessage(err)}
		}
		rest := c.Args()
		if len(rest) == 0 {
			return pos, c.checkFlagValues()
		}
		// Parse stops at the first non-flag, or after a "--", which it
		// consumes: everything after "--" is positional.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), c.checkFlagValues()
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// checkFlagValues reports a flag whose value is the name of another flag,
// as in "--model-out --quiet": the value was forgotten, and the flag
// package took the next flag as it.
func (c *cmdFlags) checkFlagValues() error {
	var err error
	c.Visit(func(f *flag.Flag) {
		v := f.Value.String()
		if err == nil && strings.HasPrefix(v, "-") && c.Lookup(strings.TrimLeft(v, "-")) != nil {
			err = usagef("flag --%s needs a value, got the flag %s", f.Name, v)
		}
	})
	return err
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

// defaultText is the default shown in --help: the flag's default value,
// "none" for an empty string, or "" when the usage text states the default
// itself ("(default: the embedded iris data)").
func defaultText(f *flag.Flag) string {
	switch {
	case strings.Contains(f.Usage, "(default"):
		return ""
	case f.DefValue == "":
		return "none"
	}
	return f.DefValue
}

// Messages of the flag package that flagMessage rewrites in the "--name"
// form the help and the docs use, naming what the flag wants.
var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
	missingValue  = regexp.MustCompile(`^flag needs an argument: -+(.+)$`)
	invalidValue  = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([^\s:]+): (.*)$`)
	invalidBool   = regexp.MustCompile(`^invalid boolean flag ([^\s:]+): (.*)$`)
)

// flagMessage rewrites an error of c's flag package parse in the "--name"
// form, saying what kind of value a flag wants when the value did not
// parse, and that a value looking like a flag probably means a forgotten
// value.
func (c *cmdFlags) flagMessage(err error) error {
	msg := err.Error()
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("unknown flag --%s", m[1])
	}
	if m := missingValue.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("flag --%s needs a value", m[1])
	}
	if m := invalidBool.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("invalid value for --%s: want true or false", m[1])
	}
	m := invalidValue.FindStringSubmatch(msg)
	if m == nil {
		return errors.New(msg)
	}
	value, name, reason := m[1], m[2], m[3]
	f := c.Lookup(name)
	if f == nil {
		return fmt.Errorf("invalid value %s for --%s: %s", value, name, reason)
	}
	if want := wantedValue(f); want != "" && (reason == "parse error" || reason == "value out of range") {
		reason = "want " + want
	}
	if v, _ := strconv.Unquote(value); strings.HasPrefix(v, "-") && c.Lookup(strings.TrimLeft(v, "-")) != nil {
		return fmt.Errorf("flag --%s needs a value, got the flag %s", name, v)
	}
	return fmt.Errorf("invalid value %s for --%s: %s", value, name, reason)
}

// wantedValue describes the values a flag of a basic type accepts, or ""
// for the flag types that explain themselves (choice, intList).
func wantedValue(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case bool:
		return "true or false"
	case int:
		return "an integer"
	case uint64:
		return "an integer from 0 to 18446744073709551615"
	case float64:
		return "a number"
	}
	return ""
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

// separator is the value of --separator: the one character that splits
// the fields of a CSV file, written as itself or as "tab" or "\t".
type separator rune

func (s *separator) String() string {
	switch r := rune(*s); r {
	case 0, ',':
		return ","
	case '\t':
		return `\t`
	default:
		return string(r)
	}
}

// Set parses one character, "tab" or "\t".
func (s *separator) Set(v string) error {
	switch v {
	case "tab", `\t`:
		*s = '\t'
		return nil
	}
	r, n := utf8.DecodeRuneInString(v)
	switch {
	case v == "" || n != len(v):
		return fmt.Errorf("want one character, such as ';' or tab")
	case r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError:
		return fmt.Errorf("%q cannot separate fields: want any character but '\"', '\\r' and '\\n'", r)
	}
	*s = separator(r)
	return nil
}
