package atomicfile

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestParseTemporary(t *testing.T) {
	tests := []struct {
		name, base string
		pid        int
		want       bool
	}{
		{".model.tmp-4242-123456", "model", 4242, true},
		{".model.tmp-123456", "model", 0, true},        // no owner: an older writer's
		{".model.tmp-abc", "model", 0, true},           // likewise
		{".model.tmp-007-1", "model", 0, true},         // not a process id
		{".model.tmp-", "model", 0, false},             // no random part
		{"model", "model", 0, false},                   // the destination
		{".model.tmp-x.tmp-1", "model", 0, false},      // a temporary of "model.tmp-x"
		{".model.tmp-x.tmp-1", "model.tmp-x", 0, true}, // which it is
		{".other.tmp-1-2", "model", 0, false},          // another destination's
		{".model.bak.tmp-1-2", "model", 0, false},      // of "model.bak"
		{"model.tmp-1-2", "model", 0, false},           // not hidden
		{".a[1]*.csv.tmp-99-1", "a[1]*.csv", 99, true}, // taken literally
		{".a1x.csv.tmp-99-1", "a[1]*.csv", 0, false},   // not a glob
	}
	for _, tt := range tests {
		pid, ok := parseTemporary(tt.name, tt.base)
		if pid != tt.pid || ok != tt.want {
			t.Errorf("parseTemporary(%q, %q) = %d, %v; want %d, %v", tt.name, tt.base, pid, ok, tt.pid, tt.want)
		}
	}
}

// TestTempPattern: the temporary files are named as docs/checkpoint-format.md
// and docs/model-format.md describe, ".NAME.tmp-PID-*", so that a person who
// finds one after a crash knows what it was and which process wrote it.
func TestTempPattern(t *testing.T) {
	want := ".run.ckpt.tmp-" + strconv.Itoa(os.Getpid()) + "-*"
	if got := tempPattern("run.ckpt"); got != want {
		t.Errorf("tempPattern = %q, want %q", got, want)
	}
	if !strings.HasPrefix(want, tempPrefix("run.ckpt")) {
		t.Errorf("pattern %q does not start with the prefix %q", want, tempPrefix("run.ckpt"))
	}
}
