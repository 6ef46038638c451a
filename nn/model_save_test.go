package nn_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// TestSaveAtomic: Save puts a new file in place of the old one instead of
// rewriting it (a hard link to the old file keeps the old bytes and the
// old mode does not carry over), and a Save that fails leaves the old file
// and no temporary file. The failure cases of the write itself are tested
// in internal/atomicfile, which Save writes through.
func TestSaveAtomic(t *testing.T) {
	net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 2}}, tensor.Float64, 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "model")
	old := []byte("the previous model")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	// A non-empty directory where the new model should go.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := net.Save(blocked, nil); err == nil || !strings.HasPrefix(err.Error(), "nn: save model "+blocked+": ") {
		t.Errorf("Save over a directory: %v, want an error naming the file", err)
	}
	if err := os.Link(path, filepath.Join(dir, "model.link")); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if err := net.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := nn.Load(path); err != nil {
		t.Errorf("Load after Save: %v", err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "model.link")); err != nil || !bytes.Equal(got, old) {
		t.Errorf("the old file now holds %q (%v), want %q: Save rewrote it in place", got, err, old)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("saved model: %v, %v; want mode 0644", st, err)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"blocked", "model", "model.link"}; !slices.Equal(names, want) {
		t.Errorf("directory holds %q, want %q", names, want)
	}
	if entries, _ := os.ReadDir(blocked); len(entries) != 1 {
		t.Errorf("the directory Save failed over holds %d entries, want 1", len(entries))
	}
}
