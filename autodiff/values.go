package autodiff

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// valueSize returns the number of floats in a parameter value: 1 for a
// F64 or F32 scalar, the element count of a contiguous float64 or float32
// *tensor.Dense. Other values are an error.
func valueSize(v gorgonia.Value) (int, error) {
	switch s := v.(type) {
	case *gorgonia.F64, *gorgonia.F32:
		return 1, nil
	case *tensor.Dense:
		if s == nil {
			break
		}
		if s.Dtype() != tensor.Float64 && s.Dtype() != tensor.Float32 {
			return 0, fmt.Errorf("dtype %v (want float64 or float32)", s.Dtype())
		}
		if s.IsMaterializable() {
			return 0, fmt.Errorf("a view or transposed tensor (materialize it first)")
		}
		if s.IsScalar() {
			return 1, nil
		}
		return s.Shape().TotalSize(), nil
	case nil:
		return 0, fmt.Errorf("no value bound")
	}
	return 0, fmt.Errorf("value of type %T (want *gorgonia.F64, *gorgonia.F32 or a float *tensor.Dense)", v)
}

// writeValue copies src (len = the value's size) into v in place,
// converting to v's dtype; v was accepted by valueSize.
func writeValue(v gorgonia.Value, src []float64) error {
	switch s := v.(type) {
	case *gorgonia.F64:
		*s = gorgonia.F64(src[0])
	case *gorgonia.F32:
		*s = gorgonia.F32(src[0])
	case *tensor.Dense:
		if s.IsScalar() {
			return s.Memset(scalarAs(s.Dtype(), src[0]))
		}
		if s.Dtype() == tensor.Float64 {
			copy(s.Float64s(), src)
			return nil
		}
		dst := s.Float32s()
		for i, x := range src {
			dst[i] = float32(x)
		}
	default:
		return fmt.Errorf("value of type %T", v)
	}
	return nil
}

func scalarAs(dt tensor.Dtype, x float64) any {
	if dt == tensor.Float32 {
		return float32(x)
	}
	return x
}

// readValue copies (add == false) or adds (add == true) the floats of v
// into dst as float64; v must hold exactly len(dst) floats.
func readValue(v gorgonia.Value, dst []float64, add bool) error {
	switch s := v.(type) {
	case *gorgonia.F64:
		return readScalar(float64(*s), dst, add)
	case *gorgonia.F32:
		return readScalar(float64(*s), dst, add)
	case *tensor.Dense:
		if s == nil {
			break
		}
		if s.IsScalar() {
			switch x := s.Data().(type) {
			case float64:
				return readScalar(x, dst, add)
			case float32:
				return readScalar(float64(x), dst, add)
			}
			break
		}
		if s.IsMaterializable() || s.Shape().TotalSize() != len(dst) {
			return fmt.Errorf("tensor of shape %v, want %d contiguous values", s.Shape(), len(dst))
		}
		switch s.Dtype() {
		case tensor.Float64:
			readFloats(s.Float64s(), dst, add)
			return nil
		case tensor.Float32:
			readFloats(s.Float32s(), dst, add)
			return nil
		}
	}
	return fmt.Errorf("value of type %T, want %d float values", v, len(dst))
}

func readScalar(x float64, dst []float64, add bool) error {
	if len(dst) != 1 {
		return fmt.Errorf("scalar value, want %d values", len(dst))
	}
	if add {
		dst[0] += x
	} else {
		dst[0] = x
	}
	return nil
}

func readFloats[T float32 | float64](src []T, dst []float64, add bool) {
	if add {
		for i, x := range src {
			dst[i] += float64(x)
		}
		return
	}
	for i, x := range src {
		dst[i] = float64(x)
	}
}

// scalarOf returns a scalar value as float64.
func scalarOf(v gorgonia.Value) (float64, error) {
	var x [1]float64
	if err := readValue(v, x[:], false); err != nil {
		return 0, err
	}
	return x[0], nil
}

// toFloat64s returns a copy of the floats of any float value.
func toFloat64s(v gorgonia.Value) ([]float64, error) {
	n, err := valueSize(v)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	return out, readValue(v, out, false)
}
