package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// TestSeparatorFlag: a file separated by semicolons or tabs gets a hint
// naming --separator, and reads with it, in train and predict.
func TestSeparatorFlag(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "semi.csv", "a;b;label\n1;2;x\n2;1;y\n3;3;x\n1;1;y\n")
	writeFile(t, dir, "tab.csv", "a\tb\tlabel\n1\t2\tx\n2\t1\ty\n3\t3\tx\n1\t1\ty\n")
	for file, sep := range map[string]string{"semi.csv": "';'", "tab.csv": "tab"} {
		r := runBinary(t, dir, "train", "--data", file)
		if r.code != exitFailure || !strings.Contains(r.stderr, "read it with --separator "+sep) || strings.Contains(r.stderr, "CSVOptions") {
			t.Errorf("train --data %s: exit code %d, want %d and a hint naming --separator %s\nstderr:\n%s", file, r.code, exitFailure, sep, r.stderr)
		}
	}
	mustSucceed(t, runBinary(t, dir, "train", "--data", "semi.csv", "--separator", ";", "--quiet", "--max-iterations", "3", "--model-out", "semi.model"), "train --separator ;")
	mustSucceed(t, runBinary(t, dir, "train", "--data", "tab.csv", "--separator", "tab", "--quiet", "--max-iterations", "3"), "train --separator tab")
	r := runBinary(t, dir, "predict", "--model", "semi.model", "--data", "semi.csv")
	if r.code != exitFailure || !strings.Contains(r.stderr, "--separator ';'") {
		t.Errorf("predict without --separator: exit code %d\nstderr:\n%s", r.code, r.stderr)
	}
	r = runBinary(t, dir, "predict", "--model", "semi.model", "--data", "semi.csv", "--separator", ";")
	mustSucceed(t, r, "predict --separator ;")
	if !strings.HasPrefix(r.stdout, "row,label,prob_x,prob_y\n") {
		t.Errorf("predictions:\n%s", r.stdout)
	}
}

// TestMessagesSpeakFlags: the reader's complaints about the columns asked
// for name the command's flags, not the library's option fields.
func TestMessagesSpeakFlags(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"train", "--data", "good.csv", "--target", "2", "--features", "label"}, `feature column "label" is also a target column (--features, --target)`},
		{[]string{"train", "--data", "good.csv", "--features", "a,a"}, `invalid value "a,a" for --features: "a" is given twice`},
		{[]string{"train", "--data", "good.csv", "--features", "a,,b"}, `invalid value "a,,b" for --features: an empty column name`},
		{[]string{"train", "--data", "good.csv", "--task", "regression", "--target", "0,0"}, `invalid value "0,0" for --target: column 0 is given twice`},
		{[]string{"train", "--data", "good.csv", "--separator", `"`}, `invalid value "\"" for --separator`},
		{[]string{"train", "--data", "good.csv", "--separator", ";;"}, `want one character`},
	} {
		r := runBinary(t, dir, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.msg) || strings.Contains(r.stderr, "CSVOptions") || strings.Contains(r.stderr, "LastColumn") {
			t.Errorf("%s: exit code %d, want %d and %q\nstderr:\n%s", strings.Join(tc.args, " "), r.code, exitUsage, tc.msg, r.stderr)
		}
	}
}

// TestStandardizeHuge: a feature column of values near ±1e200, whose
// squares overflow but whose standard deviation does not, trains.
func TestStandardizeHuge(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "huge.csv", "a,b,label\n1e200,1,x\n-1e200,2,y\n2e200,1,x\n-2e200,2,y\n")
	mustSucceed(t, runBinary(t, dir, "train", "--data", "huge.csv", "--quiet", "--max-iterations", "3"), "train on ±1e200")
}

// TestModelAttachmentStrict: the command's attachment in a model file is
// read as strictly as the header: a key in another letter case or given
// twice is an error, not silently taken.
func TestModelAttachmentStrict(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	mustSucceed(t, runBinary(t, dir, "train", "--data", "good.csv", "--max-iterations", "2", "--quiet", "--model-out", "good.model"), "train")
	net, att, err := nn.Load(filepath.Join(dir, "good.model"))
	if err != nil {
		t.Fatal(err)
	}
	js := string(att[metaAttachment])
	for name, edit := range map[string]string{
		"case.model": strings.Replace(js, `"task"`, `"Task"`, 1),
		"dup.model":  strings.Replace(js, `"task":"classification"`, `"task":"regression","task":"classification"`, 1),
	} {
		if edit == js {
			t.Fatalf("%s: the edit changed nothing in %s", name, js)
		}
		if err := net.Save(filepath.Join(dir, name), map[string][]byte{metaAttachment: []byte(edit)}); err != nil {
			t.Fatal(err)
		}
		r := runBinary(t, dir, "predict", "--model", name, "--data", "good.csv")
		if r.code != exitFailure || !strings.Contains(r.stderr, `attachment "lbfgsnet/cli"`) || r.stdout != "" {
			t.Errorf("%s: exit code %d, want %d and an error about the attachment\nstderr:\n%s", name, r.code, exitFailure, r.stderr)
		}
	}
}
