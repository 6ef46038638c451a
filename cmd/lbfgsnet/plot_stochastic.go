package main

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// stochasticPanel is one panel of a stochastic run's plot: one or two
// series against the epoch.
type stochasticPanel struct {
	label  string
	series []stochasticSeries
}

type stochasticSeries struct {
	name  string
	color color.Color
	value func(stochastic.TraceRecord) (float64, bool) // false: not measured at this record
}

var (
	batchLossSeries = stochasticSeries{"batch", lossColor, func(r stochastic.TraceRecord) (float64, bool) { return r.BatchLoss, true }}
	fullLossSeries  = stochasticSeries{"full set", validColor, func(r stochastic.TraceRecord) (float64, bool) {
		if r.FullLoss == nil {
			return 0, false
		}
		return *r.FullLoss, true
	}}
	stochasticPanels = []stochasticPanel{
		{"Loss", []stochasticSeries{batchLossSeries, fullLossSeries}},
		{"GradientsNorm (batch)", []stochasticSeries{{"", gradColor, func(r stochastic.TraceRecord) (float64, bool) { return r.GradientsNorm, true }}}},
		{"StepNorm", []stochasticSeries{{"", stepColor, func(r stochastic.TraceRecord) (float64, bool) { return r.StepNorm, true }}}},
	}
	batchSizePanel = stochasticPanel{"BatchSize (rows)", []stochasticSeries{{"", failureColor, func(r stochastic.TraceRecord) (float64, bool) {
		return float64(r.BatchSize), true
	}}}}
)

// writeStochasticPlot draws a stochastic run against the epoch, on log
// scales: the batch loss with the full-set loss where it was evaluated, the
// batch gradient norm, the step norm and, when the batch grew, the batch
// size; and writes the PNG to path atomically.
func writeStochasticPlot(path, source string, recs []stochastic.TraceRecord) error {
	return writePNG(path, len(recs), func() (*vgimg.Canvas, error) { return renderStochasticPlot(source, recs) })
}

// renderStochasticPlot draws the panels; like renderPlot it turns a panic
// of gonum/plot into an error.
func renderStochasticPlot(source string, recs []stochastic.TraceRecord) (img *vgimg.Canvas, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("drawing failed: %v", r)
		}
	}()
	panels := stochasticPanels
	if recs[0].BatchSize != recs[len(recs)-1].BatchSize {
		panels = append(panels[:len(panels):len(panels)], batchSizePanel)
	}
	var plots [][]*plot.Plot
	for i, pn := range panels {
		p, err := stochasticPanelPlot(pn, recs, i == len(panels)-1)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			p.Title.Text = "lbfgsnet: " + filepath.Base(source)
		}
		plots = append(plots, []*plot.Plot{p})
	}
	return stackPlots(plots), nil
}

// stochasticPanelPlot draws a panel's series against the epoch on one log
// axis; values a log scale cannot show (≤ 0, or the largest float64 a
// trace writes for NaN and ±Inf) break the lines.
func stochasticPanelPlot(pn stochasticPanel, recs []stochastic.TraceRecord, xLabel bool) (*plot.Plot, error) {
	p := plot.New()
	p.Y.Label.Text = pn.label
	if xLabel {
		p.X.Label.Text = "Epoch"
	}
	p.X.Min, p.X.Max = recs[0].Epoch, recs[len(recs)-1].Epoch
	p.Add(plotter.NewGrid())
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, sr := range pn.series {
		s := &series{lo: math.Inf(1), hi: math.Inf(-1)}
		var seg plotter.XYs
		flush := func() error {
			if len(seg) == 0 {
				return nil
			}
			err := s.addSegment(seg, sr.color)
			seg = nil
			return err
		}
		for _, r := range recs {
			v, measured := sr.value(r)
			if !measured {
				continue
			}
			if !(v > 0 && v < math.MaxFloat64) {
				if err := flush(); err != nil {
					return nil, err
				}
				continue
			}
			s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
			seg = append(seg, plotter.XY{X: r.Epoch, Y: v})
		}
		if err := flush(); err != nil {
			return nil, err
		}
		p.Add(s.plotters...)
		if sr.name != "" && len(s.plotters) > 0 {
			p.Legend.Add(sr.name, s.plotters[0].(plot.Thumbnailer))
			p.Legend.Top = true
		}
		lo, hi = math.Min(lo, s.lo), math.Max(hi, s.hi)
	}
	if lo > hi {
		p.Y.Label.Text += " (no value > 0 to show)"
		return p, nil
	}
	setLogAxis(&p.Y, lo, hi)
	return p, nil
}
