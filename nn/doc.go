// Package nn builds small fully connected neural networks on gorgonia
// graphs for full-batch training: layers with their learnables, the
// training loss as graphs ready for package autodiff, prediction, and a
// model file.
//
// # Conventions
//
// Observations are rows: a batch X is rows × InputSize, row-major, the
// layout of data.Dataset.Features, and a fully connected layer computes
// Y = X·W + b with W of shape (InputSize, OutputSize). Targets are rows ×
// OutputSize: one-hot rows for classification (data.OneHot), values for
// regression.
//
// A network's learnables form a table in MATLAB's spirit (Learnables):
// layer name, parameter name, shape, values, in a fixed order: layers in
// network order and, within a FullyConnected layer, "Weights" then
// "Bias". Layers are named "fc1", "relu1", … unless named explicitly, so a
// learnable has the stable key "fc1/Weights". The flat vector the solver
// works on (FlatLearnables, SetFlatLearnables) concatenates the table's
// values in that order, each matrix row-major; internal/refmlp uses the
// same layout.
//
// Randomness comes only from the *rand.Rand (math/rand/v2) given to New:
// the same seed gives the same network, bit for bit. The initializers are
// MATLAB's defaults: Glorot-uniform weights and zero biases, with He and
// others selectable (Initializer).
//
// A network is float64 or float32 (Config.Dtype). The flat vector is
// always float64: values are rounded to float32 once, where they enter a
// float32 graph, and gradients are widened once on the way out.
//
// # Training
//
// NewObjective builds the loss on a batch as one gorgonia graph per shard
// of rows; autodiff.FromObjective turns those graphs into the solver's
// loss closure (an Objective is an autodiff.Objective, and neither package
// imports the other):
//
//	net, err := nn.New(nn.Config{InputSize: 4, Layers: []nn.Layer{
//		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
//		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
//		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
//	}}, rand.New(rand.NewPCG(1, 2)))
//	obj, err := net.NewObjective(x, t, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
//	ev, err := autodiff.FromObjective(obj) // nn.Metrics as the extra output
//	params := net.Flat()
//	// ... minimise ev.Evaluate from params with the solver ...
//	err = net.SetFlatLearnables(params)
//
// The losses are computed stably: CrossEntropy from the logits with a
// log-sum-exp (never the log of a softmax output), BinaryCrossEntropy from
// the logits with log(1 + e^(−|z|)). The network keeps its final Softmax
// or Sigmoid layer for Predict; the objective computes the loss from that
// layer's input. An optional L2 term (λ/2)‖W‖² covers the weights, not the
// biases.
//
// # Architecture
//
// Each layer and loss is a gorgonia.Op with a symbolic derivative, so
// gorgonia.Grad differentiates a network as it does any graph, and a
// network can be embedded in a larger graph (Forward). The ops are fused
// where gorgonia's built-ins would need several nodes (a fully connected
// layer is one GEMM plus the bias; its backward pass is two GEMMs and a
// column sum), and each owns its output buffer and
// returns it on every run, so that after the first evaluation a
// loss-and-gradient evaluation allocates no tensors. An op never writes
// its inputs and reads other values only through its inputs, so the tape
// machine's register reuse cannot corrupt them.
//
// # Derivatives with respect to the inputs
//
// ForwardDerivatives adds to a graph the network's output together with
// chosen first and second derivatives of it with respect to the inputs
// (u_x, u_t, u_xx, u_xt, …) as nodes, for losses such as the residual of
// a differential equation (physics-informed networks). The derivatives
// are propagated forward through the layers alongside the values (a Jet:
// the values stacked on top of one block per derivative), each layer one
// op with an exact first derivative of its own, so the gradient of such a
// loss with respect to the learnables is one ordinary reverse pass;
// gorgonia never differentiates a derivative (its double differentiation
// is wrong for tanh). Smooth activations give exact second derivatives;
// ReLU and LeakyReLU, being piecewise linear, give second derivatives that
// are 0 almost everywhere; Softmax propagates none. docs/input-derivatives.md
// has the formulas and a complete example.
//
// # BLAS
//
// The matrix products run on OpenBLAS when the system has it (loaded at
// run time without cgo) and on gonum's pure-Go BLAS otherwise; the
// environment variable LBFGSNET_BLAS=openblas|gonum forces one. BLAS
// reports the choice, UseBLAS changes it and SetBLASThreads sets
// OpenBLAS's threads per product. Each backend, at a given thread count,
// gives bit-identical results from run to run; the two round differently.
//
// # Model files
//
// Save writes the architecture, the dtype, the learnables (bit for bit)
// and named attachments the caller supplies (standardisation, class names)
// to a versioned file with a SHA-256 checksum, atomically; Load reads it
// back and names what is wrong with a corrupt, truncated, mismatched or
// newer file. The format is documented in docs/model-format.md.
//
// # References
//
// X. Glorot and Y. Bengio, "Understanding the difficulty of training deep
// feedforward neural networks", AISTATS 2010. K. He et al., "Delving Deep
// into Rectifiers", ICCV 2015. D. Hendrycks and K. Gimpel, "Gaussian Error
// Linear Units (GELUs)", 2016. D.-A. Clevert et al., "Fast and Accurate
// Deep Network Learning by Exponential Linear Units (ELUs)", ICLR 2016.
// I. Goodfellow, Y. Bengio and A. Courville, Deep Learning, MIT Press
// 2016, §6.5 (back-propagation) and §6.2.2.3 (softmax and log-sum-exp).
// MathWorks, Deep Learning Toolbox: dlnetwork, fullyConnectedLayer,
// crossentropy, mse, lbfgsupdate.
package nn
