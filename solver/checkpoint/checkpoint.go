package checkpoint

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Version is the format version Write writes. Read reads versions 1 to
// Version.
const Version = 3

// magic opens every checkpoint file.
const magic = "LBFGSCKP"

// crcTable is CRC-32C (Castagnoli), hardware accelerated on amd64 and arm64.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Errors. Every error of Read and Load about the file's content wraps one
// of them.
var (
	// ErrVersion: the file was written by a newer format version.
	ErrVersion = errors.New("checkpoint: unsupported version")
	// ErrCorrupt: not a checkpoint, truncated, checksum mismatch, or sizes
	// and values that disagree.
	ErrCorrupt = errors.New("checkpoint: corrupt file")
	// ErrInvalid: a nil state, writer or reader, or an x that does not fit
	// the state.
	ErrInvalid = errors.New("checkpoint: invalid argument")
)

// prefix opens the message of every error of this package.
const prefix = "checkpoint: "

// inner wraps err, an error of this package, for use inside another of its
// messages: its text drops the leading "checkpoint: ", so that each message
// names the package once.
func inner(err error) error { return innerError{err} }

type innerError struct{ err error }

func (e innerError) Error() string { return strings.TrimPrefix(e.err.Error(), prefix) }

func (e innerError) Unwrap() error { return e.err }

// Write writes state and x to w in the checkpoint format. x must be finite
// and have the state's dimension (any non-zero length before the first
// update). A failing w leaves a partial checkpoint that Read rejects; Save
// never leaves one at its path.
func Write(w io.Writer, state *solver.LBFGSState, x []float64) error {
	if w == nil {
		return fmt.Errorf("checkpoint: write: nil writer: %w", inner(ErrInvalid))
	}
	sn, err := snapshot(state, x)
	if err != nil {
		return fmt.Errorf("checkpoint: write: %w", err)
	}
	if err := write(w, &sn, x); err != nil {
		return fmt.Errorf("checkpoint: write: %w", err)
	}
	return nil
}

// snapshot validates the arguments of Write (a state from
// solver.NewLBFGSState and a finite x of its dimension) and returns the
// state's snapshot.
func snapshot(s *solver.LBFGSState, x []float64) (solver.Snapshot, error) {
	if s == nil || s.HistorySize() == 0 {
		return solver.Snapshot{}, fmt.Errorf("state not created by solver.NewLBFGSState: %w", inner(ErrInvalid))
	}
	sn := s.Snapshot()
	switch {
	case len(x) == 0:
		return sn, fmt.Errorf("empty x: %w", inner(ErrInvalid))
	case sn.Dimension != 0 && len(x) != sn.Dimension:
		return sn, fmt.Errorf("len(x) = %d, state has dimension %d: %w", len(x), sn.Dimension, inner(ErrInvalid))
	}
	for i, v := range x {
		if v-v != 0 {
			return sn, fmt.Errorf("x[%d] = %v: %w", i, v, inner(ErrInvalid))
		}
	}
	return sn, nil
}

// write is Write after the checks; its error is w's.
func write(w io.Writer, sn *solver.Snapshot, x []float64) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	h := crc32.New(crcTable)
	e := &encoder{w: hashWriter{bw, h}}
	e.buf = append(e.buf, magic...)
	e.u32(Version)
	e.u32(0) // flags, reserved
	encodeState(e, sn, x)
	e.flush()
	if e.err == nil {
		_, e.err = bw.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32()))
	}
	if e.err == nil {
		e.err = bw.Flush()
	}
	return e.err
}

// Read reads a checkpoint written by Write (or by SaveCheckpoint of the
// solver package before version 2) and returns the restored state and
// parameters. It reads r to its end. lr, when non-nil, replaces the saved
// learning-rate schedule; it is required when the schedule saved was of a
// type outside package solver (the error then names the type), and nil
// otherwise restores the saved one.
//
// Errors: ErrVersion for a newer format, naming its version; ErrCorrupt
// for a file that is not a checkpoint, truncated, fails its checksum or
// holds sizes or values that disagree; a *solver.OptionError
// (solver.ErrInvalidOption) for a missing custom schedule or an invalid lr;
// a read error of r is returned wrapped.
func Read(r io.Reader, lr solver.Schedule) (*solver.LBFGSState, []float64, error) {
	if r == nil {
		return nil, nil, fmt.Errorf("checkpoint: read: nil reader: %w", inner(ErrInvalid))
	}
	s, x, err := read(r, lr)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint: read: %w", err)
	}
	return s, x, nil
}

// read is Read on a non-nil r, with errors that leave the package and the
// operation for the caller to name.
func read(r io.Reader, lr solver.Schedule) (*solver.LBFGSState, []float64, error) {
	h := crc32.New(crcTable)
	d := &decoder{r: hashReader{bufio.NewReaderSize(r, 1<<16), h}}
	var m [len(magic)]byte
	d.read(m[:])
	if d.err == nil && string(m[:]) != magic {
		d.fail("not a checkpoint (magic %q)", m[:])
	}
	version := d.u32()
	if d.err == nil && (version == 0 || version > Version) {
		if version == 0 {
			d.fail("version 0")
		} else {
			d.err = fmt.Errorf("%w: version %d, this package reads 1 to %d", inner(ErrVersion), version, Version)
		}
	}
	if flags := d.u32(); d.err == nil && flags != 0 {
		d.fail("unknown flags %#x", flags)
	}
	d.version = int(version)
	s, x := decodeState(d, lr)
	want := h.Sum32()
	got := d.u32()
	if d.err == nil && got != want {
		d.fail("checksum %08x, computed %08x", got, want)
	}
	if d.err == nil {
		var one [1]byte
		if n, _ := io.ReadFull(d.r, one[:]); n != 0 {
			d.fail("data after the checksum")
		}
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	return s, x, nil
}

// Save writes state and x to the file at path atomically: to a temporary
// file in the same directory, synced to disk, then renamed over path. If
// anything fails, including a crash mid-write, the previous file at path is
// left as it was; after an error no temporary file remains. The file gets
// mode 0644 whatever the umask.
func Save(path string, state *solver.LBFGSState, x []float64) error {
	return save(path, state, x, nil)
}

// save is Save with a hook wrapping the file writer, for tests that
// simulate a failure mid-write.
func save(path string, state *solver.LBFGSState, x []float64, wrap func(io.Writer) io.Writer) error {
	sn, err := snapshot(state, x)
	if err != nil {
		return fmt.Errorf("checkpoint: save %s: %w", path, err)
	}
	wr := func(w io.Writer) error {
		if wrap != nil {
			w = wrap(w)
		}
		return write(w, &sn, x)
	}
	if err := atomicfile.Write(path, 0o644, wr); err != nil {
		return fmt.Errorf("checkpoint: save %s: %w", path, err)
	}
	return nil
}

// Load reads the checkpoint file at path; see Read for lr and the errors.
func Load(path string, lr solver.Schedule) (*solver.LBFGSState, []float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint: load: %w", err)
	}
	defer f.Close()
	s, x, err := read(f, lr)
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoint: load %s: %w", path, err)
	}
	return s, x, nil
}
