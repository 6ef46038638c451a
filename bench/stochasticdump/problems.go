package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic/problems"
)

// The logistic regression of the benchmark: 200,000 × 100 rows, λ = 1/N.
const (
	logisticRows     = 200000
	logisticFeatures = 100
	dataSeed         = 2026
)

func newBench(name, dump string) (*bench, error) {
	switch name {
	case "logistic":
		lg := problems.NewLogistic(rand.New(rand.NewPCG(dataSeed, 1)), logisticRows, logisticFeatures, 1.0/logisticRows)
		b := &bench{name: name, obj: lg, x0: make([]float64, logisticFeatures), all: allRows(logisticRows), scratch: make([]float64, logisticFeatures),
			monitorEvery: 0.1, onedalEpochs: 20, hvCost: 1, referenceRuns: 3}
		if dump != "" {
			meta := map[string]any{"problem": name, "rows": lg.N, "features": lg.P, "lambda": lg.Lambda, "monitor_every": b.monitorEvery}
			if err := writeDump(dump, meta, map[string][]float64{"a": lg.A, "z": lg.Z, "x0": b.x0}); err != nil {
				return nil, err
			}
		}
		return b, nil
	case "mlp":
		return newMLPBench(dump)
	}
	return nil, fmt.Errorf("unknown problem %q (want logistic or mlp)", name)
}

func allRows(n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = i
	}
	return r
}

// writeDump writes meta.json and one little-endian float64 file per array.
func writeDump(dir string, meta map[string]any, arrays map[string][]float64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "meta.json"), m, 0o644); err != nil {
		return err
	}
	for name, a := range arrays {
		buf := make([]byte, 8*len(a))
		for i, v := range a {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
		}
		if err := os.WriteFile(filepath.Join(dir, name+".f64"), buf, 0o644); err != nil {
			return err
		}
	}
	return nil
}
