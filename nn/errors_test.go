package nn_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// TestErrorsNamePackageOnce checks that errors wrapped in layers (Load over
// UnmarshalModel, Save over MarshalModel, a mismatch over an invalid
// network) say "nn:" once, read as the want text, and still match their
// sentinels with errors.Is.
func TestErrorsNamePackageOnce(t *testing.T) {
	dir := t.TempDir()
	good := model(t)
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	truncated := write("truncated.model", good[:200])
	unknownLayer := write("maxout.model", reseal(t, good, func(h string) string { return strings.Replace(h, `"softmax"`, `"maxout"`, 1) }))
	badHeader := write("header.model", flip(good, 20)) // the header's "{": unreadable, and the checksum fails
	net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 2}}, tensor.Float64, 1)
	x, tg := []float64{1, 2, 3, 4}, []float64{1, 0, 0, 1}
	_, obj := evaluator(t, net, x, tg, nn.ObjectiveOptions{Loss: nn.MeanSquaredError})

	for _, tc := range []struct {
		name    string
		run     func() error
		want    string // the whole message, or its start when it ends in "…"
		targets []error
	}{
		{"load truncated", func() error { _, _, err := nn.Load(truncated); return err },
			"nn: load model " + truncated + ": model file truncated: 200 bytes, the header alone needs …",
			[]error{nn.ErrModelTruncated}},
		{"load unknown layer", func() error { _, _, err := nn.Load(unknownLayer); return err },
			"nn: load model " + unknownLayer + `: not a valid model file: layer 1 (softmax1): layer registry: layer kind "maxout" is not registered (register its type with nn.RegisterLayerType[T]("maxout") before saving or loading)`,
			[]error{nn.ErrModelFormat, nn.ErrRegistry}},
		{"load unreadable header", func() error { _, _, err := nn.Load(badHeader); return err },
			"nn: load model " + badHeader + ": model file checksum mismatch (and the header is unreadable: not a valid model file: header: …",
			[]error{nn.ErrModelChecksum, nn.ErrModelFormat}},
		{"save bad attachment", func() error { return net.Save(filepath.Join(dir, "m"), map[string][]byte{"": nil}) },
			"nn: save model " + filepath.Join(dir, "m") + `: invalid option: attachment name "" (valid: non-empty UTF-8)`,
			[]error{nn.ErrInvalidOption}},
		{"rows out of range", func() error {
			_, _, err := obj.EvaluateRows([]int{0, 2}, net.Params(), make([]float64, net.NumLearnables()))
			return err
		}, "nn: shape mismatch: EvaluateRows: rows[1] = 2 (valid: 0 to 1)", []error{nn.ErrShape}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if n := strings.Count(msg, "nn:"); n != 1 {
				t.Errorf("err = %q names the package %d times, want 1", msg, n)
			}
			if start, ok := strings.CutSuffix(tc.want, "…"); ok {
				if !strings.HasPrefix(msg, start) {
					t.Errorf("err = %q\nwant it to start %q", msg, start)
				}
			} else if msg != tc.want {
				t.Errorf("err = %q\nwant  %q", msg, tc.want)
			}
			for _, target := range tc.targets {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(err, %v) = false", target)
				}
			}
		})
	}
}
