package stochastic

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
)

// checkpointMagic opens every checkpoint file of this package.
const checkpointMagic = "lbfgsnet stochastic checkpoint v1\n"

// snapshot is the content of a checkpoint: everything a Run reads, so that a
// resumed run continues bit for bit.
type snapshot struct {
	Kind          string
	N, P, M       int
	Setup         []float64 // the options that shape the state, checked on load
	X             []float64
	State         State
	Pairs         []float64
	Newest        int
	Engine        []byte
	Avg           []float64 // SQN
	Stream        []int     // multi-batch: rows not yet consumed
	GtP, GP, Step []float64 // multi-batch
	Factor        float64
	HavePrev      bool
	LastFullEpoch int64
	// progressive batching: the next batch size, and the loss and gradient
	// at X on all rows (HaveNext) or on the rows Partial
	Size     int
	HaveNext bool
	NextLoss float64
	NextGrad []float64
	Partial  []int
}

func (c *core) snapshot(kind string, x []float64, setup []float64) (*snapshot, error) {
	if len(x) != c.p {
		return nil, fmt.Errorf("stochastic: checkpoint: len(x) = %d, want %d: %w", len(x), c.p, ErrDimension)
	}
	eng, err := c.engine.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("stochastic: checkpoint: engine: %w", err)
	}
	return &snapshot{Kind: kind, N: c.n, P: c.p, M: c.hist.m, Setup: setup, X: x, State: c.state,
		Pairs: c.hist.pairs, Newest: c.hist.newest, Engine: eng, Factor: c.factor, LastFullEpoch: c.lastFullEpoch}, nil
}

func (c *core) restore(sn *snapshot, kind string, setup []float64, x []float64) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("stochastic: checkpoint: %s: %w", fmt.Sprintf(format, args...), ErrCheckpoint)
	}
	switch {
	case sn.Kind != kind:
		return bad("written by the %q solver, loaded into %q", sn.Kind, kind)
	case sn.N != c.n || sn.P != c.p || sn.M != c.hist.m:
		return bad("N = %d, p = %d, M = %d; this solver has N = %d, p = %d, M = %d", sn.N, sn.P, sn.M, c.n, c.p, c.hist.m)
	case !slices.Equal(sn.Setup, setup):
		return bad("written with other batch settings (%v, this solver %v)", sn.Setup, setup)
	case len(sn.X) != c.p || len(sn.Pairs) != len(c.hist.pairs) || sn.Newest < 0 || sn.Newest >= c.hist.m:
		return bad("malformed vectors")
	case len(x) != c.p:
		return fmt.Errorf("stochastic: checkpoint: len(x) = %d, want %d: %w", len(x), c.p, ErrDimension)
	case sn.State.Iteration < 0 || sn.State.TermsEvaluated < 0:
		return bad("negative counters")
	}
	if i := firstNonFinite(sn.X); i >= 0 {
		return bad("x[%d] = %v", i, sn.X[i])
	}
	if i := firstNonFinite(sn.Pairs); i >= 0 {
		return bad("correction pairs hold a non-finite value at %d", i)
	}
	if err := c.engine.UnmarshalBinary(sn.Engine); err != nil {
		return bad("engine: %v", err)
	}
	copy(x, sn.X)
	c.state = sn.State
	copy(c.hist.pairs, sn.Pairs)
	c.hist.newest = sn.Newest
	c.hist.recomputeRho()
	c.factor, c.lastFullEpoch = sn.Factor, sn.LastFullEpoch
	return nil
}

func (s *SQN) setup() []float64 {
	return []float64{float64(s.sopts.L), float64(s.sopts.BatchSize), float64(s.sopts.CorrectionPairBatchSize)}
}

func (s *ProgressiveBatch) setup() []float64 {
	setup := []float64{float64(s.popts.InitialBatchSize), float64(s.popts.VarianceGroups)}
	if s.popts.BlockSize > 1 {
		// BlockSize 1 adds nothing: the setup of rows drawn one by one.
		setup = append(setup, float64(s.popts.BlockSize))
	}
	return setup
}

func (s *MultiBatch) setup() []float64 {
	setup := []float64{float64(s.mopts.BatchSize), float64(s.overlap)}
	if s.mopts.BlockSize > 1 {
		// BlockSize 1 adds nothing: the setup of rows drawn one by one.
		setup = append(setup, float64(s.mopts.BlockSize))
	}
	return setup
}

// WriteCheckpoint writes the solver's state and x, from which ReadCheckpoint
// resumes bit-identically.
func (s *SQN) WriteCheckpoint(w io.Writer, x []float64) error {
	sn, err := s.snapshot("sqn", x, s.setup())
	if err != nil {
		return err
	}
	sn.Avg = s.avg
	return writeSnapshot(w, sn)
}

// ReadCheckpoint loads a checkpoint written by WriteCheckpoint into a solver
// created with the same objective and batch settings that has not run yet,
// and writes the saved x into x. Other options (NIterations, MaxEpochs,
// step lengths, …) are this solver's own.
func (s *SQN) ReadCheckpoint(r io.Reader, x []float64) error {
	sn, err := readSnapshot(r, s.p, s.hist.m, s.n)
	if err != nil {
		return err
	}
	if len(sn.Avg) != 2*s.p || firstNonFinite(sn.Avg) >= 0 {
		return fmt.Errorf("stochastic: checkpoint: malformed averages: %w", ErrCheckpoint)
	}
	if err := s.restore(sn, "sqn", s.setup(), x); err != nil {
		return err
	}
	copy(s.avg, sn.Avg)
	return nil
}

// WriteCheckpoint writes the solver's state and x, from which ReadCheckpoint
// resumes bit-identically.
func (s *MultiBatch) WriteCheckpoint(w io.Writer, x []float64) error {
	sn, err := s.snapshot("multi-batch", x, s.setup())
	if err != nil {
		return err
	}
	sn.Stream = s.str.rows[s.str.pos:]
	sn.GtP, sn.GP, sn.Step, sn.HavePrev = s.gtP, s.gP, s.step, s.havePrev
	return writeSnapshot(w, sn)
}

// ReadCheckpoint loads a checkpoint written by WriteCheckpoint into a solver
// created with the same objective and batch settings that has not run yet,
// and writes the saved x into x.
func (s *MultiBatch) ReadCheckpoint(r io.Reader, x []float64) error {
	sn, err := readSnapshot(r, s.p, s.hist.m, s.n)
	if err != nil {
		return err
	}
	for _, v := range [][]float64{sn.GtP, sn.GP, sn.Step} {
		if len(v) != s.p || firstNonFinite(v) >= 0 {
			return fmt.Errorf("stochastic: checkpoint: malformed gradients: %w", ErrCheckpoint)
		}
	}
	for _, r := range sn.Stream {
		if r < 0 || r >= s.n {
			return fmt.Errorf("stochastic: checkpoint: row %d out of [0, %d): %w", r, s.n, ErrCheckpoint)
		}
	}
	if err := s.restore(sn, "multi-batch", s.setup(), x); err != nil {
		return err
	}
	s.str.rows, s.str.pos = append(s.str.rows[:0], sn.Stream...), 0
	copy(s.gtP, sn.GtP)
	copy(s.gP, sn.GP)
	copy(s.step, sn.Step)
	s.havePrev = sn.HavePrev
	return nil
}

// WriteCheckpoint writes the solver's state and x, from which ReadCheckpoint
// resumes bit-identically.
func (s *ProgressiveBatch) WriteCheckpoint(w io.Writer, x []float64) error {
	sn, err := s.snapshot("progressive-batch", x, s.setup())
	if err != nil {
		return err
	}
	sn.Size, sn.HaveNext, sn.NextLoss, sn.NextGrad, sn.Partial = s.size, s.haveNext, s.fNext, s.g, s.partial
	return writeSnapshot(w, sn)
}

// ReadCheckpoint loads a checkpoint written by WriteCheckpoint into a solver
// created with the same objective, InitialBatchSize and VarianceGroups that
// has not run yet, and writes the saved x into x.
func (s *ProgressiveBatch) ReadCheckpoint(r io.Reader, x []float64) error {
	sn, err := readSnapshot(r, s.p, s.hist.m, s.n)
	if err != nil {
		return err
	}
	bad := func(what string) error { return fmt.Errorf("stochastic: checkpoint: %s: %w", what, ErrCheckpoint) }
	switch {
	case sn.Size < 2 || sn.Size > s.n:
		return bad(fmt.Sprintf("batch size %d out of [2, %d]", sn.Size, s.n))
	case len(sn.NextGrad) != s.p || firstNonFinite(sn.NextGrad) >= 0:
		return bad("malformed gradient")
	case sn.HaveNext && sn.Size != s.n, sn.HaveNext && len(sn.Partial) > 0, len(sn.Partial) >= s.n:
		return bad("inconsistent batch state")
	}
	seen := make(map[int]bool, len(sn.Partial))
	for _, r := range sn.Partial {
		if r < 0 || r >= s.n || seen[r] {
			return bad(fmt.Sprintf("row %d out of [0, %d) or repeated", r, s.n))
		}
		seen[r] = true
	}
	if err := s.restore(sn, "progressive-batch", s.setup(), x); err != nil {
		return err
	}
	s.size, s.haveNext, s.fNext = sn.Size, sn.HaveNext, sn.NextLoss
	copy(s.g, sn.NextGrad)
	s.partial = append(s.partial[:0], sn.Partial...)
	return nil
}

// writeSnapshot writes the magic line, the payload length and CRC-32, and
// the gob-encoded payload.
func writeSnapshot(w io.Writer, sn *snapshot) error {
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(sn); err != nil {
		return fmt.Errorf("stochastic: checkpoint: encode: %w", err)
	}
	var head [12]byte
	binary.LittleEndian.PutUint64(head[:8], uint64(payload.Len()))
	binary.LittleEndian.PutUint32(head[8:], crc32.ChecksumIEEE(payload.Bytes()))
	for _, b := range [][]byte{[]byte(checkpointMagic), head[:], payload.Bytes()} {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("stochastic: checkpoint: write: %w", err)
		}
	}
	return nil
}

// readSnapshot reads and checks what writeSnapshot wrote; the payload may be
// no larger than a state of p, m and n needs.
func readSnapshot(r io.Reader, p, m, n int) (*snapshot, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("stochastic: checkpoint: %s: %w", fmt.Sprintf(format, args...), ErrCheckpoint)
	}
	head := make([]byte, len(checkpointMagic)+12)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, bad("header: %v", err)
	}
	if string(head[:len(checkpointMagic)]) != checkpointMagic {
		return nil, bad("not a stochastic checkpoint (bad magic line)")
	}
	size := binary.LittleEndian.Uint64(head[len(checkpointMagic):])
	sum := binary.LittleEndian.Uint32(head[len(checkpointMagic)+8:])
	limit := uint64(8*(2*m*p+8*p+2*n) + 1<<16)
	if size > limit {
		return nil, bad("payload of %d bytes, more than the %d this problem needs", size, limit)
	}
	payload := make([]byte, size)
	if _, err := io.ReadFull(r, payload); err != nil {
		return nil, bad("payload: %v", err)
	}
	if crc32.ChecksumIEEE(payload) != sum {
		return nil, bad("checksum mismatch (file corrupt)")
	}
	var sn snapshot
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&sn); err != nil {
		return nil, bad("decode: %v", err)
	}
	return &sn, nil
}
