package main

import (
	"math"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"gonum.org/v1/plot"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

func TestIntegerTicks(t *testing.T) {
	tests := []struct {
		lo, hi     float64
		first, gap float64
		n          int
	}{
		{1, 7, 1, 1, 7},
		{1, 59, 10, 10, 5},
		{18, 40, 20, 5, 5},
		{1, 1000, 100, 100, 10},
		{5, 5, 5, 1, 1},
	}
	for _, tc := range tests {
		ticks := integerTicks{}.Ticks(tc.lo, tc.hi)
		if len(ticks) != tc.n || ticks[0].Value != tc.first || (tc.n > 1 && ticks[1].Value-ticks[0].Value != tc.gap) {
			t.Errorf("Ticks(%v, %v) = %v, want %d ticks from %v every %v", tc.lo, tc.hi, ticks, tc.n, tc.first, tc.gap)
		}
	}
}

func TestDecadeTicks(t *testing.T) {
	labels := func(ts []plot.Tick) (n int) {
		for _, tk := range ts {
			if tk.Label != "" {
				n++
			}
		}
		return n
	}
	// 1e-7 to 1: eight decades, every one labelled, no minor ticks.
	if ts := (decadeTicks{-7, 0}).Ticks(0, 0); labels(ts) != 8 || len(ts) != 8 || ts[0].Label != "1e-07" || ts[7].Label != "1" {
		t.Errorf("decadeTicks{-7, 0} = %v", ts)
	}
	// 1e-20 to 1e0: every third decade labelled.
	if ts := (decadeTicks{-20, 0}).Ticks(0, 0); labels(ts) != 7 {
		t.Errorf("decadeTicks{-20, 0}: %d labels, want 7", labels(ts))
	}
	// Two decades: minor ticks at 2…9.
	if ts := (decadeTicks{-1, 1}).Ticks(0, 0); len(ts) != 3+2*8 || ts[0].Label != "0.1" {
		t.Errorf("decadeTicks{-1, 1} = %v", ts)
	}
}

// TestRenderPlotUnplottable: values a log axis cannot show (zero, NaN,
// infinite) are left out instead of failing, and a panel with none left
// says so.
func TestRenderPlotUnplottable(t *testing.T) {
	recs := []trace.Record{
		{Iteration: 1, Loss: 1, GradientsNorm: math.NaN(), StepNorm: 0},
		{Iteration: 2, Loss: math.Inf(1), GradientsNorm: 0, StepNorm: 0},
		{Iteration: 3, Loss: 0.5, GradientsNorm: -1, StepNorm: 0, LineSearchStatus: solver.LineSearchFailed},
	}
	if _, err := renderPlot("t", recs); err != nil {
		t.Fatal(err)
	}
	p, err := panelPlot(plotPanels[2], recs, true)
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Label.Text != "StepNorm (no value > 0 to show)" {
		t.Errorf("label %q", p.Y.Label.Text)
	}
	if err := writePlot(t.TempDir()+"/x.png", "t", nil); err == nil {
		t.Error("plot of no iterations succeeded")
	}
}
