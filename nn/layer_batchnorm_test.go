package nn_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

func batchNormLayers() []nn.Layer {
	return []nn.Layer{
		nn.FullyConnected{OutputSize: 8}, nn.BatchNorm{}, nn.ReLU{},
		nn.Residual{Layers: []nn.Layer{nn.FullyConnected{OutputSize: 8}, nn.BatchNorm{Name: "inner"}, nn.Tanh{}}},
		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
	}
}

// TestBatchNormStatistics: FitStatistics stores the mean and the biased
// variance of the layer's inputs over the batch, and Predict then uses
// them, as documented: on a network of one BatchNorm layer, Predict on
// the batch normalises each column to mean 0 and variance
// σ²/(σ² + ε).
func TestBatchNormStatistics(t *testing.T) {
	x := []float64{1, 10, 2, 20, 3, 60, 6, 30}
	net := mustNet(t, 2, []nn.Layer{nn.BatchNorm{Epsilon: 1e-3}}, tensor.Float64, 1)
	if err := net.FitStatistics(x); err != nil {
		t.Fatal(err)
	}
	ls := net.Learnables()
	// column 0: 1, 2, 3, 6: mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5;
	// column 1: 10, 20, 60, 30: mean 30, variance (400 + 100 + 900 + 0)/4 = 350.
	if m, v := ls[2].Value, ls[3].Value; !slices.Equal(m, []float64{3, 30}) || !slices.Equal(v, []float64{3.5, 350}) || !ls[2].Statistic || ls[1].Statistic {
		t.Errorf("TrainedMean %v, TrainedVariance %v (statistic flags %v %v)", m, v, ls[2].Statistic, ls[1].Statistic)
	}
	y, err := net.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	for j, vr := range []float64{3.5, 350} {
		mean, sq := 0.0, 0.0
		for i := range 4 {
			mean += y[2*i+j] / 4
			sq += y[2*i+j] * y[2*i+j] / 4
		}
		if math.Abs(mean) > 1e-15 || math.Abs(sq-vr/(vr+1e-3)) > 1e-14 {
			t.Errorf("column %d: mean %v, mean square %v, want 0 and %v", j, mean, sq, vr/(vr+1e-3))
		}
	}
}

// TestBatchNormTrain: Train on a network with batch normalisation (also
// inside a residual block) learns iris, stores the statistics, and
// Predict then gives the training outputs; the objective runs one shard.
func TestBatchNormTrain(t *testing.T) {
	x, y, labels := iris(t)
	net := mustNet(t, 4, batchNormLayers(), tensor.Float64, 5)
	stop := solver.DefaultStopOptions()
	stop.MaxIterations = 60
	res, err := nn.Train(context.Background(), net, x, y, nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Stop: &stop})
	if err != nil {
		t.Fatal(err)
	}
	if res.Objective.NumShards() != 1 {
		t.Errorf("%d shards, want 1 with batch normalisation", res.Objective.NumShards())
	}
	if acc := accuracy(t, net, x, labels); acc < 0.97 {
		t.Errorf("accuracy %v after %d iterations, want >= 0.97", acc, res.Iterations)
	}
	// The loss of the training outputs Predict gives is the training loss.
	p, err := net.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	ce := 0.0
	for i, l := range labels {
		ce -= math.Log(p[3*i+l]) / 150
	}
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	train, _, err := obj.Evaluate(net.Params(), make([]float64, net.NumLearnables()))
	if err != nil {
		t.Fatal(err)
	}
	if relDiff(ce, train, 0) > 1e-9 {
		t.Errorf("cross-entropy of Predict %v, training loss %v", ce, train)
	}
	if _, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: 2}); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("Shards 2 with batch normalisation: %v, want ErrInvalidOption", err)
	}
	if err := net.FitStatistics(x[:3]); !errors.Is(err, nn.ErrShape) {
		t.Errorf("FitStatistics on a partial row: %v, want ErrShape", err)
	}
}
