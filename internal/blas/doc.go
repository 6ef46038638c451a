// Package blas chooses, at run time, the BLAS that lbfgsnet's matrix
// products run on: the system's OpenBLAS, loaded without cgo, or gonum's
// pure-Go BLAS.
//
// # Selection
//
// The backend is chosen once, on first use, from the environment:
//
//	LBFGSNET_BLAS=auto      OpenBLAS if it loads, gonum otherwise (the default)
//	LBFGSNET_BLAS=openblas  OpenBLAS; if it does not load, Current reports the error
//	LBFGSNET_BLAS=gonum     gonum's pure-Go BLAS
//	LBFGSNET_OPENBLAS=path  the OpenBLAS library file to load (default: the
//	                        system's libopenblas.so.0, as Debian's libopenblas0 installs it)
//
// Use switches backends afterwards, SetThreads sets OpenBLAS's threads per
// product, and Current reports the choice. A selection that failed (an
// unknown LBFGSNET_BLAS, or openblas forced where it does not load) is an
// error from Current and Use, never a panic; the products themselves then
// run on gonum, so that computing never depends on a check having been made.
//
// # Architecture
//
// OpenBLAS is opened with dlopen through github.com/ebitengine/purego,
// which works with CGO_ENABLED=0, so building and testing need no C
// toolchain and a machine without OpenBLAS simply uses gonum. The products
// call OpenBLAS's Fortran entry points dgemm_ and sgemm_, whose arguments
// are all pointers: purego.SyscallN passes them without reflection or
// allocation, where the CBLAS functions' by-value float arguments would
// need purego's reflective RegisterFunc. A row-major product C = op(A)·op(B)
// is the column-major product Cᵀ = op(B)ᵀ·op(A)ᵀ, so no data is copied.
//
// Implementation satisfies gonum's blas.Float64 and blas.Float32 (and
// gorgonia's BLAS interface): its Dgemm and Sgemm dispatch to the current
// backend, every other routine is gonum's.
//
// Results are bit-identical from run to run for a given backend, machine
// and OpenBLAS thread count. The thread count changes OpenBLAS's rounding,
// and the two backends sum in different orders, so those agree to rounding,
// not bit for bit (a float64 product of inner dimension k to about k·2⁻⁵³
// relative to Σ|a_ik·b_kj|).
package blas
