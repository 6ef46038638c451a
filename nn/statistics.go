package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// hasStatistics reports whether a layer stores statistics of its inputs
// (LearnableSpec.Statistic, as BatchNorm does).
func (n *Network) hasStatistics() bool {
	for i := range n.params {
		if n.params[i].spec.Statistic {
			return true
		}
	}
	return false
}

// FitStatistics sets the stored statistics of the network's
// BatchNorm layers (TrainedMean and TrainedVariance) to those of the
// batch x (rows × InputSize, row-major) at the current learnables: the
// statistics each layer computes from its inputs in training, so that
// Predict on x gives the outputs an Objective on x computes. Train calls
// it with its batch when it ends; after a loop of one's own, call it
// with the training batch. A network without such layers is left
// unchanged. It must not run concurrently with other methods.
func (n *Network) FitStatistics(x []float64) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = graphPanic("fit statistics", r)
		}
	}()
	if err := n.valid(); err != nil {
		return err
	}
	if len(x) == 0 || len(x)%n.inputSize != 0 {
		return fmt.Errorf("%w: FitStatistics: len(x) = %d is not a positive multiple of InputSize %d", ErrShape, len(x), n.inputSize)
	}
	if err := n.checkValues("FitStatistics: x", x); err != nil {
		return err
	}
	if !n.hasStatistics() {
		return nil
	}
	rows := len(x) / n.inputSize
	g := gorgonia.NewGraph()
	xn := gorgonia.NewMatrix(g, n.dtype, gorgonia.WithShape(rows, n.inputSize), gorgonia.WithName("X"), gorgonia.WithValue(n.matrixOf(x, rows, n.inputSize)))
	outs, err := n.forward(xn, n.learnableNodes(g, n.cloneTensors()), false, true, len(n.layers))
	if err != nil {
		return err
	}
	prog, err := autodiff.NewProgram(outs[len(outs)-1])
	if err == nil {
		err = prog.Run()
	}
	if err != nil {
		return fmt.Errorf("%w: fit statistics: %w", ErrGraph, err)
	}
	index := map[string]int{}
	for i := range n.params {
		index[n.params[i].name()] = i
	}
	for _, node := range g.AllNodes() {
		op, ok := node.Op().(*batchNormOp)
		if !ok {
			continue
		}
		for k, stat := range [][]float64{op.mean, op.vr} {
			i, ok := index[op.statNames[k]]
			if !ok || n.params[i].size() != len(stat) {
				return fmt.Errorf("%w: fit statistics: no learnable %q of %d values", ErrGraph, op.statNames[k], len(stat))
			}
			p := &n.params[i]
			copy(n.flat[p.offset:p.offset+p.size()], stat)
			if n.dtype == tensor.Float32 {
				roundFloat32(n.flat[p.offset : p.offset+p.size()])
			}
		}
	}
	return nil
}
