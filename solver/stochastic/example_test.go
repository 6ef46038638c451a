package stochastic_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
	"github.com/lbfgsnet/lbfgsnet/solver/stochastic/problems"
)

// SQN with oneDAL's parameter names on a logistic regression of 10,000 rows.
func ExampleNewSQN() {
	obj := problems.NewLogistic(rand.New(rand.NewPCG(1, 2)), 10000, 10, 1e-3)
	opts := stochastic.RecommendedSQNOptions(obj.NumRows())
	opts.NIterations = 400  // oneDAL's nIterations
	opts.L = 10             // a correction pair every 10 iterations
	opts.BatchSize = 256    // oneDAL's batchSize
	opts.FullSetEvery = 100 // the loss on all rows every 100 iterations
	s, err := stochastic.NewSQN(obj, 10, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float64, 10)
	res, err := s.Run(context.Background(), x, func(st *stochastic.State) error {
		if st.FullSetEvaluated {
			fmt.Printf("iteration %d, epoch %.2f: full-set loss %.4f\n", st.Iteration, st.Epoch, st.FullLoss)
		}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, "pairs stored:", res.State.PairsStored)
	// Output:
	// iteration 100, epoch 3.48: full-set loss 0.2962
	// iteration 200, epoch 7.07: full-set loss 0.2957
	// iteration 300, epoch 10.65: full-set loss 0.2954
	// FullSetAccuracy pairs stored: 29
}

// Multi-batch L-BFGS: batches of 1024 rows overlapping by a quarter,
// Powell damping, a step of 1 divided by 1 + epoch.
func ExampleNewMultiBatch() {
	obj := problems.NewLogistic(rand.New(rand.NewPCG(1, 2)), 10000, 10, 1e-3)
	opts := stochastic.DefaultMultiBatchOptions()
	opts.PowellDamping = true
	opts.StepDecay = 1
	opts.MaxEpochs = 5
	opts.NIterations = 1000
	s, err := stochastic.NewMultiBatch(obj, 10, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float64, 10)
	res, err := s.Run(context.Background(), x, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v after %d iterations, epoch %.2f, overlap %d rows: full-set loss %.4f\n",
		res.Status, res.Iterations, res.State.Epoch, s.OverlapSize(), res.State.FullLoss)
	// Output:
	// FullSetAccuracy after 49 iterations, epoch 5.02, overlap 256 rows: full-set loss 0.2951
}

// Progressive batching L-BFGS: batches grow from 512 rows as the norm test
// asks until they hold all rows, and the run then converges like
// full-batch L-BFGS, here until ‖g‖² < 1e-14·max(1, ‖x‖²) on the full set.
func ExampleNewProgressiveBatch() {
	obj := problems.NewLogistic(rand.New(rand.NewPCG(1, 2)), 10000, 10, 1e-3)
	opts := stochastic.DefaultProgressiveBatchOptions()
	opts.AccuracyThreshold = 1e-14 // ‖g‖² < 1e-14·max(1, ‖x‖²)
	opts.NIterations = 100
	s, err := stochastic.NewProgressiveBatch(obj, 10, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float64, 10)
	last := 0
	res, err := s.Run(context.Background(), x, func(st *stochastic.State) error {
		if st.BatchSize != last {
			fmt.Printf("iteration %d: batch of %d rows\n", st.Iteration, st.BatchSize)
			last = st.BatchSize
		}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v after %d iterations, epoch %.2f: full-set loss %.6f\n", res.Status, res.Iterations, res.State.Epoch, res.State.FullLoss)
	// Output:
	// iteration 1: batch of 512 rows
	// iteration 7: batch of 672 rows
	// iteration 9: batch of 6720 rows
	// iteration 10: batch of 7392 rows
	// iteration 11: batch of 10000 rows
	// FullSetAccuracy after 16 iterations, epoch 9.97: full-set loss 0.294846
}
