package trace

import (
	"io"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// A status out of range is reported in the trace's terms, naming the
// package once.
func TestWriteBadStatus(t *testing.T) {
	err := Write(io.Discard, Trace{Header: Header{Options: solver.DefaultOptions()}, Summary: &solver.Result{Status: 99}})
	if err == nil || err.Error() != "trace: unknown status 99" {
		t.Errorf("err = %v, want %q", err, "trace: unknown status 99")
	}
}
