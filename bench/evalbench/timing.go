package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/internal/blas"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

var dtypes = []tensor.Dtype{tensor.Float64, tensor.Float32}

// measure calls f twice to warm up, then repeatedly for about budget
// seconds (at least 5 times), and returns the median and the shortest
// time of one call in milliseconds.
func measure(budget float64, f func() error) (median, best float64, err error) {
	for range 2 {
		if err := f(); err != nil {
			return 0, 0, err
		}
	}
	var ts []float64
	start := time.Now()
	for len(ts) < 5 || time.Since(start).Seconds() < budget {
		t0 := time.Now()
		if err := f(); err != nil {
			return 0, 0, err
		}
		ts = append(ts, float64(time.Since(t0).Nanoseconds())/1e6)
	}
	slices.Sort(ts)
	return ts[len(ts)/2], ts[0], nil
}

// timeEvals times one loss-and-gradient evaluation (flat parameters in,
// flat gradient out) of every problem in float64 and float32.
func timeEvals(ps []*problem, budget float64, emit func(map[string]any) error) error {
	for _, p := range ps {
		for _, dt := range dtypes {
			ev, x, err := p.evaluator(dt, 0)
			if err != nil {
				return fmt.Errorf("%s %v: %w", p.Name, dt, err)
			}
			g := make([]float64, len(x))
			var loss float64
			med, best, err := measure(budget, func() (err error) {
				loss, _, err = ev.Evaluate(x, g)
				return err
			})
			if err != nil {
				return fmt.Errorf("%s %v: %w", p.Name, dt, err)
			}
			if err := emit(map[string]any{"kind": "eval", "problem": p.Name, "shape": p.String(), "dtype": dt.String(),
				"ms": med, "best_ms": best, "loss": finite(loss), "shards": ev.NumShards()}); err != nil {
				return err
			}
		}
	}
	return nil
}

// product is one GEMM of an evaluation: C (m×n) = op(A)·op(B).
type product struct {
	tA, tB  bool
	m, n, k int
}

// products lists the GEMMs of one evaluation of rows observations: per
// layer the forward Z = X·W, the weight gradient Xᵀ·dZ and, above the
// first layer, the input gradient dZ·Wᵀ.
func products(sizes []int, rows int) []product {
	var ps []product
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		ps = append(ps, product{false, false, rows, out, in}, product{true, false, in, out, rows})
		if l > 0 {
			ps = append(ps, product{false, true, rows, in, out})
		}
	}
	return ps
}

// timeGemms times the products of one evaluation of each problem on
// OpenBLAS, the batch whole with 2 threads and as two concurrent halves
// with 1 thread each (nn's sharding), and reports the faster: the time an
// evaluation cannot beat on this machine.
func timeGemms(ps []*problem, budget float64, emit func(map[string]any) error) error {
	if err := blas.Use(blas.OpenBLAS); err != nil {
		return err
	}
	info, _ := blas.Current()
	defer func() { _ = blas.SetThreads(info.Threads) }()
	for _, p := range ps {
		for _, dt := range dtypes {
			best := map[string]float64{}
			for _, cfg := range []struct {
				name            string
				threads, shards int
			}{{"whole batch, 2 threads", 2, 1}, {"2 shards, 1 thread each", 1, 2}} {
				if err := blas.SetThreads(cfg.threads); err != nil {
					return err
				}
				var run func() error
				if dt == tensor.Float64 {
					run = gemmRun[float64](p, cfg.shards)
				} else {
					run = gemmRun[float32](p, cfg.shards)
				}
				med, _, err := measure(budget, run)
				if err != nil {
					return err
				}
				best[cfg.name] = med
			}
			flops := 0.0
			for _, q := range products(p.Sizes, p.Rows) {
				flops += 2 * float64(q.m) * float64(q.n) * float64(q.k)
			}
			lim := min(best["whole batch, 2 threads"], best["2 shards, 1 thread each"])
			if err := emit(map[string]any{"kind": "gemm", "problem": p.Name, "shape": p.String(), "dtype": dt.String(),
				"ms": lim, "configs_ms": best, "gflops": flops / lim / 1e6}); err != nil {
				return err
			}
		}
	}
	return nil
}

// gemmRun returns a func computing the products of one evaluation of p on
// shards concurrent row blocks, on operands of random values.
func gemmRun[T float32 | float64](p *problem, shards int) func() error {
	type buffers struct{ a, b, c []T }
	var work [][]struct {
		product
		buffers
	}
	for s := range shards {
		rows := (s+1)*p.Rows/shards - s*p.Rows/shards
		var w []struct {
			product
			buffers
		}
		for _, q := range products(p.Sizes, rows) {
			ra, ca := q.m, q.k
			if q.tA {
				ra, ca = ca, ra
			}
			a, b, c := make([]T, ra*ca), make([]T, q.k*q.n), make([]T, q.m*q.n)
			for i := range a {
				a[i] = T(i%7) - 3
			}
			for i := range b {
				b[i] = T(i%5) - 2
			}
			w = append(w, struct {
				product
				buffers
			}{q, buffers{a, b, c}})
		}
		work = append(work, w)
	}
	return func() error {
		var wg sync.WaitGroup
		for _, w := range work {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, q := range w {
					blas.Gemm(q.tA, q.tB, q.m, q.n, q.k, 1, q.a, q.b, 0, q.c)
				}
			}()
		}
		wg.Wait()
		return nil
	}
}

// trainL2 is the L2 factor of the training loss: without it the network
// (83 000 learnables) interpolates the 1797 digits within 50 to 60
// iterations, the loss reaching 0 and the line search failing, where the
// benchmark wants 100 ordinary iterations.
const trainL2 = 1e-3

// trainAll trains p for 100 iterations with the strong Wolfe line search
// and a history of 10 (torch.optim.LBFGS's setting in the PyTorch half),
// in float64 and float32, repeats times each, and reports each run.
func trainAll(p *problem, repeats int, emit func(map[string]any) error) error {
	for _, dt := range dtypes {
		for rep := range repeats {
			ev, x, err := p.evaluator(dt, trainL2)
			if err != nil {
				return err
			}
			opts := solver.DefaultOptions()
			opts.HistorySize = 10
			opts.LineSearchMethod = solver.StrongWolfe
			state, err := solver.NewLBFGSState(opts)
			if err != nil {
				return err
			}
			stop := solver.StopOptions{MaxIterations: 100, OnLineSearchFailure: solver.DefaultOnLineSearchFailure}
			cpu0 := cpuSeconds()
			res, err := solver.Minimize(context.Background(), x, ev.Evaluate, state, stop)
			if err != nil {
				return fmt.Errorf("train %v: %w", dt, err)
			}
			sec, cpu := res.Elapsed.Seconds(), cpuSeconds()-cpu0
			if err := emit(map[string]any{"kind": "train", "problem": p.Name, "shape": p.String(), "dtype": dt.String(), "repeat": rep,
				"iterations": res.Iterations, "evaluations": res.LossEvaluations, "seconds": sec,
				"ms_per_iteration":     1e3 * sec / float64(max(res.Iterations, 1)),
				"cpu_ms_per_iteration": 1e3 * cpu / float64(max(res.Iterations, 1)), "loss": finite(res.Loss), "status": res.Status.String(), "l2": trainL2}); err != nil {
				return err
			}
		}
	}
	return nil
}
