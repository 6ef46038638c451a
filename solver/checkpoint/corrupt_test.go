package checkpoint

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// smallCheckpoint returns the checkpoint of 5 iterations on Rosenbrock in 2
// dimensions with HistorySize 3 (the ring has wrapped).
func smallCheckpoint(t testing.TB) []byte {
	t.Helper()
	opts := solver.DefaultOptions()
	opts.HistorySize = 3
	s, _ := solver.NewLBFGSState(opts)
	x := testprob.RosenbrockStart(2)
	if _, err := solver.Minimize(context.Background(), x, testprob.Rosenbrock, s, solver.StopOptions{MaxIterations: 5}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// assertOnlyFile fails unless dir holds exactly the named file (no
// temporary file left behind).
func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only %s", names, name)
	}
}

func TestCheckpointTruncated(t *testing.T) {
	data := smallCheckpoint(t)
	for n := range len(data) {
		_, _, err := Read(bytes.NewReader(data[:n]), nil)
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("first %d of %d bytes: err = %v, want ErrCorrupt", n, len(data), err)
		}
	}
	_, _, err := Read(bytes.NewReader(append(data[:len(data):len(data)], 0)), nil)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "after the checksum") {
		t.Errorf("one byte appended: err = %v, want ErrCorrupt", err)
	}
}

func TestCheckpointBitFlips(t *testing.T) {
	data := smallCheckpoint(t)
	for i := range data {
		for bit := range 8 {
			c := bytes.Clone(data)
			c[i] ^= 1 << bit
			_, _, err := Read(bytes.NewReader(c), nil)
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
				t.Fatalf("bit %d of byte %d flipped: err = %v, want a checkpoint error", bit, i, err)
			}
		}
	}
}

// reseal recomputes the trailing CRC-32C of a modified checkpoint.
func reseal(data []byte) []byte {
	body := data[:len(data)-4]
	return binary.LittleEndian.AppendUint32(bytes.Clone(body), crc32.Checksum(body, crcTable))
}

func TestCheckpointVersion(t *testing.T) {
	data := smallCheckpoint(t)
	future := bytes.Clone(data)
	binary.LittleEndian.PutUint32(future[len(magic):], Version+1)
	for name, c := range map[string][]byte{"future": future, "future resealed": reseal(future)} {
		_, _, err := Read(bytes.NewReader(c), nil)
		if want := fmt.Sprintf("version %d", Version+1); !errors.Is(err, ErrVersion) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want ErrVersion naming %s", name, err, want)
		}
	}
	bad := bytes.Clone(data)
	copy(bad, "PK\x03\x04")
	if _, _, err := Read(bytes.NewReader(bad), nil); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "not a checkpoint") {
		t.Errorf("zip magic: err = %v, want not a checkpoint", err)
	}
}

// craft builds a checkpoint with a valid header and checksum around the
// body that write produces, to test sizes that disagree.
func craft(write func(e *encoder)) []byte {
	var buf bytes.Buffer
	h := crc32.New(crcTable)
	e := &encoder{w: hashWriter{&buf, h}}
	e.buf = append(e.buf, magic...)
	e.u32(Version)
	e.u32(0)
	write(e)
	e.flush()
	return binary.LittleEndian.AppendUint32(buf.Bytes(), h.Sum32())
}

// craftState writes the options and the scalar part of a state of
// dimension n (iteration 3, no trials), then x of length nx, all zero.
func craftState(e *encoder, opts solver.Options, n, nx int) {
	encodeOptions(e, opts)
	e.i64(n)
	e.i64(3) // Iteration
	e.i64(9) // NumLossEvaluations
	e.i64(2) // IterationLossEvaluations
	for range 7 {
		e.f64(1)
	}
	e.str(solver.LineSearchCompleted.String())
	e.str(solver.PairStored.String())
	e.boolean(false)
	e.f64(opts.InitialInverseHessianFactor) // λ₀
	e.str(opts.LineSearchMethod.String())
	e.i64(opts.MaxNumLineSearchIterations)
	e.f64(1) // GradientsInfNorm
	craftOptimality(e)
	e.i64(0) // trials
	e.i64(nx)
	e.floats(make([]float64, nx))
}

// pair writes a history pair of dimension 2 with s = y = (1, 1).
func pair(e *encoder, idx int, rho float64) {
	e.i64(idx)
	e.f64(rho)
	e.floats([]float64{1, 1})
	e.floats([]float64{1, 1})
}

func TestCheckpointSizesDisagree(t *testing.T) {
	opts := solver.DefaultOptions()
	opts.HistorySize = 2
	state := func(e *encoder, n, nx int) { craftState(e, opts, n, nx) }
	for _, tc := range []struct {
		name, want string
		write      func(e *encoder)
	}{
		{"x longer than dimension", "len(x) = 3, state dimension 2", func(e *encoder) { state(e, 2, 3) }},
		{"negative dimension", "negative", func(e *encoder) { state(e, -2, 2) }},
		{"more pairs than HistorySize", "3 history pairs (HistorySize 2)", func(e *encoder) {
			state(e, 2, 2)
			e.boolean(false)
			e.i64(3)
		}},
		{"history index beyond the iteration", "history index 4", func(e *encoder) {
			state(e, 2, 2)
			e.boolean(false)
			e.i64(1)
			pair(e, 4, 0.5)
		}},
		{"non-positive rho", "1/(sᵀy) = -0.5", func(e *encoder) {
			state(e, 2, 2)
			e.boolean(false)
			e.i64(1)
			pair(e, 1, -0.5)
		}},
		{"options out of range", "HistorySize", func(e *encoder) {
			o := opts
			o.HistorySize = 0
			encodeOptions(e, o)
		}},
		{"too many trials", "line-search trials", func(e *encoder) {
			encodeOptions(e, opts)
			e.i64(2)
			for range 3 {
				e.i64(0)
			}
			for range 7 {
				e.f64(0)
			}
			e.str("")
			e.str("")
			e.boolean(false)
			e.f64(1)  // λ₀
			e.str("") // no update yet
			e.i64(0)
			e.f64(0)
			craftOptimality(e)
			e.i64(solver.DefaultMaxNumLineSearchIterations + 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Read(bytes.NewReader(craft(tc.write)), nil)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrCorrupt naming %q", err, tc.want)
			}
		})
	}
}

// failingWriter passes n bytes through, then fails: a crash mid-write.
type failingWriter struct {
	w io.Writer
	n int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errors.New("simulated crash")
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func TestCheckpointCrashKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ckpt")
	old := smallCheckpoint(t)
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := solver.NewLBFGSState(solver.DefaultOptions())
	x := testprob.RosenbrockStart(100)
	if err := s.Update(x, testprob.Rosenbrock); err != nil {
		t.Fatal(err)
	}
	var full bytes.Buffer
	if err := Write(&full, s, x); err != nil {
		t.Fatal(err)
	}
	size := full.Len()
	for _, after := range []int{0, 10, 100, size / 2, size - 1} {
		err := save(path, s, x, func(w io.Writer) io.Writer { return &failingWriter{w, after} })
		if err == nil || !strings.Contains(err.Error(), "simulated crash") {
			t.Fatalf("crash after %d bytes: err = %v, want the write error", after, err)
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, old) {
			t.Fatalf("crash after %d bytes: old file changed (err %v)", after, err)
		}
		if _, _, err := Load(path, nil); err != nil {
			t.Fatalf("old file unreadable: %v", err)
		}
		assertOnlyFile(t, dir, "run.ckpt")
	}
}

func TestCheckpointMisuse(t *testing.T) {
	s, _ := solver.NewLBFGSState(solver.DefaultOptions())
	x := testprob.RosenbrockStart(2)
	if err := s.Update(x, testprob.Rosenbrock); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, s, testprob.RosenbrockStart(4)); !errors.Is(err, ErrInvalid) {
		t.Errorf("x of the wrong length: err = %v, want ErrInvalid", err)
	}
	if err := Write(&buf, nil, x); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil state: err = %v, want ErrInvalid", err)
	}
	if err := Save(filepath.Join(t.TempDir(), "no", "such", "dir"), s, x); err == nil {
		t.Error("save into a missing directory: nil error")
	}
	if _, _, err := Load(filepath.Join(t.TempDir(), "missing"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
}

// FuzzReadCheckpoint checks that ReadCheckpoint never panics, that every
// rejection is a checkpoint or option error, and that an accepted file is
// written back byte for byte.
func FuzzReadCheckpoint(f *testing.F) {
	f.Add(smallCheckpoint(f))
	fresh, _ := solver.NewLBFGSState(solver.DefaultOptions())
	var buf bytes.Buffer
	if err := Write(&buf, fresh, []float64{1, 2}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, x, err := Read(bytes.NewReader(data), nil)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) && !errors.Is(err, solver.ErrInvalidOption) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := Write(&out, s, x); err != nil {
			t.Fatalf("WriteCheckpoint: %v", err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("accepted checkpoint written back differently")
		}
	})
}
