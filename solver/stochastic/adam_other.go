//go:build !amd64 || amd64.v3

package stochastic

// adamVector does nothing: the Go loop takes every element.
func adamVector(x, g, m, v []float64, c *[7][2]float64) int { return 0 }
