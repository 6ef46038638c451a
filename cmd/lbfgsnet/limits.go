package main

import (
	"fmt"
	"math"

	"github.com/lbfgsnet/lbfgsnet/data"
)

// Bounds on what the flags and files may make the command allocate. Each
// is checked before the allocation, with a message naming the flag or
// file and the bound (docs/cli.md, Limits).
const (
	// maxLayerWidth bounds each --hidden size.
	maxLayerWidth = 1 << 16
	// maxLearnables bounds the network's learnables: 2^24 float64 are
	// 128 MiB per vector, and the solver keeps several vectors of that
	// size besides the history.
	maxLearnables = 1 << 24
	// maxHistoryBytes bounds the L-BFGS history, 2·(HistorySize+1)
	// vectors of float64 the size of the network when full.
	maxHistoryBytes = 4 << 30
	// maxActivations bounds rows × (sum of the layer widths): the values
	// the network's graph holds for one evaluation over the full batch.
	maxActivations = 1 << 28
	// maxClasses bounds the classes of a classification target; a target
	// may also hold at most half as many classes as rows.
	maxClasses = 10000
	// maxModelBytes and maxTraceBytes bound the model and trace files
	// read: far above what the learnables bound allows to be written.
	maxModelBytes = 1 << 30
	maxTraceBytes = 1 << 30
)

// checkClasses refuses a classification target whose distinct values are
// too many to be classes: more than maxClasses, or more than half the
// rows (then most classes have a single row, as a numeric target's
// values do).
func checkClasses(ds *data.Dataset, source string) error {
	k := ds.NumClasses()
	if k <= maxClasses && 2*k <= ds.Rows {
		return nil
	}
	return fmt.Errorf("%s: target column %s holds %d distinct values in %d rows, too many to be classes (at most half the rows, and at most %d): "+
		"a numeric target is predicted with --task regression (is --target the right column?)",
		source, ds.TargetNames[0], k, ds.Rows, maxClasses)
}

// checkNetworkSize refuses, before the network is built, a network whose
// learnables, history or activations would exceed the bounds above.
func (c *trainConfig) checkNetworkSize(inputs, outputs, rows int) error {
	// float64 arithmetic: the products of valid flags cannot overflow it.
	learnables, width, in := 0.0, float64(outputs), float64(inputs)
	for _, h := range c.hidden {
		learnables += (in + 1) * float64(h)
		width += float64(h)
		in = float64(h)
	}
	learnables += (in + 1) * float64(outputs)
	if learnables > maxLearnables {
		return usagef("--hidden %s makes a network of %.0f learnables for %d inputs and %d outputs; the limit is %d (2^24): choose smaller layers",
			c.hidden.String(), learnables, inputs, outputs, maxLearnables)
	}
	if history := 16 * float64(c.historySize+1) * learnables; history > maxHistoryBytes {
		return usagef("--history-size %d keeps up to %.1f GiB of history for a network of %.0f learnables; the limit is %d GiB: lower --history-size or --hidden",
			c.historySize, history/(1<<30), learnables, maxHistoryBytes>>30)
	}
	if act := float64(rows) * width; act > maxActivations {
		return fmt.Errorf("--hidden %s: the network holds %.0f values for the %d rows of one evaluation (rows × layer widths); the limit is %d (2^28): choose smaller layers or fewer rows",
			c.hidden.String(), act, rows, maxActivations)
	}
	if math.IsInf(learnables, 0) {
		return usagef("--hidden %s: too large", c.hidden.String())
	}
	return nil
}
