package nn

import (
	"fmt"
)

// Evaluate returns the loss on the whole batch at x (len NumParams),
// writes its gradient into grad (same length), and returns the extra
// value: nn.Metrics with ObjectiveOptions.Metrics, else nil. It has the
// signature of the solver's LossFunc: pass the method value
// obj.Evaluate. A NaN or infinite loss is returned as computed, not as
// an error.
func (o *Objective) Evaluate(x, grad []float64) (float64, any, error) {
	if o == nil || o.full == nil {
		return 0, nil, errNilObjective
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.useCount++
	return o.run(o.full, x, grad)
}

// EvaluateRows is Evaluate on the rows of the batch listed in rows (each
// in [0, NumRows), in any order, repeats counting as often as they
// appear): the mean of their losses, plus the L2 term. The first call
// with a given number of rows builds its graphs; later calls with the
// same number reuse them (see ObjectiveOptions.MaxGraphs). An empty rows
// or an index out of range is an error wrapping ErrShape.
func (o *Objective) EvaluateRows(rows []int, x, grad []float64) (float64, any, error) {
	if o == nil || o.full == nil {
		return 0, nil, errNilObjective
	}
	if err := o.checkRows("EvaluateRows", rows); err != nil {
		return 0, nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	p, err := o.bindRows(rows)
	if err != nil {
		return 0, nil, err
	}
	return o.run(p, x, grad)
}

// Loss returns the loss on the whole batch at x alone, bit-identical to
// the loss Evaluate returns, without computing the gradient (about half
// the work): for a loss to report or monitor, as after each epoch of a
// minibatch method.
func (o *Objective) Loss(x []float64) (float64, error) {
	if o == nil || o.full == nil {
		return 0, errNilObjective
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.useCount++
	return o.loss(o.full, x)
}

// LossRows is Loss on the rows of the batch listed in rows, as
// EvaluateRows takes them: EvaluateRows's loss without the gradient.
func (o *Objective) LossRows(rows []int, x []float64) (float64, error) {
	if o == nil || o.full == nil {
		return 0, errNilObjective
	}
	if err := o.checkRows("LossRows", rows); err != nil {
		return 0, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	p, err := o.bindRows(rows)
	if err != nil {
		return 0, err
	}
	return o.loss(p, x)
}

// checkRows returns an error wrapping ErrShape unless rows is a non-empty
// list of rows of the batch.
func (o *Objective) checkRows(method string, rows []int) error {
	if len(rows) == 0 {
		return fmt.Errorf("%w: %s: no rows", ErrShape, method)
	}
	for i, r := range rows {
		if r < 0 || r >= o.rows {
			return fmt.Errorf("%w: %s: rows[%d] = %d (valid: 0 to %d)", ErrShape, method, i, r, o.rows-1)
		}
	}
	return nil
}

// bindRows returns the plan for len(rows) rows with the rows gathered
// into its shards' buffers. The caller holds o.mu.
func (o *Objective) bindRows(rows []int) (*plan, error) {
	o.useCount++
	p, err := o.subset(len(rows))
	if err != nil {
		return nil, err
	}
	first := 0
	for _, sh := range p.shards {
		idx := rows[first : first+sh.rows]
		gatherRows(sh.x, o.x, idx)
		if sh.t != nil {
			gatherRows(sh.t, o.t, idx)
		}
		if sh.w != nil {
			gatherRows(sh.w, o.w, idx)
		}
		first += sh.rows
	}
	return p, nil
}

// LossFunc returns EvaluateRows on a copy of rows as a function with the
// signature of the solver's LossFunc.
func (o *Objective) LossFunc(rows []int) func(x, grad []float64) (float64, any, error) {
	rows = append([]int(nil), rows...)
	return func(x, grad []float64) (float64, any, error) { return o.EvaluateRows(rows, x, grad) }
}

// run evaluates p at x.
func (o *Objective) run(p *plan, x, grad []float64) (float64, any, error) {
	p.used = o.useCount
	loss, extra, err := p.ev.Evaluate(x, grad)
	if err != nil {
		return 0, nil, fmt.Errorf("nn: evaluate: %w", err)
	}
	return loss, extra, nil
}

// loss evaluates p's loss alone at x.
func (o *Objective) loss(p *plan, x []float64) (float64, error) {
	p.used = o.useCount
	loss, err := p.ev.Loss(x)
	if err != nil {
		return 0, fmt.Errorf("nn: loss: %w", err)
	}
	return loss, nil
}

// subset returns the plan for k rows, building it (and dropping the least
// recently used plan beyond MaxGraphs) when there is none.
func (o *Objective) subset(k int) (*plan, error) {
	if p, ok := o.subsets[k]; ok {
		return p, nil
	}
	p, err := o.newPlan(k, false)
	if err != nil {
		return nil, err
	}
	if len(o.subsets) >= o.opts.MaxGraphs {
		oldest, used := -1, ^uint64(0)
		for rows, q := range o.subsets {
			if q.used < used {
				oldest, used = rows, q.used
			}
		}
		delete(o.subsets, oldest)
	}
	o.subsets[k] = p
	return p, nil
}

// NumGraphs returns the number of row counts the objective holds graphs
// for: the full batch and the cached subsets.
func (o *Objective) NumGraphs() int {
	if o == nil || o.full == nil {
		return 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return 1 + len(o.subsets)
}

var errNilObjective = fmt.Errorf("%w: nil or zero Objective (create it with Network.NewObjective)", ErrInvalidOption)

// NumShards returns the number of graphs a whole-batch evaluation runs in
// parallel (0 for a nil Objective).
func (o *Objective) NumShards() int {
	if o == nil || o.full == nil {
		return 0
	}
	return len(o.full.shards)
}
