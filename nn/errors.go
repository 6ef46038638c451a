package nn

import (
	"errors"
	"strings"
)

// Sentinel errors. Errors returned by this package wrap one of these (or a
// gorgonia error, with context), so callers match them with errors.Is. A
// message names the package once, at its start, as in "nn: load model
// m.bin: model file truncated: …".
var (
	// ErrInvalidNetwork: a network description is inconsistent (a layer's
	// field out of range, a layer whose output does not have the shape its
	// Setup declares, duplicate names, no layers, an unsupported dtype).
	ErrInvalidNetwork = errors.New("nn: invalid network")
	// ErrInvalidOption: an option (loss, L2, shards) is out of range or
	// does not fit the network.
	ErrInvalidOption = errors.New("nn: invalid option")
	// ErrShape: data or a flat vector has the wrong length.
	ErrShape = errors.New("nn: shape mismatch")
	// ErrNonFinite: input data holds a NaN or an infinity, or a value
	// beyond float32's range for a float32 network.
	ErrNonFinite = errors.New("nn: non-finite value")
	// ErrGraph: gorgonia failed to build or run a graph.
	ErrGraph = errors.New("nn: graph")
	// ErrRegistry: a layer kind cannot be registered (empty, duplicate),
	// or a layer to save or load is of a kind nobody registered.
	ErrRegistry = errors.New("nn: layer registry")

	// ErrModelFormat: the bytes are not an lbfgsnet model file, or its
	// header is malformed.
	ErrModelFormat = errors.New("nn: not a valid model file")
	// ErrModelVersion: the file was written by a newer format version.
	ErrModelVersion = errors.New("nn: unsupported model file version")
	// ErrModelTruncated: the file is shorter than its header declares.
	ErrModelTruncated = errors.New("nn: model file truncated")
	// ErrModelChecksum: the file's SHA-256 does not match its contents.
	ErrModelChecksum = errors.New("nn: model file checksum mismatch")
	// ErrModelMismatch: the learnables stored do not match the stored
	// architecture.
	ErrModelMismatch = errors.New("nn: model file learnables do not match its architecture")
)

// prefix opens the message of every error of this package.
const prefix = "nn: "

// inner wraps err, an error of this package, for use inside another message
// of this package: its text drops the leading "nn: ", so that each message
// names the package once, while errors.Is and errors.As still reach err.
func inner(err error) error { return innerError{err} }

type innerError struct{ err error }

func (e innerError) Error() string { return strings.TrimPrefix(e.err.Error(), prefix) }

func (e innerError) Unwrap() error { return e.err }
