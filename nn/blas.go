package nn

import "github.com/lbfgsnet/lbfgsnet/internal/blas"

// gemm computes C = alpha·op(A)·op(B) + beta·C on the BLAS backend in use
// (BLAS). C is m×n, op(A) m×k, op(B) k×n, all row-major and contiguous;
// tA and tB say whether A and B are stored transposed.
func gemm[T float](tA, tB bool, m, n, k int, alpha T, a, b []T, beta T, c []T) {
	switch c := any(c).(type) {
	case []float64:
		blas.Gemm(tA, tB, m, n, k, float64(alpha), any(a).([]float64), any(b).([]float64), float64(beta), c)
	case []float32:
		blas.Gemm(tA, tB, m, n, k, float32(alpha), any(a).([]float32), any(b).([]float32), float32(beta), c)
	}
}

// BLASBackend names the BLAS implementation that computes nn's matrix
// products: OpenBLAS or GonumBLAS.
type BLASBackend = blas.Backend

const (
	// GonumBLAS is gonum's pure-Go BLAS: always available.
	GonumBLAS = blas.Gonum
	// OpenBLAS is the system's OpenBLAS library (Debian: libopenblas0),
	// loaded at run time without cgo; several times faster on products of
	// more than a few thousand multiply-adds.
	OpenBLAS = blas.OpenBLAS
)

// BLASInfo describes the backend in use: Backend, Threads (OpenBLAS's
// threads per product, or GOMAXPROCS for gonum), Library and Config (the
// OpenBLAS file and build), Fallback (why gonum was chosen automatically).
type BLASInfo = blas.Info

// ErrBLAS is wrapped by the errors of BLAS, UseBLAS and SetBLASThreads
// when OpenBLAS is asked for and does not load.
var ErrBLAS = blas.ErrUnavailable

// BLAS reports the backend nn's products run on. It is chosen on first use
// from the environment variable LBFGSNET_BLAS: "auto" or unset (OpenBLAS
// when the library loads, gonum otherwise), "openblas" or "gonum";
// LBFGSNET_OPENBLAS names the library file (default libopenblas.so.0). The
// error reports a choice that failed, an unknown LBFGSNET_BLAS or
// LBFGSNET_BLAS=openblas where OpenBLAS does not load (wrapping ErrBLAS);
// the products then run on gonum, as the BLASInfo says, until UseBLAS
// replaces the choice.
func BLAS() (BLASInfo, error) { return blas.Current() }

// UseBLAS makes b the backend of every product from now on, in every
// network. Asking for OpenBLAS where it does not load is an error wrapping
// ErrBLAS and leaves the backend unchanged. Safe to call while networks
// are evaluated: each product runs wholly on one backend.
//
// The backends sum in different orders, so their losses and gradients
// agree to rounding, not bit for bit; each is deterministic on its own.
func UseBLAS(b BLASBackend) error { return blas.Use(b) }

// SetBLASThreads sets the number of threads OpenBLAS uses for one product
// (default 1 unless OPENBLAS_NUM_THREADS or OMP_NUM_THREADS is set: an
// objective of more than about 10⁵ rows × learnables is evaluated as two
// shards in parallel, which keeps two cores busy with one thread each; see
// ObjectiveOptions.Shards). Valid: 1 to OpenBLAS's build limit; an error
// wrapping ErrBLAS where OpenBLAS does not load (gonum's products use
// GOMAXPROCS goroutines). The thread count changes OpenBLAS's rounding of
// large products in the last bits: runs are bit-identical at the same
// count.
func SetBLASThreads(n int) error { return blas.SetThreads(n) }
