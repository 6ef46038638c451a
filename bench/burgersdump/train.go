package main

import (
	"time"

	"github.com/lbfgsnet/lbfgsnet/internal/burgers"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// problem is MATLAB's Burgers problem with its loss closure.
type problem struct {
	net    *nn.Network
	points burgers.Points
	grid   burgers.Grid
	loss   *nn.Objective
	shards int
	seed   uint64
}

func newProblem(seed uint64, shards int) (*problem, error) {
	net, err := burgers.NewNetwork(seed)
	if err != nil {
		return nil, err
	}
	pts, err := burgers.NewPoints(burgers.NumCollocationPoints, seed)
	if err != nil {
		return nil, err
	}
	e, err := burgers.NewExact(burgers.Nu, burgers.DefaultHermiteNodes)
	if err != nil {
		return nil, err
	}
	if shards == 0 {
		shards = nn.AutoShards(burgers.NumCollocationPoints, net.NumLearnables())
	}
	ev, err := burgers.NewLoss(net, pts, shards)
	if err != nil {
		return nil, err
	}
	return &problem{net: net, points: pts, grid: burgers.NewGrid(e), loss: ev, shards: shards, seed: seed}, nil
}

// dump returns the problem for the PyTorch half.
func (p *problem) dump(checkpoints []int) (*dumpFile, error) {
	x := p.net.Flat()
	g := make([]float64, len(x))
	loss, _, err := p.loss.Evaluate(x, g)
	if err != nil {
		return nil, err
	}
	sizes := []int{2}
	for range burgers.NumLayers - 1 {
		sizes = append(sizes, burgers.NumNeurons)
	}
	return &dumpFile{
		Seed: p.seed, Sizes: append(sizes, 1), Params: x,
		Collocation: p.points.Collocation, Data: p.points.Data, Targets: p.points.Targets, Nu: burgers.Nu,
		GridX: p.grid.X, GridTimes: p.grid.Times, Exact: p.grid.Exact,
		Checkpoints: checkpoints, HistorySize: 10, Loss: loss, GradientNorm: norm(g),
	}, nil
}

// results is what burgersdump prints.
type results struct {
	Seed        uint64       `json:"seed"`
	Solver      string       `json:"solver"`
	GoVersion   string       `json:"go_version"`
	GOMAXPROCS  int          `json:"gomaxprocs"`
	Shards      int          `json:"shards"`
	LineSearch  string       `json:"line_search"`
	EvalSeconds float64      `json:"eval_seconds"` // one evaluation on its own, shortest of 10
	Checkpoints []checkpoint `json:"checkpoints"`
	// Stopped says why training ended before the last checkpoint, if it did.
	Stopped string `json:"stopped,omitempty"`
}

// checkpoint is the state after Iteration iterations (fewer if training
// stopped earlier: then Iteration is where it stopped).
type checkpoint struct {
	Iteration   int       `json:"iteration"`
	Loss        float64   `json:"loss"`
	Evaluations int       `json:"evaluations"`
	Errors      []float64 `json:"errors"` // relative L2 error per time slice
	Matrix      float64   `json:"matrix"` // MATLAB's norm(UPred-UTest)/norm(UTest)
	// Seconds is the training wall time so far (checkpoint evaluations
	// excluded), EvalSeconds the mean time per loss evaluation within it.
	Seconds     float64 `json:"seconds"`
	EvalSeconds float64 `json:"eval_seconds"`
}

// train runs one Update per iteration up to the last checkpoint.
func (p *problem) train(checkpoints []int) (*results, error) {
	s, err := newState()
	if err != nil {
		return nil, err
	}
	res := &results{Seed: p.seed, Solver: "lbfgsnet", Shards: p.shards, LineSearch: s.Options().LineSearchMethod.String()}
	x := p.net.Flat()
	evals := 0
	var evalTime, wall time.Duration
	f := func(x, g []float64) (float64, any, error) {
		evals++
		start := time.Now()
		l, e, err := p.loss.Evaluate(x, g)
		evalTime += time.Since(start)
		return l, e, err
	}
	next := 0
	for it := 1; next < len(checkpoints); it++ {
		start := time.Now()
		err := s.Update(x, f)
		wall += time.Since(start)
		if err != nil {
			return nil, err
		}
		stop := ""
		if s.LineSearchStatus == solver.LineSearchFailed {
			stop = "line search failed at iteration " + itoa(it)
		}
		if it == checkpoints[next] || stop != "" {
			c, err := p.checkpoint(it, x, s.Loss, evals, wall, evalTime)
			if err != nil {
				return nil, err
			}
			res.Checkpoints = append(res.Checkpoints, c)
			next++
		}
		if stop != "" {
			res.Stopped = stop
			break
		}
	}
	return res, nil
}

// checkpoint evaluates the network at x on the comparison grid.
func (p *problem) checkpoint(it int, x []float64, loss float64, evals int, wall, evalTime time.Duration) (checkpoint, error) {
	if err := p.net.SetFlatLearnables(x); err != nil {
		return checkpoint{}, err
	}
	pred, err := p.net.Predict(p.grid.Inputs())
	if err != nil {
		return checkpoint{}, err
	}
	e, err := p.grid.Compare(pred)
	if err != nil {
		return checkpoint{}, err
	}
	return checkpoint{Iteration: it, Loss: loss, Evaluations: evals, Errors: e.Slices, Matrix: e.Matrix,
		Seconds: wall.Seconds(), EvalSeconds: evalTime.Seconds() / float64(evals)}, nil
}
