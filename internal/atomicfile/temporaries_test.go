package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// TestRemoveTemporaries: the temporary files of the destination named go,
// whatever characters its name holds; the destination, other destinations'
// temporary files and unrelated files stay.
func TestRemoveTemporaries(t *testing.T) {
	// Glob metacharacters in a name are taken literally; Windows allows
	// only some of them in file names.
	bases := []string{"trace.jsonl", "run [1].csv"}
	if runtime.GOOS != "windows" {
		bases = append(bases, `a*?\b.csv`)
	}
	for _, base := range bases {
		t.Run(base, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, base)
			mustWrite(t, path, "complete", 0o644)
			f, err := atomicfile.Create(path, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(f, "half")
			other, err := atomicfile.Create(filepath.Join(dir, "other"), 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Abort()
			// A temporary file of the destination base+".tmp-x", whose
			// name starts as base's do.
			foreign := "." + base + ".tmp-x.tmp-123"
			mustWrite(t, filepath.Join(dir, foreign), "", 0o644)
			mustWrite(t, filepath.Join(dir, "unrelated"), "", 0o644)
			before := len(entries(t, dir))
			if err := atomicfile.RemoveTemporaries(path); err != nil {
				t.Fatal(err)
			}
			got := entries(t, dir)
			if len(got) != before-1 {
				t.Errorf("removed %d files, want 1: %q left", before-len(got), got)
			}
			for _, name := range got {
				if strings.HasPrefix(name, "."+base+".tmp-") && name != foreign {
					t.Errorf("temporary file %s left", name)
				}
			}
			wantContent(t, path, "complete")
			// The interrupted writer finds its file gone and fails; the
			// destination stays as it was.
			if err := f.Commit(); err == nil {
				t.Error("Commit after its temporary file was removed succeeded")
			}
			wantContent(t, path, "complete")
			if err := other.Abort(); err != nil {
				t.Fatal(err)
			}
			wantEntries(t, dir, base, foreign, "unrelated")
		})
	}
}

// TestRemoveTemporariesNothing: a missing directory or no temporary file
// is not an error; a path naming no file is.
func TestRemoveTemporariesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "missing", "out"), filepath.Join(dir, "out"), "out-in-working-dir"} {
		if err := atomicfile.RemoveTemporaries(path); err != nil {
			t.Errorf("RemoveTemporaries(%q): %v", path, err)
		}
	}
	if err := atomicfile.RemoveTemporaries(""); err == nil {
		t.Error("RemoveTemporaries(\"\"): no error")
	}
	wantEntries(t, dir)
}

// TestFreeze: after Freeze, RemoveTemporaries leaves no temporary file
// even while other goroutines keep starting files, and a later Create
// does not return. Freeze lasts for the process, so the test runs in a
// child process.
func TestFreeze(t *testing.T) {
	if dir := os.Getenv("ATOMICFILE_FREEZE_DIR"); dir != "" {
		freezeChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFreeze$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_FREEZE_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "frozen") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left after Freeze and RemoveTemporaries", e.Name())
		}
	}
}

// freezeChild starts files in dir from four goroutines, then freezes,
// removes its temporary files and exits with them still writing.
func freezeChild(dir string) {
	path := filepath.Join(dir, "out")
	started := make(chan struct{}, 4)
	for range 4 {
		go func() {
			for i := 0; ; i++ {
				f, err := atomicfile.Create(path, 0o644)
				if err != nil {
					panic(err)
				}
				io.WriteString(f, "half")
				if i == 0 {
					started <- struct{}{}
				}
			}
		}()
	}
	for range 4 {
		<-started
	}
	atomicfile.Freeze()
	if err := atomicfile.RemoveTemporaries(path); err != nil {
		panic(err)
	}
	done := make(chan struct{})
	go func() {
		atomicfile.Create(path, 0o644)
		close(done)
	}()
	select {
	case <-done:
		panic("Create returned after Freeze")
	case <-time.After(50 * time.Millisecond):
	}
	fmt.Println("frozen")
	os.Exit(0)
}
