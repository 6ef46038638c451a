// Package burgers is the problem of MATLAB's example "Solve Partial
// Differential Equation with L-BFGS Method and Deep Learning", shared by
// examples/burgers and bench/burgersdump: Burgers' equation
//
//	u_t + u·u_x − ν·u_xx = 0,  ν = 0.01/π,  x ∈ [−1, 1], t ∈ [0, 1],
//	u(x, 0) = −sin(πx),  u(−1, t) = u(1, t) = 0,
//
// its training points (Points), MATLAB's network (NewNetwork), the
// physics-informed loss as gorgonia graphs (NewLoss), the exact solution
// by the Cole–Hopf transformation with Gauss–Hermite quadrature (Exact),
// and the error measures of the example (Compare).
//
// References: M. Raissi, P. Perdikaris and G. E. Karniadakis,
// "Physics-informed neural networks", J. Comput. Phys. 378 (2019) 686–707;
// C. Basdevant et al., "Spectral and finite difference solutions of the
// Burgers equation", Computers & Fluids 14 (1986) 23–41 (the Cole–Hopf
// solution and its quadrature).
package burgers
