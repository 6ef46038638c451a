package data

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// endless is a CSV input that never ends: a header, then rows forever.
type endless struct{ header bool }

func (e *endless) Read(p []byte) (int, error) {
	if !e.header {
		e.header = true
		return copy(p, "a,b\n"), nil
	}
	const row = "1,2\n"
	n := 0
	for n+len(row) <= len(p) {
		n += copy(p[n:], row)
	}
	return n, nil
}

// endlessText is text without a newline, forever.
type endlessText struct{}

func (endlessText) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// TestReadCSVBounded: an input longer than MaxBytes fails with a
// *ParseError wrapping ErrTooLarge at the line where the bound is passed,
// instead of reading until memory runs out.
func TestReadCSVBounded(t *testing.T) {
	_, err := ReadCSV(&endless{}, CSVOptions{MaxBytes: 1 << 16})
	var pe *ParseError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &pe) {
		t.Fatalf("got %v, want a *ParseError wrapping ErrTooLarge", err)
	}
	// 4 bytes of text but 16 bytes of values per line: the values pass
	// the bound of 65536 bytes first, after 4096 rows (line 4098).
	if pe.Line != 4099 || !strings.Contains(err.Error(), "values of more than 65536 bytes") {
		t.Errorf("error %q at line %d, want line %d", err, pe.Line, 4099)
	}
	// Text alone: a header that never ends.
	_, err = ReadCSV(io.MultiReader(strings.NewReader("a"), &endlessText{}), CSVOptions{MaxBytes: 1 << 16})
	if !errors.As(err, &pe) || !errors.Is(err, ErrTooLarge) || pe.Line != 1 || !strings.Contains(err.Error(), "more than 65536 bytes, the most that is read") {
		t.Errorf("endless header: %v", err)
	}
	// One-hot encoding past the bound: 3 rows of 3 levels are 72 bytes.
	_, err = ReadCSV(strings.NewReader("c,y\na,1\nb,2\nc,3\n"), CSVOptions{Categorical: true, Task: Regression, TargetNames: []string{"y"}, MaxBytes: 64})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "3 rows × 3 features") {
		t.Errorf("one-hot encoding past the bound: %v", err)
	}
	// Exactly at the bound is allowed: 16 bytes of text (blank lines are
	// skipped), 16 bytes of values.
	in := "a,b\n1,2\n\n\n\n\n\n\n\n\n"
	if _, err := ReadCSV(strings.NewReader(in), CSVOptions{MaxBytes: int64(len(in))}); err != nil {
		t.Errorf("input of exactly MaxBytes: %v", err)
	}
	if _, err := ReadCSV(io.LimitReader(&endless{}, 1000), CSVOptions{MaxBytes: -1}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("MaxBytes -1: %v, want ErrInvalidOption", err)
	}
}

// TestOptionError: an option out of range is an *OptionError naming the
// field apart from the reason, so that a program can name its own flag.
func TestOptionError(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("a,b,c\n1,2,3\n"), CSVOptions{TargetColumns: []int{2}, FeatureNames: []string{"c"}})
	var oe *OptionError
	if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOption) {
		t.Fatalf("got %v, want an *OptionError", err)
	}
	if oe.Option != "CSVOptions.FeatureNames, CSVOptions.TargetColumns" || strings.Contains(oe.Reason, "CSVOptions") {
		t.Errorf("Option %q, Reason %q", oe.Option, oe.Reason)
	}
	want := `data: invalid option: feature column "c" is also a target column (CSVOptions.FeatureNames, CSVOptions.TargetColumns)`
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

// TestParseErrorSeparator: the hint about a header that looks separated by
// another character carries that character.
func TestParseErrorSeparator(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("a;b;c\n1;2;3\n"), CSVOptions{TargetColumns: []int{LastColumn}})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Separator != ';' || pe.Hint == "" {
		t.Errorf("got %v (separator %q), want a hint naming ';'", err, pe.Separator)
	}
}
