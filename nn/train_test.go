package nn_test

import (
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
