//go:build !((linux || darwin || freebsd || netbsd) && (amd64 || arm64))

package blas

import (
	"fmt"
	"runtime"
)

// openblas stands in for the loader on systems purego does not serve
// here: OpenBLAS never loads and gonum computes every product.
type openblas struct {
	name       string
	maxThreads int
}

func load() (*openblas, error) { return open() }

func open() (*openblas, error) {
	return nil, fmt.Errorf("%w: not supported on %s/%s", ErrUnavailable, runtime.GOOS, runtime.GOARCH)
}

func fits(...int) bool { return false }

func (o *openblas) config() string { return "" }
func (o *openblas) threads() int   { return 0 }
func (o *openblas) setThreads(int) {}
func (o *openblas) dgemm(bool, bool, int, int, int, float64, []float64, int, []float64, int, float64, []float64, int) {
}
func (o *openblas) sgemm(bool, bool, int, int, int, float32, []float32, int, []float32, int, float32, []float32, int) {
}
