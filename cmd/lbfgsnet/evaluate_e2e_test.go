package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// petalRuleModel writes a model that classifies iris by petal length
// alone: setosa below 2.5 cm, versicolor below 4.95 cm, virginica above.
// It is a linear layer with a softmax, scores z = (25 − 10·x, 0, 10·x −
// 49.5): z_setosa > 0 exactly when x < 2.5, z_virginica > 0 when x > 4.95.
func petalRuleModel(t *testing.T, path string) {
	t.Helper()
	net, err := nn.New(nn.Config{InputSize: 1, Layers: []nn.Layer{nn.FullyConnected{OutputSize: 3}, nn.Softmax{}}, Dtype: tensor.Float64},
		rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, net.NumLearnables())
	for _, l := range net.Learnables() {
		v := map[string][]float64{"Weights": {-10, 0, 10}, "Bias": {25, 0, -49.5}}[l.Parameter]
		copy(x[l.Offset:], v)
	}
	if err := net.SetFlatLearnables(x); err != nil {
		t.Fatal(err)
	}
	m := modelMeta{Format: metaFormat, Version: metaVersion, Task: data.Classification, FeatureNames: []string{"petal_length"},
		TargetNames: []string{"species"}, ClassNames: []string{"setosa", "versicolor", "virginica"}, TrainedOn: "petal rule"}
	if err := saveModel(path, net, m); err != nil {
		t.Fatal(err)
	}
}

// TestEvaluateIris: evaluate of the petal-length rule on iris.csv gives
// the counts of the rule, checked by hand on the file (awk over
// data/iris.csv): every setosa has a petal under 2.5 cm; 2 versicolor
// petals reach 4.95 cm (5.0, 5.1); 6 virginica petals stay below it
// (4.5, 4.8, 4.8, 4.9, 4.9, 4.9, …).
func TestEvaluateIris(t *testing.T) {
	dir := t.TempDir()
	petalRuleModel(t, filepath.Join(dir, "petal.model"))
	iris := filepath.Join("..", "..", "data", "iris.csv")
	r := runBinary(t, dir, "evaluate", "--model", "petal.model", "--data", mustAbs(t, iris), "--format", "json")
	mustSucceed(t, r, "evaluate --format json")
	obj := jsonLines(t, r.stdout)[0]
	if got, want := fmt.Sprint(obj["confusion"]), "[[50 0 0] [0 48 2] [0 6 44]]"; got != want {
		t.Errorf("confusion %s, want %s", got, want)
	}
	// 142 of 150 right.
	if obj["correct"] != 142.0 || obj["accuracy"] != 142.0/150 {
		t.Errorf("correct %v accuracy %v, want 142 and 142/150", obj["correct"], obj["accuracy"])
	}
	classes := obj["classes"].([]any)
	// versicolor: 48 right of 54 predicted, 50 present; virginica 44 of
	// 46 predicted, 50 present.
	want := [][4]float64{{1, 1, 1, 50}, {48.0 / 54, 48.0 / 50, 0, 50}, {44.0 / 46, 44.0 / 50, 0, 50}}
	for k, c := range classes {
		m := c.(map[string]any)
		p, rc := want[k][0], want[k][1]
		f1 := 2 * p * rc / (p + rc)
		if math.Abs(m["precision"].(float64)-p) > 1e-15 || math.Abs(m["recall"].(float64)-rc) > 1e-15 ||
			math.Abs(m["f1"].(float64)-f1) > 1e-15 || m["support"] != want[k][3] {
			t.Errorf("class %v: %v, want precision %v recall %v F1 %v support %v", m["name"], m, p, rc, f1, want[k][3])
		}
	}

	tab := runBinary(t, dir, "evaluate", "--model", "petal.model", "--data", mustAbs(t, iris))
	mustSucceed(t, tab, "evaluate")
	for _, line := range []string{
		"Accuracy:  94.67% (142 of 150)",
		"versicolor           0.8889  0.9600  0.9231       50",
	} {
		if !strings.Contains(tab.stdout, line) {
			t.Errorf("table lacks %q:\n%s", line, tab.stdout)
		}
	}
	lines := strings.Split(tab.stdout, "\n")
	if got := strings.Join(strings.Fields(lines[len(lines)-2]), " "); got != "virginica 0 6 44" {
		t.Errorf("last confusion row %q, want virginica 0 6 44", got)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestEvaluateRegression compares evaluate's RMSE, MAE and R² with those
// computed here from predict's output on the same file.
func TestEvaluateRegression(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 5))
	var b strings.Builder
	b.WriteString("x,colour,y,z\n")
	for i := range 60 {
		x := rng.Float64()*4 - 2
		c := []string{"red", "blue"}[i%2]
		fmt.Fprintf(&b, "%.4f,%s,%.4f,%.4f\n", x, c, math.Sin(x)+0.1*rng.NormFloat64()+float64(i%2), 3*x+rng.NormFloat64())
	}
	writeFile(t, dir, "reg.csv", b.String())
	mustSucceed(t, runBinary(t, dir, "train", "--data", "reg.csv", "--task", "regression", "--target", "y,z", "--hidden", "8",
		"--max-iterations", "30", "--quiet", "--model-out", "reg.model"), "train regression")
	ev := runBinary(t, dir, "evaluate", "--model", "reg.model", "--data", "reg.csv", "--format", "json")
	mustSucceed(t, ev, "evaluate")
	targets := jsonLines(t, ev.stdout)[0]["targets"].([]any)
	p := runBinary(t, dir, "predict", "--model", "reg.model", "--data", "reg.csv", "--precision", "0")
	mustSucceed(t, p, "predict")
	preds, _ := csv.NewReader(strings.NewReader(p.stdout)).ReadAll()
	truth, _ := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	for j, name := range []string{"y", "z"} {
		var ys, ps []float64
		for i := 1; i < len(truth); i++ {
			y, _ := strconv.ParseFloat(truth[i][2+j], 64)
			v, _ := strconv.ParseFloat(preds[i][1+j], 64)
			ys, ps = append(ys, y), append(ps, v)
		}
		mean := 0.0
		for _, y := range ys {
			mean += y / float64(len(ys))
		}
		var sse, sae, sst float64
		for i := range ys {
			sse += (ps[i] - ys[i]) * (ps[i] - ys[i])
			sae += math.Abs(ps[i] - ys[i])
			sst += (ys[i] - mean) * (ys[i] - mean)
		}
		n := float64(len(ys))
		m := targets[j].(map[string]any)
		for key, want := range map[string]float64{"rmse": math.Sqrt(sse / n), "mae": sae / n, "r2": 1 - sse/sst} {
			if got := m[key].(float64); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %s = %v, want %v", name, key, got, want)
			}
		}
		if m["name"] != name {
			t.Errorf("target %d named %v, want %s", j, m["name"], name)
		}
	}
	tab := runBinary(t, dir, "evaluate", "--model", "reg.model", "--data", "reg.csv")
	mustSucceed(t, tab, "evaluate table")
	if !strings.Contains(tab.stdout, "Target") || !strings.Contains(tab.stdout, "R²") {
		t.Errorf("regression table:\n%s", tab.stdout)
	}
}
