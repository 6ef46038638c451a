package stochastic

// history is the cyclic buffer of correction pairs in oneDAL's layout:
// pairs holds 2m rows of length p, s_j in row j and y_j in row m+j
// (oneDAL's correctionPairs table); newest is the row of the newest pair
// (oneDAL's correction index, m−1 before the first pair); rho_j = 1/(s_jᵀy_j),
// 0 for an empty slot, which the recursion passes over.
type history struct {
	m, p   int
	pairs  []float64
	rho    []float64
	alpha  []float64
	newest int
}

func newHistory(m, p int) history {
	return history{m: m, p: p, pairs: make([]float64, 2*m*p), rho: make([]float64, m), alpha: make([]float64, m), newest: m - 1}
}

func (h *history) s(j int) []float64 { return h.pairs[j*h.p : (j+1)*h.p] }
func (h *history) y(j int) []float64 { return h.pairs[(h.m+j)*h.p : (h.m+j+1)*h.p] }

// push stores (s, y) in the next slot, overwriting the oldest pair once the
// buffer is full. The caller has checked sᵀy > 0.
func (h *history) push(s, y []float64) {
	h.newest = (h.newest + 1) % h.m
	copy(h.s(h.newest), s)
	copy(h.y(h.newest), y)
	h.rho[h.newest] = 1 / dot(s, y)
}

// len returns the number of stored pairs.
func (h *history) len() int {
	n := 0
	for _, r := range h.rho {
		if r != 0 {
			n++
		}
	}
	return n
}

// recomputeRho sets rho from the pairs, after they were loaded: rho_j =
// 1/(s_jᵀy_j), 0 where s_jᵀy_j is 0 (an empty slot), as oneDAL does with its
// correctionPairs input.
func (h *history) recomputeRho() {
	for j := range h.rho {
		h.rho[j] = 0
		if sy := dot(h.s(j), h.y(j)); sy != 0 {
			h.rho[j] = 1 / sy
		}
	}
}

// gamma returns the H₀ factor: sᵀy/yᵀy of the newest pair under
// ByrdScaling, 1 otherwise or without a pair.
func (h *history) gamma(scaling InitialScaling) float64 {
	if scaling != ByrdScaling || h.rho[h.newest] == 0 {
		return 1
	}
	y := h.y(h.newest)
	return 1 / (h.rho[h.newest] * dot(y, y))
}

// twoLoop overwrites q with H·q by the two-loop recursion (Nocedal & Wright,
// Algorithm 7.4), newest pair first in the first loop, H₀ = γ·I.
func (h *history) twoLoop(q []float64, gamma float64) {
	m := h.m
	for k := 0; k < m; k++ {
		j := (h.newest - k + m) % m
		if h.rho[j] == 0 {
			continue
		}
		// α_j = ρ_j s_jᵀq;  q ← q − α_j y_j
		h.alpha[j] = h.rho[j] * dot(h.s(j), q)
		axpy(-h.alpha[j], h.y(j), q)
	}
	if gamma != 1 {
		for i := range q {
			q[i] *= gamma
		}
	}
	for k := m - 1; k >= 0; k-- {
		j := (h.newest - k + m) % m
		if h.rho[j] == 0 {
			continue
		}
		// β = ρ_j y_jᵀr;  r ← r + (α_j − β) s_j
		beta := h.rho[j] * dot(h.y(j), q)
		axpy(h.alpha[j]-beta, h.s(j), q)
	}
}

// axpy computes y += a·x.
func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}
