package checkpoint

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// TestErrorsNamePackageOnce checks that errors built in layers (Load over
// the reader, a sentinel at the end) say "checkpoint:" once, read as the
// want text, and still match their sentinel with errors.Is.
func TestErrorsNamePackageOnce(t *testing.T) {
	dir := t.TempDir()
	s := testprob.NewState(t, solver.DefaultOptions())
	x := testprob.RosenbrockStart(2)
	testprob.Updates(t, s, x, testprob.Rosenbrock, 2)
	var buf bytes.Buffer
	if err := Write(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0xff
	corrupt := filepath.Join(dir, "corrupt.ckpt")
	truncated := filepath.Join(dir, "truncated.ckpt")
	if err := os.WriteFile(corrupt, flipped, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		run    func() error
		want   string // the whole message, or its start when it ends in "…"
		target error
	}{
		{"write nil state", func() error {
			return Write(io.Discard, nil, x)
		}, "checkpoint: write: state not created by solver.NewLBFGSState: invalid argument", ErrInvalid},
		{"save write fails", func() error {
			return save(filepath.Join(dir, "new.ckpt"), s, x, func(w io.Writer) io.Writer { return &failingWriter{w, 10} })
		}, "checkpoint: save " + filepath.Join(dir, "new.ckpt") + ": simulated crash", nil},
		{"load corrupt", func() error {
			_, _, err := Load(corrupt, nil)
			return err
		}, "checkpoint: load " + corrupt + ": corrupt file: …", ErrCorrupt},
		{"load truncated", func() error {
			_, _, err := Load(truncated, nil)
			return err
		}, "checkpoint: load " + truncated + ": corrupt file: truncated file", ErrCorrupt},
		{"read newer version", func() error {
			b := append([]byte(nil), good...)
			b[len(magic)] = Version + 1
			_, _, err := Read(bytes.NewReader(b), nil)
			return err
		}, "checkpoint: read: unsupported version: version 4, this package reads 1 to 3", ErrVersion},
		{"read bad schedule passed", func() error {
			_, _, err := Read(bytes.NewReader(good), solver.ConstantRate(-1))
			return err
		}, "checkpoint: read: the schedule passed: solver: option LearningRate = …", solver.ErrInvalidOption},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if n := strings.Count(msg, "checkpoint:"); n != 1 {
				t.Errorf("err = %q names the package %d times, want 1", msg, n)
			}
			if start, ok := strings.CutSuffix(tc.want, "…"); ok {
				if !strings.HasPrefix(msg, start) {
					t.Errorf("err = %q, want it to start %q", msg, start)
				}
			} else if msg != tc.want {
				t.Errorf("err = %q\nwant  %q", msg, tc.want)
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("errors.Is(err, %v) = false", tc.target)
			}
		})
	}
}
