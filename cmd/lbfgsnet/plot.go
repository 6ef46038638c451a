package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Size of the PNG written by --plot: 7 inches wide, 3 inches of height
// per panel (three, or four with a validation accuracy), at 96 dots per
// inch (672×864 pixels for three panels).
const (
	plotWidth       = 7 * vg.Inch
	plotPanelHeight = 3 * vg.Inch
	plotDPI         = 96
)

// Colours of the plot (from the Okabe–Ito colour-blind safe palette).
var (
	lossColor    = color.RGBA{0, 114, 178, 255} // blue
	gradColor    = color.RGBA{213, 94, 0, 255}  // vermillion
	stepColor    = color.RGBA{0, 158, 115, 255} // bluish green
	validColor   = color.RGBA{230, 159, 0, 255} // orange
	failureColor = color.RGBA{204, 0, 0, 255}
)

// panel is one of the plot's stacked series.
type panel struct {
	label string
	color color.Color
	value func(trace.Record) float64
}

// validationLoss is the series drawn beside the training loss when the run
// was validated.
var validationLoss = panel{"validation", validColor, func(r trace.Record) float64 { return r.ValidationLoss }}

var plotPanels = []panel{
	{"Loss", lossColor, func(r trace.Record) float64 { return r.Loss }},
	{"GradientsNorm", gradColor, func(r trace.Record) float64 { return r.GradientsNorm }},
	{"StepNorm", stepColor, func(r trace.Record) float64 { return r.StepNorm }},
}

// writePlot draws loss, gradient norm and step norm per iteration, each on
// a log scale, and writes the PNG to path atomically. source names the run
// in the title.
func writePlot(path, source string, recs []trace.Record) error {
	return writePNG(path, len(recs), func() (*vgimg.Canvas, error) { return renderPlot(source, recs) })
}

// writePNG renders the plot of a run of n iterations and writes it to path
// atomically.
func writePNG(path string, n int, render func() (*vgimg.Canvas, error)) error {
	if n == 0 {
		return fmt.Errorf("plot %s: the run has no iterations to plot", path)
	}
	img, err := render()
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return writeOutput(path, func(w io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}

// stackPlots draws the plots one above the other, aligned, on a canvas of
// plotPanelHeight per plot.
func stackPlots(plots [][]*plot.Plot) *vgimg.Canvas {
	img := vgimg.NewWith(vgimg.UseWH(plotWidth, vg.Length(len(plots))*plotPanelHeight), vgimg.UseDPI(plotDPI))
	tiles := draw.Tiles{Rows: len(plots), Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6),
		PadLeft: vg.Points(6), PadRight: vg.Points(12), PadY: vg.Points(10)}
	canvases := plot.Align(plots, tiles, draw.New(img))
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	return img
}

// renderPlot draws the panels on an image canvas. gonum/plot panics on
// values it cannot place on a log axis; renderPlot never passes such values,
// and turns any panic left into an error.
func renderPlot(source string, recs []trace.Record) (img *vgimg.Canvas, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("drawing failed: %v", r)
		}
	}()
	validLoss, validAcc, _ := validationKinds(recs)
	var plots [][]*plot.Plot
	for i, pn := range plotPanels {
		p, err := panelPlot(pn, recs, i == len(plotPanels)-1 && !validAcc)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			p.Title.Text = "lbfgsnet: " + filepath.Base(source)
			if validLoss {
				if err := addValidationLoss(p, recs); err != nil {
					return nil, err
				}
			}
		}
		plots = append(plots, []*plot.Plot{p})
	}
	if validAcc {
		p, err := accuracyPlot(recs)
		if err != nil {
			return nil, err
		}
		plots = append(plots, []*plot.Plot{p})
	}
	return stackPlots(plots), nil
}

// panelPlot draws one series against the iteration number. The loss panel
// marks the iterations whose line search failed.
func panelPlot(pn panel, recs []trace.Record, xLabel bool) (*plot.Plot, error) {
	p := plot.New()
	p.Y.Label.Text = pn.label
	if xLabel {
		p.X.Label.Text = "Iteration"
	}
	p.X.Min, p.X.Max = float64(recs[0].Iteration), float64(recs[len(recs)-1].Iteration)
	p.X.Tick.Marker = integerTicks{}
	p.Add(plotter.NewGrid())
	s, err := newSeries(pn, recs)
	if err != nil {
		return nil, err
	}
	p.Add(s.plotters...)
	if s.lo > s.hi {
		p.Y.Label.Text += " (no value > 0 to show)"
		return p, nil
	}
	if len(s.failed) > 0 {
		sc, err := plotter.NewScatter(s.failed)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Shape, sc.Radius = failureColor, draw.CrossGlyph{}, vg.Points(4)
		p.Add(sc)
		p.Legend.Add("line search failed", sc)
		p.Legend.Top = true
	}
	setLogAxis(&p.Y, s.lo, s.hi)
	return p, nil
}

// addValidationLoss draws the validation loss on the loss panel p, on the
// log axis widened to hold both series, with a legend.
func addValidationLoss(p *plot.Plot, recs []trace.Record) error {
	train, err := newSeries(plotPanels[0], recs)
	if err != nil {
		return err
	}
	// Only the validated iterations: the others are not measured, which
	// must not break the line as a value a log axis cannot show does.
	var validated []trace.Record
	for _, r := range recs {
		if !math.IsNaN(r.ValidationLoss) {
			validated = append(validated, r)
		}
	}
	valid, err := newSeries(validationLoss, validated)
	if err != nil {
		return err
	}
	p.Add(valid.plotters...)
	lo, hi := math.Min(train.lo, valid.lo), math.Max(train.hi, valid.hi)
	if lo <= hi {
		setLogAxis(&p.Y, lo, hi)
	}
	if len(train.plotters) > 0 {
		p.Legend.Add("training", train.plotters[0].(plot.Thumbnailer))
	}
	if len(valid.plotters) > 0 {
		p.Legend.Add("validation", valid.plotters[0].(plot.Thumbnailer))
	}
	p.Legend.Top = true
	return nil
}

// accuracyPlot draws the validation accuracy in percent, on a linear axis
// from 0 to 100.
func accuracyPlot(recs []trace.Record) (*plot.Plot, error) {
	p := plot.New()
	p.Y.Label.Text = "ValidationAccuracy (%)"
	p.X.Label.Text = "Iteration"
	p.X.Min, p.X.Max = float64(recs[0].Iteration), float64(recs[len(recs)-1].Iteration)
	p.X.Tick.Marker = integerTicks{}
	p.Y.Min, p.Y.Max = 0, 100
	p.Add(plotter.NewGrid())
	var pts plotter.XYs
	for _, r := range recs {
		if v := r.ValidationAccuracy; !math.IsNaN(v) {
			pts = append(pts, plotter.XY{X: float64(r.Iteration), Y: 100 * v})
		}
	}
	s := &series{}
	if err := s.addSegment(pts, validColor); err != nil {
		return nil, err
	}
	p.Add(s.plotters...)
	return p, nil
}

// series is a panel's data as plotters: lines through the runs of
// consecutive values a log scale can show (> 0 and finite; the others break
// the line), their range, and the failed line searches (loss panel only).
type series struct {
	plotters []plot.Plotter
	lo, hi   float64
	failed   plotter.XYs
}

func newSeries(pn panel, recs []trace.Record) (*series, error) {
	s := &series{lo: math.Inf(1), hi: math.Inf(-1)}
	var seg plotter.XYs
	for i, r := range recs {
		v := pn.value(r)
		ok := v > 0 && !math.IsInf(v, 1)
		if ok {
			s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
			seg = append(seg, plotter.XY{X: float64(r.Iteration), Y: v})
			if pn.label == "Loss" && r.LineSearchStatus == solver.LineSearchFailed {
				s.failed = append(s.failed, plotter.XY{X: float64(r.Iteration), Y: v})
			}
		}
		if (!ok || i == len(recs)-1) && len(seg) > 0 {
			if err := s.addSegment(seg, pn.color); err != nil {
				return nil, err
			}
			seg = nil
		}
	}
	return s, nil
}

// addSegment adds a line through seg, and a dot for a lone point, which a
// line would not show.
func (s *series) addSegment(seg plotter.XYs, c color.Color) error {
	l, err := plotter.NewLine(seg)
	if err != nil {
		return err
	}
	l.Color, l.Width = c, vg.Points(1.5)
	s.plotters = append(s.plotters, l)
	if len(seg) == 1 {
		sc, err := plotter.NewScatter(seg)
		if err != nil {
			return err
		}
		sc.Color, sc.Shape, sc.Radius = c, draw.CircleGlyph{}, vg.Points(1.5)
		s.plotters = append(s.plotters, sc)
	}
	return nil
}

// setLogAxis sets a log scale over whole decades covering [lo, hi]
// (0 < lo <= hi), labelling at most about eight decades.
func setLogAxis(a *plot.Axis, lo, hi float64) {
	dlo, dhi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if dhi <= dlo {
		dhi = dlo + 1
	}
	a.Scale = plot.LogScale{}
	a.Min, a.Max = math.Pow(10, dlo), math.Pow(10, dhi)
	a.Tick.Marker = decadeTicks{lo: int(dlo), hi: int(dhi)}
}

// decadeTicks marks every decade between 10^lo and 10^hi, labelling every
// k-th so that at most about eight labels show, and adds minor ticks at
// 2…9 × 10^d when the axis spans few decades.
type decadeTicks struct{ lo, hi int }

// Ticks implements plot.Ticker.
func (t decadeTicks) Ticks(_, _ float64) []plot.Tick {
	n := t.hi - t.lo
	k := (n + 7) / 8
	var ticks []plot.Tick
	for d := t.lo; d <= t.hi; d++ {
		v := math.Pow(10, float64(d))
		label := ""
		if (d-t.lo)%k == 0 {
			label = decadeLabel(d)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
		if n <= 4 && d < t.hi {
			for m := 2; m <= 9; m++ {
				ticks = append(ticks, plot.Tick{Value: float64(m) * v})
			}
		}
	}
	return ticks
}

// decadeLabel prints 10^d as a plain number from 0.01 to 1000, else as
// "1e-05".
func decadeLabel(d int) string {
	if d >= -2 && d <= 3 {
		return strconv.FormatFloat(math.Pow(10, float64(d)), 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Pow(10, float64(d)), 'g', -1, 64)
}

// integerTicks labels an iteration axis at round integers: steps of 1, 2
// or 5 × 10^k chosen to give at most ten labels.
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1.0
	for (hi-lo)/step > 10 {
		switch m := step / math.Pow(10, math.Floor(math.Log10(step))); {
		case m < 1.5:
			step *= 2 // 1 → 2
		case m < 3:
			step *= 2.5 // 2 → 5
		default:
			step *= 2 // 5 → 10
		}
	}
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}
