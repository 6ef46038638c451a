package checkpoint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
)

// Little-endian primitives of the checkpoint format. The encoder and decoder
// feed every byte through the CRC-32C hash; the decoder reads vectors in
// bounded chunks, so a corrupt length cannot make it allocate more than the
// input actually holds.

// chunk is the number of float64 values converted per write or read.
const chunk = 8192

// maxCheckpointString bounds every string field (method names, statuses,
// schedule type names).
const maxCheckpointString = 1 << 12

type encoder struct {
	w   io.Writer // writes to the destination and the hash
	buf []byte
	err error
}

func (e *encoder) flush() {
	if e.err == nil && len(e.buf) > 0 {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

func (e *encoder) grow() {
	if len(e.buf) >= 8*chunk {
		e.flush()
	}
}

func (e *encoder) u8(v uint8) { e.buf = append(e.buf, v); e.grow() }

func (e *encoder) u32(v uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, v); e.grow() }

func (e *encoder) i64(v int) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(int64(v)))
	e.grow()
}

func (e *encoder) f64(v float64) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
	e.grow()
}

func (e *encoder) boolean(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}

func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.buf = append(e.buf, s...)
	e.grow()
}

// floats writes the values of v without a length (the reader knows it).
func (e *encoder) floats(v []float64) {
	for _, x := range v {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(x))
		if len(e.buf) >= 8*chunk {
			e.flush()
		}
	}
}

type decoder struct {
	version int       // format version of the file being read
	r       io.Reader // reads from the source and feeds the hash
	b       [8]byte
	err     error
}

// fail records the first error as a corruption. The errors of the decoder
// do not name the operation: Read and Load do.
func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", inner(ErrCorrupt), fmt.Sprintf(format, args...))
	}
}

func (d *decoder) read(p []byte) {
	if d.err != nil {
		return
	}
	if _, err := io.ReadFull(d.r, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			d.fail("truncated file")
			return
		}
		d.err = err
	}
}

func (d *decoder) u8() uint8 {
	d.read(d.b[:1])
	return d.b[0]
}

func (d *decoder) u32() uint32 {
	d.read(d.b[:4])
	return binary.LittleEndian.Uint32(d.b[:4])
}

func (d *decoder) i64() int {
	d.read(d.b[:8])
	v := int64(binary.LittleEndian.Uint64(d.b[:8]))
	if d.err == nil && (v < math.MinInt || v > math.MaxInt) {
		d.fail("integer %d out of range", v)
	}
	return int(v)
}

func (d *decoder) f64() float64 {
	d.read(d.b[:8])
	return math.Float64frombits(binary.LittleEndian.Uint64(d.b[:8]))
}

func (d *decoder) boolean() bool {
	switch v := d.u8(); v {
	case 0:
		return false
	case 1:
		return true
	default:
		d.fail("boolean byte %d", v)
		return false
	}
}

func (d *decoder) str() string {
	n := d.u32()
	if d.err != nil {
		return ""
	}
	if n > maxCheckpointString {
		d.fail("string of %d bytes (at most %d)", n, maxCheckpointString)
		return ""
	}
	p := make([]byte, n)
	d.read(p)
	return string(p)
}

// floats reads n values into dst (len(dst) == n), a chunk at a time.
func (d *decoder) floats(dst []float64) {
	var buf [8 * 512]byte
	for len(dst) > 0 && d.err == nil {
		k := min(len(dst), 512)
		d.read(buf[:8*k])
		for i := range k {
			dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		}
		dst = dst[k:]
	}
}

// vector reads n values into a new slice, growing it as data arrives.
func (d *decoder) vector(n int) []float64 {
	var v []float64
	for len(v) < n && d.err == nil {
		k := min(n-len(v), chunk)
		start := len(v)
		v = append(v, make([]float64, k)...)
		d.floats(v[start:])
	}
	return v
}

// hashWriter and hashReader pass bytes through and into a running hash.
type hashWriter struct {
	w io.Writer
	h hash.Hash32
}

func (hw hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	return n, err
}

type hashReader struct {
	r io.Reader
	h hash.Hash32
}

func (hr hashReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	return n, err
}
