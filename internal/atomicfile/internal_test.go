package atomicfile

import "testing"

func TestIsTemporary(t *testing.T) {
	tests := []struct {
		name, base string
		want       bool
	}{
		{".model.tmp-123456", "model", true},
		{".model.tmp-abc", "model", true},
		{".model.tmp-", "model", false},             // no random part
		{"model", "model", false},                   // the destination
		{".model.tmp-x.tmp-1", "model", false},      // a temporary of "model.tmp-x"
		{".model.tmp-x.tmp-1", "model.tmp-x", true}, // which it is
		{".other.tmp-1", "model", false},            // another destination's
		{".model.bak.tmp-1", "model", false},        // of "model.bak"
		{"model.tmp-1", "model", false},             // not hidden
		{".a[1]*.csv.tmp-99", "a[1]*.csv", true},    // taken literally
		{".a1x.csv.tmp-99", "a[1]*.csv", false},     // not a glob
	}
	for _, tt := range tests {
		if got := isTemporary(tt.name, tt.base); got != tt.want {
			t.Errorf("isTemporary(%q, %q) = %v, want %v", tt.name, tt.base, got, tt.want)
		}
	}
}

// TestTempPrefix: the temporary files are named as docs/checkpoint-format.md
// and docs/model-format.md describe, ".NAME.tmp-*", so that a person who
// finds one after a crash knows what it was.
func TestTempPrefix(t *testing.T) {
	if got, want := tempPrefix("run.ckpt"), ".run.ckpt.tmp-"; got != want {
		t.Errorf("tempPrefix = %q, want %q", got, want)
	}
}
