// Package nn builds small neural networks on gorgonia graphs and their
// training losses: layers with their learnables, an objective that
// evaluates the loss and its gradient on the whole batch or on any rows of
// it, one-call training, prediction, and a model file.
//
// # Conventions
//
// Observations are rows: a batch X is rows × InputSize, row-major, the
// layout of data.Dataset.Features, and a fully connected layer computes
// Y = X·W + b with W of shape (InputSize, OutputSize). Targets are rows ×
// OutputSize: one-hot rows for classification (data.OneHot), values for
// regression.
//
// # Layers
//
// A Layer is any type that declares its learnables for a given input
// width (Setup) and adds its nodes to a gorgonia graph (Forward): the
// built-in layers (FullyConnected, ReLU, LeakyReLU, Tanh, Sigmoid, ELU,
// GELU, Softplus, Swish, Softmax, LayerNorm, BatchNorm, and Residual, a
// skip connection around a stack of layers) and a caller's own
// alike. A layer built from gorgonia's own ops is differentiated by
// gorgonia; the built-in layers are fused ops with hand-written
// gradients. A model file stores each layer as its kind (LayerKind) and
// its JSON encoding, and finds the type again through a registry, in the
// manner of database/sql.Register: RegisterLayerType[T](kind) in the
// defining package's init function. New checks every layer on a small
// graph, so a layer whose output does not have the width its Setup
// declares is an error naming it.
//
// # Learnables
//
// A network's learnables form a table in MATLAB's spirit (Learnables):
// layer name, parameter name, shape, values, in a fixed order: layers in
// network order and, within a layer, the order its Setup gives
// ("Weights" then "Bias" for FullyConnected). Layers are named "fc1",
// "relu1", … unless named explicitly, so a learnable has the stable key
// "fc1/Weights". The values live in one float64 vector, Params, which
// concatenates the table's values in that order, each row-major; the
// solver moves it in place, and Predict, Classify and Save read it, so a
// trained network needs no copy step. internal/refmlp uses the same
// layout.
//
// Randomness comes only from the *rand.Rand (math/rand/v2) given to New:
// the same seed gives the same network, bit for bit. The initializers are
// MATLAB's defaults: Glorot-uniform weights and zero biases, with He and
// others selectable (Initializer).
//
// A network is float64 or float32 (Config.Dtype). Params is float64
// either way: values are rounded to float32 where they enter a float32
// graph, and gradients are widened once on the way out.
//
// # Training
//
// NewObjective builds the loss of the network on a batch. The rows are
// inputs of its graphs, bound at each evaluation: Evaluate uses the whole
// batch (split into shards evaluated in parallel), EvaluateRows any rows
// of it, building one set of graphs per number of rows it meets and
// keeping a bounded number. Both have, with the rows fixed, the
// signature of the solver's LossFunc:
//
//	net, err := nn.New(nn.Config{InputSize: 4, Layers: []nn.Layer{
//		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
//		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
//		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
//	}}, rand.New(rand.NewPCG(1, 2)))
//	obj, err := net.NewObjective(x, t, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
//	state, err := solver.NewLBFGSState(solver.DefaultOptions())
//	for range 100 {
//		err = state.Update(net.Params(), obj.Evaluate)
//	}
//	labels, probs, err := net.Classify(x)
//
// Loss and LossRows return the same losses without the gradient, at about
// half the cost, for a loss to report rather than minimise.
//
// The losses are computed stably: CrossEntropy from the logits with a
// log-sum-exp (never the log of a softmax output), BinaryCrossEntropy from
// the logits with log(1 + e^(−|z|)). The network keeps its final Softmax
// or Sigmoid layer for Predict; the objective computes the loss from that
// layer's input. BatchNorm normalises with the statistics of the rows
// evaluated in an Objective and with stored statistics in Predict, which
// FitStatistics (called by Train) sets from the training batch.
// MeanSquaredError, Huber and MeanAbsoluteError are means
// over all entries. ClassWeights weigh the classes of CrossEntropy and
// RowWeights the observations of any loss; a multi-label network (one
// sigmoid output per label, BinaryCrossEntropy) is read with
// ClassifyLabels, which thresholds each label. An
// optional L2 term (λ/2)‖W‖² covers the learnables a layer marks (the
// weights, not the biases). A loss of one's own is a CostFunc over the
// graph's nodes (ObjectiveOptions.Cost), or Forward in a graph of one's
// own evaluated with autodiff.New.
//
// # Architecture
//
// Each built-in layer and loss is a gorgonia.Op with a symbolic
// derivative, so gorgonia.Grad differentiates a network as it does any
// graph. The ops are fused where gorgonia's built-ins would need several
// nodes (a fully connected layer is one GEMM plus the bias; its backward
// pass is two GEMMs and a column sum). Where an Objective's built-in loss
// or Predict reads only the network's output, a FullyConnected layer and a
// ReLU, LeakyReLU, ELU, Tanh or Sigmoid after it are one op: the
// activation is applied in place after the GEMM, and its derivative and
// the bias gradient are computed in one pass; the results are
// bit-identical to the two ops'. Each op owns its output buffer
// and returns it on every run, so that after the first evaluation a
// loss-and-gradient evaluation allocates no tensors. An op never writes
// its inputs and reads other values only through its inputs (the fused
// bias gradient, kept by the op computing dZ, is returned by an op taking
// dZ as input), so the tape machine's register reuse cannot corrupt them. An objective runs its
// graphs through package autodiff, copying each evaluation's x into
// learnable tensors of its own (one set per shard), so trial points of a
// line search never touch the network.
//
// # Derivatives with respect to the inputs
//
// ObjectiveOptions.Derivatives hands a Cost chosen first and second
// derivatives of the network's output with respect to its inputs (u_x,
// u_t, u_xx, u_xt, …) as nodes (BatchNodes.Derivatives), for losses such
// as the residual of a differential equation (physics-informed networks);
// ForwardDerivatives adds the same nodes to any graph. The derivatives
// are propagated forward through the layers alongside the values (a Jet:
// the values stacked on top of one block per derivative), each layer one
// op with an exact first derivative of its own, so the gradient of such a
// loss with respect to the learnables is one ordinary reverse pass;
// gorgonia never differentiates a derivative (its double differentiation
// is wrong for tanh). Smooth activations give exact second derivatives;
// ReLU and LeakyReLU, being piecewise linear, give second derivatives that
// are 0 almost everywhere; Softmax propagates none. A user's layer takes
// part by implementing JetLayer. docs/input-derivatives.md has the
// formulas and complete examples.
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
