package nn_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

func TestLearnableMaskAndBounds(t *testing.T) {
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	ls := net.Learnables()
	mask, err := net.LearnableMask("Weights")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		want := 0.0
		if l.Parameter == "Weights" {
			want = 1
		}
		for j := l.Offset; j < l.Offset+len(l.Value); j++ {
			if mask[j] != want {
				t.Fatalf("mask[%d] in %s = %v, want %v", j, l.Name(), mask[j], want)
			}
		}
	}
	first := ls[0].Name()
	lo, hi, err := net.LearnableBounds(map[string]nn.Bound{first: {Lower: 0, Upper: math.Inf(1)}, "Bias": {Lower: -1, Upper: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		wantLo, wantHi := math.Inf(-1), math.Inf(1)
		switch {
		case l.Name() == first:
			wantLo = 0
		case l.Parameter == "Bias":
			wantLo, wantHi = -1, 1
		}
		if lo[l.Offset] != wantLo || hi[l.Offset+len(l.Value)-1] != wantHi {
			t.Errorf("%s: bounds [%v, %v], want [%v, %v]", l.Name(), lo[l.Offset], hi[l.Offset+len(l.Value)-1], wantLo, wantHi)
		}
	}
	for name, bounds := range map[string]map[string]nn.Bound{
		"unknown name":  {"fc9/Weights": {Lower: 0, Upper: 1}},
		"lower > upper": {"Bias": {Lower: 1, Upper: 0}},
		"NaN":           {"Bias": {Lower: math.NaN(), Upper: 0}},
		"twice":         {"Weights": {Lower: 0, Upper: 1}, first: {Lower: 0, Upper: 2}},
	} {
		if _, _, err := net.LearnableBounds(bounds); !errors.Is(err, nn.ErrInvalidOption) {
			t.Errorf("%s: error %v, want ErrInvalidOption", name, err)
		}
	}
	if _, err := net.LearnableMask("Weight"); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("mask of an unknown name: error %v, want ErrInvalidOption", err)
	}
}

// Training with an L1 penalty on the weights only (OWL-QN) zeroes some
// weights and no bias; training with non-negative weights (L-BFGS-B) ends
// with every weight >= 0.
func TestTrainL1AndBounds(t *testing.T) {
	x, y, _ := iris(t)
	stop := solver.DefaultStopOptions()
	stop.MaxIterations, stop.GradientTolerance, stop.StepTolerance = 150, 0, 0

	net := mustNet(t, 4, irisLayers(), tensor.Float64, 2)
	opts := solver.DefaultOptions()
	opts.LineSearchMethod, opts.L1 = solver.Backtracking, 0.01
	var err error
	if opts.L1Weights, err = net.LearnableMask("Weights"); err != nil {
		t.Fatal(err)
	}
	res, err := nn.Train(context.Background(), net, x, y, nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Solver: &opts, Stop: &stop})
	if err != nil {
		t.Fatal(err)
	}
	zeroW, zeroB := 0, 0
	for _, l := range net.Learnables() {
		for _, v := range l.Value {
			if v == 0 && l.Parameter == "Weights" {
				zeroW++
			} else if v == 0 {
				zeroB++
			}
		}
	}
	if zeroW == 0 || res.State.ZeroCoordinates != zeroW {
		t.Errorf("L1: %d zero weights, state reports %d", zeroW, res.State.ZeroCoordinates)
	}
	if res.State.L1Penalty <= 0 {
		t.Errorf("L1Penalty = %v", res.State.L1Penalty)
	}

	net = mustNet(t, 4, irisLayers(), tensor.Float64, 3)
	opts = solver.DefaultOptions()
	if opts.Lower, opts.Upper, err = net.LearnableBounds(map[string]nn.Bound{"Weights": {Lower: 0, Upper: math.Inf(1)}}); err != nil {
		t.Fatal(err)
	}
	res, err = nn.Train(context.Background(), net, x, y, nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Solver: &opts, Stop: &stop})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range net.Learnables() {
		for _, v := range l.Value {
			if l.Parameter == "Weights" && v < 0 {
				t.Fatalf("%s holds %v < 0 after training with Weights >= 0", l.Name(), v)
			}
		}
	}
	if !res.History[0].StartPointProjected || res.History[1].StartPointProjected || res.State.ActiveBounds == 0 {
		t.Errorf("StartPointProjected %v then %v, ActiveBounds %d: the random start has negative weights",
			res.History[0].StartPointProjected, res.History[1].StartPointProjected, res.State.ActiveBounds)
	}
}
