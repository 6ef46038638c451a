package blas

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// useOpenBLAS switches to OpenBLAS for the test. Where it does not load
// the test is skipped, unless LBFGSNET_BLAS=openblas asks for it (as
// .ci/run does): then it fails.
func useOpenBLAS(t *testing.T) {
	t.Helper()
	t.Cleanup(restore(t))
	if err := Use(OpenBLAS); err != nil {
		if os.Getenv(EnvBackend) == "openblas" {
			t.Fatalf("%s=openblas, but: %v", EnvBackend, err)
		}
		t.Skip(err)
	}
}

// gemmCase is a product with its leading dimensions (padding > 0 stores
// the matrices with extra columns, as in a submatrix).
type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	alpha, beta float64
	pad         int
}

func gemmCases() []gemmCase {
	var cs []gemmCase
	for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
		for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, d := range [][3]int{{1, 1, 1}, {3, 5, 7}, {150, 32, 4}, {64, 10, 129}, {97, 33, 260}} {
				cs = append(cs,
					gemmCase{tA, tB, d[0], d[1], d[2], 1, 0, 0},
					gemmCase{tA, tB, d[0], d[1], d[2], -0.5, 2, 3})
			}
		}
	}
	return cs
}

// dims returns the stored shapes of A and B.
func (c gemmCase) dims() (ra, ca, rb, cb int) {
	ra, ca, rb, cb = c.m, c.k, c.k, c.n
	if c.tA != blas.NoTrans {
		ra, ca = ca, ra
	}
	if c.tB != blas.NoTrans {
		rb, cb = cb, rb
	}
	return
}

// TestGemmMatchesGonum compares OpenBLAS's products with gonum's on every
// transpose combination, with and without padded leading dimensions, in
// float64 and float32, elementwise within the rounding-error bound of a
// dot product of length k: |Δc| ≤ 2·k·u·(|alpha|·Σ|a·b| + |beta·c|)
// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1).
func TestGemmMatchesGonum(t *testing.T) {
	useOpenBLAS(t)
	for i, c := range gemmCases() {
		t.Run(fmt.Sprintf("%c%c/%dx%dx%d/alpha=%v/pad=%d", c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.pad), func(t *testing.T) {
			ra, ca, rb, cb := c.dims()
			lda, ldb, ldc := ca+c.pad, cb+c.pad, c.n+c.pad
			a, b, c0 := randSlice(ra*lda, uint64(i)), randSlice(rb*ldb, uint64(i+100)), randSlice(c.m*ldc, uint64(i+200))
			// bound[i,j] = |alpha|·Σ_l |a_il·b_lj| + |beta·c_ij|, from |A|·|B| by gonum.
			bound := make([]float64, len(c0))
			abs := func(v []float64) []float64 {
				w := make([]float64, len(v))
				for i, x := range v {
					w[i] = math.Abs(x)
				}
				return w
			}
			gonum.Implementation{}.Dgemm(c.tA, c.tB, c.m, c.n, c.k, math.Abs(c.alpha), abs(a), lda, abs(b), ldb, math.Abs(c.beta), abs(c0), ldc)
			gonum.Implementation{}.Dgemm(c.tA, c.tB, c.m, c.n, c.k, math.Abs(c.alpha), abs(a), lda, abs(b), ldb, 0, bound, ldc)
			for i := range bound {
				bound[i] += math.Abs(c.beta * c0[i])
			}
			want := append([]float64(nil), c0...)
			gonum.Implementation{}.Dgemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, want, ldc)
			got := append([]float64(nil), c0...)
			Implementation{}.Dgemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, a, lda, b, ldb, c.beta, got, ldc)
			compare(t, "float64", got, want, c0, bound, c.n, ldc, 2*float64(c.k+1)*0x1p-53)

			want32, got32 := toF32(c0), toF32(c0)
			gonum.Implementation{}.Sgemm(c.tA, c.tB, c.m, c.n, c.k, float32(c.alpha), toF32(a), lda, toF32(b), ldb, float32(c.beta), want32, ldc)
			Implementation{}.Sgemm(c.tA, c.tB, c.m, c.n, c.k, float32(c.alpha), toF32(a), lda, toF32(b), ldb, float32(c.beta), got32, ldc)
			compare(t, "float32", toF64(got32), toF64(want32), toF64(toF32(c0)), bound, c.n, ldc, 2*float64(c.k+1)*0x1p-24)
		})
	}
}

// compare checks got against want within tol·bound elementwise, and that
// the padding columns (j ≥ n) still hold c0.
func compare(t *testing.T, name string, got, want, c0, bound []float64, n, ldc int, tol float64) {
	t.Helper()
	for i := range got {
		if i%ldc >= n {
			if got[i] != c0[i] {
				t.Fatalf("%s: padding c[%d] = %v, was %v", name, i, got[i], c0[i])
			}
			continue
		}
		if d := math.Abs(got[i] - want[i]); !(d <= tol*bound[i]) {
			t.Fatalf("%s: c[%d] = %v, gonum %v: difference %.3g > %.3g", name, i, got[i], want[i], d, tol*bound[i])
		}
	}
}

func toF64(v []float32) []float64 {
	w := make([]float64, len(v))
	for i, x := range v {
		w[i] = float64(x)
	}
	return w
}

// TestGemmDeterministic checks that OpenBLAS gives bit-identical products
// on repeated calls with the same thread count, 1 or 2. (Products with 1
// and with 2 threads differ in their last bits.)
func TestGemmDeterministic(t *testing.T) {
	useOpenBLAS(t)
	info, _ := Current()
	defer func() { _ = SetThreads(info.Threads) }()
	const m, n, k = 300, 256, 784 // large enough for OpenBLAS to use threads
	a, b := randSlice(m*k, 1), randSlice(k*n, 2)
	first := map[int][]float64{}
	for _, threads := range []int{1, 2, 1, 2, 2} {
		if err := SetThreads(threads); err != nil {
			t.Fatal(err)
		}
		c := make([]float64, m*n)
		Gemm(false, false, m, n, k, 1, a, b, 0, c)
		if first[threads] == nil {
			first[threads] = c
			continue
		}
		for i := range c {
			if math.Float64bits(c[i]) != math.Float64bits(first[threads][i]) {
				t.Fatalf("threads=%d: c[%d] = %v, first run %v", threads, i, c[i], first[threads][i])
			}
		}
	}
}

// TestGemmEdgeCases: empty products do not touch OpenBLAS, k = 0 scales C
// by beta, and slices too short for their dimensions panic before any
// memory is handed to OpenBLAS.
func TestGemmEdgeCases(t *testing.T) {
	useOpenBLAS(t)
	Gemm(false, false, 0, 3, 2, 1, []float64{}, make([]float64, 6), 0, []float64{})
	Gemm(false, false, 2, 0, 2, 1, make([]float64, 4), []float64{}, 0, []float64{})
	c := []float32{1, 2, 3, 4}
	Gemm(false, false, 2, 2, 0, 1, []float32{}, []float32{}, 0.5, c)
	if c[0] != 0.5 || c[3] != 2 {
		t.Errorf("k = 0, beta = 0.5: C = %v, want [0.5 1 1.5 2]", c)
	}
	for _, tc := range []struct {
		name    string
		a, b, c int
	}{{"a", 5, 6, 4}, {"b", 6, 5, 4}, {"c", 6, 6, 3}} {
		t.Run("short "+tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "insufficient length of "+tc.name) {
					t.Errorf("recover() = %v, want a panic about %s", r, tc.name)
				}
			}()
			Gemm(false, false, 2, 2, 3, 1, make([]float64, tc.a), make([]float64, tc.b), 0, make([]float64, tc.c))
		})
	}
}

// TestGemmAllocs: an OpenBLAS product allocates at most purego's one
// argument slice.
func TestGemmAllocs(t *testing.T) {
	useOpenBLAS(t)
	a, b, c := randSlice(64, 1), randSlice(64, 2), make([]float64, 64)
	if n := testing.AllocsPerRun(50, func() { Gemm(false, true, 8, 8, 8, 1, a, b, 0, c) }); n > 1 {
		t.Errorf("%v allocations per product, want at most 1", n)
	}
}

// TestConcurrentUse runs products on many goroutines while the backend
// switches: every product is right (each runs wholly on one backend).
func TestConcurrentUse(t *testing.T) {
	useOpenBLAS(t)
	const m, n, k = 40, 30, 50
	a, b := randSlice(m*k, 3), randSlice(k*n, 4)
	want := make([]float64, m*n)
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 0, want, n)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := make([]float64, m*n)
			for range 50 {
				Gemm(false, false, m, n, k, 1, a, b, 0, c)
				for i := range c {
					if math.Abs(c[i]-want[i]) > 1e-12 {
						errs <- fmt.Errorf("goroutine %d: c[%d] = %v, want %v", g, i, c[i], want[i])
						return
					}
				}
			}
		}()
	}
	for i := range 40 {
		if err := Use([]Backend{Gonum, OpenBLAS}[i%2]); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestInvalidSettings: an unknown backend or thread count is an error
// naming the valid values.
func TestInvalidSettings(t *testing.T) {
	t.Cleanup(restore(t))
	if err := Use(Backend(0)); !errors.Is(err, ErrInvalid) {
		t.Errorf("Use(0) = %v, want ErrInvalid", err)
	}
	if Backend(0).String() != "Backend(0)" || OpenBLAS.String() != "openblas" || Gonum.String() != "gonum" {
		t.Error("Backend.String")
	}
	if _, err := load(); err == nil {
		for _, n := range []int{0, -3, 1 << 30} {
			if err := SetThreads(n); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "valid: 1 to") {
				t.Errorf("SetThreads(%d) = %v, want ErrInvalid with the valid range", n, err)
			}
		}
	}
}

// TestEnvironment runs this test binary again with LBFGSNET_BLAS and
// LBFGSNET_OPENBLAS set, and checks what Current reports (the selection is
// made once per process).
func TestEnvironment(t *testing.T) {
	if os.Getenv("BLAS_TEST_CHILD") == "1" {
		info, err := Current()
		c := make([]float64, 1)
		Gemm(false, false, 1, 1, 1, 2, []float64{3}, []float64{4}, 0, c)
		fmt.Printf("backend=%v product=%v err=%v fallback=%q\n", info.Backend, c[0], err, info.Fallback)
		return
	}
	missing := "/nonexistent/libopenblas.so.0"
	for _, tc := range []struct {
		backend, library string
		want             []string
	}{
		{"openblas", missing, []string{"backend=gonum", "product=24", "err=LBFGSNET_BLAS=openblas: blas: OpenBLAS is not available", "apt-get install libopenblas0", missing}},
		{"", missing, []string{"backend=gonum", "product=24", "err=<nil>", `fallback="blas: OpenBLAS is not available`}},
		{"gonum", "", []string{"backend=gonum", "product=24", "err=<nil>", `fallback=""`}},
		{"OpenBlass", "", []string{"backend=gonum", "product=24", `err=blas: invalid setting: LBFGSNET_BLAS="openblass" (valid: auto, openblas, gonum)`}},
		{"gonum", "/etc/passwd", []string{"backend=gonum", "err=<nil>"}},
	} {
		t.Run(tc.backend+"/"+tc.library, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestEnvironment$")
			cmd.Env = append(os.Environ(), "BLAS_TEST_CHILD=1", EnvBackend+"="+tc.backend, EnvLibrary+"="+tc.library)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestNotOpenBLAS: a library that loads but lacks OpenBLAS's symbols is
// refused by name.
func TestNotOpenBLAS(t *testing.T) {
	libc := "libc.so.6"
	t.Setenv(EnvLibrary, libc)
	_, err := open()
	if err == nil || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("open(%s) = %v, want ErrUnavailable", libc, err)
	}
	if !strings.Contains(err.Error(), "has no symbol dgemm_") && !strings.Contains(err.Error(), "not supported") {
		t.Errorf("open(%s) = %v, want the missing symbol named", libc, err)
	}
}
