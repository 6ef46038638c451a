package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// lineSearches are the solver's searches compared: the default (MATLAB's
// and the solver's, beside torch's default of no line search) and strong
// Wolfe (beside torch's line_search_fn="strong_wolfe").
var lineSearches = []solver.LineSearchMethod{solver.WeakWolfe, solver.StrongWolfe}

// results is what irisdump prints.
type results struct {
	Solver     string `json:"solver"`
	GoVersion  string `json:"go_version"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	// Shards is the number of row blocks of the loss closure of the runs
	// (nn.AutoShards), each evaluated on its own goroutine.
	Shards int `json:"shards"`
	// EvalSeconds is the time of one loss-and-gradient evaluation with
	// Shards shards; EvalSecondsOneShard with a single graph (the shortest
	// mean of settings.TimingBlocks blocks).
	EvalSeconds         float64     `json:"eval_seconds"`
	EvalSecondsOneShard float64     `json:"eval_seconds_one_shard"`
	Runs                []runResult `json:"runs"`
}

// runResult is one seed trained with one line search. Loss, GradientNorm
// and Accuracy are null when not finite.
type runResult struct {
	Seed       uint64 `json:"seed"`
	LineSearch string `json:"line_search"`
	Status     string `json:"status"`
	// Converged: ‖g‖₂ <= the gradient tolerance was reached.
	Converged bool `json:"converged"`
	// Failed: the run ended in an error, a failed line search or a
	// non-finite loss.
	Failed       bool     `json:"failed"`
	Error        string   `json:"error,omitempty"`
	Iterations   int      `json:"iterations"`
	Evaluations  int      `json:"evaluations"` // including the start point
	Loss         *float64 `json:"loss"`
	GradientNorm *float64 `json:"gradient_norm"`
	Accuracy     *float64 `json:"accuracy"`
	// AccuracyIteration is the first iteration (0 = the start point) whose
	// training accuracy reached settings.Accuracy, or -1.
	AccuracyIteration int `json:"accuracy_iteration"`
	// Seconds is the wall time of Minimize, the shortest of
	// settings.Repeats identical runs.
	Seconds float64 `json:"seconds"`
	// Params are the final parameters, for the other side to evaluate its
	// own loss there.
	Params []float64 `json:"params"`
}

// benchmark trains every seed of d with each line search and times the
// loss closure.
func (p *problem) benchmark(s settings, d *dumpFile) (*results, error) {
	net, err := p.network(1)
	if err != nil {
		return nil, err
	}
	res := &results{
		Solver: "lbfgsnet", GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Shards: nn.AutoShards(p.ds.Rows, net.NumLearnables()),
	}
	ev, err := p.evaluator(net, 0)
	if err != nil {
		return nil, err
	}
	one, err := p.evaluator(net, 1)
	if err != nil {
		return nil, err
	}
	x0 := d.Seeds[0].Params
	if res.EvalSeconds, err = timeEvaluations(ev, x0, s.TimingEvaluations, s.TimingBlocks); err != nil {
		return nil, err
	}
	if res.EvalSecondsOneShard, err = timeEvaluations(one, x0, s.TimingEvaluations, s.TimingBlocks); err != nil {
		return nil, err
	}
	for _, sd := range d.Seeds {
		for _, ls := range lineSearches {
			r, err := train(ev, sd, ls, s)
			if err != nil {
				return nil, err
			}
			res.Runs = append(res.Runs, r)
		}
	}
	return res, nil
}

// train minimises from the seed's initial parameters with line search ls,
// s.Repeats times; the runs must agree bit for bit, and the shortest wall
// time is reported.
func train(ev *nn.Objective, sd seedDump, ls solver.LineSearchMethod, s settings) (runResult, error) {
	var best runResult
	for i := range s.Repeats {
		r, err := trainOnce(ev, sd, ls, s)
		if err != nil {
			return r, err
		}
		if i > 0 && !sameRun(r, best) {
			return r, fmt.Errorf("seed %d, %s: two runs from the same start differ", sd.Seed, ls)
		}
		if i == 0 || r.Seconds < best.Seconds {
			best = r
		}
	}
	return best, nil
}

// trainOnce is one run of train: the solver's defaults but for the history
// size and the line search, stopping on the gradient norm or the iteration
// limit only.
func trainOnce(ev *nn.Objective, sd seedDump, ls solver.LineSearchMethod, s settings) (runResult, error) {
	r := runResult{Seed: sd.Seed, LineSearch: ls.String(), AccuracyIteration: -1}
	if sd.Accuracy >= s.Accuracy {
		r.AccuracyIteration = 0
	}
	opts := solver.DefaultOptions()
	opts.HistorySize = s.HistorySize
	opts.LineSearchMethod = ls
	state, err := solver.NewLBFGSState(opts)
	if err != nil {
		return r, fmt.Errorf("seed %d, %s: %w", sd.Seed, ls, err)
	}
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance = s.GradientTolerance
	stop.StepTolerance = 0 // torch has no equivalent: both stop on ‖g‖₂ alone
	stop.MaxIterations = s.MaxIterations
	stop.Hook = func(st *solver.LBFGSState) error {
		if m, ok := st.AdditionalLossFunctionOutputs.(nn.Metrics); ok && r.AccuracyIteration < 0 &&
			st.Iteration <= s.AccuracyIterations && m.Accuracy >= s.Accuracy {
			r.AccuracyIteration = st.Iteration
		}
		return nil
	}
	x := append([]float64(nil), sd.Params...)
	out, err := solver.Minimize(context.Background(), x, ev.Evaluate, state, stop)
	r.Status, r.Iterations, r.Evaluations = out.Status.String(), out.Iterations, out.LossEvaluations
	r.Seconds, r.Params = out.Elapsed.Seconds(), x
	if err != nil {
		r.Failed, r.Error = true, err.Error()
		return r, nil
	}
	r.Converged = out.Status == solver.GradientTolerance
	r.Loss, r.GradientNorm = finite(out.Loss), finite(out.GradientsNorm)
	if m, ok := state.AdditionalLossFunctionOutputs.(nn.Metrics); ok {
		r.Accuracy = finite(m.Accuracy)
	}
	r.Failed = out.Status == solver.LineSearchFailure || r.Loss == nil || r.GradientNorm == nil
	return r, nil
}

// sameRun reports whether two runs took the same path to the same bits.
func sameRun(a, b runResult) bool {
	if a.Status != b.Status || a.Iterations != b.Iterations || a.Evaluations != b.Evaluations ||
		a.AccuracyIteration != b.AccuracyIteration || len(a.Params) != len(b.Params) {
		return false
	}
	for i, v := range a.Params {
		if math.Float64bits(v) != math.Float64bits(b.Params[i]) {
			return false
		}
	}
	return true
}

// timeEvaluations returns the mean wall time of n evaluations at x, the
// shortest of blocks blocks of n, after a warm-up of n/10 (at least one).
func timeEvaluations(ev *nn.Objective, x []float64, n, blocks int) (float64, error) {
	grad := make([]float64, len(x))
	for range max(1, n/10) {
		if _, _, err := ev.Evaluate(x, grad); err != nil {
			return 0, fmt.Errorf("time evaluations: %w", err)
		}
	}
	best := math.Inf(1)
	for range blocks {
		start := time.Now()
		for range n {
			if _, _, err := ev.Evaluate(x, grad); err != nil {
				return 0, fmt.Errorf("time evaluations: %w", err)
			}
		}
		best = min(best, time.Since(start).Seconds()/float64(n))
	}
	if !(best > 0) {
		return 0, errors.New("time evaluations: the clock did not advance")
	}
	return best, nil
}

// finite returns &v, or nil when v is NaN or infinite (JSON has no NaN).
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
