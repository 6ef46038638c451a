package solver

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// Checkpoints save the whole solver state and the parameters, so that a run
// resumed from a checkpoint written after iteration k continues bit for bit
// as the uninterrupted run would have: same iterates, losses, history and
// counters. The format is binary, little-endian, versioned and checksummed;
// docs/checkpoint-format.md lays out every field.
//
// Saved: the Options (the learning-rate schedule by value when it is
// ConstantRate, ExponentialDecay, StepDecay or CosineDecay, by type name
// otherwise), the history pairs oldest first with their HistoryIndices and
// ρ = 1/(sᵀy), λ, every counter and per-update field of the state, the last
// line-search trials, the cached evaluation (the point, loss and gradient)
// and x. Not saved: AdditionalLossFunctionOutputs, which can hold any Go
// value; it is nil after a load until the next loss evaluation.

// CheckpointVersion is the format version SaveCheckpoint writes.
// ReadCheckpoint reads versions 1 to CheckpointVersion.
const CheckpointVersion = 1

// checkpointMagic opens every checkpoint file.
const checkpointMagic = "LBFGSCKP"

// crcTable is CRC-32C (Castagnoli), hardware accelerated on amd64 and arm64.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Checkpoint errors. Every error of ReadCheckpoint and LoadCheckpoint about
// the file's content wraps one of them.
var (
	// ErrCheckpointVersion: the file was written by a newer format version.
	ErrCheckpointVersion = errors.New("solver: unsupported checkpoint version")
	// ErrCheckpointCorrupt: not a checkpoint, truncated, checksum mismatch,
	// or sizes and values that disagree.
	ErrCheckpointCorrupt = errors.New("solver: corrupt checkpoint")
)

// WriteCheckpoint writes state and x to w in the checkpoint format. x must
// be finite and have the state's dimension (any non-zero length before the
// first update). A failing w leaves a partial checkpoint that ReadCheckpoint
// rejects; SaveCheckpoint never leaves one at its path.
func WriteCheckpoint(w io.Writer, state *LBFGSState, x []float64) error {
	if w == nil {
		return fmt.Errorf("solver: write checkpoint: nil writer: %w", inner(ErrInvalidOption))
	}
	if err := checkSave(state, x); err != nil {
		return fmt.Errorf("solver: write checkpoint: %w", err)
	}
	if err := writeCheckpoint(w, state, x); err != nil {
		return fmt.Errorf("solver: write checkpoint: %w", err)
	}
	return nil
}

// writeCheckpoint is WriteCheckpoint after the checks; its error is w's.
func writeCheckpoint(w io.Writer, state *LBFGSState, x []float64) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	h := crc32.New(crcTable)
	e := &encoder{w: hashWriter{bw, h}}
	e.buf = append(e.buf, checkpointMagic...)
	e.u32(CheckpointVersion)
	e.u32(0) // flags, reserved
	encodeState(e, state, x)
	e.flush()
	if e.err == nil {
		_, e.err = bw.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32()))
	}
	if e.err == nil {
		e.err = bw.Flush()
	}
	return e.err
}

// checkSave validates the arguments of WriteCheckpoint: a state from
// NewLBFGSState and a finite x of its dimension.
func checkSave(s *LBFGSState, x []float64) error {
	if s == nil || s.opts.LearningRate == nil {
		return errNilState
	}
	return s.checkPoint(x)
}

// ReadCheckpoint reads a checkpoint written by WriteCheckpoint and returns
// the restored state and parameters. It reads r to its end. lr, when
// non-nil, replaces the saved learning-rate schedule; it is required when
// the schedule saved was of a type outside this package (the error then
// names the type), and nil otherwise restores the saved one.
//
// Errors: ErrCheckpointVersion for a newer format, ErrCheckpointCorrupt for
// a file that is not a checkpoint, truncated, fails its checksum or holds
// sizes or values that disagree; an *OptionError (ErrInvalidOption) for a
// missing custom schedule or an invalid lr; a read error of r is returned
// wrapped.
func ReadCheckpoint(r io.Reader, lr Schedule) (*LBFGSState, []float64, error) {
	if r == nil {
		return nil, nil, fmt.Errorf("solver: read checkpoint: nil reader: %w", inner(ErrInvalidOption))
	}
	s, x, err := readCheckpoint(r, lr)
	if err != nil {
		return nil, nil, fmt.Errorf("solver: read checkpoint: %w", err)
	}
	return s, x, nil
}

// readCheckpoint is ReadCheckpoint on a non-nil r, with errors that leave
// the package and the operation for the caller to name.
func readCheckpoint(r io.Reader, lr Schedule) (*LBFGSState, []float64, error) {
	h := crc32.New(crcTable)
	d := &decoder{r: hashReader{bufio.NewReaderSize(r, 1<<16), h}}
	var magic [len(checkpointMagic)]byte
	d.read(magic[:])
	if d.err == nil && string(magic[:]) != checkpointMagic {
		d.fail("not a checkpoint (magic %q)", magic[:])
	}
	version := d.u32()
	if d.err == nil && (version == 0 || version > CheckpointVersion) {
		if version == 0 {
			d.fail("version 0")
		} else {
			d.err = fmt.Errorf("%w: version %d, this package reads 1 to %d", inner(ErrCheckpointVersion), version, CheckpointVersion)
		}
	}
	if flags := d.u32(); d.err == nil && flags != 0 {
		d.fail("unknown flags %#x", flags)
	}
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

// SaveCheckpoint writes state and x to the file at path atomically: to a
// temporary file in the same directory, synced to disk, then renamed over
// path. If anything fails, including a crash mid-write, the previous file at
// path is left as it was; after an error no temporary file remains. The file
// gets mode 0644 whatever the umask.
func SaveCheckpoint(path string, state *LBFGSState, x []float64) error {
	return saveCheckpoint(path, state, x, nil)
}

// saveCheckpoint is SaveCheckpoint with a hook wrapping the file writer, for
// tests that simulate a failure mid-write.
func saveCheckpoint(path string, state *LBFGSState, x []float64, wrap func(io.Writer) io.Writer) error {
	if err := checkSave(state, x); err != nil {
		return fmt.Errorf("solver: save checkpoint %s: %w", path, err)
	}
	write := func(w io.Writer) error {
		if wrap != nil {
			w = wrap(w)
		}
		return writeCheckpoint(w, state, x)
	}
	if err := atomicfile.Write(path, 0o644, write); err != nil {
		return fmt.Errorf("solver: save checkpoint %s: %w", path, err)
	}
	return nil
}

// LoadCheckpoint reads the checkpoint file at path; see ReadCheckpoint for
// lr and the errors.
func LoadCheckpoint(path string, lr Schedule) (*LBFGSState, []float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("solver: load checkpoint: %w", err)
	}
	defer f.Close()
	s, x, err := readCheckpoint(f, lr)
	if err != nil {
		return nil, nil, fmt.Errorf("solver: load checkpoint %s: %w", path, err)
	}
	return s, x, nil
}
