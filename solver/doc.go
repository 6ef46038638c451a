// Package solver minimises a smooth function of a flat []float64 with the
// limited-memory BFGS method, in the manner of MATLAB's lbfgsState and
// lbfgsupdate.
//
// # Conventions
//
// The objective is a LossFunc: given x it writes the gradient into a
// caller-supplied slice and returns the loss, optional extra outputs
// (predictions, accuracy, …) and an error. A NaN or infinite loss or gradient
// is not an error: the line search reads it as a step that went too far.
// Any Go function can be minimised; the autodiff package produces
// LossFuncs for networks.
//
// An LBFGSState carries what MATLAB's lbfgsState carries, under the same
// names. Its settings are methods (HistorySize, InitialInverseHessianFactor,
// LineSearchMethod, MaxNumLineSearchIterations, Options): they have one
// owner and a caller cannot change them. What an update reports is in the
// embedded Report (InverseHessianFactor, StepHistory,
// GradientsDifferenceHistory, HistoryIndices, Loss, Gradients, StepNorm,
// GradientsNorm, LineSearchStatus, …), plus the counters and diagnostics an
// L-BFGS user needs to see why a run behaves as it does: the iteration,
// loss evaluations, the accepted step, whether the newest curvature pair
// was stored or skipped and why, and every line-search trial. The solver
// writes those fields and never reads them back.
//
// The enumerations (LineSearchMethod, LineSearchStatus, PairStatus,
// Outcome, Norm, Status) are integer types whose String is MATLAB's or
// the trace's name.
//
// Options are fixed when the state is created. NewLBFGSState checks each of
// them and names the first one out of range with its valid range
// (*OptionError). An option the chosen line search does not use must keep
// its default, so that no setting is silently ignored.
//
// Update performs one iteration and moves x in place, as lbfgsupdate does;
// UpdateWith takes lbfgsupdate's per-call line-search arguments.
// How an iteration went is data (LineSearchStatus, PairStatus,
// LineSearchTrials), not an error; errors are reserved for misuse and broken
// inputs (ErrDimension, ErrNonFinite, ErrLossFunction, ErrInvalidOption), and
// an Update that returns one leaves the state and x exactly as they were.
// A state is not safe for concurrent use: an Update, UpdateWith or Minimize
// on a state another call is still updating returns ErrConcurrentUse
// instead of racing.
// Minimize repeats Update until a stopping rule fires and reports which as a
// Status; Snapshot and Restore turn the whole state into plain values and
// back, on which the formats of the packages solver/trace (a per-iteration
// JSON-lines trace) and solver/checkpoint (bit-identical resumption) are
// built; Optimizer offers the register-then-Step style of braintools for
// callers who compute gradients themselves.
//
// # Architecture
//
// One iteration (update.go) is: the loss and gradient at x (reused when x is
// bit for bit the point of the previous result and the loss function the
// same func value); optional gradient clipping
// (clip.go), after which the clipped gradient is used everywhere; the search
// direction d = −H·g by the two-loop recursion (twoloop.go) over the stored
// curvature pairs (history.go), with a fall-back to steepest descent if d is
// not a descent direction; a line search along d, one
// algorithm per file — weak Wolfe (weakwolfe.go, the default), strong Wolfe
// (strongwolfe.go), Armijo backtracking (backtracking.go) — sharing the
// contract and interpolation helpers in linesearch.go; and finally the move
// and the curvature pair, stored only when sᵀy > ε·yᵀy. The first Update
// allocates the buffers of the problem's dimension; the history allocates a
// pair when it first stores one, so its memory follows the pairs stored, not
// HistorySize (a state loaded from a checkpoint grows the same way). Once
// the history is full, updates allocate nothing outside the loss function.
// All sums are accumulated in float64 in a fixed order, so equal inputs give
// bit-identical results. From 32768 elements on, the two-loop recursion's
// passes and the curvature pair run in fixed blocks shared with one helper
// goroutine of the package (split.go); the block sums are added in block
// order, so the bits do not depend on the number of cores either.
//
// A failed line search never moves x to a point worse than where the
// update started and never stores a pair built from a rejected point: x
// stays, or moves to the best trial that satisfied sufficient decrease with
// a loss strictly below the start.
//
// # Bounds and L1
//
// Options.Lower and Options.Upper bound x coordinate by coordinate and make
// every update an L-BFGS-B iteration (lbfgsb.go: the compact representation
// in compact.go, the generalized Cauchy point in cauchy.go, the subspace step
// in subspace.go); Options.L1 adds λ·Σ w_i|x_i| to the loss and makes it an
// OWL-QN iteration (owlqn.go, orthant.go). Each is a geometry (constraints.go)
// that replaces the search direction, the trial points and the optimality
// measure; the loop, the line searches, the history, the state, the trace and
// the checkpoints are shared. The state reports ProjectedGradientNorm (zero
// at a KKT point), ActiveBounds, ZeroCoordinates, L1Penalty and
// StartPointProjected, and StopOptions.ProjectedGradientTolerance stops on
// the first. docs/constraints.md has the details.
//
// # References
//
//   - J. Nocedal and S. J. Wright, Numerical Optimization, 2nd ed.,
//     Springer, 2006: ch. 3 (line searches, Algorithms 3.1, 3.5, 3.6) and
//     ch. 7 (L-BFGS, Algorithm 7.4).
//   - D. C. Liu and J. Nocedal, On the limited memory BFGS method for large
//     scale optimization, Math. Program. 45 (1989) 503–528.
//   - J. J. Moré and D. J. Thuente, Line search algorithms with guaranteed
//     sufficient decrease, ACM Trans. Math. Softw. 20 (1994) 286–307.
//   - A. S. Lewis and M. L. Overton, Nonsmooth optimization via
//     quasi-Newton methods, Math. Program. 141 (2013) 135–163 (the weak
//     Wolfe bracketing).
//   - R. H. Byrd, S. L. Hansen, J. Nocedal and Y. Singer, A stochastic
//     quasi-Newton method for large-scale optimization, SIAM J. Optim. 26
//     (2016) 1008–1031.
//   - R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, A limited memory algorithm
//     for bound constrained optimization, SIAM J. Sci. Comput. 16 (1995)
//     1190–1208; J. L. Morales and J. Nocedal, Remark on Algorithm 778,
//     ACM Trans. Math. Softw. 38 (2011) 7.
//   - G. Andrew and J. Gao, Scalable training of L1-regularized log-linear
//     models, ICML 2007.
//   - MATLAB Deep Learning Toolbox, lbfgsState and lbfgsupdate;
//     braintools.optim.LBFGS (learning rate, scale_init_hess, gradient
//     clipping).
package solver
