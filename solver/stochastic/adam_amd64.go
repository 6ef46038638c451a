//go:build !amd64.v3

package stochastic

// adamSSE2 takes the Adam step of adamLoop on the first len(x) elements (a
// multiple of 2) two at a time, with packed SSE2 instructions (part of
// every amd64 processor), each operation the Go loop's, separately
// rounded: the same bits. Per element the loop is bound by its two
// divisions and its square root, and the divider takes two lanes in about
// the time of one. c holds β₁, 1−β₁, β₂, 1−β₂, the step, the root and ε,
// each twice. (Under GOAMD64=v3 the compiler fuses the loop's
// multiply-adds, which adamSSE2 does not: the file is not built then.)
//
//go:noescape
func adamSSE2(x, g, m, v []float64, c *[7][2]float64)

// adamVector runs adamSSE2 on the longest even prefix and returns its
// length.
func adamVector(x, g, m, v []float64, c *[7][2]float64) int {
	n := len(x) &^ 1
	if n > 0 {
		adamSSE2(x[:n], g[:n], m[:n], v[:n], c)
	}
	return n
}
