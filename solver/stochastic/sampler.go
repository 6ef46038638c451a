package stochastic

import "math/rand/v2"

// sampleWithoutReplacement fills dst with len(dst) distinct indices drawn
// uniformly from [0, n) by Floyd's algorithm (Bentley, Programming Pearls,
// 1987), in the order drawn. seen is scratch space reused across calls.
func sampleWithoutReplacement(rng *rand.Rand, n int, dst []int, seen map[int]struct{}) {
	clear(seen)
	k := len(dst)
	for i, j := 0, n-k; j < n; i, j = i+1, j+1 {
		t := rng.IntN(j + 1)
		if _, dup := seen[t]; dup {
			t = j
		}
		seen[t] = struct{}{}
		dst[i] = t
	}
}

// stream is an endless sequence of row indices made of consecutive random
// permutations of [0, n); multi-batch L-BFGS reads its batches as windows of
// it that overlap by a fixed count. With block > 1 each permutation is one
// of the blocks of block consecutive rows, which stay together.
type stream struct {
	n, block int
	rows     []int // rows[pos:] are not yet consumed
	pos      int
	blocks   []int
}

// window returns the next b rows from the current position, drawing a new
// permutation when the buffered rows run out. The slice is valid until the
// next call.
func (s *stream) window(rng *rand.Rand, b int) []int {
	for len(s.rows)-s.pos < b {
		if s.pos > 0 {
			s.rows = append(s.rows[:0], s.rows[s.pos:]...)
			s.pos = 0
		}
		if s.block > 1 {
			s.appendBlocks(rng)
			continue
		}
		start := len(s.rows)
		for i := range s.n {
			s.rows = append(s.rows, i)
		}
		perm := s.rows[start:]
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	}
	return s.rows[s.pos : s.pos+b]
}

// advance moves the position by k rows.
func (s *stream) advance(k int) { s.pos += k }

// appendBlocks appends the rows of a random permutation of the blocks
// [q·block, min((q+1)·block, n)).
func (s *stream) appendBlocks(rng *rand.Rand) {
	nb := (s.n + s.block - 1) / s.block
	s.blocks = s.blocks[:0]
	for q := range nb {
		s.blocks = append(s.blocks, q)
	}
	rng.Shuffle(nb, func(i, j int) { s.blocks[i], s.blocks[j] = s.blocks[j], s.blocks[i] })
	for _, q := range s.blocks {
		for r := q * s.block; r < min((q+1)*s.block, s.n); r++ {
			s.rows = append(s.rows, r)
		}
	}
}
