package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args    []string
		wantPos []string
		wantX   int
	}{
		{[]string{"a.jsonl"}, []string{"a.jsonl"}, 0},
		{[]string{"--x", "3", "a.jsonl"}, []string{"a.jsonl"}, 3},
		{[]string{"a.jsonl", "--x", "3"}, []string{"a.jsonl"}, 3},
		{[]string{"a", "--x", "3", "b"}, []string{"a", "b"}, 3},
		{[]string{"--x", "3", "--", "--x", "b"}, []string{"--x", "b"}, 3},
		{nil, nil, 0},
	}
	for _, tc := range tests {
		c := newCmdFlags("t", "t", "t")
		x := c.Int("x", 0, "")
		pos, err := c.parse(tc.args, io.Discard)
		if err != nil {
			t.Fatalf("parse(%q): %v", tc.args, err)
		}
		if !slices.Equal(pos, tc.wantPos) || *x != tc.wantX {
			t.Errorf("parse(%q) = %q, x = %d; want %q, x = %d", tc.args, pos, *x, tc.wantPos, tc.wantX)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--nope"}, "unknown flag --nope"},
		{[]string{"-nope"}, "unknown flag --nope"},
		{[]string{"--x"}, "flag --x needs a value"},
		{[]string{"--x", "y"}, `invalid value "y" for --x: want an integer`},
		{[]string{"--x", "99999999999999999999"}, `invalid value "99999999999999999999" for --x: want an integer`},
		{[]string{"--u", "-1"}, `invalid value "-1" for --u: want an integer from 0 to 18446744073709551615`},
		{[]string{"--f", "1,5"}, `invalid value "1,5" for --f: want a number`},
		{[]string{"--b=maybe"}, `invalid value "maybe" for --b: want true or false`},
		{[]string{"--x", "--b"}, "flag --x needs a value, got the flag --b"},
		{[]string{"--s", "--b"}, "flag --s needs a value, got the flag --b"},
		{[]string{"--s", "-x"}, "flag --s needs a value, got the flag -x"},
		{[]string{"--c", "d"}, `invalid value "d" for --c: must be one of a, b`},
	}
	for _, tc := range tests {
		c := newCmdFlags("t", "t", "t")
		c.Int("x", 0, "")
		c.Uint64("u", 0, "")
		c.Float64("f", 0, "")
		c.Bool("b", false, "")
		c.String("s", "", "")
		c.Var(newChoice("a", "a", "b"), "c", "")
		_, err := c.parse(tc.args, io.Discard)
		var ue *usageError
		if !errors.As(err, &ue) || err.Error() != tc.want {
			t.Errorf("parse(%q) error = %v, want usage error %q", tc.args, err, tc.want)
		}
	}
	c := newCmdFlags("t", "t", "t")
	if _, err := c.parse([]string{"--help"}, io.Discard); !errors.Is(err, errHelpShown) {
		t.Errorf("--help: error %v, want errHelpShown", err)
	}
}

func TestIntList(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		ok   bool
	}{
		{"32,32", []int{32, 32}, true},
		{" 8 , 4 ", []int{8, 4}, true},
		{"", nil, true},
		{"5", []int{5}, true},
		{"32,", nil, false},
		{"0", nil, false},
		{"-1", nil, false},
		{"a", nil, false},
	}
	for _, tc := range tests {
		var l intList
		err := l.Set(tc.in)
		if (err == nil) != tc.ok || (tc.ok && !slices.Equal(l, tc.want)) {
			t.Errorf("Set(%q) = %v, %v; want %v, ok %v", tc.in, l, err, tc.want, tc.ok)
		}
	}
	l := intList{32, 16}
	if got := l.String(); got != "32,16" {
		t.Errorf("String() = %q, want 32,16", got)
	}
}

func TestDefaultText(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("q", false, "")
	fs.Bool("s", true, "")
	fs.String("f", "", "")
	fs.String("d", "", "a file (default: the embedded data)")
	fs.Float64("l", 0, "")
	for name, want := range map[string]string{"q": "false", "s": "true", "f": "none", "d": "", "l": "0"} {
		if got := defaultText(fs.Lookup(name)); got != want {
			t.Errorf("defaultText(%s) = %q, want %q", name, got, want)
		}
	}
}

// TestHelpDefaults: the help of every subcommand states each flag's
// default.
func TestHelpDefaults(t *testing.T) {
	sets := map[string]*cmdFlags{
		"train":   trainFlags(&trainConfig{}),
		"inspect": inspectFlags(&inspectConfig{}),
		"predict": predictFlags(&predictConfig{}),
	}
	for name, fs := range sets {
		var b strings.Builder
		fs.printUsage(&b)
		entries := strings.Split(b.String(), "\n  --")[1:]
		if len(entries) == 0 {
			t.Fatalf("%s: no flags in the help:\n%s", name, b.String())
		}
		for _, e := range entries {
			if !strings.Contains(e, "(default") {
				t.Errorf("%s --help: no default for --%s", name, e)
			}
		}
	}
}
