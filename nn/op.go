package nn

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync/atomic"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// This file holds what nn's gorgonia ops share. Each layer and loss is a
// gorgonia.Op (forward) whose SymDiff returns nodes of further ops
// (backward), so gorgonia.Grad differentiates a network like any graph.
// The ops differ from gorgonia's built-in ones in two ways that make a
// network's evaluation cheap:
//
//   - each op owns its output buffer and returns the same tensor on every
//     run, so an evaluation allocates no tensors after the first;
//   - each op is fused where the built-ins would need several nodes
//     (Y = X·W + b is one op; its backward pass is three BLAS-backed ops).
//
// An op never writes to its inputs and never reads another op's buffer
// except through its inputs, so gorgonia's register reuse cannot corrupt
// a value still in use.

// float is the element type of a network: float32 or float64.
type float interface{ ~float32 | ~float64 }

// opCount numbers op instances, so that no two nodes of ours hash alike
// and gorgonia never merges them.
var opCount atomic.Uint64

// opBase carries an op's unique identity.
type opBase struct{ id uint64 }

func newOpBase() opBase { return opBase{id: opCount.Add(1)} }

func (o opBase) ReturnsPtr() bool     { return false }
func (o opBase) CallsExtern() bool    { return false }
func (o opBase) OverwritesInput() int { return -1 }

// hashOp writes the op's description and identity.
func hashOp(h hash.Hash, name string, id uint64) { fmt.Fprintf(h, "nn.%s#%d", name, id) }

// hashCode returns the fnv-32a hash of what hashOp writes.
func hashCode(name string, id uint64) uint32 {
	h := fnv.New32a()
	hashOp(h, name, id)
	return h.Sum32()
}

// Types used by the ops' signatures: a is the element type.
var (
	typeA  = hm.TypeVariable('a')
	matA   = gorgonia.TensorType{Dims: 2, Of: typeA}
	vecA   = gorgonia.TensorType{Dims: 1, Of: typeA}
	scalar = typeA
)

// buffer is an output tensor owned by an op and returned on every run.
type buffer struct{ t *tensor.Dense }

// get returns the buffer, (re)allocated if its dtype or shape differs.
func (b *buffer) get(dt tensor.Dtype, shape ...int) *tensor.Dense {
	if b.t == nil || b.t.Dtype() != dt || !b.t.Shape().Eq(tensor.Shape(shape)) {
		b.t = newSkewed(dt, shape)
	}
	return b.t
}

// skewCount numbers the large buffers newSkewed allocates.
var skewCount atomic.Uint32

// skewMin is the size in bytes from which newSkewed offsets a buffer.
const skewMin = 1 << 20

// newSkewed returns a zeroed float tensor of the shape whose data, when
// it takes skewMin bytes or more, starts 64·k bytes into its allocation,
// k = 0 … 63 changing from buffer to buffer. The Go allocator places
// large slices at page boundaries, so that buffers of the same or
// power-of-two sizes would all start at the same offset modulo the cache's
// set stride: a kernel streaming through several of them (z, y, dy, dz)
// then competes for the same cache sets. Measured here: an elementwise
// pass over three 2²⁸-byte slices took 13% longer when they were page
// aligned than when their starts differed by multiples of 64 bytes, and
// two such slices allocated back to back have been seen to halve memory
// bandwidth. The waste is at most 4 KiB per large buffer.
func newSkewed(dt tensor.Dtype, shape []int) *tensor.Dense {
	n := tensor.Shape(shape).TotalSize()
	k := 0
	if n*int(dt.Size()) >= skewMin {
		k = int(skewCount.Add(1) * 29 % 64) // 29 is odd: every offset in turn
	}
	switch dt {
	case tensor.Float64:
		off := 8 * k
		return tensor.New(tensor.WithBacking(make([]float64, n+off)[off:off+n]), tensor.WithShape(shape...))
	case tensor.Float32:
		off := 16 * k
		return tensor.New(tensor.WithBacking(make([]float32, n+off)[off:off+n]), tensor.WithShape(shape...))
	}
	return tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
}

// scalarOut is a scalar output owned by an op.
type scalarOut struct {
	f64 *gorgonia.F64
	f32 *gorgonia.F32
}

// set stores v in the dtype dt and returns the value.
func (s *scalarOut) set(dt tensor.Dtype, v float64) gorgonia.Value {
	if dt == tensor.Float32 {
		if s.f32 == nil {
			s.f32 = new(gorgonia.F32)
		}
		*s.f32 = gorgonia.F32(v)
		return s.f32
	}
	if s.f64 == nil {
		s.f64 = new(gorgonia.F64)
	}
	*s.f64 = gorgonia.F64(v)
	return s.f64
}

// dense returns v as a contiguous float32 or float64 *tensor.Dense with
// dims dimensions.
func dense(op string, i int, v gorgonia.Value, dims int) (*tensor.Dense, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("nn: %s: input %d is %T, want *tensor.Dense", op, i, v)
	}
	if d.Dims() != dims {
		return nil, fmt.Errorf("nn: %s: input %d has shape %v, want %d dimensions", op, i, d.Shape(), dims)
	}
	if !rowMajor(d) {
		return nil, fmt.Errorf("nn: %s: input %d is a view or transposed; materialize it first", op, i)
	}
	if dt := d.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("nn: %s: input %d has dtype %v, want float64 or float32", op, i, dt)
	}
	return d, nil
}

// rowMajor reports whether d's values are its data in row-major order:
// not a view, or a view whose layout is the identity (gorgonia's matrix
// product transposes an input twice and leaves it marked as a view).
func rowMajor(d *tensor.Dense) bool {
	if !d.IsMaterializable() {
		return true
	}
	if d.DataSize() != d.Shape().TotalSize() {
		return false
	}
	want := d.Shape().CalcStrides()
	got := d.Strides()
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if got[i] != want[i] && d.Shape()[i] != 1 {
			return false
		}
	}
	return true
}

// sameDtype reports an error unless all tensors share ts[0]'s dtype.
func sameDtype(op string, ts ...*tensor.Dense) error {
	for i, t := range ts[1:] {
		if t.Dtype() != ts[0].Dtype() {
			return fmt.Errorf("nn: %s: input %d has dtype %v, input 0 has %v", op, i+1, t.Dtype(), ts[0].Dtype())
		}
	}
	return nil
}

// scalarValue returns a gorgonia scalar (F64, F32, or a 0-d or
// one-element tensor) as float64.
func scalarValue(op string, v gorgonia.Value) (float64, error) {
	switch s := v.(type) {
	case *gorgonia.F64:
		return float64(*s), nil
	case *gorgonia.F32:
		return float64(*s), nil
	case *tensor.Dense:
		if s.Shape().TotalSize() == 1 {
			switch s.Dtype() {
			case tensor.Float64:
				return s.Float64s()[0], nil
			case tensor.Float32:
				return float64(s.Float32s()[0]), nil
			}
		}
	}
	return 0, fmt.Errorf("nn: %s: want a float scalar, got %T", op, v)
}

// shapes converts gorgonia's DimSizers to shapes with the given numbers of
// dimensions.
func shapes(op string, ds []gorgonia.DimSizer, dims ...int) ([]tensor.Shape, error) {
	if len(ds) != len(dims) {
		return nil, fmt.Errorf("nn: %s: %d inputs, want %d", op, len(ds), len(dims))
	}
	out := make([]tensor.Shape, len(ds))
	for i, d := range ds {
		s, ok := d.(tensor.Shape)
		if !ok || len(s) != dims[i] {
			return nil, fmt.Errorf("nn: %s: input %d has shape %v, want %d dimensions", op, i, d, dims[i])
		}
		out[i] = s
	}
	return out, nil
}

// arity reports an error unless len(vals) == n.
func arity(op string, vals []gorgonia.Value, n int) error {
	if len(vals) != n {
		return fmt.Errorf("nn: %s: %d inputs, want %d", op, len(vals), n)
	}
	return nil
}

// recoverOp turns a panic in an op's Do into an error. gorgonia runs Do on
// a goroutine of its own, where a panic could not be recovered by the
// caller of RunAll; an op's kernels have checked inputs and cannot panic,
// so this is a second line of defence.
func recoverOp(err *error, op fmt.Stringer) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("nn: %v: panic: %v", op, r)
	}
}
