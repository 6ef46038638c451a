package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	res, err := run(&buf, filepath.Join(t.TempDir(), "rbf.model"))
	if err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	// The RBF network fits f to a small fraction of its variance (about
	// 0.2 on the box): training moves the centres and widths as well as
	// the output layer.
	if !(res.final < res.initial/100) {
		t.Errorf("mean squared error %g after training, want below 1%% of the first iteration's %g", res.final, res.initial)
	}
	if !(res.testRMSE < 0.05) {
		t.Errorf("RMSE on new points %g, want below 0.05", res.testRMSE)
	}
	if want := []string{"rbf1", "fc1"}; !slices.Equal(res.layers, want) {
		t.Errorf("loaded layers %q, want %q", res.layers, want)
	}
	for _, want := range []string{"rbf1/Centers", "rbf1/LogWidth", "iteration   1", "RMSE on"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q\n%s", want, buf.String())
		}
	}
}
