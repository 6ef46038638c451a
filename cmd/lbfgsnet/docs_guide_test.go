package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// mdBlock is one fenced code block of a Markdown file.
type mdBlock struct {
	line int    // line of the opening fence
	lang string // the word after the fence: "sh", "go", or ""
	text string
}

// mdBlocks returns the fenced code blocks of md, in order.
func mdBlocks(md string) []mdBlock {
	var out []mdBlock
	var cur *mdBlock
	for i, l := range strings.Split(md, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &mdBlock{line: i + 1, lang: strings.TrimSpace(strings.TrimPrefix(l, "```"))}
		case cur != nil && strings.HasPrefix(l, "```"):
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.text += l + "\n"
		}
	}
	return out
}

// checkShownOutput fails unless every line of shown, but the "…" that
// marks left-out lines, occurs in got up to the numbers (see shape).
func checkShownOutput(t *testing.T, where, got, shown string) {
	t.Helper()
	have := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		have[shape(l)] = true
	}
	for _, want := range strings.Split(strings.TrimSuffix(shown, "\n"), "\n") {
		if want != "…" && want != "⋮" && !have[shape(want)] {
			t.Errorf("%s: the output lacks a line like\n%s\ngot:\n%s", where, want, got)
		}
	}
}

// TestDocsGettingStarted runs the shell commands of docs/getting-started.md
// in order, as a reader would in a checkout, with the built binary in
// place of "go run ./cmd/lbfgsnet", and checks that each succeeds and
// prints the output shown under it.
func TestDocsGettingStarted(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found: the documented commands are shell commands")
	}
	md, err := os.ReadFile(filepath.Join("..", "..", "docs", "getting-started.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	iris, err := os.ReadFile(filepath.Join("..", "..", "data", "iris.csv"))
	if err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "data"), 0o755)
	writeFile(t, dir, "data/iris.csv", string(iris))
	env := append(os.Environ(), "PATH="+filepath.Dir(binPath)+string(os.PathListSeparator)+os.Getenv("PATH"))
	blocks := mdBlocks(string(md))
	ran := 0
	for i, b := range blocks {
		// The install, version and whole-repository test commands are
		// not the guide's to run here.
		if b.lang != "sh" || strings.Contains(b.text, "go test") || strings.Contains(b.text, "go install") || strings.Contains(b.text, "go version") {
			continue
		}
		script := strings.ReplaceAll(b.text, "go run ./cmd/lbfgsnet", "lbfgsnet")
		cmd := exec.Command(bash, "-e", "-c", script)
		cmd.Dir, cmd.Env = dir, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("docs/getting-started.md:%d: %v\n%s\n%s", b.line, err, b.text, out.String())
		}
		ran++
		if i+1 < len(blocks) && blocks[i+1].lang == "" {
			checkShownOutput(t, "docs/getting-started.md:"+strconv.Itoa(blocks[i+1].line), out.String(), blocks[i+1].text)
		}
	}
	if ran < 5 {
		t.Errorf("ran %d command blocks of docs/getting-started.md, want the train, inspect and predict steps", ran)
	}
}

// TestDocsGoPrograms builds and runs every complete Go program ("package
// main") of docs/getting-started.md and docs/solver.md, in order and in
// one directory (the prediction program reads the model the training
// program saved), and checks the output shown under each.
func TestDocsGoPrograms(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the documented programs")
	}
	dir := t.TempDir()
	for _, doc := range []string{"getting-started.md", "solver.md"} {
		md, err := os.ReadFile(filepath.Join("..", "..", "docs", doc))
		if err != nil {
			t.Fatal(err)
		}
		blocks := mdBlocks(string(md))
		for i, b := range blocks {
			if b.lang != "go" || !strings.HasPrefix(b.text, "package main") {
				continue
			}
			where := "docs/" + doc + ":" + strconv.Itoa(b.line)
			src := filepath.Join(dir, "src", strconv.Itoa(b.line), "main.go")
			os.MkdirAll(filepath.Dir(src), 0o755)
			if err := os.WriteFile(src, []byte(b.text), 0o644); err != nil {
				t.Fatal(err)
			}
			// Built from the package directory, so that the imports
			// resolve in this module.
			exe := filepath.Join(dir, "prog"+strconv.Itoa(b.line))
			build := exec.Command("go", "build", "-o", exe, src)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("%s: build: %v\n%s", where, err, out)
			}
			run := exec.Command(exe)
			run.Dir = dir
			out, err := run.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: run: %v\n%s", where, err, out)
			}
			if i+1 < len(blocks) && blocks[i+1].lang == "" {
				checkShownOutput(t, where, string(out), blocks[i+1].text)
			}
		}
	}
}
