package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// labelsCSV returns rows of two features, a text column and three
// independent labels of 0 and 1: a = x1 > 0, b = x2 > 0, c = x1 + x2 > 0.5.
func labelsCSV(rows int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 9))
	var b strings.Builder
	b.WriteString("x1,x2,colour,a,b,c\n")
	bit := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	for i := range rows {
		x1, x2 := r.NormFloat64(), r.NormFloat64()
		fmt.Fprintf(&b, "%.4f,%.4f,%s,%d,%d,%d\n", x1, x2, []string{"red", "blue"}[i%2], bit(x1 > 0), bit(x2 > 0), bit(x1+x2 > 0.5))
	}
	return b.String()
}

// TestMultiLabel trains a multi-label network, predicts with it and
// checks evaluate's counts against predict's decisions.
func TestMultiLabel(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "labels.csv", labelsCSV(120, 1))
	r := runBinary(t, dir, "train", "--data", "labels.csv", "--task", "multilabel", "--target", "a,b,c", "--hidden", "16",
		"--validation-split", "0.25", "--max-iterations", "40", "--model-out", "labels.model", "--log-level", "error")
	mustSucceed(t, r, "train --task multilabel")
	if !strings.Contains(r.stdout, "ValidationAccuracy") {
		t.Errorf("no ValidationAccuracy column:\n%s", r.stdout)
	}
	if acc := summaryValue(t, r.stdout, "Training accuracy"); !strings.Contains(acc, "of labels (") || !strings.Contains(acc, "of rows exactly (") {
		t.Errorf("Training accuracy %q", acc)
	}
	p := runBinary(t, dir, "predict", "--model", "labels.model", "--data", "labels.csv")
	mustSucceed(t, p, "predict")
	recs, err := csv.NewReader(strings.NewReader(p.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "row,a,b,c,prob_a,prob_b,prob_c" {
		t.Fatalf("predict header %q", got)
	}
	truth, _ := csv.NewReader(strings.NewReader(labelsCSV(120, 1))).ReadAll()
	exact, tp := 0, [3]int{}
	for i, rec := range recs[1:] {
		all := true
		for j := range 3 {
			right := rec[1+j] == truth[i+1][3+j]
			all = all && right
			if right && rec[1+j] == "1" {
				tp[j]++
			}
		}
		if all {
			exact++
		}
	}
	ev := runBinary(t, dir, "evaluate", "--model", "labels.model", "--data", "labels.csv", "--format", "json")
	mustSucceed(t, ev, "evaluate")
	obj := jsonLines(t, ev.stdout)[0]
	if obj["task"] != "multilabel" || obj["exact"] != float64(exact) {
		t.Errorf("evaluate: task %v, exact %v; predict's decisions give %d exact rows", obj["task"], obj["exact"], exact)
	}
	for j, l := range obj["labels"].([]any) {
		m := l.(map[string]any)
		// recall = true positives / support
		if got, want := m["recall"].(float64)*m["support"].(float64), float64(tp[j]); got < want-1e-9 || got > want+1e-9 {
			t.Errorf("label %v: recall × support = %v, predict's true positives %v", m["name"], got, want)
		}
	}
	writeFile(t, dir, "bad.csv", "x1,x2,colour,a,b,c\n1,2,red,1,0,1\n2,1,blue,0,2,1\n")
	bad := runBinary(t, dir, "evaluate", "--model", "labels.model", "--data", "bad.csv")
	if bad.code != exitFailure || !strings.Contains(bad.stderr, "bad.csv: row 2, column b: 2 is not a label of --task multilabel (valid: 0 or 1)") {
		t.Errorf("a label of 2: exit %d, %s", bad.code, bad.stderr)
	}
	mse := runBinary(t, dir, "train", "--data", "labels.csv", "--task", "multilabel", "--target", "a,b,c", "--loss", "mse")
	if mse.code != exitUsage || !strings.Contains(mse.stderr, `invalid value "mse" for --loss with --task multilabel (valid: binary-crossentropy)`) {
		t.Errorf("--loss mse with multilabel: exit %d, %s", mse.code, mse.stderr)
	}
}
