package stochastic

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic/problems"
)

// Batches of whole blocks are uniform samples: every row is in a batch
// with the same probability m/⌈N/B⌉, the short last block included; a
// batch is m distinct whole blocks; each variance group is made of whole
// blocks; the line search's copy is the batch in increasing order.
func TestProgressiveBlocksAreUniformSamples(t *testing.T) {
	// N = 203 rows in blocks of 4: 50 blocks of 4 and one of 3.
	const n, bs, b, draws = 203, 4, 40, 20000
	for _, blocks := range []int{1, bs} {
		t.Run(fmt.Sprintf("blocks of %d", blocks), func(t *testing.T) {
			o := DefaultProgressiveBatchOptions()
			o.InitialBatchSize, o.VarianceGroups, o.BlockSize = b, 4, blocks
			s, err := NewProgressiveBatch(logistic(n, 3, 1), 3, o)
			if err != nil {
				t.Fatal(err)
			}
			nb := (n + blocks - 1) / blocks
			m := (b + blocks - 1) / blocks
			count := make([]int, n)
			for range draws {
				rows := s.sample(b)
				checkBlockBatch(t, s, rows, blocks, m)
				for _, r := range rows {
					count[r]++
				}
			}
			// count[r] ~ Binomial(draws, m/nb); 5 standard deviations is a
			// bound a correct sampler exceeds with probability below 1e-4
			// over all rows (and this seed is fixed).
			q := float64(m) / float64(nb)
			mean, sd := draws*q, math.Sqrt(draws*q*(1-q))
			for r, c := range count {
				if math.Abs(float64(c)-mean) > 5*sd {
					t.Fatalf("row %d in %d of %d batches, want %.0f ± %.0f", r, c, draws, mean, 5*sd)
				}
			}
		})
	}
}

// checkBlockBatch checks one batch of m blocks of bs rows.
func checkBlockBatch(t *testing.T, s *ProgressiveBatch, rows []int, bs, m int) {
	t.Helper()
	n := s.n
	inBatch := map[int]bool{}
	for _, r := range rows {
		if r < 0 || r >= n || inBatch[r] {
			t.Fatalf("row %d out of range or repeated in %v", r, rows)
		}
		inBatch[r] = true
	}
	k := min(s.popts.VarianceGroups, m)
	if len(s.bounds) != k+1 || s.bounds[0] != 0 || s.bounds[k] != len(rows) {
		t.Fatalf("group bounds %v for %d rows in %d groups", s.bounds, len(rows), k)
	}
	blocks := 0
	for j := range k {
		group := rows[s.bounds[j]:s.bounds[j+1]]
		// Each block of the group whole and in it once.
		for i := 0; i < len(group); {
			q := group[i] / bs
			end := min((q+1)*bs, n)
			if group[i] != q*bs || i+end-q*bs > len(group) {
				t.Fatalf("group %d: block %d cut: %v", j, q, group)
			}
			for r := q * bs; r < end; r, i = r+1, i+1 {
				if group[i] != r {
					t.Fatalf("group %d: block %d not contiguous: %v", j, q, group)
				}
			}
			blocks++
		}
	}
	if blocks != m {
		t.Fatalf("%d blocks in the batch, want %d", blocks, m)
	}
	if want := slices.Sorted(slices.Values(rows)); !slices.Equal(s.sorted, want) {
		t.Fatalf("the line search's rows are not the batch in order")
	}
}

// The variance estimate measures the noise of the batch as drawn. On data
// whose blocks of 8 rows are 8 copies of one row, a batch of b rows in
// blocks holds only b/8 independent rows: its gradient is about 8 times as
// noisy as a batch of b rows drawn one by one, and the estimate says so in
// both cases (the sample test then grows the batch sooner with blocks).
func TestProgressiveBlockNoiseEstimate(t *testing.T) {
	const copies, distinct, p, b, draws = 8, 1000, 5, 512, 1000
	rng := rand.New(rand.NewPCG(4, 4))
	base := problems.NewLeastSquares(rng, distinct, p)
	ls := &problems.LeastSquares{Rows: problems.Rows{N: copies * distinct, P: p, A: make([]float64, copies*distinct*p)}, B: make([]float64, copies*distinct)}
	for i := range ls.N {
		copy(ls.Row(i), base.Row(i/copies))
		ls.B[i] = base.B[i/copies]
	}
	x := []float64{0.3, -0.1, 0.2, 0.05, -0.4}
	full := make([]float64, p)
	ls.EvaluateRows(slices.Collect(func(yield func(int) bool) {
		for i := range ls.N {
			yield(i)
		}
	}), x, full)
	noise := map[int]float64{}
	for _, blocks := range []int{1, copies} {
		o := DefaultProgressiveBatchOptions()
		o.InitialBatchSize, o.BlockSize = b, blocks
		s, err := NewProgressiveBatch(ls, p, o)
		if err != nil {
			t.Fatal(err)
		}
		var estimated, actual float64
		for range draws {
			rows := s.sample(b)
			if _, err := s.evalBatch(x, rows, s.g, true); err != nil {
				t.Fatal(err)
			}
			s.testedSize(len(rows))
			estimated += s.noise / draws
			for i, g := range s.g {
				actual += (g - full[i]) * (g - full[i]) / draws
			}
		}
		// The estimate is that of b rows (or b/8 blocks) drawn with
		// replacement; without replacement the noise is smaller by the
		// finite population factor 1 − b/N.
		actual /= 1 - float64(b)/float64(ls.N)
		t.Logf("blocks of %d: estimated E‖g − ∇F‖² %.4g, measured %.4g", blocks, estimated, actual)
		// Over 1000 draws both means are within about 5% of their
		// expectation (measured: about 2% apart).
		if math.Abs(estimated/actual-1) > 0.15 {
			t.Errorf("blocks of %d: estimated noise %.4g, measured %.4g", blocks, estimated, actual)
		}
		noise[blocks] = estimated
	}
	if r := noise[copies] / noise[1]; r < 5 || r > 12 {
		t.Errorf("noise with blocks of %d copies %.3g times that of single rows, want about %d", copies, r, copies)
	}
}

// A first batch that needs every block is the whole set, in order: with
// N = 203 rows in blocks of 4, a first batch of 202 rows is all 51 blocks.
func TestProgressiveFirstBatchOfEveryBlock(t *testing.T) {
	const n, p = 203, 3
	lg := logistic(n, p, 2)
	o := smallPBOptions()
	o.InitialBatchSize, o.BlockSize, o.NIterations = 202, 4, 5
	x := make([]float64, p)
	s, res := pbRun(t, lg, o, x, func(st *State) error {
		if st.BatchSize != n || !st.FullSetEvaluated {
			t.Errorf("iteration %d: batch of %d rows (full set evaluated %v), want all %d", st.Iteration, st.BatchSize, st.FullSetEvaluated, n)
		}
		return nil
	})
	if res.Iterations != 5 || s.BatchSize() != n || firstNonFinite(x) >= 0 || !(fullLoss(t, lg, x) < math.Log(2)) {
		t.Errorf("%d iterations, batch %d, x %v", res.Iterations, s.BatchSize(), x)
	}
}
