package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// bench is one problem: an objective over N rows and the initial point all
// methods start from.
type bench struct {
	name string
	obj  stochastic.Objective
	x0   []float64
	all  []int
	// scratch receives the gradients of record evaluations.
	scratch []float64
	// monitorEvery is the spacing, in epochs, of the full-set loss records
	// of the stochastic methods.
	monitorEvery float64
	// loss, when set, computes the full-set loss alone (cheaper than a
	// gradient evaluation) for the records.
	loss func(x []float64) (float64, error)
	// onedalEpochs caps the epochs of SQN with oneDAL's defaults, whose
	// 10-row batches make an epoch slow.
	onedalEpochs float64
	// referenceRuns is how many times full-batch L-BFGS and the warm start
	// run (over the first sampling seeds): several where a run takes under
	// a second, so that a moment of load cannot decide the comparison.
	referenceRuns int
	// hvCost is the work of one Hessian-vector term in gradient terms: 2
	// for nn's central difference of gradients; 1 for the logistic
	// regression's exact product (two dot products and an update per row,
	// as its gradient).
	hvCost float64
}

// clock measures the method's own time: it stops while a record is taken.
type clock struct {
	start time.Time
	acc   time.Duration
}

func (c *clock) resume()          { c.start = time.Now() }
func (c *clock) pause()           { c.acc += time.Since(c.start) }
func (c *clock) seconds() float64 { return c.acc.Seconds() }

// recorder takes the full-set loss every monitorEvery epochs.
type recorder struct {
	b    *bench
	clk  clock
	next float64
	r    *run
}

func (b *bench) newRecorder(r *run) *recorder {
	rec := &recorder{b: b, r: r}
	rec.record(0, 0, b.x0)
	rec.clk.resume()
	return rec
}

// record appends the full-set loss at x (the clock must be paused); work
// is the epochs in gradient terms (see point.Work).
func (rec *recorder) record(epoch, work float64, x []float64) {
	var f float64
	var err error
	if rec.b.loss != nil {
		f, err = rec.b.loss(x)
	} else {
		f, _, err = rec.b.obj.EvaluateRows(rec.b.all, x, rec.b.scratch)
	}
	if err != nil {
		f = math.NaN()
	}
	rec.r.Points = append(rec.r.Points, point{T: rec.clk.seconds(), Epoch: epoch, Work: work, Loss: finite(f)})
	for rec.next <= epoch {
		rec.next += rec.b.monitorEvery
	}
}

// maybe records if epoch passed the next record point.
func (rec *recorder) maybe(epoch, work float64, x []float64) {
	if epoch+1e-12 >= rec.next {
		rec.clk.pause()
		rec.record(epoch, work, x)
		rec.clk.resume()
	}
}

func (rec *recorder) finish(epoch, work float64, x []float64) {
	rec.clk.pause()
	if last := rec.r.Points[len(rec.r.Points)-1]; last.Epoch != epoch {
		rec.record(epoch, work, x)
	}
}

// work returns the epochs of a stochastic state in gradient terms.
func (b *bench) work(st *stochastic.State) float64 {
	terms := float64(st.TermsEvaluated) + (b.hvCost-1)*float64(st.HessianVectorTerms)
	return terms / float64(b.obj.NumRows())
}

// finite maps NaN and ±Inf, which JSON cannot hold, to the largest float64:
// the report reads any loss above 1e6 as divergence.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.MaxFloat64
	}
	return v
}

func (b *bench) runAll(seeds []uint64, epochs float64, want map[string]bool, emit func(run) error) error {
	type method struct {
		name     string
		runs     int // the first runs sampling seeds; 0 for all (the recommended settings)
		settings string
		run      func(r *run, seed uint64) error
	}
	n := b.obj.NumRows()
	ms := []method{
		// The reference draws nothing: its runs are identical but for their
		// times, of which the report takes the median.
		{"lbfgs", b.referenceRuns, fmt.Sprintf("full batch, solver defaults (history 10, weak Wolfe), 60 iterations; %d identical run(s), median time", b.referenceRuns), b.fullBatch},
		{"sqn-onedal", 1, "oneDAL defaults exactly: m 10, L 10, batch 10, pair batch 100, step 1, H0 = I, oneDAL's batch-gradient stop",
			func(r *run, seed uint64) error {
				o := stochastic.DefaultSQNOptions()
				o.ConvergenceTest, o.FullSetEvery = stochastic.BatchGradient, -1
				return b.sqn(r, seed, min(epochs, b.onedalEpochs), o)
			}},
		{"sqn-recommended", 0, settingsSQN(stochastic.RecommendedSQNOptions(n)),
			func(r *run, seed uint64) error { return b.sqn(r, seed, epochs, recommendedSQN(n)) }},
		{"multi-batch", 0, settingsMB(recommendedMB(n)),
			func(r *run, seed uint64) error { return b.multiBatch(r, seed, epochs, recommendedMB(n)) }},
		{"multi-batch-pytorch-lbfgs", 1, settingsMB(pytorchLBFGSMB(n)),
			func(r *run, seed uint64) error { return b.multiBatch(r, seed, epochs, pytorchLBFGSMB(n)) }},
		{"progressive-batch", 0, settingsPB(recommendedPB(n)),
			func(r *run, seed uint64) error { return b.progressive(r, seed, epochs, recommendedPB(n)) }},
		{"progressive-batch-blocks", 0, settingsPB(blocksPB(n)),
			func(r *run, seed uint64) error { return b.progressive(r, seed, epochs, blocksPB(n)) }},
		{"adam", 1, "Adam, minibatch 256, lr 1e-3, betas (0.9, 0.999)", func(r *run, seed uint64) error { return b.adam(r, seed, epochs, 1e-3) }},
		{"sgd", 1, "SGD, minibatch 256, lr 0.1", func(r *run, seed uint64) error { return b.sgd(r, seed, epochs, 0.1) }},
		{"warm-start", b.referenceRuns, fmt.Sprintf("multi-batch (as above) for %v epochs, then full-batch L-BFGS", *warmEpochs), func(r *run, seed uint64) error { return b.warmStart(r, seed, *warmEpochs) }},
	}
	for _, m := range ms {
		if want != nil && !want[m.name] {
			continue
		}
		ss := seeds
		if m.runs > 0 {
			ss = seeds[:min(len(seeds), m.runs)]
		}
		for _, seed := range ss {
			r := run{Problem: b.name, Method: m.name, Settings: m.settings, Seed: seed}
			// Every run starts from a collected heap, so that no run pays
			// for the garbage of the data generation or of the run before.
			runtime.GC()
			if err := m.run(&r, seed); err != nil {
				return fmt.Errorf("%s seed %d: %w", m.name, seed, err)
			}
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	return nil
}

func recommendedSQN(n int) stochastic.SQNOptions {
	o := stochastic.RecommendedSQNOptions(n)
	o.ConvergenceTest, o.FullSetEvery = stochastic.NoConvergenceTest, -1
	return o
}

// recommendedMB is multi-batch L-BFGS as lbfgsnet train --solver
// multi-batch runs it by default.
func recommendedMB(n int) stochastic.MultiBatchOptions {
	o := stochastic.DefaultMultiBatchOptions()
	o.BatchSize = min(n, 4096)
	o.PowellDamping = true
	o.StepDecay = 1
	o.MaxStepNorm = 1
	o.ConvergenceTest, o.FullSetEvery = stochastic.NoConvergenceTest, -1
	return o
}

// pytorchLBFGSMB is multi-batch L-BFGS with the settings of PyTorch-LBFGS's
// multi-batch example: batch 8192, overlap 0.25, Powell damping, step 1.
func pytorchLBFGSMB(n int) stochastic.MultiBatchOptions {
	o := stochastic.DefaultMultiBatchOptions()
	o.BatchSize = min(n, 8192)
	o.PowellDamping = true
	o.ConvergenceTest, o.FullSetEvery = stochastic.NoConvergenceTest, -1
	return o
}

// recommendedPB is progressive batching L-BFGS as lbfgsnet train --solver
// progressive-batch runs it by default.
func recommendedPB(n int) stochastic.ProgressiveBatchOptions {
	o := stochastic.DefaultProgressiveBatchOptions()
	o.InitialBatchSize = min(n, o.InitialBatchSize)
	o.ConvergenceTest, o.FullSetEvery = stochastic.NoConvergenceTest, -1
	return o
}

// blockRows is the BlockSize of progressive-batch-blocks: 8 consecutive
// rows (6.4 KB of the logistic regression's matrix) cost, read from a
// random place in memory, about as much per row as a sequential pass,
// where single random rows cost about twice as much.
const blockRows = 8

// blocksPB is recommendedPB drawing its batches in blocks of blockRows
// consecutive rows (lbfgsnet train --solver progressive-batch --block-size 8).
func blocksPB(n int) stochastic.ProgressiveBatchOptions {
	o := recommendedPB(n)
	o.BlockSize = blockRows
	return o
}

func settingsPB(o stochastic.ProgressiveBatchOptions) string {
	rows := "rows drawn one by one"
	if o.BlockSize > 1 {
		rows = fmt.Sprintf("blocks of %d consecutive rows", o.BlockSize)
	}
	return fmt.Sprintf("m %d, first batch %d (%s), %d variance groups, %v test θ %v, growth at most %v×, Armijo c1 %v from a first step of %v, H0 %v",
		o.M, o.InitialBatchSize, rows, o.VarianceGroups, o.SampleTest, o.Theta, o.MaxGrowth, o.SufficientDecrease, o.StepLengthSequence[0], o.InitialScaling)
}

func (b *bench) progressive(r *run, seed uint64, epochs float64, o stochastic.ProgressiveBatchOptions) error {
	o.Seed, o.MaxEpochs, o.NIterations = seed, epochs, math.MaxInt32
	s, err := stochastic.NewProgressiveBatch(b.obj, len(b.x0), o)
	if err != nil {
		return err
	}
	return b.stochastic(r, s.Run, nil)
}

func settingsSQN(o stochastic.SQNOptions) string {
	return fmt.Sprintf("m %d, L %d, batch %d, pair batch %d, step %v/(1+%v·epoch), max step %v, H0 %v",
		o.M, o.L, o.BatchSize, o.CorrectionPairBatchSize, o.StepLengthSequence[0], o.StepDecay, o.MaxStepNorm, o.InitialScaling)
}

func settingsMB(o stochastic.MultiBatchOptions) string {
	return fmt.Sprintf("m %d, batch %d, overlap %v, Powell damping %v, step %v/(1+%v·epoch), max step %v, H0 %v",
		o.M, o.BatchSize, o.Overlap, o.PowellDamping, o.StepLengthSequence[0], o.StepDecay, o.MaxStepNorm, o.InitialScaling)
}

func (b *bench) sqn(r *run, seed uint64, epochs float64, o stochastic.SQNOptions) error {
	o.Seed, o.MaxEpochs, o.NIterations = seed, epochs, math.MaxInt32
	s, err := stochastic.NewSQN(b.obj, len(b.x0), o)
	if err != nil {
		return err
	}
	return b.stochastic(r, s.Run, nil)
}

func (b *bench) multiBatch(r *run, seed uint64, epochs float64, o stochastic.MultiBatchOptions) error {
	o.Seed, o.MaxEpochs, o.NIterations = seed, epochs, math.MaxInt32
	s, err := stochastic.NewMultiBatch(b.obj, len(b.x0), o)
	if err != nil {
		return err
	}
	return b.stochastic(r, s.Run, nil)
}

type runFunc func(context.Context, []float64, func(*stochastic.State) error) (stochastic.Result, error)

// stochastic runs a solver from x0 (or x, when given), recording as it goes.
func (b *bench) stochastic(r *run, runner runFunc, x []float64) error {
	if x == nil {
		x = append([]float64(nil), b.x0...)
	}
	rec := b.newRecorder(r)
	res, err := runner(context.Background(), x, func(st *stochastic.State) error {
		rec.maybe(st.Epoch, b.work(st), x)
		return nil
	})
	rec.finish(res.State.Epoch, b.work(&res.State), x)
	r.Status = res.Status.String()
	return err
}

// fullBatch runs full-batch L-BFGS for 60 iterations; an epoch is one loss
// and gradient evaluation on all rows.
func (b *bench) fullBatch(r *run, _ uint64) error {
	x := append([]float64(nil), b.x0...)
	_, err := b.lbfgs(r, x, nil, 0, 60)
	return err
}

// lbfgs runs full-batch L-BFGS from x, continuing the records of rec (or
// starting them), with epochs counted from epoch0.
func (b *bench) lbfgs(r *run, x []float64, rec *recorder, epoch0 float64, iterations int) (solver.Result, error) {
	if rec == nil {
		rec = b.newRecorder(r)
	}
	f := func(x, grad []float64) (float64, any, error) {
		v, _, err := b.obj.EvaluateRows(b.all, x, grad)
		return v, nil, err
	}
	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		return solver.Result{}, err
	}
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance, stop.StepTolerance, stop.MaxIterations = 0, 0, iterations
	stop.Hook = func(s *solver.LBFGSState) error {
		rec.clk.pause()
		// The loss at the new x is the solver's own full-set loss.
		e := epoch0 + float64(s.NumLossEvaluations)
		rec.r.Points = append(rec.r.Points, point{T: rec.clk.seconds(), Epoch: e, Work: e, Loss: finite(s.Loss)})
		switch s.Iteration {
		case 10:
			r.Iteration10 = s.Loss
		case 50:
			r.Iteration50 = s.Loss
		}
		rec.clk.resume()
		return nil
	}
	res, err := solver.Minimize(context.Background(), x, f, state, stop)
	rec.clk.pause()
	r.Status = res.Status.String()
	return res, err
}

// warmStart runs recommended multi-batch L-BFGS for the given epochs, then
// full-batch L-BFGS from its result, on one clock.
func (b *bench) warmStart(r *run, seed uint64, epochs float64) error {
	o := recommendedMB(b.obj.NumRows())
	o.Seed, o.MaxEpochs, o.NIterations = seed, epochs, math.MaxInt32
	s, err := stochastic.NewMultiBatch(b.obj, len(b.x0), o)
	if err != nil {
		return err
	}
	x := append([]float64(nil), b.x0...)
	rec := b.newRecorder(r)
	res, err := s.Run(context.Background(), x, func(st *stochastic.State) error {
		rec.maybe(st.Epoch, st.Epoch, x)
		return nil
	})
	if err != nil {
		return err
	}
	rec.clk.pause()
	rec.record(res.State.Epoch, res.State.Epoch, x)
	rec.clk.resume()
	_, err = b.lbfgs(r, x, rec, res.State.Epoch, 60)
	r.Iteration10, r.Iteration50 = 0, 0
	return err
}

// minibatches calls step with the rows of each minibatch of size bs, epoch
// after epoch of fresh permutations, until epochs have passed.
func (b *bench) minibatches(r *run, seed uint64, epochs float64, bs int, x []float64, step func(rows []int) error) error {
	n := b.obj.NumRows()
	rng := rand.New(rand.NewPCG(seed, 0))
	perm := make([]int, n)
	rec := b.newRecorder(r)
	var terms int64
	for float64(terms) < epochs*float64(n) {
		for i := range perm {
			perm[i] = i
		}
		rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for start := 0; start+bs <= n && float64(terms) < epochs*float64(n); start += bs {
			if err := step(perm[start : start+bs]); err != nil {
				return err
			}
			terms += int64(bs)
			e := float64(terms) / float64(n)
			rec.maybe(e, e, x)
		}
	}
	e := float64(terms) / float64(n)
	rec.finish(e, e, x)
	r.Status = "EpochLimit"
	return nil
}

func (b *bench) sgd(r *run, seed uint64, epochs, lr float64) error {
	x := append([]float64(nil), b.x0...)
	g := make([]float64, len(x))
	return b.minibatches(r, seed, epochs, 256, x, func(rows []int) error {
		if _, _, err := b.obj.EvaluateRows(rows, x, g); err != nil {
			return err
		}
		for i := range x {
			x[i] -= lr * g[i]
		}
		return nil
	})
}

func (b *bench) adam(r *run, seed uint64, epochs, lr float64) error {
	x := append([]float64(nil), b.x0...)
	g := make([]float64, len(x))
	opts := stochastic.DefaultAdamOptions() // betas (0.9, 0.999), eps 1e-8
	opts.LearningRate = lr
	adam, err := stochastic.NewAdam(len(x), opts)
	if err != nil {
		return err
	}
	return b.minibatches(r, seed, epochs, 256, x, func(rows []int) error {
		if _, _, err := b.obj.EvaluateRows(rows, x, g); err != nil {
			return err
		}
		return adam.Step(x, g)
	})
}
