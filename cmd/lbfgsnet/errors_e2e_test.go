package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// badInputFiles writes the files the bad-input cases read; train.model,
// run.ckpt and run.jsonl come from a real (short) training run.
func badInputFiles(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, dir, "good.csv", "a,b,label\n1,2,x\n2,1,y\n3,3,x\n1,1,y\n")
	writeFile(t, dir, "notnumber.csv", "a,b,label\n1,2,x\n2,abc,y\n")
	writeFile(t, dir, "ragged.csv", "a,b,label\n1,2,x\n2,1,y\n3,x\n")
	writeFile(t, dir, "empty.csv", "")
	writeFile(t, dir, "nan.csv", "a,b,label\n1,NaN,x\n")
	writeFile(t, dir, "emptycell.csv", "a,b,label\n1,2,x\n3,,y\n")
	writeFile(t, dir, "oneclass.csv", "a,b,label\n1,2,x\n3,4,x\n")
	writeFile(t, dir, "otherclass.csv", "a,b,label\n1,2,x\n3,4,z\n")
	writeFile(t, dir, "rose.csv", "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,rose\n")
	writeFile(t, dir, "nolabel.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "3", "--model-out", "train.model",
		"--checkpoint", "run.ckpt", "--trace", "run.jsonl", "--quiet"), "train for the bad-input files")
	model, err := os.ReadFile(filepath.Join(dir, "train.model"))
	if err != nil {
		t.Fatal(err)
	}
	corrupt := append([]byte(nil), model...)
	corrupt[len(corrupt)/2] ^= 0xff
	writeFile(t, dir, "corrupt.model", string(corrupt))
	writeFile(t, dir, "truncated.model", string(model[:len(model)-100]))
	writeFile(t, dir, "text.model", "not a model\n")
	ckpt, err := os.ReadFile(filepath.Join(dir, "run.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "truncated.ckpt", string(ckpt[:len(ckpt)/2]))
	flipped := append([]byte(nil), ckpt...)
	flipped[len(flipped)/2] ^= 0xff
	writeFile(t, dir, "corrupt.ckpt", string(flipped))
	writeFile(t, dir, "words.csv", "a,b,label\n1,x,y\n2,3,w\n")
	trace, err := os.ReadFile(filepath.Join(dir, "run.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(trace), "\n")
	writeFile(t, dir, "garbled.jsonl", lines[0]+"{not json\n"+strings.Join(lines[1:], ""))
	writeFile(t, dir, "cut.jsonl", strings.Join(lines[:3], "")+lines[3][:len(lines[3])/2])
}

// badInputTests are the cases of TestBadInput: the command line, the exit
// code, and substrings of the message on stderr.
var badInputTests = []struct {
	name string
	args []string
	code int
	msg  []string // substrings of stderr
}{
	{"no command", nil, exitUsage, []string{"Usage:"}},
	{"unknown command", []string{"fit"}, exitUsage, []string{`unknown command "fit"`}},
	{"unknown flag", []string{"train", "--bogus"}, exitUsage, []string{"unknown flag --bogus", "lbfgsnet train --help"}},
	{"bad line search", []string{"train", "--line-search", "wolfe"}, exitUsage, []string{`invalid value "wolfe" for --line-search`, "weak-wolfe, strong-wolfe, backtracking, none"}},
	{"bad history size", []string{"train", "--history-size", "0"}, exitUsage, []string{"invalid value 0 for --history-size"}},
	{"bad lambda0", []string{"train", "--initial-inverse-hessian-factor", "-1"}, exitUsage, []string{"--initial-inverse-hessian-factor", "> 0"}},
	{"unused option", []string{"train", "--line-search", "none", "--max-line-search-iterations", "5"}, exitUsage, []string{"--max-line-search-iterations", `"none" does not use it`}},
	{"bad split", []string{"train", "--validation-split", "1.5"}, exitUsage, []string{"invalid value 1.5 for --validation-split"}},
	{"bad hidden", []string{"train", "--hidden", "32,0"}, exitUsage, []string{`invalid value "32,0" for --hidden`}},
	{"bad task", []string{"train", "--task", "clustering"}, exitUsage, []string{`invalid value "clustering" for --task`}},
	{"bad l2", []string{"train", "--l2", "NaN"}, exitUsage, []string{"--l2"}},
	{"missing value", []string{"train", "--seed"}, exitUsage, []string{"flag --seed needs a value"}},
	{"value forgotten", []string{"train", "--history-size", "--quiet"}, exitUsage, []string{"flag --history-size needs a value, got the flag --quiet"}},
	{"file name forgotten", []string{"train", "--model-out", "--quiet"}, exitUsage, []string{"flag --model-out needs a value, got the flag --quiet"}},
	{"negative seed", []string{"train", "--seed", "-1"}, exitUsage, []string{`invalid value "-1" for --seed: want an integer from 0`}},
	{"fractional iterations", []string{"train", "--max-iterations", "1.5"}, exitUsage, []string{`invalid value "1.5" for --max-iterations: want an integer`}},
	{"negative iterations", []string{"train", "--max-iterations", "-1"}, exitUsage, []string{"invalid value -1 for --max-iterations (valid: >= 0; 0 for no limit)"}},
	{"NaN gradient tolerance", []string{"train", "--gradient-tolerance", "NaN"}, exitUsage, []string{"invalid value NaN for --gradient-tolerance", "finite and >= 0"}},
	{"negative step tolerance", []string{"train", "--step-tolerance", "-1e-3"}, exitUsage, []string{"invalid value -0.001 for --step-tolerance"}},
	{"zero line-search budget", []string{"train", "--max-line-search-iterations", "0"}, exitUsage, []string{"invalid value 0 for --max-line-search-iterations (valid: 1 to 65536)"}},
	{"NaN lambda0", []string{"train", "--initial-inverse-hessian-factor", "NaN"}, exitUsage, []string{"invalid value NaN for --initial-inverse-hessian-factor"}},
	{"not a boolean", []string{"train", "--quiet=maybe"}, exitUsage, []string{`invalid value "maybe" for --quiet: want true or false`}},
	{"bad dtype", []string{"train", "--dtype", "float16"}, exitUsage, []string{`invalid value "float16" for --dtype: must be one of float64, float32`}},
	{"negative target index", []string{"train", "--data", "good.csv", "--target", "-1"}, exitUsage, []string{`invalid value "-1" for --target: a column index counts from 0`}},
	{"target index past the end", []string{"train", "--data", "good.csv", "--target", "3"}, exitFailure, []string{"good.csv: line 1, column 4: no such column", "--target 3 counts columns from 0"}},
	{"text feature", []string{"train", "--data", "words.csv"}, exitFailure, []string{"words.csv: line 2, column 2 (b): not a number", `but the column holds the number "3" on line 3`, "choose the features with --features"}},
	{"extra argument", []string{"train", "good.csv"}, exitUsage, []string{`unexpected argument "good.csv"`, "--data"}},
	{"mixed target", []string{"train", "--data", "good.csv", "--task", "regression", "--target", "a,1"}, exitUsage, []string{"--target"}},
	{"two classification targets", []string{"train", "--data", "good.csv", "--target", "a,b"}, exitUsage, []string{`invalid value "a,b" for --target`, "one target column"}},
	{"no data file", []string{"train", "--data", "missing.csv"}, exitFailure, []string{"missing.csv", "no such file"}},
	{"not a number", []string{"train", "--data", "notnumber.csv"}, exitFailure, []string{"notnumber.csv: line 3, column 2 (b): not a number", `"abc"`}},
	{"ragged row", []string{"train", "--data", "ragged.csv"}, exitFailure, []string{"ragged.csv: line 4", "wrong number of fields"}},
	{"empty file", []string{"train", "--data", "empty.csv"}, exitFailure, []string{"empty.csv", "empty"}},
	{"NaN cell", []string{"train", "--data", "nan.csv"}, exitFailure, []string{"nan.csv: line 2, column 2 (b)", "not finite"}},
	{"empty cell", []string{"train", "--data", "emptycell.csv"}, exitFailure, []string{"emptycell.csv: line 3, column 2 (b)", "empty cell", "--missing drop-rows or --missing mean"}},
	{"single class", []string{"train", "--data", "oneclass.csv", "--target", "label"}, exitFailure, []string{"oneclass.csv: target column label holds a single class", "at least 2"}},
	{"missing target", []string{"train", "--data", "good.csv", "--target", "colour"}, exitFailure, []string{"good.csv", `"colour"`, "no such column"}},
	{"trace in missing dir", []string{"train", "--trace", "nodir/run.jsonl"}, exitFailure, []string{"--trace nodir/run.jsonl: directory nodir: no such file or directory"}},
	{"model in missing dir", []string{"train", "--model-out", "nodir/m.model"}, exitFailure, []string{"--model-out nodir/m.model: directory nodir"}},
	{"predictions in missing dir", []string{"predict", "--model", "train.model", "--data", "good.csv", "--out", "nodir/p.csv"}, exitFailure, []string{"--out nodir/p.csv: directory nodir"}},
	{"truncated checkpoint", []string{"train", "--resume", "truncated.ckpt"}, exitFailure, []string{"truncated.ckpt", "corrupt file"}},
	{"corrupt checkpoint", []string{"train", "--resume", "corrupt.ckpt"}, exitFailure, []string{"corrupt.ckpt", "corrupt file", "checksum"}},
	{"model as checkpoint", []string{"train", "--resume", "train.model"}, exitFailure, []string{"train.model", "not a checkpoint"}},
	{"missing checkpoint", []string{"train", "--resume", "none.ckpt"}, exitFailure, []string{"none.ckpt", "no such file"}},
	{"checkpoint of another network", []string{"train", "--resume", "run.ckpt", "--hidden", "16"}, exitFailure, []string{"run.ckpt", "1315 parameters", "has 131"}},
	{"checkpoint of other data", []string{"train", "--resume", "run.ckpt", "--standardize=false"}, exitFailure, []string{"run.ckpt", "the loss at the saved parameters", "--standardize"}},
	{"checkpoint of another dtype", []string{"train", "--resume", "run.ckpt", "--dtype", "float32"}, exitFailure, []string{"run.ckpt", "the loss at the saved parameters", "--dtype"}},
	{"features and target overlap", []string{"train", "--data", "good.csv", "--features", "a,label"}, exitUsage, []string{"--features", `"label"`}},
	{"resume with other options", []string{"train", "--resume", "run.ckpt", "--line-search", "backtracking"}, exitUsage, []string{"--line-search backtracking disagrees with the checkpoint run.ckpt"}},
	{"bad missing policy", []string{"train", "--missing", "skip"}, exitUsage, []string{`invalid value "skip" for --missing: must be one of error, drop-rows, mean`}},
	{"validation data and split", []string{"train", "--validation-data", "good.csv", "--validation-split", "0.2"}, exitUsage, []string{"--validation-split and --validation-data"}},
	{"validation frequency 0", []string{"train", "--validation-split", "0.2", "--validation-frequency", "0"}, exitUsage, []string{"invalid value 0 for --validation-frequency (valid: >= 1)"}},
	{"negative patience", []string{"train", "--validation-split", "0.2", "--validation-patience", "-1"}, exitUsage, []string{"invalid value -1 for --validation-patience (valid: >= 0 (0 = infinite))"}},
	{"bad output network", []string{"train", "--validation-split", "0.2", "--output-network", "best"}, exitUsage, []string{`invalid value "best" for --output-network: must be one of last-iteration, best-validation-loss`}},
	{"output network without validation", []string{"train", "--output-network", "best-validation-loss"}, exitUsage, []string{"--output-network needs validation rows"}},
	{"patience without validation", []string{"train", "--validation-patience", "3"}, exitUsage, []string{"--validation-patience needs validation rows"}},
	{"function tolerance 1", []string{"train", "--function-tolerance", "1"}, exitUsage, []string{"invalid value 1 for --function-tolerance (valid: 0 <= FunctionTolerance < 1 (0 = off))"}},
	{"negative evaluation limit", []string{"train", "--max-loss-evaluations", "-1"}, exitUsage, []string{"invalid value -1 for --max-loss-evaluations"}},
	{"negative clip norm", []string{"train", "--gradient-clip-norm", "-1"}, exitUsage, []string{"invalid value -1 for --gradient-clip-norm"}},
	{"NaN clip value", []string{"train", "--gradient-clip-value", "NaN"}, exitUsage, []string{"invalid value NaN for --gradient-clip-value"}},
	{"bad failure policy", []string{"train", "--on-line-search-failure", "retry"}, exitUsage, []string{`invalid value "retry" for --on-line-search-failure: must be one of stop, reset`}},
	{"negative shards", []string{"train", "--shards", "-1"}, exitUsage, []string{"invalid value -1 for --shards"}},
	{"more shards than rows", []string{"train", "--data", "good.csv", "--shards", "10"}, exitUsage, []string{"invalid value 10 for --shards (valid: 0 to the 4 training rows)"}},
	{"validation file missing", []string{"train", "--data", "good.csv", "--validation-data", "none.csv"}, exitFailure, []string{"--validation-data", "none.csv", "no such file"}},
	{"validation file of another class", []string{"train", "--data", "good.csv", "--validation-data", "otherclass.csv"}, exitFailure, []string{"--validation-data", "otherclass.csv: line 3, column 3 (label): unknown class", `"z"`}},
	{"evaluate no model", []string{"evaluate", "--data", "good.csv"}, exitUsage, []string{"missing --model"}},
	{"evaluate no data", []string{"evaluate", "--model", "train.model"}, exitUsage, []string{"missing --data"}},
	{"evaluate bad format", []string{"evaluate", "--model", "train.model", "--data", "rose.csv", "--format", "csv"}, exitUsage, []string{`invalid value "csv" for --format`}},
	{"evaluate unknown class", []string{"evaluate", "--model", "train.model", "--data", "rose.csv"}, exitFailure, []string{"rose.csv: line 2, column 5 (species): unknown class", `"rose"`}},
	{"evaluate without labels", []string{"evaluate", "--model", "train.model", "--data", "nolabel.csv"}, exitFailure, []string{"nolabel.csv", `"species"`, "no such column"}},
	{"evaluate missing model", []string{"evaluate", "--model", "none.model", "--data", "rose.csv"}, exitFailure, []string{"none.model", "no such file"}},
	{"predict bad missing policy", []string{"predict", "--model", "train.model", "--data", "good.csv", "--missing", "zero"}, exitUsage, []string{`invalid value "zero" for --missing`}},
	{"bad loss", []string{"train", "--loss", "hinge"}, exitUsage, []string{`invalid value "hinge" for --loss: must be one of crossentropy, binary-crossentropy, mse, huber, mae`}},
	{"regression loss for classification", []string{"train", "--loss", "mae"}, exitUsage, []string{`invalid value "mae" for --loss with --task classification (valid: crossentropy)`}},
	{"cross-entropy for regression", []string{"train", "--task", "regression", "--loss", "crossentropy"}, exitUsage, []string{"--loss with --task regression (valid: mse, huber, mae)"}},
	{"huber delta without huber", []string{"train", "--task", "regression", "--huber-delta", "2"}, exitUsage, []string{"--huber-delta applies to --loss huber only"}},
	{"zero huber delta", []string{"train", "--task", "regression", "--loss", "huber", "--huber-delta", "0"}, exitUsage, []string{"invalid value 0 for --huber-delta (valid: finite and > 0)"}},
	{"class weights for regression", []string{"train", "--task", "regression", "--class-weights", "balanced"}, exitUsage, []string{"--class-weights applies to --task classification only"}},
	{"too few class weights", []string{"train", "--class-weights", "1,2"}, exitUsage, []string{`invalid value "1,2" for --class-weights: 2 weights for 3 classes (setosa, versicolor, virginica)`}},
	{"negative class weight", []string{"train", "--class-weights", "1,-1,1"}, exitUsage, []string{`weight "-1" (valid: finite and >= 0)`}},
	{"unknown class weight", []string{"train", "--class-weights", "rose=2"}, exitUsage, []string{`"rose=2" is not class=weight for a class of setosa, versicolor, virginica`}},
	{"zero class weights", []string{"train", "--class-weights", "0,0,0"}, exitUsage, []string{"every weight is 0"}},
	{"inspect no argument", []string{"inspect"}, exitUsage, []string{"missing the TRACE argument"}},
	{"inspect two arguments", []string{"inspect", "run.jsonl", "run.jsonl"}, exitUsage, []string{"one TRACE argument"}},
	{"inspect missing file", []string{"inspect", "none.jsonl"}, exitFailure, []string{"none.jsonl", "no such file"}},
	{"inspect garbled trace", []string{"inspect", "garbled.jsonl"}, exitFailure, []string{"garbled.jsonl: line 2"}},
	{"inspect not a trace", []string{"inspect", "good.csv"}, exitFailure, []string{"good.csv: line 1", "not a trace written by 'lbfgsnet train --trace'"}},
	{"inspect plot in missing dir", []string{"inspect", "run.jsonl", "--plot", "nodir/p.png"}, exitFailure, []string{"--plot nodir/p.png: directory nodir"}},
	{"inspect bad plateau", []string{"inspect", "--plateau", "2", "run.jsonl"}, exitUsage, []string{"--plateau"}},
	{"predict no model", []string{"predict", "--data", "good.csv"}, exitUsage, []string{"missing --model"}},
	{"predict no data", []string{"predict", "--model", "train.model"}, exitUsage, []string{"missing --data"}},
	{"predict missing model", []string{"predict", "--model", "none.model", "--data", "good.csv"}, exitFailure, []string{"none.model", "no such file"}},
	{"predict missing data", []string{"predict", "--model", "train.model", "--data", "none.csv"}, exitFailure, []string{"none.csv", "no such file"}},
	{"predict bad precision", []string{"predict", "--model", "train.model", "--data", "good.csv", "--precision", "-1"}, exitUsage, []string{"invalid value -1 for --precision"}},
	{"predict checkpoint as model", []string{"predict", "--model", "run.ckpt", "--data", "good.csv"}, exitFailure, []string{"run.ckpt", "not a valid model file"}},
	{"corrupt model", []string{"predict", "--model", "corrupt.model", "--data", "good.csv"}, exitFailure, []string{"corrupt.model", "checksum"}},
	{"truncated model", []string{"predict", "--model", "truncated.model", "--data", "good.csv"}, exitFailure, []string{"truncated.model", "truncated"}},
	{"not a model", []string{"predict", "--model", "text.model", "--data", "good.csv"}, exitFailure, []string{"text.model", "not a valid model file"}},
	{"features missing", []string{"predict", "--model", "train.model", "--data", "good.csv"}, exitFailure, []string{"good.csv", "sepal_length", "no such column"}},
}

// TestBadInput runs each kind of bad input and checks the exit code (2 for
// usage errors, 1 for bad files and data) and that the message names what
// is at fault.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	for _, tc := range badInputTests {
		t.Run(tc.name, func(t *testing.T) {
			r := runBinary(t, dir, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", r.code, tc.code, r.stderr)
			}
			for _, m := range tc.msg {
				if !strings.Contains(r.stderr, m) {
					t.Errorf("stderr lacks %q:\n%s", m, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
				t.Errorf("a Go stack trace on stderr:\n%s", r.stderr)
			}
			// One message, on one line (the usage hint on a second).
			if n := strings.Count(strings.TrimSpace(r.stderr), "\n"); tc.code == exitFailure && n > 0 {
				t.Errorf("stderr has %d lines, want the one message:\n%s", n+1, r.stderr)
			}
		})
	}
	noTempFiles(t, dir)
}

// TestInspectCutTrace: a trace whose last line was cut short by a killed
// writer is read up to that line, with a warning.
func TestInspectCutTrace(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	r := runBinary(t, dir, "inspect", "cut.jsonl")
	mustSucceed(t, r, "inspect cut.jsonl")
	if !strings.Contains(r.stderr, "line 4 is cut short") {
		t.Errorf("no warning about the cut line:\n%s", r.stderr)
	}
	if got := summaryValue(t, r.stdout, "Stopped"); !strings.HasPrefix(got, "no summary line") || !strings.Contains(got, "2 iterations recorded") {
		t.Errorf("Stopped: %q, want no summary and 2 iterations", got)
	}
}

// TestHelp: "--help" and "help" print the usage to stdout with every flag
// and exit 0.
func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		flags []string
	}{
		{[]string{"help"}, []string{"train", "inspect", "predict"}},
		{[]string{"train", "--help"}, []string{"--data FILE", "--target COLUMN", "--task TASK", "--hidden SIZES", "--activation NAME",
			"--dtype DTYPE", "--history-size NUMBER", "--initial-inverse-hessian-factor FACTOR", "--line-search METHOD",
			"--max-line-search-iterations NUMBER", "--max-iterations NUMBER", "--gradient-tolerance TOL", "--step-tolerance TOL",
			"--l2 LAMBDA", "--validation-split FRACTION", "--seed SEED", "--model-out FILE", "--trace FILE", "--checkpoint FILE",
			"--resume FILE", "--plot FILE", "--format FORMAT", "--quiet", "--log-level LEVEL", "(default 32,32)", "(default weak-wolfe)"}},
		{[]string{"help", "inspect"}, []string{"--format FORMAT", "--plot FILE", "--trials", "--plateau RATE"}},
		{[]string{"predict", "-h"}, []string{"--model FILE", "--data FILE", "--out FILE", "--precision DIGITS"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runInProcess(t.Context(), tc.args...)
			mustSucceed(t, r, strings.Join(tc.args, " "))
			for _, f := range tc.flags {
				if !strings.Contains(r.stdout, f) {
					t.Errorf("help lacks %q:\n%s", f, r.stdout)
				}
			}
		})
	}
}
