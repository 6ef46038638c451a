package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// lineTrace is the JSON-lines trace of a stochastic run
// (stochastic.TraceHook), kept in memory and written whole, atomically,
// before every periodic checkpoint and at the end, as the L-BFGS trace is
// (train_trace.go): the trace in place always reaches the last checkpoint's
// iteration, and a resumed run carries the lines up to it, so that its
// trace covers the whole run.
type lineTrace struct {
	path string
	buf  bytes.Buffer
}

// newLineTrace returns the trace of a run starting after iteration done
// (0 for a fresh run), carrying the lines of the trace at path up to it.
// A trace that does not reach iteration done is refused; a missing one
// records the resumed iterations only, with a warning.
func (r *trainRun) newLineTrace(path string, done int) (*lineTrace, error) {
	t := &lineTrace{path: path}
	if done == 0 {
		return t, nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		r.log.Warnf("--trace %s does not exist: it records the resumed iterations only, from iteration %d (give the trace of the run that wrote %s to continue it)",
			path, done+1, r.cfg.resume)
		return t, nil
	}
	b, err := readBounded(path, maxTraceBytes, "trace")
	if err != nil {
		return nil, fmt.Errorf("--trace %w", err)
	}
	refuse := func(why string, args ...any) error {
		return fmt.Errorf("--trace %s: %s: a resumed run continues the trace of the run it resumes; give --trace the trace written with %s, or a new file to record the resumed iterations only",
			path, fmt.Sprintf(why, args...), r.cfg.resume)
	}
	for n, line := range bytes.SplitAfter(b, []byte{'\n'}) {
		if n == done || len(line) == 0 {
			break
		}
		var rec struct {
			Iteration *int `json:"iteration"`
		}
		if err := json.Unmarshal(line, &rec); err != nil || rec.Iteration == nil || !bytes.HasSuffix(line, []byte{'\n'}) {
			return nil, refuse("line %d is not a whole trace line", n+1)
		}
		if *rec.Iteration != n+1 {
			return nil, refuse("line %d records iteration %d, want %d", n+1, *rec.Iteration, n+1)
		}
		if n+1 == done {
			line = continued(line)
		}
		t.buf.Write(line)
	}
	if got := bytes.Count(t.buf.Bytes(), []byte{'\n'}); got < done {
		return nil, refuse("it holds iterations 1 to %d, but the checkpoint %s is at iteration %d", got, r.cfg.resume, done)
	}
	return t, nil
}

// write writes the trace so far to its path.
func (t *lineTrace) write() error {
	return writeOutput(t.path, func(w io.Writer) error {
		_, err := w.Write(t.buf.Bytes())
		return err
	})
}

// continued returns the trace line of the iteration a run is resumed
// after with the status of an iteration the run went on from: the run
// that wrote it stopped there (its last line says IterationLimit, or
// Cancelled), and the whole run's trace says NotTerminated, as the
// uninterrupted run's does. The status is the line's last key
// (stochastic.TraceHook).
func continued(line []byte) []byte {
	const key = `"status":`
	i := bytes.LastIndex(line, []byte(key))
	if i < 0 {
		return line
	}
	out := append([]byte(nil), line[:i]...)
	return append(out, key+`"NotTerminated"}`+"\n"...)
}
