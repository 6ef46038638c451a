package nn_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// TestTrainIris trains MATLAB's iris network with the solver's Update and
// requires 97% training accuracy within 100 iterations (issue 4), with
// the solver's defaults and with MATLAB's example settings (HistorySize 3,
// InitialInverseHessianFactor 1.1, lbfgsState documentation).
func TestTrainIris(t *testing.T) {
	x, y, labels := iris(t)
	matlab := solver.DefaultOptions()
	matlab.HistorySize, matlab.InitialInverseHessianFactor = 3, 1.1
	tests := []struct {
		name string
		opts solver.Options
		dt   tensor.Dtype
	}{
		{"defaults", solver.DefaultOptions(), tensor.Float64},
		{"matlab", matlab, tensor.Float64},
		{"defaults float32", solver.DefaultOptions(), tensor.Float32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := mustNet(t, 4, irisLayers(), tt.dt, 1)
			ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
			state, err := solver.NewLBFGSState(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			p := net.Flat()
			reached := 0
			for it := 1; it <= 100 && reached == 0; it++ {
				if err := state.Update(p, ev.Evaluate); err != nil {
					t.Fatalf("iteration %d: %v", it, err)
				}
				if m := state.AdditionalLossFunctionOutputs.(nn.Metrics); m.Accuracy >= 0.97 {
					reached = it
				}
			}
			if reached == 0 {
				t.Fatalf("training accuracy %v after 100 iterations, want >= 0.97", state.AdditionalLossFunctionOutputs)
			}
			// The accuracy the closure reported is the network's.
			if err := net.SetFlatLearnables(p); err != nil {
				t.Fatal(err)
			}
			if acc := accuracy(t, net, x, labels); acc < 0.97 {
				t.Errorf("Classify accuracy %v after %d iterations, want >= 0.97", acc, reached)
			}
			t.Logf("%s: 97%% training accuracy after %d iterations, loss %.4g", tt.name, reached, state.Loss)
		})
	}
}

// TestTrainMatchesLoop: Train and the MATLAB-style loop (one Update per
// iteration on net.Params()) give bit-identical learnables, losses and
// history for the same seed, in float64 and float32; afterwards Predict
// uses the trained values.
func TestTrainMatchesLoop(t *testing.T) {
	x, y, labels := iris(t)
	const iters = 25
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		loopNet := mustNet(t, 4, irisLayers(), dt, 4)
		obj, err := loopNet.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-4})
		if err != nil {
			t.Fatal(err)
		}
		state, err := solver.NewLBFGSState(solver.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		var losses []float64
		for range iters {
			if err := state.Update(loopNet.Params(), obj.Evaluate); err != nil {
				t.Fatal(err)
			}
			losses = append(losses, state.Loss)
		}

		net := mustNet(t, 4, irisLayers(), dt, 4)
		stop := solver.DefaultStopOptions()
		stop.MaxIterations, stop.GradientTolerance, stop.StepTolerance = iters, 0, 0
		hooked := 0
		stop.Hook = func(*solver.LBFGSState) error { hooked++; return nil }
		res, err := nn.Train(context.Background(), net, x, y, nn.TrainOptions{
			Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-4},
			Stop:      &stop,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != solver.IterationLimit || res.Iterations != iters || hooked != iters || len(res.History) != iters {
			t.Fatalf("%v: %v after %d iterations, hook called %d times, %d records", dt, res.Status, res.Iterations, hooked, len(res.History))
		}
		if !slices.Equal(net.Params(), loopNet.Params()) {
			t.Errorf("%v: Train and the loop end at different learnables", dt)
		}
		for i, r := range res.History {
			if math.Float64bits(r.Loss) != math.Float64bits(losses[i]) {
				t.Errorf("%v: iteration %d: loss %v, the loop's %v", dt, i+1, r.Loss, losses[i])
			}
		}
		if acc := accuracy(t, net, x, labels); acc < 0.95 {
			t.Errorf("%v: accuracy %v after Train, want >= 0.95", dt, acc)
		}
	}
}

func TestTrainErrors(t *testing.T) {
	x, y, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 4)
	before := net.Flat()
	bad := solver.DefaultOptions()
	bad.HistorySize = -1
	badStop := solver.DefaultStopOptions()
	badStop.MaxIterations = -1
	for name, opts := range map[string]nn.TrainOptions{
		"no loss":          {},
		"bad solver":       {Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Solver: &bad},
		"bad stop options": {Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}, Stop: &badStop},
	} {
		if _, err := nn.Train(context.Background(), net, x, y, opts); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := nn.Train(context.Background(), net, x[:5], y, nn.TrainOptions{Objective: nn.ObjectiveOptions{Loss: nn.CrossEntropy}}); !errors.Is(err, nn.ErrShape) {
		t.Errorf("short x: %v, want ErrShape", err)
	}
	if !slices.Equal(net.Flat(), before) {
		t.Error("a failed Train changed the learnables")
	}
}

// Training on one's own matrices in one call.
func ExampleTrain() {
	// y = x₁·x₂ on a grid of 25 points.
	var x, y []float64
	for i := range 5 {
		for j := range 5 {
			a, b := float64(i)/2-1, float64(j)/2-1
			x, y = append(x, a, b), append(y, a*b)
		}
	}
	net, _ := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{
		nn.FullyConnected{OutputSize: 16}, nn.Tanh{}, nn.FullyConnected{OutputSize: 1},
	}}, rand.New(rand.NewPCG(1, 2)))
	res, err := nn.Train(context.Background(), net, x, y, nn.TrainOptions{
		Objective: nn.ObjectiveOptions{Loss: nn.MeanSquaredError},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := net.Predict([]float64{0.5, -1}) // the trained network
	fmt.Println(res.Status.Converged(), len(res.History) == res.Iterations)
	fmt.Printf("loss below 1e-4: %v; f(0.5, −1) ≈ %.2f\n", res.Loss < 1e-4, p[0])
	// Output:
	// true true
	// loss below 1e-4: true; f(0.5, −1) ≈ -0.50
}
