// Package stochastic trains on data too large for a full batch at every
// step: the stochastic quasi-Newton method (SQN) of Byrd, Hansen, Nocedal and
// Singer as Intel oneDAL's LBFGS solver implements it, the multi-batch
// L-BFGS of Berahas, Nocedal and Takáč, and the progressive batching L-BFGS
// of Bollapragada et al., whose batches grow until the method is full-batch
// L-BFGS and converges to the exact minimiser; and Adam, the first-order
// method these are compared with and a cheap start before full-batch
// L-BFGS. Like package solver it works on a flat []float64 and imports the
// standard library only.
//
// # Conventions
//
// The objective is a mean of N terms (rows) that can be evaluated on any set
// of rows (Objective); an objective that also computes Hessian-vector
// products exactly implements HessianVectorProducer, and otherwise SQN uses a
// central difference of gradients on the same rows
// (FiniteDifferenceHessianVector). Multi-batch and progressive batching
// L-BFGS need gradients only.
//
// SQN's options carry oneDAL's parameter names (M for m, L, BatchSize,
// CorrectionPairBatchSize, StepLengthSequence, NIterations,
// AccuracyThreshold, BatchIndices, CorrectionPairIndices; an engine) and
// DefaultSQNOptions returns oneDAL's defaults; oneDAL's optional inputs and
// results (correctionPairs, correctionIndices, averageArgumentLIterations)
// are read with the methods of those names and written with
// SetOptionalInput. NewSQN, NewMultiBatch and NewProgressiveBatch check
// every option and name the first one out of range (*OptionError).
//
// Run performs up to NIterations iterations, moves x in place and calls a
// hook after each with the State: iteration, epoch (terms evaluated / N),
// batch loss, gradient norm, step length and norm, whether the iteration's
// correction pair was stored, damped or skipped, and every FullSetEvery
// iterations the loss and gradient on all N rows, since a batch loss alone
// misleads. How a run stopped is a Status; errors are for misuse and
// failing objectives. A second Run continues where the first stopped, and a
// checkpoint (WriteCheckpoint, ReadCheckpoint) or oneDAL's optional tables
// with the same engine resume a run bit for bit. The same seed gives
// bit-identical runs.
//
// # Architecture
//
// core.go holds what both methods share: the loop with its stopping rules,
// evaluation with term counting, the full-set check and the step
// (x ← x − α·H·g, shortened to MaxStepNorm). history.go is the cyclic buffer
// of correction pairs in oneDAL's 2M×p layout with the two-loop recursion;
// sampler.go draws batches (Floyd's sampling without replacement for SQN,
// windows over a stream of permutations for multi-batch). sqn.go,
// multibatch.go and progressive.go are one iteration each (the last with
// its sample test and line search); onedal.go the optional tables;
// checkpoint.go the checkpoint file; trace.go a JSON-lines trace hook and
// its reader. adam.go is Adam's step alone (NewAdam, Step): the caller
// chooses the rows of each gradient, as examples/hybrid does.
//
// Where this package departs from oneDAL it says so: the two-loop recursion
// visits the newest pair first (oneDAL starts one slot before it), a pair
// with sᵀy not safely positive is skipped and recorded rather than stored,
// every iteration enters the L-iteration average (so a run split anywhere
// resumes bit-identically), BatchSize = CorrectionPairBatchSize = N with
// L = 1 does not switch to a line search, and batch sizes above N are errors, not
// clamped.
//
// # References
//
//   - R. H. Byrd, S. L. Hansen, J. Nocedal and Y. Singer, A stochastic
//     quasi-Newton method for large-scale optimization, SIAM J. Optim. 26
//     (2016) 1008–1031.
//   - A. S. Berahas, J. Nocedal and M. Takáč, A multi-batch L-BFGS method for
//     machine learning, NeurIPS 2016.
//   - R. Bollapragada, D. Mudigere, J. Nocedal, H.-J. M. Shi and P. T. P.
//     Tang, A progressive batching L-BFGS method for machine learning,
//     ICML 2018.
//   - R. H. Byrd, G. M. Chin, J. Nocedal and Y. Wu, Sample size selection in
//     optimization methods for machine learning, Math. Program. 134 (2012)
//     127–155.
//   - J. Nocedal and S. J. Wright, Numerical Optimization, 2nd ed.,
//     Springer, 2006: Algorithm 7.4 (two-loop recursion), Procedure 18.2
//     (Powell damping), §8.1 (finite-difference step).
//   - Intel oneDAL Developer Guide, Limited-Memory
//     Broyden-Fletcher-Goldfarb-Shanno Algorithm (optimization solvers).
package stochastic
