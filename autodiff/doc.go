// Package autodiff turns a gorgonia graph into the loss closure an
// optimiser drives: given a flat parameter vector x it sets the graph's
// parameters, runs the graph, and returns the loss, the gradient (flat, in
// the parameters' order) and any extra outputs. It also checks such a
// closure's gradient against finite differences.
//
// # The closure
//
// An Evaluator's Evaluate method has the signature
//
//	func(x, grad []float64) (loss float64, extra any, err error)
//
// which is the solver package's LossFunc; autodiff does not import the
// solver, and the method value ev.Evaluate assigns to solver.LossFunc
// directly. It works for any graph: a network built by package nn, or a
// few scalar parameters of a curve (see the example of New).
//
// A loss made of one graph per shard of rows, such as package nn's
// training objective, comes in through the Objective interface: autodiff,
// its consumer, defines it, as the solver defines LossFunc, so
// *nn.Objective satisfies it without nn importing autodiff.
// FromObjective(obj) builds the Evaluator, with obj.Metrics as the extra
// output.
//
// The flat vector x concatenates the parameters' values in the order of
// Graph.Params, each tensor in row-major order and each scalar as one
// entry. The solver always works in float64; a float32 graph is converted
// once at this boundary: x is rounded to float32 when it is written into
// the parameters, and the float32 loss and gradient are widened to
// float64.
//
// # Architecture
//
// New (one graph), NewSharded (several) and FromObjective (one per shard
// of an Objective) validate each graph, add its gradient nodes with
// gorgonia.Grad (never BindDualValues, whose gradients accumulate across
// runs), and order the nodes that the cost, the gradients and the outputs
// depend on as gorgonia's tape machine would (gorgonia.Sort). All of this
// happens once. Each evaluation then copies x into the parameters'
// existing values (no new tensors), calls each op's Do in that order on
// the calling goroutine, and reads the cost and the gradient nodes, so the
// result depends on x alone: evaluating at x1, x2 and x1 again gives
// identical results for the two x1 calls. The graphs are not run by
// gorgonia's tape machine: its RunAll hands every run to a goroutine of
// its own locked to an OS thread through channels and dispatches each
// instruction with allocations and bookkeeping, which cost more than the
// arithmetic of a small network on a few rows (docs/benchmarks.md). Ops
// run through Do, never in place on their inputs; nodes the results do not
// depend on (gorgonia.Read statements among them) are not run, and the
// computed values are not bound to their nodes. The same runner is
// exported as Program for graphs without a cost: package nn's Predict
// runs a network's forward pass with it.
//
// A sharded evaluator holds one graph per block of rows of a batch. It
// runs the graphs in parallel goroutines and adds their costs
// and gradients in graph order, so the result is deterministic and equals
// the single-graph value up to rounding. On two cores two shards were
// faster than one from about 2·10⁶ rows × learnables, one shard below
// (docs/benchmarks.md); nn.AutoShards encodes what was measured.
//
// # Errors and non-finite values
//
// A NaN or infinite loss or gradient is returned as computed, not as an
// error: the solver's line search treats it as a step that went too far.
// Errors are for misuse (ErrDimension, ErrInvalidGraph) and for failures
// inside gorgonia (ErrRun), which are returned with the graph and the
// parameter or op at fault. A panic inside gorgonia while a graph is
// differentiated, set up or run is recovered and returned as an error
// wrapping ErrInvalidGraph or ErrRun: the ops run on the caller's
// goroutine (or, for a sharded evaluator, on a goroutine of the
// evaluator's that recovers too).
//
// # Gradient checking
//
// A wrong gradient is the most common cause of an L-BFGS run that stalls
// or fails its line search. CheckGradient compares a closure's gradient
// with central differences (f(x+h·d) − f(x−h·d)) / 2h along random unit
// directions d and along coordinates, and reports the worst relative error
// and where it occurred. In float64 with the default step h = 1e-5, a
// correct gradient of a smooth loss gives relative errors around 1e-7 or
// smaller (the rounding error of the loss, about 1e-16·|f|/h, dominates).
// Expect more where the difference straddles a kink (a ReLU changing
// sign within h of the point: use smooth activations or a smaller Step
// to confirm) and for float32 losses, whose rounding error is 1e-7·|f|
// rather than 1e-16·|f|: use a larger Step and Floor (1e-2 each) and
// expect errors of a few times 1e-3.
//
// # References
//
// J. Nocedal and S. J. Wright, Numerical Optimization, 2nd ed., Springer
// 2006: §8.1 (finite-difference derivative approximations and gradient
// checking) and ch. 7 (L-BFGS). A. Griewank and A. Walther, Evaluating
// Derivatives, 2nd ed., SIAM 2008 (reverse-mode differentiation).
package autodiff
