package solver

// The history of curvature pairs is a ring of m = HistorySize vector pairs
// plus one spare pair. A new pair is formed in the spare; when it is stored
// and the history is full, the storage of the oldest pair becomes the new
// spare and the slice headers of StepHistory, GradientsDifferenceHistory,
// HistoryIndices and rho move one place to the left (O(m) header moves, no
// allocation), so that index 0 is always the oldest pair, as in MATLAB.
//
// The first Update preallocates all m+1 pairs. A checkpoint restore
// preallocates only the spare and lets commitSpare allocate each further
// pair when it is stored, so that a file cannot make the reader allocate
// more than its size warrants. Either way no update allocates once the
// history is full.

// init allocates every buffer the state needs for dimension n > 0 and
// empties the history: the m+1 pairs of history vectors, the two-loop
// scratch, the direction, the start point and its gradients, the trial and
// best-trial buffers, the cached point lastX (empty: nothing cached) and the
// line-search trial records. The first Update calls it.
func (s *LBFGSState) init(n int) { s.initPairs(n, s.opts.HistorySize) }

// initPairs is init with only pairs (0 to HistorySize) free history pairs
// preallocated besides the spare. A checkpoint restore calls it with 0
// before appending the saved pairs with appendPair and setting lastX, Loss
// and Gradients.
func (s *LBFGSState) initPairs(n, pairs int) {
	m := s.opts.HistorySize
	w := &s.work
	*w = workspace{n: n}

	// One backing array for the pairs+1 step vectors and gradient
	// differences; then one for the ten n-vectors of scratch.
	store := make([]float64, 2*(pairs+1)*n)
	vec := func() []float64 {
		v := store[:n:n]
		store = store[n:]
		return v
	}
	w.freeS = make([][]float64, 0, m)
	w.freeY = make([][]float64, 0, m)
	for range pairs {
		w.freeS = append(w.freeS, vec())
		w.freeY = append(w.freeY, vec())
	}
	w.spareS, w.spareY = vec(), vec()

	scratch := make([]float64, 10*n)
	for _, p := range []*[]float64{&w.x0, &w.g0, &w.gc0, &w.d, &w.xt, &w.gt, &w.gtc, &w.xb, &w.gb, &w.grad} {
		*p = scratch[:n:n]
		scratch = scratch[n:]
	}
	w.lastX = make([]float64, 0, n)
	w.rho = make([]float64, 0, m)
	w.alpha = make([]float64, m)
	w.trials = make([]LineSearchTrial, 0, s.opts.MaxNumLineSearchIterations)

	s.StepHistory = make([][]float64, 0, m)
	s.GradientsDifferenceHistory = make([][]float64, 0, m)
	s.HistoryIndices = make([]int, 0, m)
	s.LineSearchTrials = make([]LineSearchTrial, 0, s.opts.MaxNumLineSearchIterations)
	s.InverseHessianFactor = s.opts.InitialInverseHessianFactor
}

// uninit returns a state whose first Update failed to the state
// NewLBFGSState returned, so that the failed call fixed no dimension.
func (s *LBFGSState) uninit() {
	s.work = workspace{}
	s.StepHistory, s.GradientsDifferenceHistory, s.HistoryIndices = nil, nil, nil
	s.LineSearchTrials = nil
	s.InverseHessianFactor = s.opts.InitialInverseHessianFactor
}

// DiscardEvaluation drops the cached loss and gradient, so that the next
// Update evaluates its loss function at the starting point even when x is
// the point of the previous result. The cache is keyed by the point only:
// call DiscardEvaluation when the loss function changes between updates
// (new data, another minibatch, a changed regularisation). The curvature
// history is kept; call ResetHistory as well when the old pairs do not
// describe the new objective. Loss, Gradients and the other fields keep
// their values until the next Update. It allocates nothing, and does
// nothing on a nil state.
func (s *LBFGSState) DiscardEvaluation() {
	if s == nil {
		return
	}
	s.work.lastX = s.work.lastX[:0]
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
	for i := range s.StepHistory {
		w.freeS = append(w.freeS, s.StepHistory[i])
		w.freeY = append(w.freeY, s.GradientsDifferenceHistory[i])
	}
	s.StepHistory = s.StepHistory[:0]
	s.GradientsDifferenceHistory = s.GradientsDifferenceHistory[:0]
	s.HistoryIndices = s.HistoryIndices[:0]
	w.rho = w.rho[:0]
	s.InverseHessianFactor = s.opts.InitialInverseHessianFactor
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
// length n.
func (s *LBFGSState) pushPair(xNew, xOld, gNew, gOld []float64, iteration int) {
	sv, yv := s.work.spareS, s.work.spareY
	var sy, yy float64
	for i := range sv {
		si := xNew[i] - xOld[i] // s_k = x_{k+1} − x_k
		yi := gNew[i] - gOld[i] // y_k = g_{k+1} − g_k
		sv[i], yv[i] = si, yi
		sy += si * yi
		yy += yi * yi
	}
	s.CurvatureProduct = sy
	if !finite(sy) || !finite(yy) || !(sy > s.opts.CurvatureEpsilon*yy) || !finite(1/sy) {
		s.PairStatus = PairSkipped
		return
	}
	s.PairStatus = PairStored
	s.commitSpare(1/sy, iteration) // ρ_k = 1 / (s_kᵀy_k)
	if s.opts.ScaleInitialHessian {
		s.InverseHessianFactor = sy / yy // λ_k = sᵀy / yᵀy
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
// dropping the oldest when the history is full.
func (s *LBFGSState) commitSpare(rho float64, iteration int) {
	w := &s.work
	if len(s.StepHistory) == s.opts.HistorySize {
		// Full: rotate the headers left by one; the oldest storage
		// becomes the spare.
		oldS, oldY := s.StepHistory[0], s.GradientsDifferenceHistory[0]
		k := len(s.StepHistory) - 1
		copy(s.StepHistory, s.StepHistory[1:])
		copy(s.GradientsDifferenceHistory, s.GradientsDifferenceHistory[1:])
		copy(s.HistoryIndices, s.HistoryIndices[1:])
		copy(w.rho, w.rho[1:])
		s.StepHistory[k], s.GradientsDifferenceHistory[k] = w.spareS, w.spareY
		s.HistoryIndices[k] = iteration
		w.rho[k] = rho
		w.spareS, w.spareY = oldS, oldY
		return
	}
	s.StepHistory = append(s.StepHistory, w.spareS)
	s.GradientsDifferenceHistory = append(s.GradientsDifferenceHistory, w.spareY)
	s.HistoryIndices = append(s.HistoryIndices, iteration)
	w.rho = append(w.rho, rho)
	last := len(w.freeS) - 1
	if last < 0 {
		// A restored state that preallocated fewer pairs: grow by one.
		v := make([]float64, 2*w.n)
		w.spareS, w.spareY = v[:w.n:w.n], v[w.n:]
		return
	}
	w.spareS, w.spareY = w.freeS[last], w.freeY[last]
	w.freeS, w.freeY = w.freeS[:last], w.freeY[:last]
}
