package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// TestRemoveTemporaries: what quitAtOnce does on a second signal removes
// the temporary files of the outputs listed, as every writer of an output
// leaves them (writeOutput, checkpoint.Save and
// nn.Network.Save all go through internal/atomicfile), and leaves the
// complete files and the outputs of others alone.
func TestRemoveTemporaries(t *testing.T) {
	dir := t.TempDir()
	tracePath := filepath.Join(dir, "t.jsonl")
	ckpt := filepath.Join(dir, "c [2].ckpt") // glob metacharacters are taken literally
	other := filepath.Join(dir, "other.csv")
	writeFile(t, dir, "c [2].ckpt", "the checkpoint of an earlier iteration")
	var files []*atomicfile.File
	for _, p := range []string{tracePath, ckpt, other} {
		f, err := atomicfile.Create(p, outputPerm)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, "half")
		files = append(files, f)
	}
	t.Cleanup(func() {
		for _, f := range files {
			f.Abort()
		}
	})
	var o outputFiles
	o.add(tracePath, "", ckpt)
	o.removeTemporaries()
	var tmps []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			tmps = append(tmps, e.Name())
		}
	}
	if len(tmps) != 1 || !strings.HasPrefix(tmps[0], ".other.csv.tmp-") {
		t.Errorf("temporary files left %q, want only other.csv's", tmps)
	}
	if got, _ := os.ReadFile(ckpt); string(got) != "the checkpoint of an earlier iteration" {
		t.Errorf("the complete checkpoint now holds %q", got)
	}
	files[2].Abort()
	noTempFiles(t, dir)
}
