package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainBLAS: train logs the BLAS backend and its threads; an
// LBFGSNET_BLAS that forces a backend which cannot be used is an error
// naming the variable and the fix, before any file is written.
func TestTrainBLAS(t *testing.T) {
	missing := "/nonexistent/libopenblas.so.0"
	for _, tc := range []struct {
		name, backend, library string
		code                   int
		want                   []string
	}{
		{"gonum", "gonum", "", 0, []string{"msg=blas backend=gonum threads="}},
		{"fallback", "auto", missing, 0, []string{"msg=blas backend=gonum", "fallback=", "apt-get install libopenblas0"}},
		{"forced missing", "openblas", missing, 1, []string{"lbfgsnet train: LBFGSNET_BLAS=openblas: blas: OpenBLAS is not available", missing}},
		{"unknown", "mkl", "", 1, []string{`LBFGSNET_BLAS="mkl" (valid: auto, openblas, gonum)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(binPath, "train", "--max-iterations", "2", "--model-out", "m.model")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "LBFGSNET_BLAS="+tc.backend, "LBFGSNET_OPENBLAS="+tc.library)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Fatalf("exit code %d, want %d\n%s", code, tc.code, errb.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb.String())
				}
			}
			_, err = os.Stat(filepath.Join(dir, "m.model"))
			if written := err == nil; written != (tc.code == 0) {
				t.Errorf("model written: %v, exit code %d", written, code)
			}
		})
	}
}

// TestResumeOtherBLAS: a checkpoint written with one backend resumes with
// the other, in float64 and float32 (whose losses agree to rounding only).
func TestResumeOtherBLAS(t *testing.T) {
	if _, err := checkOpenBLAS(); err != nil {
		if os.Getenv("LBFGSNET_BLAS") == "openblas" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	for _, dtype := range []string{"float64", "float32"} {
		t.Run(dtype, func(t *testing.T) {
			dir := t.TempDir()
			run := func(backend string, args ...string) {
				t.Helper()
				// 4-7-3: iris's own 4-32-32-3 happens to give the same float32 loss on both backends
				cmd := exec.Command(binPath, append([]string{"train", "--dtype", dtype, "--hidden", "7", "--quiet"}, args...)...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "LBFGSNET_BLAS="+backend)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("LBFGSNET_BLAS=%s train %v: %v\n%s", backend, args, err, out)
				}
			}
			run("gonum", "--max-iterations", "5", "--checkpoint", "run.ckpt")
			run("openblas", "--max-iterations", "8", "--resume", "run.ckpt")
		})
	}
}

// checkOpenBLAS reports whether OpenBLAS loads, by the command's own
// check under LBFGSNET_BLAS=openblas.
func checkOpenBLAS() (string, error) {
	cmd := exec.Command(binPath, "train", "--max-iterations", "1", "--quiet")
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "LBFGSNET_BLAS=openblas")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("OpenBLAS: %v\n%s", err, out)
	}
	return string(out), nil
}
