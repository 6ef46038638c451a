// Command goldendump runs lbfgsnet's solver and gonum's L-BFGS on the
// golden problems (internal/golden) and serves those problems' losses and
// gradients to another process, so that bench/golden_vs_scipy.sh can run
// SciPy's and PyTorch's L-BFGS on exactly the same functions.
//
//	goldendump -problems        the problems as JSON: name, start, tolerance
//	goldendump -ours            evaluations to converge, lbfgsnet and gonum, as JSON
//	goldendump -serve NAME      read a point per line (space-separated), write
//	                            "f g1 g2 …" per line, until end of input
//
// Every run stops at ‖g‖∞ ≤ 1e-6·max(1, |f*|), f* the known minimum, with
// 10 curvature pairs and otherwise default options.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/optimize"

	"github.com/lbfgsnet/lbfgsnet/internal/golden"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "goldendump:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("goldendump", flag.ContinueOnError)
	problems := fs.Bool("problems", false, "print the problems as JSON")
	ours := fs.Bool("ours", false, "print the evaluations of lbfgsnet and gonum as JSON")
	serve := fs.String("serve", "", "serve the loss and gradient of problem `NAME` on stdin/stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *problems:
		return listProblems(stdout)
	case *ours:
		return runOurs(stdout)
	case *serve != "":
		for _, p := range golden.Problems() {
			if p.Name == *serve {
				return serveProblem(p, stdin, stdout)
			}
		}
		return fmt.Errorf("no problem %q", *serve)
	}
	return errors.New("one of -problems, -ours, -serve NAME")
}

// tolerance is the stopping test of every solver on p.
func tolerance(p golden.Problem) float64 { return 1e-6 * math.Max(1, math.Abs(p.Fmin)) }

func listProblems(w io.Writer) error {
	type entry struct {
		Name      string    `json:"name"`
		X0        []float64 `json:"x0"`
		Tolerance float64   `json:"tolerance"`
		Extra     bool      `json:"extra"`
	}
	var out []entry
	for _, p := range golden.Problems() {
		out = append(out, entry{p.Name, p.X0, tolerance(p), p.Extra})
	}
	return json.NewEncoder(w).Encode(out)
}

// result is one solver on one problem.
type result struct {
	Problem     string `json:"problem"`
	Solver      string `json:"solver"`
	Evaluations int    `json:"evaluations"`
	Converged   bool   `json:"converged"`
}

func runOurs(w io.Writer) error {
	var out []result
	for _, p := range golden.Problems() {
		for _, m := range []solver.LineSearchMethod{solver.WeakWolfe, solver.StrongWolfe, solver.Backtracking} {
			r, err := minimizeOurs(p, m)
			if err != nil {
				return fmt.Errorf("%s, %v: %w", p.Name, m, err)
			}
			out = append(out, r)
		}
		for name, ls := range map[string]optimize.Linesearcher{"gonum-bisection": &optimize.Bisection{}, "gonum-morethuente": &optimize.MoreThuente{}} {
			out = append(out, minimizeGonum(p, name, ls))
		}
	}
	return json.NewEncoder(w).Encode(out)
}

func minimizeOurs(p golden.Problem, m solver.LineSearchMethod) (result, error) {
	opts := solver.DefaultOptions()
	opts.LineSearchMethod = m
	s, err := solver.NewLBFGSState(opts)
	if err != nil {
		return result{}, err
	}
	x := append([]float64(nil), p.X0...)
	f := func(x, g []float64) (float64, any, error) {
		p.Fn.Grad(g, x)
		return p.Fn.Func(x), nil, nil
	}
	stop := solver.StopOptions{GradientTolerance: tolerance(p), GradientNorm: solver.InfNorm, MaxIterations: 10000,
		OnLineSearchFailure: solver.ResetAndRetry}
	res, err := solver.Minimize(context.Background(), x, f, s, stop)
	if err != nil {
		return result{}, err
	}
	return result{p.Name, "lbfgsnet-" + m.String(), res.LossEvaluations, res.Status == solver.GradientTolerance}, nil
}

// minimizeGonum counts the points where gonum evaluated the loss or the
// gradient (its Bisection sometimes asks for the loss alone).
func minimizeGonum(p golden.Problem, name string, ls optimize.Linesearcher) result {
	points := map[string]bool{}
	key := func(x []float64) string { return fmt.Sprint(x) }
	prob := optimize.Problem{
		Func: func(x []float64) float64 { points[key(x)] = true; return p.Fn.Func(x) },
		Grad: func(g, x []float64) { points[key(x)] = true; p.Fn.Grad(g, x) },
	}
	settings := &optimize.Settings{GradientThreshold: tolerance(p), Converger: optimize.NeverTerminate{}, MajorIterations: 10000}
	res, err := optimize.Minimize(prob, p.X0, settings, &optimize.LBFGS{Linesearcher: ls, Store: 10})
	conv := err == nil && res.Status == optimize.GradientThreshold
	return result{p.Name, name, len(points), conv}
}

func serveProblem(p golden.Problem, r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	bw := bufio.NewWriter(w)
	x := make([]float64, len(p.X0))
	g := make([]float64, len(p.X0))
	var buf []byte
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != len(x) {
			return fmt.Errorf("%d values, problem %s has dimension %d", len(fields), p.Name, len(x))
		}
		for i, s := range fields {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return err
			}
			x[i] = v
		}
		p.Fn.Grad(g, x)
		buf = strconv.AppendFloat(buf[:0], p.Fn.Func(x), 'g', -1, 64)
		for _, v := range g {
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	return sc.Err()
}
