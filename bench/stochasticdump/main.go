// Command stochasticdump runs lbfgsnet's stochastic and full-batch methods on
// the benchmark problems of bench/stochastic_vs_torch.sh and prints, as JSON,
// the full-training-set loss of each run against epochs and wall time, one
// JSON object per run and line. With
// -dump it also writes the data and the initial point for the PyTorch side.
//
// Wall time counts the method's own work only: the clock stops while the
// full-set loss is evaluated for the record.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// point is one record of a run: algorithm seconds, epochs (N gradient or
// Hessian-vector terms each, the definition), the same work in
// gradient terms (a Hessian-vector term of the network costs two), and the
// full-set loss.
type point struct {
	T     float64 `json:"t"`
	Epoch float64 `json:"epoch"`
	Work  float64 `json:"work"`
	Loss  float64 `json:"loss"`
}

// run is the record of one method and seed.
type run struct {
	Problem  string  `json:"problem"`
	Method   string  `json:"method"`
	Settings string  `json:"settings"`
	Seed     uint64  `json:"seed"`
	Status   string  `json:"status"`
	Points   []point `json:"points"`
	// Iteration10 and Iteration50 are, for full-batch L-BFGS, the loss after
	// 10 and 50 iterations: the targets of the comparison.
	Iteration10 float64 `json:"iteration10,omitempty"`
	Iteration50 float64 `json:"iteration50,omitempty"`
}

var warmEpochs = flag.Float64("warm-epochs", 0.5, "epochs of multi-batch L-BFGS before full-batch L-BFGS in the warm-start recipe")

func main() {
	problem := flag.String("problem", "logistic", "logistic or mlp")
	seeds := flag.String("seeds", "1,2,3", "sampling seeds of the stochastic methods, comma-separated")
	epochs := flag.Float64("epochs", 20, "epochs per stochastic run")
	methods := flag.String("methods", "", "comma-separated subset of the methods (default all)")
	dump := flag.String("dump", "", "directory to write the data and initial point for the PyTorch side")
	flag.Parse()
	var ss []uint64
	for _, f := range strings.Split(*seeds, ",") {
		s, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			fmt.Fprintln(os.Stderr, "stochasticdump: -seeds:", err)
			os.Exit(2)
		}
		ss = append(ss, s)
	}
	b, err := newBench(*problem, *dump)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stochasticdump:", err)
		os.Exit(1)
	}
	var want map[string]bool
	if *methods != "" {
		want = map[string]bool{}
		for _, m := range strings.Split(*methods, ",") {
			want[strings.TrimSpace(m)] = true
		}
	}
	// One JSON object per run and line, written as each run ends.
	enc := json.NewEncoder(os.Stdout)
	if err := b.runAll(ss, *epochs, want, func(r run) error { return enc.Encode(r) }); err != nil {
		fmt.Fprintln(os.Stderr, "stochasticdump:", err)
		os.Exit(1)
	}
}
