package solver

// The history of curvature pairs holds at most m = HistorySize pairs, plus a
// spare pair in which the next pair is formed. It grows as pairs are stored,
// so that its memory is proportional to the pairs stored, not to m:
//
//   - storing a pair while fewer than m are held moves the spare into the
//     history and takes a new spare: a pair dropped by ResetHistory (the
//     free list) or, when there is none, two newly allocated n-vectors;
//   - storing a pair into a full history makes the oldest pair's storage
//     the new spare and moves the slice headers of StepHistory,
//     GradientsDifferenceHistory, HistoryIndices and rho one place to the
//     left (O(m) header moves, no allocation), so that index 0 is always
//     the oldest pair, as in MATLAB.
//
// The headers (the slices above, the two-loop's α and the free list) grow
// together by doubling, up to m. So a history that has held k pairs holds
// k+1 pairs of vectors and headers for at most max(2k, 8) pairs, and once it
// is full no update allocates. Every pair is stored this way, by an update
// and by a checkpoint restore alike, so a file cannot make the reader
// allocate more than the pairs it holds.

// minHeaderCap is the number of pairs the history headers first make room
// for (fewer when HistorySize is smaller): 8 pairs take 1 KB of headers.
const minHeaderCap = 8

// init allocates the buffers of dimension n > 0 that do not depend on the
// history, and empties the history: the spare pair, the two-loop scratch,
// the direction, the start point and its gradients, the trial and
// best-trial buffers, the cached point lastX (empty: nothing cached) and the
// line-search trial records; and the geometry of the bounds or L1 penalty,
// whose option slices must have length n (*OptionError otherwise, with the
// state unchanged). The first Update, the first evaluation primed or seeded
// into the state, and a checkpoint restore call it.
func (s *LBFGSState) init(n int) error {
	geom, err := s.opts.newGeometry(n)
	if err != nil {
		return err
	}
	w := &s.work
	*w = workspace{n: n, method: w.method, maxTrials: w.maxTrials, geom: geom}
	// One backing array for the spare pair, the twelve n-vectors of
	// scratch and the gradient the Report publishes.
	store := make([]float64, 15*n)
	for _, p := range []*[]float64{&w.spareS, &w.spareY, &w.x0, &w.g0, &w.gc0, &w.d, &w.xt, &w.gt, &w.gtc, &w.xb, &w.gb, &w.xw, &w.gw, &w.grad, &w.pubGrad} {
		*p = store[:n:n]
		store = store[n:]
	}
	w.team = newTeam(n)
	w.lastX = make([]float64, 0, n)
	w.trials = make([]LineSearchTrial, 0, s.opts.MaxNumLineSearchIterations)

	w.pubTrials = make([]LineSearchTrial, 0, s.opts.MaxNumLineSearchIterations)

	s.own.StepHistory, s.own.GradientsDifferenceHistory, s.own.HistoryIndices = nil, nil, nil
	s.own.LineSearchTrials = make([]LineSearchTrial, 0, s.opts.MaxNumLineSearchIterations)
	s.own.InverseHessianFactor = s.lambda0
	return nil
}

// uninit returns a state whose first Update failed to the state
// NewLBFGSState returned, so that the failed call fixed no dimension.
func (s *LBFGSState) uninit() {
	s.work = workspace{}
	s.own.StepHistory, s.own.GradientsDifferenceHistory, s.own.HistoryIndices = nil, nil, nil
	s.own.LineSearchTrials, s.own.Gradients = nil, nil
	s.lambda0 = s.opts.initialLambda()
	s.own.InverseHessianFactor = s.lambda0
	s.publish()
}

// DiscardEvaluation drops the cached loss and gradient, so that the next
// Update evaluates its loss function at the starting point even when x is
// the point of the previous result and the loss function the same func
// value. The cache is keyed by the point and the func value: call
// DiscardEvaluation when the function the same value computes changes
// between updates (new data, another minibatch, a changed regularisation
// read by the closure). The curvature
// history is kept; call ResetHistory as well when the old pairs do not
// describe the new objective. Loss, Gradients and the other fields keep
// their values until the next Update. It allocates nothing, and does
// nothing on a nil state.
func (s *LBFGSState) DiscardEvaluation() {
	if s == nil {
		return
	}
	s.work.lastX = s.work.lastX[:0]
	s.work.key = nil
}

// ResetHistory drops every stored curvature pair and sets
// InverseHessianFactor back to InitialInverseHessianFactor, so that the next
// Update starts from the scaled steepest-descent direction. The cached loss
// and gradient at the current point are kept. It allocates nothing, and
// does nothing on a nil state.
func (s *LBFGSState) ResetHistory() {
	if s == nil {
		return
	}
	w := &s.work
	for i := range s.own.StepHistory {
		w.freeS = append(w.freeS, s.own.StepHistory[i])
		w.freeY = append(w.freeY, s.own.GradientsDifferenceHistory[i])
	}
	s.own.StepHistory = s.own.StepHistory[:0]
	s.own.GradientsDifferenceHistory = s.own.GradientsDifferenceHistory[:0]
	s.own.HistoryIndices = s.own.HistoryIndices[:0]
	w.rho = w.rho[:0]
	s.own.InverseHessianFactor = s.lambda0
	s.publish()
}

// pushPair forms the curvature pair of one update in the spare vectors,
//
//	s = xNew − xOld,  y = gNew − gOld,
//
// where gNew and gOld are the gradients the search direction used (clipped
// when clipping is on), and stores it as formed in iteration (1-based) only
// when sᵀy > ε·yᵀy (ε = CurvatureEpsilon) and sᵀy, yᵀy and ρ = 1/sᵀy are
// finite; otherwise the pair is discarded. It records PairStatus and
// CurvatureProduct = sᵀy, and when the pair is stored and
// ScaleInitialHessian is set, updates λ = sᵀy / yᵀy. All four vectors have
// length n. From splitMin elements on, the pass runs in the blocks of the
// two-loop recursion (split.go), with two partial sums per block.
func (s *LBFGSState) pushPair(xNew, xOld, gNew, gOld []float64, iteration int) {
	sv, yv := s.work.spareS, s.work.spareY
	var sy, yy float64
	if t := s.work.team; t.blocks > 1 {
		// Long vectors: in blocks, shared with the helper (split.go).
		t.begin()
		sy, yy = t.pair(sv, yv, xNew, xOld, gNew, gOld)
		t.end()
	} else {
		for i := range sv {
			si := xNew[i] - xOld[i] // s_k = x_{k+1} − x_k
			yi := gNew[i] - gOld[i] // y_k = g_{k+1} − g_k
			sv[i], yv[i] = si, yi
			sy += si * yi
			yy += yi * yi
		}
	}
	// λ = sᵀy / yᵀy, and the curvature test sᵀy > ε·yᵀy; with y so large
	// (gradients near 10¹⁶⁰ and beyond) that yᵀy overflows, both are taken
	// on ŷ = y/m, m = max|y_i|: sᵀy = m·sᵀŷ, λ = (sᵀŷ / ŷᵀŷ) / m.
	lambda, curved := sy/yy, sy > s.opts.CurvatureEpsilon*yy
	if !finite(yy) && allFinite(yv) && allFinite(sv) {
		m := normInf(yv)
		var sys, yys float64
		for i, yi := range yv {
			yi /= m
			sys += sv[i] * yi
			yys += yi * yi
		}
		sy = sys * m
		lambda, curved = sys/yys/m, sys > s.opts.CurvatureEpsilon*yys*m
	}
	s.own.CurvatureProduct = sy
	if !finite(sy) || !finite(lambda) || !curved || !finite(1/sy) {
		s.own.PairStatus = PairSkipped
		return
	}
	s.own.PairStatus = PairStored
	s.commitSpare(1/sy, iteration) // ρ_k = 1 / (s_kᵀy_k)
	if s.opts.ScaleInitialHessian {
		s.own.InverseHessianFactor = lambda // λ_k = sᵀy / yᵀy
	}
}

// appendPair copies sv and yv (length n) into the history as the newest
// pair, formed in the given iteration (1-based), with ρ = 1/(sᵀy) given by
// the caller, without the curvature test and without changing λ. It is how
// a saved history is restored: passing the saved ρ, rather than recomputing
// it, keeps a resumed run bit-identical. sv and yv must come from a pair that
// passed the test (sᵀy > 0).
func (s *LBFGSState) appendPair(sv, yv []float64, rho float64, iteration int) {
	copy(s.work.spareS, sv)
	copy(s.work.spareY, yv)
	s.commitSpare(rho, iteration)
}

// commitSpare stores the spare pair, with ρ = 1/(sᵀy), as the newest pair,
// dropping the oldest when the history is full, and leaves a spare for the
// next pair.
func (s *LBFGSState) commitSpare(rho float64, iteration int) {
	w := &s.work
	if len(s.own.StepHistory) == s.opts.HistorySize {
		// Full: rotate the headers left by one; the oldest storage
		// becomes the spare.
		oldS, oldY := s.own.StepHistory[0], s.own.GradientsDifferenceHistory[0]
		k := len(s.own.StepHistory) - 1
		copy(s.own.StepHistory, s.own.StepHistory[1:])
		copy(s.own.GradientsDifferenceHistory, s.own.GradientsDifferenceHistory[1:])
		copy(s.own.HistoryIndices, s.own.HistoryIndices[1:])
		copy(w.rho, w.rho[1:])
		s.own.StepHistory[k], s.own.GradientsDifferenceHistory[k] = w.spareS, w.spareY
		s.own.HistoryIndices[k] = iteration
		w.rho[k] = rho
		w.spareS, w.spareY = oldS, oldY
		return
	}
	if len(s.own.StepHistory) == cap(s.own.StepHistory) {
		s.growHeaders()
	}
	// The appends stay within the capacity growHeaders made.
	s.own.StepHistory = append(s.own.StepHistory, w.spareS)
	s.own.GradientsDifferenceHistory = append(s.own.GradientsDifferenceHistory, w.spareY)
	s.own.HistoryIndices = append(s.own.HistoryIndices, iteration)
	w.rho = append(w.rho, rho)
	if last := len(w.freeS) - 1; last >= 0 {
		w.spareS, w.spareY = w.freeS[last], w.freeY[last]
		w.freeS, w.freeY = w.freeS[:last], w.freeY[:last]
		return
	}
	v := make([]float64, 2*w.n)
	w.spareS, w.spareY = v[:w.n:w.n], v[w.n:]
}

// growHeaders doubles the capacity of the history's headers (at least
// minHeaderCap pairs, at most HistorySize), keeping their contents: the
// slices StepHistory, GradientsDifferenceHistory, HistoryIndices, rho, the
// free list, and α, whose length is the capacity. It is called when the
// history, not full, is as long as its headers.
//
// The free list's capacity is the history's: every pair besides the spare
// was allocated to extend the history to a length it has reached, so
// ResetHistory can always move all of them to the free list without
// allocating.
func (s *LBFGSState) growHeaders() {
	w := &s.work
	c := min(s.opts.HistorySize, max(minHeaderCap, 2*cap(s.own.StepHistory)))
	vecs := make([][]float64, 4*c) // history s and y, free s and y
	nums := make([]float64, 2*c)   // ρ and α
	part := func(i int) [][]float64 { return vecs[i*c : i*c : (i+1)*c] }
	s.own.StepHistory = append(part(0), s.own.StepHistory...)
	s.own.GradientsDifferenceHistory = append(part(1), s.own.GradientsDifferenceHistory...)
	w.freeS = append(part(2), w.freeS...)
	w.freeY = append(part(3), w.freeY...)
	s.own.HistoryIndices = append(make([]int, 0, c), s.own.HistoryIndices...)
	w.rho = append(nums[:0:c], w.rho...)
	w.alpha = nums[c:]
}
