package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/metrics"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// evaluateConfig holds the flags of evaluate.
type evaluateConfig struct {
	model, data string
	separator   separator
	format      *choice
	missing     *choice
	logLevel    *choice
}

func evaluateFlags(cfg *evaluateConfig) *cmdFlags {
	c := newCmdFlags("evaluate", "lbfgsnet evaluate --model FILE --data FILE [flags]",
		"Measures a model written by 'lbfgsnet train --model-out' on a labelled CSV file, read\n"+
			"as predict reads it (the model's feature columns by name, encoded and standardised as\n"+
			"in training) plus the target column(s) the model was trained on. Classification: the\n"+
			"accuracy, each class's precision, recall, F1 and support, and the confusion matrix\n"+
			"(rows: true class, columns: predicted class). Regression: RMSE, MAE and R² of each\n"+
			"target, in the target's units. Multilabel: the rows with every label right, and each\n"+
			"label's accuracy, precision, recall, F1 and support.")
	c.StringVar(&cfg.model, "model", "", "model `FILE` written by 'lbfgsnet train --model-out' (required)")
	c.StringVar(&cfg.data, "data", "", "labelled CSV `FILE` to evaluate on (required)")
	c.Var(&cfg.separator, "separator", "`CHARACTER` that separates the fields of --data: one character, or tab (default \",\")")
	cfg.format = newChoice(formatTable, formatTable, formatJSON)
	c.Var(cfg.format, "format", "`FORMAT` of stdout: table, or json (one object)")
	cfg.missing = missingFlag(c, "in the feature and target columns;\nmean fills feature cells with the training means stored in the model")
	cfg.logLevel = newChoice("info", logLevels...)
	c.Var(cfg.logLevel, "log-level", "`LEVEL` of the messages logged on stderr: "+strings.Join(logLevels, ", "))
	return c
}

// runEvaluate is "lbfgsnet evaluate".
func runEvaluate(ctx context.Context, args []string, e *env) error {
	var cfg evaluateConfig
	pos, err := evaluateFlags(&cfg).parse(args, e.stdout)
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
	}
	if err := checkFiles(input("--model", cfg.model), input("--data", cfg.data)); err != nil {
		return err
	}
	log := newLogger(e.stderr, cfg.logLevel.value)
	md := modelData{model: cfg.model, data: cfg.data, comma: rune(cfg.separator), missing: missingPolicy(cfg.missing), targets: true}
	net, meta, ds, err := loadModelData(md, log)
	if err != nil {
		return err
	}
	if cause := interruption(ctx); cause != nil {
		return cause
	}
	report, err := evaluateModel(net, meta, ds)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.data, err)
	}
	if cfg.format.value == formatJSON {
		return writeJSONLine(e.stdout, report.object(cfg, meta))
	}
	_, err = io.WriteString(e.stdout, report.table(cfg, meta))
	return err
}

// evaluation is the report of evaluate: one of the three is set.
type evaluation struct {
	class  *metrics.Classification
	regr   *metrics.Regression
	labels *labelReport
}

// evaluateModel predicts the rows of ds (features standardised) and scores
// the predictions in the data's own units.
func evaluateModel(net *nn.Network, m *modelMeta, ds *data.Dataset) (evaluation, error) {
	if m.Task == taskMultiLabel {
		l, err := evaluateLabels(net, m, ds)
		return evaluation{labels: l}, err
	}
	if m.Task == data.Classification {
		labels, _, err := net.Classify(ds.Features)
		if err != nil {
			return evaluation{}, err
		}
		c, err := metrics.Classify(ds.Labels, labels, m.ClassNames)
		return evaluation{class: c}, err
	}
	y, err := net.Predict(ds.Features)
	if err != nil {
		return evaluation{}, err
	}
	if m.Targets != nil {
		if err := m.Targets.InverseTransform(y); err != nil {
			return evaluation{}, err
		}
	}
	r, err := metrics.Regress(ds.Targets, y, m.TargetNames)
	return evaluation{regr: r}, err
}

// table formats the report as text.
func (ev evaluation) table(cfg evaluateConfig, m *modelMeta) string {
	var b strings.Builder
	if l := ev.labels; l != nil {
		l.table(&b, cfg, m)
		return b.String()
	}
	if c := ev.class; c != nil {
		printPairs(&b, [][2]string{
			{"Model", fmt.Sprintf("%s (classification, %d classes)", cfg.model, len(m.ClassNames))},
			{"Data", fmt.Sprintf("%s (%d rows)", cfg.data, c.Rows)},
			{"Accuracy", fmt.Sprintf("%s (%d of %d)", formatPercent(c.Accuracy), c.Correct, c.Rows)},
		})
		b.WriteString("\n")
		scores := [][]string{{"Class", "Precision", "Recall", "F1", "Support"}}
		for _, s := range c.Classes {
			scores = append(scores, []string{s.Name, formatFixed(s.Precision), formatFixed(s.Recall), formatFixed(s.F1), strconv.Itoa(s.Support)})
		}
		scores = append(scores,
			[]string{"macro average", formatFixed(c.Macro.Precision), formatFixed(c.Macro.Recall), formatFixed(c.Macro.F1), strconv.Itoa(c.Rows)},
			[]string{"weighted average", formatFixed(c.Weighted.Precision), formatFixed(c.Weighted.Recall), formatFixed(c.Weighted.F1), strconv.Itoa(c.Rows)})
		writeGrid(&b, scores)
		b.WriteString("\nConfusion matrix (rows: true class, columns: predicted class)\n")
		conf := [][]string{append([]string{""}, m.ClassNames...)}
		for t, counts := range c.Confusion {
			line := []string{m.ClassNames[t]}
			for _, n := range counts {
				line = append(line, strconv.Itoa(n))
			}
			conf = append(conf, line)
		}
		writeGrid(&b, conf)
		return b.String()
	}
	r := ev.regr
	printPairs(&b, [][2]string{
		{"Model", fmt.Sprintf("%s (regression, %d targets)", cfg.model, len(m.TargetNames))},
		{"Data", fmt.Sprintf("%s (%d rows)", cfg.data, r.Rows)},
	})
	b.WriteString("\n")
	grid := [][]string{{"Target", "RMSE", "MAE", "R²"}}
	for _, s := range r.Targets {
		grid = append(grid, []string{s.Name, formatG(s.RMSE, 6), formatG(s.MAE, 6), formatG(s.R2, 6)})
	}
	writeGrid(&b, grid)
	return b.String()
}

// object is the report as one JSON object.
func (ev evaluation) object(cfg evaluateConfig, m *modelMeta) orderedObject {
	obj := orderedObject{{"kind", "evaluation"}, {"model", cfg.model}, {"data", cfg.data}, {"task", string(m.Task)}}
	if l := ev.labels; l != nil {
		return append(obj, keyValue{"rows", l.Rows}, keyValue{"exact", l.Exact}, keyValue{"exact_match", jsonNumber(l.ExactMatch)},
			keyValue{"labels", l.Labels})
	}
	if c := ev.class; c != nil {
		return append(obj, keyValue{"rows", c.Rows}, keyValue{"correct", c.Correct}, keyValue{"accuracy", jsonNumber(c.Accuracy)},
			keyValue{"classes", c.Classes}, keyValue{"macro_average", c.Macro}, keyValue{"weighted_average", c.Weighted},
			keyValue{"class_names", m.ClassNames}, keyValue{"confusion", c.Confusion})
	}
	return append(obj, keyValue{"rows", ev.regr.Rows}, keyValue{"targets", ev.regr.Targets})
}

// formatFixed prints a score in [0, 1] with four decimals.
func formatFixed(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

// writeGrid writes rows of cells as aligned columns: the first column
// left-aligned, the others right-aligned, two spaces apart.
func writeGrid(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for j, cell := range r {
			if j >= len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], len([]rune(cell)))
		}
	}
	for _, r := range rows {
		for j, cell := range r {
			pad := strings.Repeat(" ", widths[j]-len([]rune(cell)))
			switch {
			case j == 0:
				b.WriteString(cell + pad)
			default:
				b.WriteString("  " + pad + cell)
			}
		}
		b.WriteString("\n")
	}
}
