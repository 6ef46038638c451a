package blas

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Backend names a BLAS implementation.
type Backend int

const (
	// Gonum is gonum's pure-Go BLAS (gonum.org/v1/gonum/blas/gonum).
	Gonum Backend = iota + 1
	// OpenBLAS is the system's OpenBLAS library, loaded at run time.
	OpenBLAS
)

// String returns "gonum" or "openblas", the names LBFGSNET_BLAS takes.
func (b Backend) String() string {
	switch b {
	case Gonum:
		return "gonum"
	case OpenBLAS:
		return "openblas"
	}
	return fmt.Sprintf("Backend(%d)", int(b))
}

// The environment variables read on first use.
const (
	// EnvBackend selects the backend: auto (or empty), openblas, gonum.
	EnvBackend = "LBFGSNET_BLAS"
	// EnvLibrary names the OpenBLAS library file to load.
	EnvLibrary = "LBFGSNET_OPENBLAS"
)

// DefaultThreads is the number of threads OpenBLAS uses per product unless
// the environment sets OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS or
// OMP_NUM_THREADS, or SetThreads is called. One thread per product: nn
// evaluates a batch of more than about 10⁵ rows × learnables as two shards
// in parallel, each product on its own goroutine, so one OpenBLAS thread
// per product already keeps two cores busy; more threads per product
// oversubscribe the cores. Measured on the project's two-core machine
// (docs/benchmarks.md).
const DefaultThreads = 1

// ErrUnavailable is wrapped by the errors of Use, SetThreads and Current
// when OpenBLAS is asked for and cannot be loaded.
var ErrUnavailable = errors.New("blas: OpenBLAS is not available")

// ErrInvalid is wrapped by the errors for an unknown LBFGSNET_BLAS value or
// Backend, and a thread count out of range.
var ErrInvalid = errors.New("blas: invalid setting")

// Info describes the backend in use.
type Info struct {
	// Backend is the backend the products run on.
	Backend Backend
	// Threads is the number of threads one product may use: OpenBLAS's
	// thread count, or GOMAXPROCS for gonum (whose GEMM splits large
	// products between goroutines).
	Threads int
	// Library is the OpenBLAS library file as it was opened, and Config
	// its build description (openblas_get_config); empty for gonum.
	Library, Config string
	// Fallback says why automatic selection chose gonum: OpenBLAS did not
	// load. Empty when gonum was asked for or OpenBLAS is in use.
	Fallback string
}

// state is one backend selection; the current one is replaced as a whole.
type state struct {
	backend  Backend
	fallback string
	err      error // the selection failed: products run on gonum
}

var (
	initOnce sync.Once
	current  atomic.Pointer[state]
)

// cur returns the current selection, made from the environment on first use.
func cur() *state {
	initOnce.Do(func() { current.Store(fromEnv()) })
	return current.Load()
}

// fromEnv selects the backend LBFGSNET_BLAS names.
func fromEnv() *state {
	v := strings.ToLower(strings.TrimSpace(os.Getenv(EnvBackend)))
	switch v {
	case "", "auto":
		if _, err := load(); err != nil {
			return &state{backend: Gonum, fallback: err.Error()}
		}
		return &state{backend: OpenBLAS}
	case "openblas":
		if _, err := load(); err != nil {
			return &state{backend: Gonum, err: fmt.Errorf("%s=openblas: %w", EnvBackend, err)}
		}
		return &state{backend: OpenBLAS}
	case "gonum":
		return &state{backend: Gonum}
	}
	return &state{backend: Gonum, err: fmt.Errorf("%w: %s=%q (valid: auto, openblas, gonum)", ErrInvalid, EnvBackend, v)}
}

// Current reports the backend in use. The error is that of the selection
// made from the environment (an unknown LBFGSNET_BLAS, or openblas forced
// where it does not load), until Use replaces it; the products then run on
// gonum, as Info says.
func Current() (Info, error) {
	s := cur()
	info := Info{Backend: s.backend, Fallback: s.fallback, Threads: runtime.GOMAXPROCS(0)}
	if s.backend == OpenBLAS {
		lib, _ := load() // loaded when the state was made
		info.Library, info.Config, info.Threads = lib.name, lib.config(), lib.threads()
	}
	return info, s.err
}

// Use makes b the backend of all products from now on, replacing the
// environment's choice and its error. It is safe to call while products
// run: each product runs wholly on one backend. Asking for OpenBLAS where
// it does not load is an error wrapping ErrUnavailable, and the backend is
// left unchanged.
func Use(b Backend) error {
	cur()
	switch b {
	case Gonum:
	case OpenBLAS:
		if _, err := load(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: backend %v (valid: Gonum, OpenBLAS)", ErrInvalid, b)
	}
	current.Store(&state{backend: b})
	return nil
}

// SetThreads sets the number of threads OpenBLAS uses per product, n from
// 1 to OpenBLAS's build limit. It applies to OpenBLAS whichever backend is
// current; where OpenBLAS does not load it is an error wrapping
// ErrUnavailable (gonum's GEMM follows GOMAXPROCS instead).
func SetThreads(n int) error {
	lib, err := load()
	if err != nil {
		return err
	}
	if n < 1 || n > lib.maxThreads {
		return fmt.Errorf("%w: OpenBLAS threads %d (valid: 1 to %d)", ErrInvalid, n, lib.maxThreads)
	}
	lib.setThreads(n)
	return nil
}
