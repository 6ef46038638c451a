package main

import (
	"fmt"
	"io"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// Every output file is written through internal/atomicfile: under a hidden
// temporary name ".NAME.tmp-*" in the destination's directory, renamed over
// the destination only when complete, so that a reader of the destination
// sees either the previous file or the new one, never a half-written one.
// A failure leaves the previous file and no temporary file; a second
// interrupt removes the temporary files of the outputs being written
// (signals.go).

// outputPerm is the mode of the output files this package writes, the mode
// nn.Network.Save and checkpoint.Save give theirs.
const outputPerm = 0o644

// writeOutput writes the output file at path atomically with what write
// produces.
func writeOutput(path string, write func(w io.Writer) error) error {
	if err := atomicfile.Write(path, outputPerm, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
