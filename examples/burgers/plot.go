package main

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
	"github.com/lbfgsnet/lbfgsnet/internal/burgers"
)

// Colours (Okabe–Ito palette): exact in blue, predicted in vermillion.
var (
	exactColor = color.RGBA{0, 114, 178, 255}
	predColor  = color.RGBA{213, 94, 0, 255}
)

// writePlot draws predicted against exact u at each slice, 2 × 2 panels,
// and writes the PNG to path atomically.
func writePlot(path string, g burgers.Grid, pred []float64) (err error) {
	defer func() {
		if r := recover(); r != nil { // gonum/plot panics on what it cannot draw
			err = fmt.Errorf("plot %s: drawing failed: %v", path, r)
		}
	}()
	plots := [][]*plot.Plot{make([]*plot.Plot, 2), make([]*plot.Plot, 2)}
	m := len(g.X)
	for k, t := range g.Times {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("t = %.2f", t)
		p.X.Label.Text, p.Y.Label.Text = "x", "u(x, t)"
		p.Y.Min, p.Y.Max = -1.1, 1.1
		p.Add(plotter.NewGrid())
		for _, s := range []struct {
			name   string
			values []float64
			c      color.Color
			dashed bool
		}{{"exact", g.Exact[k], exactColor, false}, {"predicted", pred[k*m : (k+1)*m], predColor, true}} {
			xy := make(plotter.XYs, m)
			for i, x := range g.X {
				xy[i] = plotter.XY{X: x, Y: s.values[i]}
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return fmt.Errorf("plot %s: %w", path, err)
			}
			l.Color, l.Width = s.c, vg.Points(1.5)
			if s.dashed {
				l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
			}
			p.Add(l)
			p.Legend.Add(s.name, l)
		}
		p.Legend.Top = true
		plots[k/2][k%2] = p
	}
	img := vgimg.NewWith(vgimg.UseWH(9*vg.Inch, 7*vg.Inch), vgimg.UseDPI(96))
	tiles := draw.Tiles{Rows: 2, Cols: 2, PadTop: vg.Points(6), PadBottom: vg.Points(6),
		PadLeft: vg.Points(6), PadRight: vg.Points(12), PadX: vg.Points(16), PadY: vg.Points(16)}
	canvases := plot.Align(plots, tiles, draw.New(img))
	for r := range plots {
		for c := range plots[r] {
			plots[r][c].Draw(canvases[r][c])
		}
	}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}
