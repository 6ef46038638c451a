package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/data"
)

// maxPrecision is the most significant digits --precision takes: 17
// digits print any float64 so that it reads back exactly.
const maxPrecision = 17

// predictConfig holds the flags of predict.
type predictConfig struct {
	model, data, out string
	separator        separator
	precision        int
	missing          *choice
	logLevel         *choice
}

// missingNames are the values of --missing.
var missingNames = []string{data.MissingError.String(), data.MissingDropRows.String(), data.MissingMean.String()}

// missingFlag adds --missing to c, with the default policy error.
func missingFlag(c *cmdFlags, what string) *choice {
	m := newChoice(data.MissingError.String(), missingNames...)
	c.Var(m, "missing", "`POLICY` for missing cells (empty, NA, N/A, NaN, null) "+what+":\n"+
		"error (reject the file), drop-rows (leave out the rows with one), mean (fill with the\n"+
		"column mean, or the most frequent level of a text column)")
	return m
}

// missingPolicy returns the policy a --missing choice names.
func missingPolicy(c *choice) data.Missing {
	m, _ := data.ParseMissing(c.value) // the choice has checked the value
	return m
}

func predictFlags(cfg *predictConfig) *cmdFlags {
	c := newCmdFlags("predict", "lbfgsnet predict --model FILE --data FILE [flags]",
		"Predicts with a model written by 'lbfgsnet train --model-out'. The data file is a CSV\n"+
			"with a header row holding (at least) the model's feature columns, found by name;\n"+
			"other columns, such as the target, are ignored. The features are standardised with\n"+
			"the statistics stored in the model. The output is CSV: the 1-based data row, then\n"+
			"for classification the predicted class and one probability column per class\n"+
			"(prob_<class>), for regression the predicted value of each target, for multilabel each\n"+
			"label's decision (0 or 1, on above probability 0.5), then its probability (prob_<label>).")
	c.StringVar(&cfg.model, "model", "", "model `FILE` written by 'lbfgsnet train --model-out' (required)")
	c.StringVar(&cfg.data, "data", "", "CSV `FILE` to predict on (required)")
	c.Var(&cfg.separator, "separator", "`CHARACTER` that separates the fields of --data: one character, or tab (default \",\")")
	c.StringVar(&cfg.out, "out", "", "write the predictions to `FILE` instead of stdout")
	c.IntVar(&cfg.precision, "precision", 6, "significant `DIGITS` of the numbers written; 0 for the shortest form that reads back exactly")
	cfg.missing = missingFlag(c, "in the feature columns; mean takes the\ntraining means stored in the model; the rows left out get no output row")
	cfg.logLevel = newChoice("info", logLevels...)
	c.Var(cfg.logLevel, "log-level", "`LEVEL` of the messages logged on stderr: "+strings.Join(logLevels, ", "))
	return c
}

// runPredict is "lbfgsnet predict".
func runPredict(ctx context.Context, args []string, e *env) error {
	var cfg predictConfig
	fs := predictFlags(&cfg)
	pos, err := fs.parse(args, e.stdout)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usagef("unexpected argument %q (the data file goes in --data)", pos[0])
	case cfg.model == "":
		return usagef("missing --model FILE")
	case cfg.data == "":
		return usagef("missing --data FILE")
	case cfg.precision < 0 || cfg.precision > maxPrecision:
		return usagef("invalid value %d for --precision (valid: 0 to %d, the digits a float64 holds)", cfg.precision, maxPrecision)
	}
	if err := checkFiles(input("--model", cfg.model), input("--data", cfg.data), output("--out", cfg.out)); err != nil {
		return err
	}
	outputs.add(cfg.out)
	log := newLogger(e.stderr, cfg.logLevel.value)
	net, meta, ds, err := loadModelData(modelData{model: cfg.model, data: cfg.data, comma: rune(cfg.separator), missing: missingPolicy(cfg.missing)}, log)
	if err != nil {
		return err
	}
	y, err := net.Predict(ds.Features)
	if err != nil {
		return err
	}
	if err := checkPredictions(y, net.OutputSize(), ds); err != nil {
		return fmt.Errorf("%s: %w", cfg.data, err)
	}
	write := func(w io.Writer) error {
		return writePredictions(ctx, w, y, net.OutputSize(), meta, ds, cfg.precision)
	}
	if cfg.out == "" {
		return write(e.stdout)
	}
	if err := writeOutput(cfg.out, write); err != nil {
		if cause := interruption(ctx); cause != nil {
			return fmt.Errorf("%w: %s not written", cause, cfg.out)
		}
		return err
	}
	log.WithField("file", cfg.out).WithField("rows", ds.Rows).Info("predictions written")
	return nil
}

// writePredictions writes the CSV of the network's outputs y, k per row.
// A signal that arrived while the rows were read or predicted stops it
// before it writes anything.
func writePredictions(ctx context.Context, w io.Writer, y []float64, k int, m *modelMeta, ds *data.Dataset, precision int) error {
	if cause := interruption(ctx); cause != nil {
		return cause
	}
	if m.Task == data.Regression && m.Targets != nil {
		if err := m.Targets.InverseTransform(y); err != nil {
			return err
		}
	}
	num := func(v float64) string {
		if precision == 0 {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
		return strconv.FormatFloat(v, 'g', precision, 64)
	}
	cw := csv.NewWriter(w)
	header := []string{"row"}
	switch {
	case m.Task == taskMultiLabel:
		header = labelHeader(m)
	case m.Task == data.Classification:
		header = append(header, m.TargetNames[0])
		for _, c := range m.ClassNames {
			header = append(header, "prob_"+c)
		}
	default:
		header = append(header, m.TargetNames...)
	}
	cw.Write(header)
	rec := make([]string, 0, len(header))
	for i := range ds.Rows {
		out := y[i*k : (i+1)*k]
		rec = append(rec[:0], strconv.Itoa(sourceRow(ds, i)))
		if m.Task == taskMultiLabel {
			cw.Write(labelRecord(rec, out, num))
			continue
		}
		if m.Task == data.Classification {
			rec = append(rec, m.ClassNames[argmax(out)])
		}
		for _, v := range out {
			rec = append(rec, num(v))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// argmax returns the index of the largest value (the first, on ties), as
// nn.Network.Classify chooses the class.
func argmax(v []float64) int {
	k := 0
	for i, x := range v {
		if x > v[k] {
			k = i
		}
	}
	return k
}

// checkPredictions reports the first row whose prediction is not finite:
// finite features far outside the range the model was trained on can
// overflow the network, and a NaN probability or a class chosen among
// NaNs is no prediction. Nothing is written then.
func checkPredictions(y []float64, k int, ds *data.Dataset) error {
	for i := range ds.Rows {
		for _, v := range y[i*k : (i+1)*k] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("row %d: the network's output is %v: the features of this row are too far outside the range of the training data for the network to compute; no prediction written", sourceRow(ds, i), v)
			}
		}
	}
	return nil
}
