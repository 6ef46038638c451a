package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/metrics"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// taskMultiLabel is --task multilabel: several target columns of 0 and 1,
// each an independent yes/no label, learnt by a network ending in a
// sigmoid with binary cross-entropy. The data package reads such targets
// as a regression's, numbers; the model attachment stores this task.
const taskMultiLabel data.Task = "multilabel"

// multiLabelThreshold is the probability above which a label is on.
const multiLabelThreshold = 0.5

// multiLabelNet reports whether net is a multi-label network: one whose
// last layer is a sigmoid (a regression network of this command ends in a
// fully connected layer, a classifier in a softmax).
func multiLabelNet(net *nn.Network) bool {
	ls := net.Layers()
	return len(ls) > 0 && ls[len(ls)-1].Kind() == nn.KindSigmoid
}

// checkLabels reports the first target of ds that is neither 0 nor 1,
// naming its data row and column.
func checkLabels(ds *data.Dataset, source string) error {
	k := len(ds.TargetNames)
	for i, v := range ds.Targets {
		if v != 0 && v != 1 {
			return fmt.Errorf("%s: row %d, column %s: %v is not a label of --task multilabel (valid: 0 or 1)",
				source, sourceRow(ds, i/k), ds.TargetNames[i%k], v)
		}
	}
	return nil
}

// measureLabels fills the multi-label fit of ds: labels right, rows
// whose labels are all right.
func measureLabels(f *fit, net *nn.Network, x []float64, ds *data.Dataset) error {
	on, _, err := net.ClassifyLabels(x, multiLabelThreshold)
	if err != nil {
		return err
	}
	k := len(ds.TargetNames)
	for i := range ds.Rows {
		all := true
		for j := range k {
			right := on[i*k+j] == (ds.Targets[i*k+j] == 1)
			if right {
				f.correct++
			}
			all = all && right
		}
		if all {
			f.exact++
		}
	}
	f.labels = ds.Rows * k
	f.accuracy = float64(f.correct) / float64(f.labels)
	return nil
}

// labelPairs describes a multi-label fit as a summary line.
func labelPairs(set string, f fit) [][2]string {
	return [][2]string{{set + " accuracy", fmt.Sprintf("%s of labels (%d of %d), %s of rows exactly (%d of %d)",
		formatPercent(f.accuracy), f.correct, f.labels, formatPercent(float64(f.exact)/float64(f.rows)), f.exact, f.rows)}}
}

// labelHeader and labelRecord are predict's CSV for a multi-label model:
// each label's decision (0 or 1), then its probability.
func labelHeader(m *modelMeta) []string {
	h := []string{"row"}
	h = append(h, m.TargetNames...)
	for _, n := range m.TargetNames {
		h = append(h, "prob_"+n)
	}
	return h
}

func labelRecord(rec []string, out []float64, num func(float64) string) []string {
	for _, p := range out {
		rec = append(rec, strconv.Itoa(b2i(p > multiLabelThreshold)))
	}
	for _, p := range out {
		rec = append(rec, num(p))
	}
	return rec
}

// b2i returns 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// labelScores are evaluate's scores of one label of a multi-label model:
// its accuracy, and the precision, recall, F1 and support of the label
// being on.
type labelScores struct {
	Name      string  `json:"name"`
	Accuracy  float64 `json:"accuracy"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// labelReport is evaluate's report of a multi-label model.
type labelReport struct {
	Rows, Exact int
	ExactMatch  float64 // Exact / Rows: rows with every label right
	Labels      []labelScores
}

// evaluateLabels scores each label of a multi-label model as a two-class
// problem (off, on) with metrics.Classify.
func evaluateLabels(net *nn.Network, m *modelMeta, ds *data.Dataset) (*labelReport, error) {
	on, _, err := net.ClassifyLabels(ds.Features, multiLabelThreshold)
	if err != nil {
		return nil, err
	}
	k := len(m.TargetNames)
	r := &labelReport{Rows: ds.Rows}
	truth, pred := make([][]int, k), make([][]int, k)
	for i := range ds.Rows {
		all := true
		for j := range k {
			t, p := int(ds.Targets[i*k+j]), b2i(on[i*k+j])
			truth[j], pred[j] = append(truth[j], t), append(pred[j], p)
			all = all && t == p
		}
		r.Exact += b2i(all)
	}
	r.ExactMatch = float64(r.Exact) / float64(r.Rows)
	for j, name := range m.TargetNames {
		c, err := metrics.Classify(truth[j], pred[j], []string{"off", "on"})
		if err != nil {
			return nil, err
		}
		s := c.Classes[1]
		r.Labels = append(r.Labels, labelScores{Name: name, Accuracy: c.Accuracy, Precision: s.Precision, Recall: s.Recall, F1: s.F1, Support: s.Support})
	}
	return r, nil
}

// table writes the report as text.
func (r *labelReport) table(b *strings.Builder, cfg evaluateConfig, m *modelMeta) {
	printPairs(b, [][2]string{
		{"Model", fmt.Sprintf("%s (multilabel, %d labels)", cfg.model, len(m.TargetNames))},
		{"Data", fmt.Sprintf("%s (%d rows)", cfg.data, r.Rows)},
		{"Exact match", fmt.Sprintf("%s (%d of %d rows with every label right)", formatPercent(r.ExactMatch), r.Exact, r.Rows)},
	})
	b.WriteString("\n")
	grid := [][]string{{"Label", "Accuracy", "Precision", "Recall", "F1", "Support"}}
	for _, s := range r.Labels {
		grid = append(grid, []string{s.Name, formatFixed(s.Accuracy), formatFixed(s.Precision), formatFixed(s.Recall), formatFixed(s.F1), strconv.Itoa(s.Support)})
	}
	writeGrid(b, grid)
}
