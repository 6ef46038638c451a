package nn_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// noisyBlobs returns rows of two overlapping classes in two features,
// one-hot targets, each label flipped with probability noise: with few
// rows and a wide network, the validation loss rises as training goes on.
func noisyBlobs(rows int, seed uint64, noise float64) (x, t []float64) {
	r := newRand(seed)
	for i := range rows {
		c := i % 2
		x = append(x, r.NormFloat64()+float64(2*c-1), r.NormFloat64())
		if r.Float64() < noise {
			c = 1 - c
		}
		row := []float64{0, 0}
		row[c] = 1
		t = append(t, row...)
	}
	return x, t
}

func wideLayers() []nn.Layer {
	return []nn.Layer{nn.FullyConnected{OutputSize: 64}, nn.ReLU{}, nn.FullyConnected{OutputSize: 64}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 2}, nn.Softmax{}}
}

// TestTrainValidationBest: Train with BestValidationLoss hands back the
// network of the lowest validation loss of the run, strictly below the
// last; the run itself is the run without validation, bit for bit.
func TestTrainValidationBest(t *testing.T) {
	x, y := noisyBlobs(24, 1, 0.25)
	vx, vy := noisyBlobs(200, 2, 0)
	stop := solver.DefaultStopOptions()
	stop.MaxIterations = 60
	plain := mustNet(t, 2, wideLayers(), tensor.Float64, 3)
	want, err := nn.Train(context.Background(), plain, x, y, nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Stop: &stop})
	if err != nil {
		t.Fatal(err)
	}

	net := mustNet(t, 2, wideLayers(), tensor.Float64, 3)
	val := &nn.Validation{X: vx, T: vy, Options: solver.ValidationOptions{Frequency: 1, OutputNetwork: solver.BestValidationLoss}}
	got, err := nn.Train(context.Background(), net, x, y, nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Stop: &stop, Validation: val})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != want.Status || got.Iterations != want.Iterations || got.Loss != want.Loss {
		t.Errorf("validated run %v/%d/%v, plain %v/%d/%v: validation disturbed the run", got.Status, got.Iterations, got.Loss, want.Status, want.Iterations, want.Loss)
	}
	vr := got.Validation
	if vr == nil || len(vr.History) != got.Iterations {
		t.Fatalf("validation result %+v, want one validation per iteration", vr)
	}
	k := 0
	for i, v := range vr.History {
		if v.Iteration != i+1 {
			t.Fatalf("validation %d at iteration %d", i, v.Iteration)
		}
		if v.Loss < vr.History[k].Loss {
			k = i
		}
	}
	last := vr.History[len(vr.History)-1]
	if vr.Best.Iteration != vr.History[k].Iteration || vr.Best.Loss != vr.History[k].Loss || !(vr.Best.Loss < last.Loss) {
		t.Fatalf("best %+v, minimum of the history %+v, last %+v: want the minimum, strictly below the last", vr.Best, vr.History[k], last)
	}
	if !slices.Equal(vr.LastParams, plain.Params()) {
		t.Error("LastParams differ from the parameters of the run without validation")
	}
	// The network handed back has the best validation loss.
	obj, err := net.NewObjective(vx, vy, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	loss, _, err := obj.Evaluate(net.Params(), make([]float64, net.NumLearnables()))
	if err != nil || loss != vr.Best.Loss {
		t.Errorf("validation loss of the network handed back %v (%v), want the best %v", loss, err, vr.Best.Loss)
	}
	if _, ok := vr.Best.Extra.(nn.Metrics); !ok {
		t.Errorf("Extra %T, want nn.Metrics", vr.Best.Extra)
	}
}

// TestTrainValidationPatience stops where the history says it should.
func TestTrainValidationPatience(t *testing.T) {
	x, y := noisyBlobs(24, 1, 0.25)
	vx, vy := noisyBlobs(200, 2, 0)
	stop := solver.DefaultStopOptions()
	stop.MaxIterations = 60
	net := mustNet(t, 2, wideLayers(), tensor.Float64, 3)
	val := &nn.Validation{X: vx, T: vy, Options: solver.ValidationOptions{Frequency: 1, Patience: 4}}
	res, err := nn.Train(context.Background(), net, x, y, nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Stop: &stop, Validation: val})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != solver.ValidationPatience {
		t.Fatalf("status %v, want ValidationPatience", res.Status)
	}
	h := res.Validation.History
	if want := res.Validation.Best.Iteration + 4; res.State.Iteration != want || h[len(h)-1].Iteration != want {
		t.Errorf("stopped at iteration %d, want best %d + patience 4", res.State.Iteration, res.Validation.Best.Iteration)
	}
	if res.Validation.LastParams != nil {
		t.Error("LastParams set with OutputNetwork LastIteration")
	}
}

func TestTrainValidationErrors(t *testing.T) {
	x, y := noisyBlobs(8, 1, 0)
	net := mustNet(t, 2, wideLayers(), tensor.Float64, 3)
	opts := nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}}
	opts.Validation = &nn.Validation{X: []float64{1, 2, 3}, T: []float64{1, 0}}
	if _, err := nn.Train(context.Background(), net, x, y, opts); !errors.Is(err, nn.ErrShape) {
		t.Errorf("ragged validation data: %v, want ErrShape", err)
	}
	vx, vy := noisyBlobs(4, 2, 0)
	opts.Validation = &nn.Validation{X: vx, T: vy, Options: solver.ValidationOptions{Frequency: 0, Patience: 2}}
	var oe *solver.OptionError
	if _, err := nn.Train(context.Background(), net, x, y, opts); !errors.As(err, &oe) {
		t.Errorf("frequency 0: %v, want an *OptionError", err)
	}
}
