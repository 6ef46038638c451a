// Package problems holds sums of terms with known structure for testing and
// benchmarking the stochastic solvers: least squares, whose Hessian is
// constant, and L2-regularised binary logistic regression, strongly convex.
// Both evaluate any set of rows and compute exact Hessian-vector products,
// so they satisfy stochastic.Objective and stochastic.HessianVectorProducer.
// Their data come from a caller-supplied *rand.Rand, so the same seed gives
// the same problem.
package problems
