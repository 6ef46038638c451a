package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

func TestFormatElapsed(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00:00.000"},
		{1234 * time.Millisecond, "00:00:01.234"},
		{(3600+61)*time.Second + 5*time.Millisecond, "01:01:01.005"},
		{100 * time.Hour, "100:00:00.000"},
	}
	for _, tc := range tests {
		if got := formatElapsed(tc.d); got != tc.want {
			t.Errorf("formatElapsed(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestFormatNumbers(t *testing.T) {
	tests := []struct{ got, want string }{
		{formatG(0.123456789, 6), "0.123457"},
		{formatG(math.NaN(), 6), "-"},
		{formatE(4.0321e-1), "4.032e-01"},
		{formatE(math.Inf(1)), "+Inf"},
		{formatPercent(0.98666), "98.67%"},
		{formatPercent(math.NaN()), "-"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestRowWriter checks the table's alignment and the JSON lines' keys,
// order and non-finite values.
func TestRowWriter(t *testing.T) {
	r := row{rec: trace.Record{Iteration: 7, Elapsed: 1500 * time.Millisecond, Loss: 0.25,
		GradientsNorm: 1e-3, StepNorm: 0.5, LearningRate: 1, LineSearchStatus: solver.LineSearchCompleted, LossEvaluations: 2,
		ValidationLoss: math.Inf(1), ValidationAccuracy: 0.5, ValidationRMSE: math.NaN()}}
	var b strings.Builder
	w := newRowWriter(&b, formatTable, tableColumns(true, true, false))
	w.write(r)
	w.write(r)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want header, rule and 2 rows:\n%s", len(lines), b.String())
	}
	for i, l := range lines {
		if len(l) != len(lines[0]) {
			t.Errorf("line %d is %d wide, the header %d:\n%s", i+1, len(l), len(lines[0]), b.String())
		}
	}
	if want := []string{"7", "00:00:01.500", "0.25", "1.000e-03", "5.000e-01", "1", "completed", "2", "+Inf", "50.00%"}; strings.Join(strings.Fields(lines[2]), " ") != strings.Join(want, " ") {
		t.Errorf("row = %q, want fields %q", lines[2], want)
	}
	b.Reset()
	w = newRowWriter(&b, formatJSON, tableColumns(true, false, false))
	w.write(r)
	want := `{"kind":"iteration","iteration":7,"time_elapsed_s":1.5,"loss":0.25,"gradients_norm":0.001,"step_norm":0.5,"learning_rate":1,"line_search_status":"completed","loss_evaluations":2,"validation_loss":"+Inf"}` + "\n"
	if b.String() != want || w.err != nil {
		t.Errorf("JSON row = %s (err %v), want %s", b.String(), w.err, want)
	}
}
