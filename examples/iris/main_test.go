package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// row is one parsed line of the per-iteration table.
type row struct {
	iteration int
	loss      float64
	status    string
	accuracy  float64
}

// parseTable returns the rows of the per-iteration table in out.
func parseTable(t *testing.T, out string) []row {
	t.Helper()
	var rows []row
	in := false
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 9 && f[0] == "Iteration":
			in = true
		case in && len(f) == 0:
			return rows
		case in:
			if len(f) != 9 {
				t.Fatalf("table row %q has %d fields, want 9", line, len(f))
			}
			var r row
			var err1, err2, err3 error
			r.iteration, err1 = strconv.Atoi(f[0])
			r.loss, err2 = strconv.ParseFloat(f[1], 64)
			r.status = f[5]
			r.accuracy, err3 = strconv.ParseFloat(f[8], 64)
			for _, err := range []error{err1, err2, err3} {
				if err != nil {
					t.Fatalf("table row %q: %v", line, err)
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatalf("run: %v", err)
	}
	out := buf.String()

	rows := parseTable(t, out)
	if len(rows) != numEpochs {
		t.Fatalf("got %d table rows, want %d (one per update)\n%s", len(rows), numEpochs, out)
	}
	for i, r := range rows {
		if r.iteration != i+1 {
			t.Errorf("row %d: iteration %d, want %d", i, r.iteration, i+1)
		}
		if r.status != "completed" {
			t.Errorf("iteration %d: LineSearchStatus %q, want completed", r.iteration, r.status)
		}
		// A completed line search satisfies sufficient decrease, so the
		// loss falls at every iteration.
		if i > 0 && !(r.loss < rows[i-1].loss) {
			t.Errorf("iteration %d: loss %g, not below %g of iteration %d", r.iteration, r.loss, rows[i-1].loss, i)
		}
	}
	// ln 3 ≈ 1.0986 is the cross-entropy of a uniform guess over three
	// classes; ten updates must end well below it.
	if last := rows[len(rows)-1].loss; !(last < 0.5) {
		t.Errorf("final loss %g, want < 0.5", last)
	}

	for _, want := range []string{
		"LBFGSState with properties:",
		`LineSearchStatus: ""`,
		`LineSearchStatus: "completed"`,
		"HistoryIndices: [8 9 10]", // HistorySize 3 keeps the pairs of the last three updates
		"InitialInverseHessianFactor: 1.1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}

	checkAccuracy(t, out, rows[len(rows)-1].accuracy)
}

// checkAccuracy checks the training accuracy line of out against the
// accuracy the last table row reports.
func checkAccuracy(t *testing.T, out string, lastRow float64) {
	t.Helper()
	var correct, total int
	var pct float64
	i := strings.Index(out, "training accuracy:")
	if i < 0 {
		t.Fatalf("no training accuracy line\n%s", out)
	}
	if _, err := fmt.Sscanf(out[i:], "training accuracy: %d/%d = %g%%", &correct, &total, &pct); err != nil {
		t.Fatalf("accuracy line: %v", err)
	}
	if total != 150 {
		t.Errorf("accuracy over %d rows, want the 150 iris rows", total)
	}
	// The accuracy Classify measures after training is the one the loss
	// function reported at the accepted point of the last update.
	if got := float64(correct) / float64(total); fmt.Sprintf("%.4f", got) != fmt.Sprintf("%.4f", lastRow) {
		t.Errorf("training accuracy %.4f, last row reports %.4f", got, lastRow)
	}
	// The fixed seed reaches 142/150 (94.7%) after ten updates; 90% leaves
	// room for rounding differences between platforms.
	if correct < 135 {
		t.Errorf("training accuracy %d/150, want >= 135 (90%%)", correct)
	}
}

// Two runs with the same seed print the same thing.
func TestRunRepeatable(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twice")
	}
	var a, b bytes.Buffer
	if err := run(&a); err != nil {
		t.Fatal(err)
	}
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("two runs differ:\n%s\n---\n%s", a.String(), b.String())
	}
}
