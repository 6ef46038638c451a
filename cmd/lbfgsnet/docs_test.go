package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docCommand is one "$ command" of a console block in docs/cli.md with
// the output shown under it.
type docCommand struct {
	line   int // line of the command in the file
	cmd    string
	output []string
}

// docCommands returns the commands of the ```console blocks of a Markdown
// file, in order.
func docCommands(md string) []docCommand {
	var cmds []docCommand
	in := false
	for i, l := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(l, "```console"):
			in = true
		case in && strings.HasPrefix(l, "```"):
			in = false
		case in && strings.HasPrefix(l, "$ "):
			cmds = append(cmds, docCommand{line: i + 1, cmd: l[2:]})
		case in && len(cmds) > 0:
			cmds[len(cmds)-1].output = append(cmds[len(cmds)-1].output, l)
		}
	}
	return cmds
}

// numberPattern matches the numbers of the output, which the comparison
// ignores: times, losses and norms may differ in the last digits on
// another machine, while the words, columns and labels must not.
var numberPattern = regexp.MustCompile(`[-+]?\d+(\.\d+)?([eE][-+]?\d+)?`)

// shape reduces an output line to its words: numbers become N and runs of
// spaces one space.
func shape(line string) string {
	return strings.Join(strings.Fields(numberPattern.ReplaceAllString(line, "N")), " ")
}

// TestDocsCLI runs every command shown in docs/cli.md, in order, in a
// directory holding the repository files they read, and checks that each
// succeeds (or exits with the status the following "$ echo $?" shows) and
// prints every line shown for it, up to the numbers.
func TestDocsCLI(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found: the documented commands are shell commands")
	}
	md, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []string{"data/iris.csv", "data/testdata/notnumber.csv", "data/testdata/ragged.csv", "data/testdata/categorical.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		writeFile(t, dir, f, string(b))
	}
	env := append(os.Environ(), "PATH="+filepath.Dir(binPath)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmds := docCommands(string(md))
	if len(cmds) < 20 {
		t.Fatalf("found %d commands in docs/cli.md, want the examples of every subcommand", len(cmds))
	}
	last := 0
	for i, c := range cmds {
		if c.cmd == "echo $?" {
			if len(c.output) != 1 || c.output[0] != strconv.Itoa(last) {
				t.Errorf("docs/cli.md:%d: the exit status shown is %q, the command exited with %d", c.line, c.output, last)
			}
			continue
		}
		cmd := exec.Command(bash, "-c", c.cmd)
		cmd.Dir, cmd.Env = dir, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var ee *exec.ExitError
		switch last = 0; {
		case errors.As(err, &ee):
			last = ee.ExitCode()
		case err != nil:
			t.Fatalf("docs/cli.md:%d: %s: %v", c.line, c.cmd, err)
		}
		shown := i+1 < len(cmds) && cmds[i+1].cmd == "echo $?"
		if last != 0 && !shown {
			t.Errorf("docs/cli.md:%d: %s: exit status %d, and the docs show no failure\n%s", c.line, c.cmd, last, out.String())
		}
		got := map[string]bool{}
		for _, l := range strings.Split(out.String(), "\n") {
			got[shape(l)] = true
		}
		for _, want := range c.output {
			if want != "⋮" && !got[shape(want)] {
				t.Errorf("docs/cli.md:%d: %s: the output lacks a line like\n%s\ngot:\n%s", c.line, c.cmd, want, out.String())
			}
		}
	}
}

// TestDocsCLIFlags: docs/cli.md documents every flag of every subcommand.
func TestDocsCLIFlags(t *testing.T) {
	md, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string]*cmdFlags{
		"train":    trainFlags(&trainConfig{}),
		"inspect":  inspectFlags(&inspectConfig{}),
		"predict":  predictFlags(&predictConfig{}),
		"evaluate": evaluateFlags(&evaluateConfig{}),
	}
	for name, fs := range sets {
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(string(md), "| `--"+f.Name) {
				t.Errorf("docs/cli.md has no table row for %s --%s", name, f.Name)
			}
		})
	}
}
