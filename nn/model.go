package nn

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/internal/strictjson"
)

// The model file format (docs/model-format.md):
//
//	magic        8 bytes  "lbfgsnn\n"
//	version      uint32   little-endian, ModelFormatVersion
//	header size  uint64   little-endian, H
//	header       H bytes  JSON: modelHeader
//	learnables            each value little-endian IEEE 754, 8 bytes
//	                      (float64) or 4 (float32), in flat order
//	attachments           the attachments' bytes, in header order
//	checksum     32 bytes SHA-256 of everything before it
const (
	modelMagic = "lbfgsnn\n"
	// ModelFormatVersion is the version of the model file format this
	// package writes; it reads this version and older ones. Version 2
	// stores each layer as its registered kind and JSON configuration;
	// version 1 knew the built-in layers only.
	ModelFormatVersion = 2
	prefixSize         = 8 + 4 + 8
	checksumSize       = sha256.Size
	maxHeaderSize      = 64 << 20
)

// modelHeader is the JSON header of a model file.
type modelHeader struct {
	Dtype       string            `json:"dtype"`
	InputSize   int               `json:"inputSize"`
	Layers      []layerEntry      `json:"layers"`
	Learnables  []learnableHeader `json:"learnables"`
	Attachments []attachHeader    `json:"attachments"`
}

// layerEntry is one layer in a model file: its kind, its name and its
// configuration (version 2), or the fields version 1 stored instead.
type layerEntry struct {
	Type       LayerKind       `json:"type"`
	Name       string          `json:"name"`
	Config     json.RawMessage `json:"config,omitempty"`
	OutputSize int             `json:"outputSize,omitempty"` // version 1: fc
	Alpha      float64         `json:"alpha,omitempty"`      // version 1: leakyrelu scale, elu alpha
}

type learnableHeader struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

type attachHeader struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// MarshalModel encodes the network (architecture, dtype, learnables bit
// for bit) and the attachments (named byte strings the caller stores with
// the model: standardisation, class names, …) in the model file format.
// Attachment names must be non-empty valid UTF-8; they are stored sorted.
func (n *Network) MarshalModel(attachments map[string][]byte) ([]byte, error) {
	if err := n.valid(); err != nil {
		return nil, err
	}
	h := modelHeader{Dtype: n.dtype.String(), InputSize: n.inputSize, Attachments: []attachHeader{}}
	for i, l := range n.layers {
		config, err := encodeLayer(l.layer)
		if err != nil {
			return nil, fmt.Errorf("nn: layer %d (%s): %w", i, l.name, inner(err))
		}
		h.Layers = append(h.Layers, layerEntry{Type: l.layer.Kind(), Name: l.name, Config: config})
	}
	for i := range n.params {
		p := &n.params[i]
		h.Learnables = append(h.Learnables, learnableHeader{Name: p.name(), Shape: p.spec.Shape})
	}
	names := make([]string, 0, len(attachments))
	for name := range attachments {
		if name == "" || !utf8.ValidString(name) {
			return nil, fmt.Errorf("%w: attachment name %q (valid: non-empty UTF-8)", ErrInvalidOption, name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		h.Attachments = append(h.Attachments, attachHeader{Name: name, Size: int64(len(attachments[name]))})
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("nn: encode model header: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(modelMagic)
	b.Write(binary.LittleEndian.AppendUint32(nil, ModelFormatVersion))
	b.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(hdr))))
	b.Write(hdr)
	b.Write(encodeValues(n.flat, n.dtype))
	for _, name := range names {
		b.Write(attachments[name])
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes(), nil
}

// encodeValues returns v's values in the dtype dt, little-endian.
func encodeValues(v []float64, dt tensor.Dtype) []byte {
	if dt == tensor.Float64 {
		out := make([]byte, 0, 8*len(v))
		for _, x := range v {
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(x))
		}
		return out
	}
	out := make([]byte, 0, 4*len(v))
	for _, x := range v {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(x)))
	}
	return out
}

// UnmarshalModel decodes a model file: the network and its attachments.
// A file that is not a model, is truncated, fails its checksum, comes
// from a newer format version or stores learnables that do not match its
// architecture gives an error wrapping ErrModelFormat, ErrModelTruncated,
// ErrModelChecksum, ErrModelVersion or ErrModelMismatch.
func UnmarshalModel(b []byte) (*Network, map[string][]byte, error) {
	h, body, version, err := parseModel(b)
	if err != nil {
		return nil, nil, err
	}
	dt, err := parseDtype(h.Dtype)
	if err != nil {
		return nil, nil, err
	}
	layers, names, err := h.decodeLayers(version)
	if err != nil {
		return nil, nil, err
	}
	n, err := layout(h.InputSize, layers, names, dt)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: architecture: %w", ErrModelMismatch, inner(err))
	}
	// The learnables' sizes were checked against the file's length: compare
	// before allocating what the architecture asks for.
	if err := n.checkLearnables(h.Learnables); err != nil {
		return nil, nil, err
	}
	n.allocate()
	k := n.size * int(dt.Size())
	decodeValues(n.flat, dt, body[:k])
	body = body[k:]
	att := make(map[string][]byte, len(h.Attachments))
	for _, a := range h.Attachments {
		att[a.Name] = bytes.Clone(body[:a.Size])
		body = body[a.Size:]
	}
	return n, att, nil
}

// parseDtype maps the header's dtype name to float64 or float32.
func parseDtype(s string) (tensor.Dtype, error) {
	switch s {
	case tensor.Float64.String():
		return tensor.Float64, nil
	case tensor.Float32.String():
		return tensor.Float32, nil
	}
	return tensor.Dtype{}, fmt.Errorf("%w: dtype %q (valid: float64, float32)", ErrModelFormat, s)
}

// checkLearnables compares the stored learnables with the architecture's.
func (n *Network) checkLearnables(ls []learnableHeader) error {
	if len(ls) != len(n.params) {
		return fmt.Errorf("%w: %d learnables stored, the architecture has %d", ErrModelMismatch, len(ls), len(n.params))
	}
	for i, l := range ls {
		p := &n.params[i]
		if name := p.name(); l.Name != name || !slices.Equal(l.Shape, p.spec.Shape) {
			return fmt.Errorf("%w: learnable %d is %q %v, the architecture has %q %v", ErrModelMismatch, i, l.Name, l.Shape, name, p.spec.Shape)
		}
	}
	return nil
}

// decodeValues sets v's values from little-endian bytes of the dtype dt.
func decodeValues(v []float64, dt tensor.Dtype, b []byte) {
	if dt == tensor.Float64 {
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		return
	}
	for i := range v {
		v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
}

// parseModel checks a model file's framing and checksum and returns its
// header and the bytes between header and checksum, which it has checked
// to be exactly as long as the header declares.
func parseModel(b []byte) (h *modelHeader, body []byte, version uint32, err error) {
	h, body, err = parseFrame(b)
	if h != nil {
		version = binary.LittleEndian.Uint32(b[8:])
	}
	return h, body, version, err
}

// parseFrame is parseModel without the version.
func parseFrame(b []byte) (*modelHeader, []byte, error) {
	if len(b) == 0 {
		return nil, nil, fmt.Errorf("%w: the file is empty", ErrModelTruncated)
	}
	if len(b) < len(modelMagic) || string(b[:len(modelMagic)]) != modelMagic {
		if len(b) < len(modelMagic) && bytes.HasPrefix([]byte(modelMagic), b) {
			return nil, nil, fmt.Errorf("%w: %d bytes, shorter than the file's prefix", ErrModelTruncated, len(b))
		}
		return nil, nil, fmt.Errorf("%w: bad magic number (want %q)", ErrModelFormat, modelMagic)
	}
	if len(b) < prefixSize {
		return nil, nil, fmt.Errorf("%w: %d bytes, shorter than the file's prefix", ErrModelTruncated, len(b))
	}
	version := binary.LittleEndian.Uint32(b[8:])
	if version == 0 {
		return nil, nil, fmt.Errorf("%w: format version 0", ErrModelFormat)
	}
	if version > ModelFormatVersion {
		return nil, nil, fmt.Errorf("%w: file has format version %d, this program reads up to %d", ErrModelVersion, version, ModelFormatVersion)
	}
	hsize := binary.LittleEndian.Uint64(b[12:])
	if hsize > maxHeaderSize {
		return nil, nil, fmt.Errorf("%w: header size %d exceeds %d", ErrModelFormat, hsize, maxHeaderSize)
	}
	intact := len(b) >= prefixSize+checksumSize && checksumOK(b)
	if uint64(len(b)) < prefixSize+hsize {
		return nil, nil, fmt.Errorf("%w: %d bytes, the header alone needs %d", ErrModelTruncated, len(b), prefixSize+hsize)
	}
	h, err := decodeHeader(b[prefixSize : prefixSize+hsize])
	if err != nil {
		if !intact {
			return nil, nil, fmt.Errorf("%w (and the header is unreadable: %w)", ErrModelChecksum, inner(err))
		}
		return nil, nil, err
	}
	body, err := h.bodySize()
	if err != nil {
		return nil, nil, err
	}
	want := uint64(prefixSize) + hsize + body + checksumSize
	switch {
	case uint64(len(b)) < want:
		return nil, nil, fmt.Errorf("%w: %d bytes, the header declares %d", ErrModelTruncated, len(b), want)
	case !intact:
		return nil, nil, fmt.Errorf("%w: the file's contents do not match its SHA-256", ErrModelChecksum)
	case uint64(len(b)) > want:
		return nil, nil, fmt.Errorf("%w: %d bytes, the header declares %d", ErrModelFormat, len(b), want)
	}
	return h, b[prefixSize+hsize : len(b)-checksumSize], nil
}

// checksumOK reports whether b ends in the SHA-256 of the rest of b.
func checksumOK(b []byte) bool {
	sum := sha256.Sum256(b[:len(b)-checksumSize])
	return bytes.Equal(sum[:], b[len(b)-checksumSize:])
}

// decodeHeader parses the JSON header strictly.
func decodeHeader(b []byte) (*modelHeader, error) {
	var h modelHeader
	// Strictly: besides unknown keys, a key in another letter case or
	// given twice is an error (encoding/json alone accepts both).
	if err := strictjson.Decode(b, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrModelFormat, err)
	}
	return &h, nil
}

// bodySize returns the number of bytes of learnables and attachments the
// header declares, checking every size for sanity.
func (h *modelHeader) bodySize() (uint64, error) {
	dt, err := parseDtype(h.Dtype)
	if err != nil {
		return 0, err
	}
	var total uint64
	const limit uint64 = 1 << 50 // no model file is a petabyte: guards the sums against overflow
	for _, l := range h.Learnables {
		count := uint64(1)
		for _, d := range l.Shape {
			if d < 1 || uint64(d) > limit || count > limit/uint64(d) {
				return 0, fmt.Errorf("%w: learnable %q has shape %v", ErrModelFormat, l.Name, l.Shape)
			}
			count *= uint64(d)
		}
		if total += count * uint64(dt.Size()); total > limit {
			return 0, fmt.Errorf("%w: learnables of more than %d bytes", ErrModelFormat, limit)
		}
	}
	seen := map[string]bool{}
	for _, a := range h.Attachments {
		if a.Size < 0 || uint64(a.Size) > limit || a.Name == "" || seen[a.Name] {
			return 0, fmt.Errorf("%w: attachment %q of size %d (names must be non-empty and unique)", ErrModelFormat, a.Name, a.Size)
		}
		seen[a.Name] = true
		if total += uint64(a.Size); total > limit {
			return 0, fmt.Errorf("%w: attachments of more than %d bytes", ErrModelFormat, limit)
		}
	}
	return total, nil
}
