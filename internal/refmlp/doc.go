// Package refmlp is a hand-written reference for the loss and gradient of a
// fully connected network: ReLU hidden layers and a softmax cross-entropy
// loss averaged over the batch, computed with gonum's BLAS in float64 or
// float32. It is the yardstick the nn and autodiff benchmarks run beside the
// gorgonia network ("the same network on the same data in the same run"),
// and an independent check of their gradients. It is internal: not part of
// the public API, and free to change with the benchmarks that use it.
//
// # The network and its parameters
//
// A network of sizes [n0, n1, …, nL] has L fully connected layers; layer l
// maps n(l-1) inputs to n(l) outputs. Observations are rows:
//
//	A_l = H_{l-1}·W_l + 1·b_lᵀ     H_0 = X (batch × n0)
//	H_l = max(A_l, 0)              for hidden layers l < L
//	Z   = A_L                      logits (batch × nL)
//	loss = (1/batch) Σ_i [ log Σ_k exp(Z_ik) − Z_{i,y_i} ]
//
// All parameters live in one flat slice, in the layout the nn package's
// learnables flatten to: for each layer in order, its Weights W_l of shape
// (n(l-1), n(l)) row-major (element (r, c) at offset r·n(l) + c), then its
// Bias b_l of length n(l). The gradient has the same layout. X is row-major
// (batch × n0); labels are class indices in [0, nL).
//
// # Architecture
//
// New allocates every buffer once: the activations of each layer and the
// back-propagated deltas ∂loss/∂A_l. LossGrad then runs the forward pass
// (bias broadcast, then one GEMM per layer, ReLU in place), a log-sum-exp
// softmax cross-entropy whose gradient (softmax − onehot)/batch is written
// straight into the last delta, and the backward pass (two GEMMs per layer:
// dW_l = H_{l-1}ᵀ·Δ_l and Δ_{l-1} = (Δ_l·W_lᵀ) ⊙ [A_{l-1} > 0], plus a
// column sum for db_l). It allocates nothing itself; gonum's GEMM splits
// products of at least four 64×64 output blocks over goroutines, whose few
// small allocations per product are gonum's. At iris size (150×4-32-32-3)
// no product is that large and a call allocates nothing at all.
//
// The ReLU derivative at exactly 0 is taken as 0 (as PyTorch does);
// gorgonia's Rectify, x·[x ≥ 0], takes it as 1. The two differ only where a
// pre-activation is exactly zero.
//
// # References
//
// Goodfellow, Bengio and Courville, Deep Learning, MIT Press 2016, §6.5
// (back-propagation) and §6.2.2.3 (softmax and its log-sum-exp form).
package refmlp
