package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// lossNames are the values of --loss: the classification loss, then the
// regression ones.
var lossNames = []string{nn.CrossEntropy.String(), nn.BinaryCrossEntropy.String(), nn.MeanSquaredError.String(), nn.Huber.String(), nn.MeanAbsoluteError.String()}

// lossFlags adds --loss, --huber-delta and --class-weights.
func lossFlags(c *cmdFlags, cfg *trainConfig) {
	cfg.loss = newChoice("", lossNames...)
	c.Var(cfg.loss, "loss", "`LOSS`: crossentropy (softmax cross-entropy, classification), binary-crossentropy\n"+
		"(multilabel), or for regression mse (mean squared error), huber (quadratic within\n"+
		"--huber-delta, linear beyond) or mae (mean absolute error) (default: crossentropy for\n"+
		"classification, binary-crossentropy for multilabel, mse for regression)")
	c.Float64Var(&cfg.huberDelta, "huber-delta", nn.DefaultHuberDelta, "`DELTA` where --loss huber turns from quadratic to linear, in standardised target\nunits (with --standardize); valid: finite and > 0")
	c.StringVar(&cfg.classWeights, "class-weights", "", "`WEIGHTS` of the classes in the cross-entropy: balanced (rows/(classes·rows of the\n"+
		"class), from the training rows), or one weight per class, comma-separated, in the order of\n"+
		"the class names or as name=weight pairs; valid: finite and >= 0, not all 0 (default: all 1)")
}

// checkLoss validates the loss flags that do not need the data.
func (c *trainConfig) checkLoss() error {
	switch {
	case !(c.huberDelta > 0) || math.IsInf(c.huberDelta, 0):
		return usagef("invalid value %v for --huber-delta (valid: finite and > 0)", c.huberDelta)
	case c.set["huber-delta"] && c.loss.value != nn.Huber.String():
		return usagef("--huber-delta applies to --loss huber only")
	}
	task := c.task.value
	switch l := c.loss.value; {
	case l == "":
	case task == string(data.Classification) && l != nn.CrossEntropy.String():
		return usagef("invalid value %q for --loss with --task classification (valid: crossentropy)", l)
	case task == string(data.Regression) && (l == nn.CrossEntropy.String() || l == nn.BinaryCrossEntropy.String()):
		return usagef("invalid value %q for --loss with --task regression (valid: mse, huber, mae)", l)
	case task == string(taskMultiLabel) && l != nn.BinaryCrossEntropy.String():
		return usagef("invalid value %q for --loss with --task multilabel (valid: binary-crossentropy)", l)
	}
	if c.classWeights != "" && task != string(data.Classification) {
		return usagef("--class-weights applies to --task classification only")
	}
	return nil
}

// objectiveOptions returns the loss of the run for the training rows tr.
func (c *trainConfig) objectiveOptions(tr *data.Dataset) (nn.ObjectiveOptions, error) {
	o := nn.ObjectiveOptions{Loss: nn.CrossEntropy, Metrics: true, Shards: c.shards}
	switch {
	case c.multiLabel():
		o.Loss = nn.BinaryCrossEntropy
	case tr.Task == data.Regression:
		o.Loss = nn.MeanSquaredError
	}
	if c.loss.value != "" {
		l, err := nn.ParseLoss(c.loss.value)
		if err != nil {
			return o, &usageError{err}
		}
		o.Loss = l
	}
	if o.Loss == nn.Huber {
		o.HuberDelta = c.huberDelta
	}
	if c.classWeights == "" {
		return o, nil
	}
	w, err := parseClassWeights(c.classWeights, tr)
	if err != nil {
		return o, err
	}
	o.ClassWeights = w
	return o, nil
}

// parseClassWeights reads --class-weights for the classes of tr.
func parseClassWeights(s string, tr *data.Dataset) ([]float64, error) {
	k := tr.NumClasses()
	w := make([]float64, k)
	if s == "balanced" {
		// scikit-learn's "balanced": w_c = n / (k · n_c); a class absent
		// from the training rows gets 0.
		counts := make([]int, k)
		for _, l := range tr.Labels {
			counts[l]++
		}
		for j, n := range counts {
			if n > 0 {
				w[j] = float64(tr.Rows) / float64(k*n)
			}
		}
		return w, nil
	}
	bad := func(format string, args ...any) error {
		return usagef("invalid value %q for --class-weights: %s", s, fmt.Sprintf(format, args...))
	}
	parts := strings.Split(s, ",")
	named := strings.Contains(s, "=")
	if !named && len(parts) != k {
		return nil, bad("%d weights for %d classes (%s)", len(parts), k, strings.Join(tr.ClassNames, ", "))
	}
	seen := make([]bool, k)
	sum := 0.0
	for i, p := range parts {
		j, text := i, strings.TrimSpace(p)
		if named {
			name, v, ok := strings.Cut(text, "=")
			j = slices.Index(tr.ClassNames, strings.TrimSpace(name))
			if !ok || j < 0 {
				return nil, bad("%q is not class=weight for a class of %s", text, strings.Join(tr.ClassNames, ", "))
			}
			if seen[j] {
				return nil, bad("class %q is given twice", tr.ClassNames[j])
			}
			text = strings.TrimSpace(v)
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) {
			return nil, bad("weight %q (valid: finite and >= 0)", text)
		}
		w[j], seen[j] = v, true
		sum += v
	}
	for j := range seen {
		if !seen[j] { // a class not named keeps weight 1
			w[j] = 1
			sum++
		}
	}
	if sum == 0 {
		return nil, bad("every weight is 0")
	}
	return w, nil
}
