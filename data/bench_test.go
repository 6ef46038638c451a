package data

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func BenchmarkReadCSVIris(b *testing.B) {
	raw := IrisCSV()
	opts := CSVOptions{TargetNames: []string{"species"}}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(raw), opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadCSVLarge reads a digits-sized table: 1797 rows of 64 features
// and a label (the shape of the UCI optical digits data).
func BenchmarkReadCSVLarge(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for j := range 64 {
		fmt.Fprintf(&sb, "p%d,", j)
	}
	sb.WriteString("digit\n")
	for range 1797 {
		for range 64 {
			fmt.Fprintf(&sb, "%d,", rng.IntN(17))
		}
		fmt.Fprintf(&sb, "%d\n", rng.IntN(10))
	}
	raw := []byte(sb.String())
	opts := CSVOptions{TargetNames: []string{"digit"}}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ReadCSV(bytes.NewReader(raw), opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplitIris(b *testing.B) {
	ds := Iris()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Split(ds, 0.2, rng); err != nil {
			b.Fatal(err)
		}
	}
}
