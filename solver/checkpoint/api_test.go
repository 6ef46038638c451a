package checkpoint

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// TestAPINoPanic calls every exported function and method with nil, zero,
// empty, mismatched and garbage arguments. None may panic; each call that
// can report misuse must return an error.
func TestAPINoPanic(t *testing.T) {
	for _, c := range apiCalls(t) {
		testprob.RunCall(t, c.name, c.call, c.err)
	}
}

// apiCall is one call of TestAPINoPanic.
type apiCall struct {
	name string
	call func() error // its error, nil where none is expected
	err  bool         // an error is expected
}

// apiCalls misuse the checkpoint functions.
func apiCalls(t *testing.T) []apiCall {
	var buf bytes.Buffer
	return []apiCall{
		{"WriteCheckpoint nil writer", func() error { s, x := testprob.UsedState(t); return Write(nil, s, x) }, true},
		{"WriteCheckpoint nil state", func() error { return Write(&buf, nil, []float64{1}) }, true},
		{"WriteCheckpoint nil x", func() error { s, _ := testprob.UsedState(t); return Write(&buf, s, nil) }, true},
		{"WriteCheckpoint NaN x", func() error { s, _ := testprob.UsedState(t); return Write(&buf, s, []float64{math.NaN(), 1}) }, true},
		{"ReadCheckpoint nil", func() error { _, _, err := Read(nil, nil); return err }, true},
		{"ReadCheckpoint garbage", func() error {
			_, _, err := Read(strings.NewReader(magic+"\x01\x00\x00\x00garbage"), nil)
			return err
		}, true},
		{"SaveCheckpoint onto a directory", func() error { s, x := testprob.UsedState(t); return Save(t.TempDir(), s, x) }, true},
		{"LoadCheckpoint empty path", func() error { _, _, err := Load("", nil); return err }, true},
		{"LoadCheckpoint a directory", func() error { _, _, err := Load(filepath.Dir(t.TempDir()), nil); return err }, true},
	}
}
