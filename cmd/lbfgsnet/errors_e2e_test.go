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
	trace, err := os.ReadFile(filepath.Join(dir, "run.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(trace), "\n")
	writeFile(t, dir, "garbled.jsonl", lines[0]+"{not json\n"+strings.Join(lines[1:], ""))
	writeFile(t, dir, "cut.jsonl", strings.Join(lines[:3], "")+lines[3][:len(lines[3])/2])
}

// TestBadInput runs each kind of bad input and checks the exit code (2 for
// usage errors, 1 for bad files and data) and that the message names what
// is at fault.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	tests := []struct {
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
		{"extra argument", []string{"train", "good.csv"}, exitUsage, []string{`unexpected argument "good.csv"`, "--data"}},
		{"mixed target", []string{"train", "--data", "good.csv", "--task", "regression", "--target", "a,1"}, exitUsage, []string{"--target"}},
		{"two classification targets", []string{"train", "--data", "good.csv", "--target", "a,b"}, exitUsage, []string{`invalid value "a,b" for --target`, "one target column"}},
		{"no data file", []string{"train", "--data", "missing.csv"}, exitFailure, []string{"missing.csv", "no such file"}},
		{"not a number", []string{"train", "--data", "notnumber.csv"}, exitFailure, []string{"notnumber.csv: line 3, column 2 (b): not a number", `"abc"`}},
		{"ragged row", []string{"train", "--data", "ragged.csv"}, exitFailure, []string{"ragged.csv: line 4", "wrong number of fields"}},
		{"empty file", []string{"train", "--data", "empty.csv"}, exitFailure, []string{"empty.csv", "empty"}},
		{"NaN cell", []string{"train", "--data", "nan.csv"}, exitFailure, []string{"nan.csv: line 2, column 2 (b)", "not finite"}},
		{"missing target", []string{"train", "--data", "good.csv", "--target", "colour"}, exitFailure, []string{"good.csv", `"colour"`, "no such column"}},
		{"trace in missing dir", []string{"train", "--trace", "nodir/run.jsonl"}, exitFailure, []string{"--trace nodir/run.jsonl: directory nodir: no such file or directory"}},
		{"model in missing dir", []string{"train", "--model-out", "nodir/m.model"}, exitFailure, []string{"--model-out nodir/m.model: directory nodir"}},
		{"predictions in missing dir", []string{"predict", "--model", "train.model", "--data", "good.csv", "--out", "nodir/p.csv"}, exitFailure, []string{"--out nodir/p.csv: directory nodir"}},
		{"truncated checkpoint", []string{"train", "--resume", "truncated.ckpt"}, exitFailure, []string{"truncated.ckpt", "corrupt checkpoint"}},
		{"checkpoint of another network", []string{"train", "--resume", "run.ckpt", "--hidden", "16"}, exitFailure, []string{"run.ckpt", "1315 parameters", "has 131"}},
		{"checkpoint of other data", []string{"train", "--resume", "run.ckpt", "--standardize=false"}, exitFailure, []string{"run.ckpt", "the loss at the saved parameters", "--standardize"}},
		{"checkpoint of another dtype", []string{"train", "--resume", "run.ckpt", "--dtype", "float32"}, exitFailure, []string{"run.ckpt", "the loss at the saved parameters", "--dtype"}},
		{"features and target overlap", []string{"train", "--data", "good.csv", "--features", "a,label"}, exitUsage, []string{"--features", `"label"`}},
		{"resume with other options", []string{"train", "--resume", "run.ckpt", "--line-search", "backtracking"}, exitUsage, []string{"--line-search backtracking disagrees with the checkpoint run.ckpt"}},
		{"inspect no argument", []string{"inspect"}, exitUsage, []string{"missing the TRACE argument"}},
		{"inspect two arguments", []string{"inspect", "run.jsonl", "run.jsonl"}, exitUsage, []string{"one TRACE argument"}},
		{"inspect missing file", []string{"inspect", "none.jsonl"}, exitFailure, []string{"none.jsonl", "no such file"}},
		{"inspect garbled trace", []string{"inspect", "garbled.jsonl"}, exitFailure, []string{"garbled.jsonl: line 2"}},
		{"inspect not a trace", []string{"inspect", "good.csv"}, exitFailure, []string{"good.csv: line 1"}},
		{"inspect bad plateau", []string{"inspect", "--plateau", "2", "run.jsonl"}, exitUsage, []string{"--plateau"}},
		{"predict no model", []string{"predict", "--data", "good.csv"}, exitUsage, []string{"missing --model"}},
		{"predict no data", []string{"predict", "--model", "train.model"}, exitUsage, []string{"missing --data"}},
		{"corrupt model", []string{"predict", "--model", "corrupt.model", "--data", "good.csv"}, exitFailure, []string{"corrupt.model", "checksum"}},
		{"truncated model", []string{"predict", "--model", "truncated.model", "--data", "good.csv"}, exitFailure, []string{"truncated.model", "truncated"}},
		{"not a model", []string{"predict", "--model", "text.model", "--data", "good.csv"}, exitFailure, []string{"text.model", "not a valid model file"}},
		{"features missing", []string{"predict", "--model", "train.model", "--data", "good.csv"}, exitFailure, []string{"good.csv", "sepal_length", "no such column"}},
	}
	for _, tc := range tests {
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
		{[]string{"help", "inspect"}, []string{"--format FORMAT", "--plot FILE", "--trials", "--plateau FRACTION"}},
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
