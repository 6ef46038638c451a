package nn

import (
	"fmt"
	"slices"
	"sync"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ObjectiveOptions configures NewObjective.
type ObjectiveOptions struct {
	// Loss is the data term: CrossEntropy (network ending in Softmax),
	// BinaryCrossEntropy (ending in Sigmoid), MeanSquaredError, Huber or
	// MeanAbsoluteError. Required unless Cost is set, and then must be 0.
	Loss Loss
	// HuberDelta is Huber's δ, where the loss turns from quadratic to
	// linear. Huber only; 0 means DefaultHuberDelta (1); valid: finite,
	// >= 0.
	HuberDelta float64
	// ClassWeights weighs each class's term of CrossEntropy:
	// −(1/N) Σ_i Σ_k c_k T_ik log softmax(Z_i)_k, to balance rare
	// classes (MATLAB's crossentropy Weights). CrossEntropy only; nil
	// means all 1; valid: OutputSize values, finite, >= 0.
	ClassWeights []float64
	// RowWeights weighs each row (observation) of the batch: the loss of
	// an evaluation is (1/N) Σ_i w_i ℓ_i over its N rows (N·K entries for
	// the regression losses). With a Cost, the weights are the node
	// BatchNodes.W. nil means all 1; valid: one value per row, finite,
	// >= 0. Copied.
	RowWeights []float64
	// Cost builds a custom loss from the network's nodes instead of Loss
	// (see CostFunc). Default nil.
	Cost CostFunc
	// Derivatives, with a Cost, are derivatives of the network's output
	// with respect to its inputs that the Cost receives on X
	// (BatchNodes.Derivatives, computed as ForwardDerivatives does): the
	// loss of a physics-informed network. Default: none. Every layer must
	// be a JetLayer.
	Derivatives Derivatives
	// L2 is λ in the regularisation term (λ/2) Σ ‖W‖² over the learnables
	// whose LearnableSpec.L2 is set (the Weights of FullyConnected layers,
	// not the biases), added to the loss. Default 0 (none); valid:
	// finite, >= 0.
	L2 float64
	// Shards is the number of row blocks an evaluation is split into, each
	// evaluated on its own graph, in parallel. Default 0: AutoShards picks
	// for the rows of each evaluation; valid: 0 to the number of rows
	// (fewer rows in an evaluation use at most one shard per row).
	Shards int
	// Metrics makes nn.Metrics the extra value of each evaluation
	// (MATLAB's AdditionalLossFunctionOutputs); default false: nil, and
	// no metric is computed. Not with Cost.
	Metrics bool
	// MaxGraphs bounds the graphs kept for evaluations on row subsets:
	// one set per distinct number of rows, the least recently used
	// dropped first (the full batch's are kept besides). Default 0 means
	// DefaultMaxGraphs; valid: 0 to 1024.
	MaxGraphs int
}

// DefaultMaxGraphs is the default of ObjectiveOptions.MaxGraphs.
const DefaultMaxGraphs = 8

// A CostFunc builds a custom loss on one graph of an Objective: it is
// called once for each graph the objective builds (one per shard and
// distinct number of rows), with the graph's data nodes and the network
// applied to X, and returns a scalar node of the network's dtype. The
// loss of an evaluation is the sum of its shards' costs: divide a mean by
// TotalRows, not Rows.
type CostFunc func(b BatchNodes) (*gorgonia.Node, error)

// BatchNodes are the nodes a CostFunc builds on.
type BatchNodes struct {
	// X (Rows × InputSize), T (Rows × the targets' width; nil without
	// targets) and W (Rows × 1, the RowWeights; nil without) are the rows
	// of this graph, bound at each evaluation.
	X, T, W *gorgonia.Node
	// Rows is the number of rows of this graph; TotalRows that of the
	// whole evaluation, all shards together.
	Rows, TotalRows int
	// Forward is the network applied to X (Training set; InputGradient
	// set, so that a cost may differentiate with respect to X). With
	// ObjectiveOptions.Derivatives, Output and Logits are the values of
	// the derivative pass and Layers is nil.
	Forward ForwardNodes
	// Derivatives holds the output's derivatives on X that
	// ObjectiveOptions.Derivatives asks for (zero without).
	Derivatives DerivativeNodes

	net *Network
}

// ForwardDerivatives applies the network, with the derivatives d of its
// output, to another batch x in this graph (boundary or initial points of
// a physics-informed loss), sharing the learnables of Forward: see
// Network.ForwardDerivatives. With d the zero value it is the plain
// forward pass. A term on such a fixed batch, added in every graph of a
// sharded evaluation, is scaled by Rows/TotalRows so that the shards add
// up to it once.
func (b BatchNodes) ForwardDerivatives(x *gorgonia.Node, d Derivatives) (DerivativeNodes, error) {
	if b.net == nil {
		return DerivativeNodes{}, fmt.Errorf("%w: BatchNodes.ForwardDerivatives: not BatchNodes of an Objective", ErrGraph)
	}
	return b.net.ForwardDerivatives(x, d, b.Forward.Learnables)
}

// An Objective is the training loss of a network on a batch of rows,
// with its gradient: a loss function over the network's flat vector
// (Params' layout). Evaluate evaluates it on the whole batch and
// EvaluateRows on any rows of it; both have, with the rows bound, the
// signature of the solver's LossFunc.
//
// The rows are inputs of the graphs, bound at each evaluation, so one
// graph serves every evaluation of its number of rows: the objective
// builds the graphs of the whole batch once, and those of a row subset
// the first time it meets that number of rows, keeping at most MaxGraphs
// of them. The loss is the mean over the rows evaluated (for
// MeanSquaredError, over their entries) plus the L2 term; a sharded
// evaluation adds its shards' costs and gradients in shard order, so the
// result is deterministic.
//
// Evaluations are serialised; each depends on x and the rows alone, not
// on earlier evaluations. x is copied into the graphs: an Objective
// never changes the network, and the network's Params do not affect it.
type Objective struct {
	net      *Network
	opts     ObjectiveOptions
	rows     int
	tcols    int           // width of the targets; 0 without
	x, t     *tensor.Dense // the batch, in the network's dtype
	w        *tensor.Dense // the row weights as a rows × 1 matrix, or nil
	mu       sync.Mutex
	full     *plan
	subsets  map[int]*plan
	useCount uint64
}

// NewObjective builds the loss of the network on the batch x (rows ×
// InputSize, row-major) with targets t (rows × OutputSize, row-major:
// one-hot rows for CrossEntropy, as data.OneHot gives; with a Cost, any
// width or nil). x and t are copied, converted to the network's dtype. A
// value that is not finite, or beyond float32's range for a float32
// network, is an error wrapping ErrNonFinite.
func (n *Network) NewObjective(x, t []float64, opts ObjectiveOptions) (obj *Objective, err error) {
	if err := n.valid(); err != nil {
		return nil, err
	}
	rows, tcols, err := n.checkBatch(x, t, opts.Cost != nil)
	if err != nil {
		return nil, err
	}
	if err := n.checkObjective(opts, rows); err != nil {
		return nil, err
	}
	o := &Objective{net: n, opts: opts, rows: rows, tcols: tcols, subsets: map[int]*plan{}}
	if o.opts.MaxGraphs == 0 {
		o.opts.MaxGraphs = DefaultMaxGraphs
	}
	o.x = n.matrixOf(x, rows, n.inputSize)
	if tcols > 0 {
		o.t = n.matrixOf(t, rows, tcols)
	}
	if opts.RowWeights != nil {
		o.w = n.matrixOf(opts.RowWeights, rows, 1)
	}
	o.opts.RowWeights, o.opts.ClassWeights = nil, slices.Clone(opts.ClassWeights) // one owner each
	if o.opts.HuberDelta == 0 {
		o.opts.HuberDelta = DefaultHuberDelta
	}
	if o.full, err = o.newPlan(rows, true); err != nil {
		return nil, err
	}
	return o, nil
}

// AutoShards is the number of shards an Objective uses when
// ObjectiveOptions.Shards is 0, for an evaluation of rows observations
// and a network of learnables values: 2 when rows × learnables (about the
// multiply-adds of a forward pass) reaches ShardThreshold, else 1. It
// depends on the problem only, not on the machine, so that the same
// inputs give bit-identical results everywhere. Measured on the project's
// two-core machine (docs/benchmarks.md), two shards were faster than one
// at 1797×64-128-10 (1.7·10⁷) and 10000×784-256-10 (2·10⁹); at
// 150×4-32-32-3 (2·10⁵) one shard took about half the time of two (some
// 30 µs), and the two were even near 1.5·10⁶. Set ObjectiveOptions.Shards
// to use more cores.
func AutoShards(rows, learnables int) int {
	if rows >= 2 && float64(rows)*float64(learnables) >= ShardThreshold {
		return 2
	}
	return 1
}

// ShardThreshold is the rows × learnables from which AutoShards splits a
// batch in two: below it an evaluation takes some 300 µs or less, and
// starting the second shard and waiting for it costs more than it saves.
const ShardThreshold = 2e6

// NumRows returns the number of rows of the batch (0 for a nil
// Objective).
func (o *Objective) NumRows() int {
	if o == nil {
		return 0
	}
	return o.rows
}

// NumParams returns the length of the flat vector x, the network's
// NumLearnables (0 for a nil Objective).
func (o *Objective) NumParams() int {
	if o == nil {
		return 0
	}
	return o.net.size
}
