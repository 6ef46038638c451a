package trace

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
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

// apiCalls misuse Recorder, Write and Read.
func apiCalls(t *testing.T) []apiCall {
	var (
		nilRec *Recorder
		buf    bytes.Buffer
	)
	return []apiCall{
		{"NewRecorder nil state", func() error { _, err := NewRecorder(&buf, nil); return err }, true},
		{"nil Recorder Record", func() error { return nilRec.Record(testprob.NewState(t, solver.DefaultOptions())) }, true},
		{"nil Recorder Finish", func() error { return nilRec.Finish(solver.Result{}) }, true},
		{"nil Recorder accessors", func() error {
			nilRec.SetKeepRecords(false)
			if nilRec.Records() != nil || nilRec.Trace().Summary != nil {
				return errors.New("nil Recorder has records")
			}
			return nil
		}, false},
		{"Record nil state", func() error {
			r, _ := NewRecorder(nil, testprob.NewState(t, solver.DefaultOptions()))
			return r.Record(nil)
		}, true},
		{"zero Recorder", func() error { s, _ := testprob.UsedState(t); return (&Recorder{}).Record(s) }, false},
		{"WriteTrace nil writer", func() error { return Write(nil, Trace{}) }, true},
		{"WriteTrace zero trace", func() error { return Write(&buf, Trace{}) }, false},
		{"WriteTrace unknown status", func() error { return Write(&buf, Trace{Summary: &solver.Result{Status: solver.Status(-3)}}) }, true},
		{"ReadTrace nil", func() error { _, err := Read(nil); return err }, true},
		{"ReadTrace garbage", func() error { _, err := Read(strings.NewReader("\x00\xff{[")); return err }, true},
	}
}
