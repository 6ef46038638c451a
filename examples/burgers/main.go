// Command burgers is MATLAB's example "Solve Partial Differential Equation
// with L-BFGS Method and Deep Learning": a physics-informed network for
// Burgers' equation
//
//	u_t + u·u_x − (0.01/π)·u_xx = 0,  x ∈ [−1, 1], t ∈ [0, 1],
//	u(x, 0) = −sin(πx),  u(−1, t) = u(1, t) = 0,
//
// trained with one L-BFGS Update per iteration (MATLAB's lbfgsupdate),
// printing the solver state after each. The network (x, t) → 8 × [fully
// connected 20, tanh] → fully connected 1 (3,021 learnables) is trained on
// 25 boundary points on each of x = ±1, 50 initial points and 10,000
// collocation points drawn uniformly from [−1, 1] × [0, 1] with a seeded
// generator. The loss is the mean squared residual of the equation at the
// collocation points, whose u_x, u_t and u_xx come from
// nn.Network.ForwardDerivatives, plus the mean squared error at the
// initial and boundary points (internal/burgers/loss.go builds it).
//
// Afterwards it compares the network with the exact solution (Cole–Hopf
// transformation, Gauss–Hermite quadrature) at t = 0.25, 0.5, 0.75 and 1
// on 1001 points each: the relative L2 error of each slice, MATLAB's
// single figure norm(UPred − UTest)/norm(UTest) (the largest singular
// value of the 4 × 1001 matrices), and a PNG of both.
//
//	go run ./examples/burgers [-iterations 1500] [-png burgers.png]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/lbfgsnet/lbfgsnet/internal/burgers"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// config is what a run may change from MATLAB's setup.
type config struct {
	iterations  int    // MATLAB's maxIterations: 1500
	collocation int    // MATLAB's numInternalCollocationPoints: 10000
	png         string // the figure's path; "" for none
	seed        uint64 // initial learnables and collocation points
}

func main() {
	cfg := config{collocation: burgers.NumCollocationPoints, seed: 1}
	flag.IntVar(&cfg.iterations, "iterations", burgers.MaxIterations, "maximum number of L-BFGS iterations")
	flag.StringVar(&cfg.png, "png", "burgers.png", `write predicted and exact u at the four times to this PNG ("" for none)`)
	flag.Parse()
	if err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "burgers:", err)
		os.Exit(1)
	}
}

// run trains the network and writes the report to w.
func run(w io.Writer, cfg config) error {
	if cfg.iterations < 1 {
		return fmt.Errorf("-iterations %d (valid: >= 1)", cfg.iterations)
	}
	pts, err := burgers.NewPoints(cfg.collocation, cfg.seed)
	if err != nil {
		return err
	}
	// net = dlnetwork(layers);
	net, err := burgers.NewNetwork(cfg.seed)
	if err != nil {
		return err
	}
	// lossFcn = @(net) dlfeval(@modelLoss,net,X,T,X0,T0,U0);
	obj, err := burgers.NewLoss(net, pts, 0)
	if err != nil {
		return err
	}
	// One function value for every Update: the state reuses the loss at
	// the point the previous update ended at only when it is handed the
	// same function again (a method value written in the loop would be a
	// new one each time, and the point evaluated afresh).
	lossFcn := obj.Evaluate
	// solverState = lbfgsState;
	solverState, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d learnables, %d collocation points, %d initial and boundary points\n\n",
		net.NumLearnables(), cfg.collocation, len(pts.Targets))
	x := net.Flat()
	printHeader(w)
	// for i = 1:maxIterations
	//     [net, solverState] = lbfgsupdate(net,lossFcn,solverState);
	//     if solverState.GradientsNorm < gradientTolerance || ...
	//         solverState.StepNorm < stepTolerance || ...
	//         solverState.LineSearchStatus == "failed"
	//         break
	//     end
	// end
	for range cfg.iterations {
		if err := solverState.Update(x, lossFcn); err != nil {
			return err
		}
		printRow(w, solverState)
		if solverState.GradientsNorm < burgers.GradientTolerance || solverState.StepNorm < burgers.StepTolerance ||
			solverState.LineSearchStatus == solver.LineSearchFailed {
			break
		}
	}
	if err := net.SetFlatLearnables(x); err != nil {
		return err
	}
	return report(w, net, cfg.png)
}
