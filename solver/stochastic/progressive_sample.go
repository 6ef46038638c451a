package stochastic

import "slices"

// sample draws the batch of ProgressiveBatch for a target of b rows and
// returns its rows; s.bounds then holds the k+1 row offsets of its variance
// groups and s.sorted the batch in increasing row order. With N rows it
// returns all of them in order.
//
// The batch is m = ⌈b/B⌉ blocks of B = BlockSize consecutive rows, drawn
// uniformly without replacement by a partial Fisher–Yates shuffle of the
// block indices (undone afterwards, so that the draw depends on the engine
// alone). With B = 1 the blocks are single rows. The k = min(K, m) variance
// groups are chunks of whole blocks in the order drawn, so they are a
// random partition of the batch into sets of blocks.
func (s *ProgressiveBatch) sample(b int) []int {
	if b == s.n {
		s.bounds = append(s.bounds[:0], 0, s.n)
		return s.allRows()
	}
	bs := s.popts.BlockSize
	nb := (s.n + bs - 1) / bs
	m := min(nb, (b+bs-1)/bs)
	if s.perm == nil {
		s.perm = make([]int, nb)
		for i := range s.perm {
			s.perm[i] = i
		}
	}
	s.swaps = s.swaps[:0]
	for i := range m {
		j := i + s.rng.IntN(nb-i)
		s.perm[i], s.perm[j] = s.perm[j], s.perm[i]
		s.swaps = append(s.swaps, j)
	}
	s.drawn = append(s.drawn[:0], s.perm[:m]...)
	for i := m - 1; i >= 0; i-- {
		j := s.swaps[i]
		s.perm[i], s.perm[j] = s.perm[j], s.perm[i]
	}
	k := min(s.popts.VarianceGroups, m)
	s.orderBlocks(m, k, nb)
	if bs == 1 {
		s.rows, s.sorted = s.drawn, s.sortedBlocks
		s.bounds = s.bounds[:0]
		for j := range k + 1 {
			s.bounds = append(s.bounds, j*m/k)
		}
		return s.rows
	}
	// Expand blocks into rows; group j is blocks [j·m/k, (j+1)·m/k).
	s.rows, s.bounds = s.rows[:0], s.bounds[:0]
	for j := range k {
		s.bounds = append(s.bounds, len(s.rows))
		for _, q := range s.drawn[j*m/k : (j+1)*m/k] {
			s.rows = s.appendBlock(s.rows, q)
		}
	}
	s.bounds = append(s.bounds, len(s.rows))
	s.sorted = s.sorted[:0]
	for _, q := range s.sortedBlocks {
		s.sorted = s.appendBlock(s.sorted, q)
	}
	return s.rows
}

// appendBlock appends the rows of block q, [q·B, min((q+1)·B, N)).
func (s *ProgressiveBatch) appendBlock(rows []int, q int) []int {
	bs := s.popts.BlockSize
	for r := q * bs; r < min((q+1)*bs, s.n); r++ {
		rows = append(rows, r)
	}
	return rows
}

// orderBlocks puts the m drawn blocks of each of the k groups, and of the
// copy s.sortedBlocks the line search evaluates, in increasing order: the
// groups stay the random partition the draw made (chunks of the draw
// order), while an objective that reads its rows from memory reads them in
// address order, which for large batches costs about half as much as a
// random order. Large draws are ordered by one pass over a mark per block
// (of nb), small ones by sorting.
func (s *ProgressiveBatch) orderBlocks(m, k, nb int) {
	d := s.drawn
	if m*64 < nb {
		for j := range k {
			slices.Sort(d[j*m/k : (j+1)*m/k])
		}
		s.sortedBlocks = append(s.sortedBlocks[:0], d...)
		slices.Sort(s.sortedBlocks)
		return
	}
	if s.gid == nil {
		s.gid = make([]uint16, nb)
	}
	for j := range k {
		for _, q := range d[j*m/k : (j+1)*m/k] {
			s.gid[q] = uint16(j + 1)
		}
	}
	// next[j] is where group j's next block goes.
	next := s.next[:0]
	for j := range k {
		next = append(next, j*m/k)
	}
	s.sortedBlocks = s.sortedBlocks[:0]
	for q, g := range s.gid {
		if g == 0 {
			continue
		}
		d[next[g-1]] = q
		next[g-1]++
		s.sortedBlocks = append(s.sortedBlocks, q)
		s.gid[q] = 0
	}
	s.next = next
}
