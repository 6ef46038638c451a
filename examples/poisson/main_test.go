package main

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"
)

// TestSolves trains for 300 iterations and checks that the network is
// within 1e-2 of sin(πx) everywhere (it reaches 1.6e-3 after 300 iterations and 6e-5 after 1000; an untrained network is off by about 1).
func TestSolves(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, 300); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`largest error against sin\(πx\): (\S+);`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no error line in:\n%s", out.String())
	}
	e, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	if !(e < 1e-2) {
		t.Errorf("largest error %v after 300 iterations, want < 1e-2:\n%s", e, out.String())
	}
}
