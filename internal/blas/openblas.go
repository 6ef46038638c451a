//go:build (linux || darwin || freebsd || netbsd) && (amd64 || arm64)

package blas

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// openblas is a loaded OpenBLAS library.
type openblas struct {
	name       string
	dgemmSym   uintptr // dgemm_, Fortran interface: every argument a pointer
	sgemmSym   uintptr // sgemm_
	setNum     func(int32)
	getNum     func() int32
	getConfig  func() string
	maxThreads int
}

var (
	loadOnce sync.Once
	lib      *openblas
	loadErr  error
)

// load opens OpenBLAS once and returns it, or the reason it cannot.
func load() (*openblas, error) {
	loadOnce.Do(func() { lib, loadErr = open() })
	return lib, loadErr
}

// libraryNames are the files tried when LBFGSNET_OPENBLAS is not set.
func libraryNames() []string {
	if p := os.Getenv(EnvLibrary); p != "" {
		return []string{p}
	}
	if runtime.GOOS == "darwin" {
		return []string{"libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib"}
	}
	return []string{"libopenblas.so.0", "libopenblas.so"}
}

// open loads the first library of libraryNames that opens and has the
// symbols used here, and applies the default thread count.
func open() (*openblas, error) {
	var errs []string
	for _, name := range libraryNames() {
		h, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_LOCAL)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		o, err := symbols(h, name)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if !threadsFromEnv() {
			o.setThreads(DefaultThreads)
		}
		return o, nil
	}
	hint := ""
	if runtime.GOOS == "linux" {
		hint = " (on Debian or Ubuntu: apt-get install libopenblas0)"
	}
	return nil, fmt.Errorf("%w%s: %s", ErrUnavailable, hint, strings.Join(errs, "; "))
}

// symbols looks up what is needed in the library opened as h.
func symbols(h uintptr, name string) (*openblas, error) {
	o := &openblas{name: name}
	sym := func(s string) (uintptr, error) {
		p, err := purego.Dlsym(h, s)
		if err != nil || p == 0 {
			return 0, fmt.Errorf("%s has no symbol %s, so it is not OpenBLAS", name, s)
		}
		return p, nil
	}
	var err error
	if o.dgemmSym, err = sym("dgemm_"); err != nil {
		return nil, err
	}
	if o.sgemmSym, err = sym("sgemm_"); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		fn   any
	}{
		{"openblas_set_num_threads", &o.setNum},
		{"openblas_get_num_threads", &o.getNum},
		{"openblas_get_config", &o.getConfig},
	} {
		p, err := sym(f.name)
		if err != nil {
			return nil, err
		}
		purego.RegisterFunc(f.fn, p)
	}
	o.maxThreads = maxThreads(o.getConfig())
	return o, nil
}

// threadsFromEnv reports whether the environment sets OpenBLAS's thread
// count (OpenBLAS reads these variables when it loads).
func threadsFromEnv() bool {
	for _, v := range []string{"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"} {
		if n, err := strconv.Atoi(os.Getenv(v)); err == nil && n > 0 {
			return true
		}
	}
	return false
}

// maxThreads reads MAX_THREADS=n from OpenBLAS's configuration string,
// the build's limit (OpenBLAS clamps larger counts to it); 256 if absent.
func maxThreads(config string) int {
	for _, f := range strings.Fields(config) {
		if v, ok := strings.CutPrefix(f, "MAX_THREADS="); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				return n
			}
		}
	}
	return 256
}

func (o *openblas) config() string   { return strings.TrimSpace(o.getConfig()) }
func (o *openblas) threads() int     { return int(o.getNum()) }
func (o *openblas) setThreads(n int) { o.setNum(int32(n)) }

// gemmArgs holds the scalar arguments of one Fortran GEMM call, which
// takes them by pointer. They come from a pool so that a call allocates
// nothing; SyscallN's pointer arguments keep them alive during the call.
// alpha and beta hold a float64 or, in their first 4 bytes, a float32.
type gemmArgs struct {
	transA, transB byte
	m, n, k        int32
	lda, ldb, ldc  int32
	alpha, beta    float64
}

var argPool = sync.Pool{New: func() any { return new(gemmArgs) }}

// fits reports whether all dimensions fit OpenBLAS's 32-bit integers.
func fits(d ...int) bool {
	for _, v := range d {
		if v > 1<<31-1 {
			return false
		}
	}
	return true
}

func trans(t bool) byte {
	if t {
		return 'T'
	}
	return 'N'
}

// dgemm computes the row-major C = alpha·op(A)·op(B) + beta·C with
// OpenBLAS; the arguments have been checked (m, n, k > 0).
func (o *openblas) dgemm(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(o.dgemmSym, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemm is dgemm in float32.
func (o *openblas) sgemm(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(o.sgemmSym, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemm calls the Fortran GEMM sym for the column-major product
// Cᵀ(n×m) = op(B)ᵀ·op(A)ᵀ, which is the row-major C = op(A)·op(B): the
// operands swap places and dimensions, and every matrix keeps its storage.
func gemm[T float32 | float64](sym uintptr, tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	p := argPool.Get().(*gemmArgs)
	p.transA, p.transB = trans(tB), trans(tA) // Fortran's first operand is B
	p.m, p.n, p.k = int32(n), int32(m), int32(k)
	p.lda, p.ldb, p.ldc = int32(ldb), int32(lda), int32(ldc)
	*(*T)(unsafe.Pointer(&p.alpha)), *(*T)(unsafe.Pointer(&p.beta)) = alpha, beta
	purego.SyscallN(sym,
		uintptr(unsafe.Pointer(&p.transA)), uintptr(unsafe.Pointer(&p.transB)),
		uintptr(unsafe.Pointer(&p.m)), uintptr(unsafe.Pointer(&p.n)), uintptr(unsafe.Pointer(&p.k)),
		uintptr(unsafe.Pointer(&p.alpha)),
		uintptr(unsafe.Pointer(&b[0])), uintptr(unsafe.Pointer(&p.lda)),
		uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&p.ldb)),
		uintptr(unsafe.Pointer(&p.beta)),
		uintptr(unsafe.Pointer(&c[0])), uintptr(unsafe.Pointer(&p.ldc)))
	argPool.Put(p)
}
