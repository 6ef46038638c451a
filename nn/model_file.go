package nn

import (
	"fmt"
	"io"
	"os"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// Save writes the network and the attachments (see MarshalModel) to the
// file at path atomically: to a temporary file in the same directory,
// synced to disk, then renamed over path. If anything fails, including a
// crash mid-write, a previous file at path is left as it was; after an
// error no temporary file remains. The file gets mode 0644 whatever the
// umask, and replaces a previous file rather than rewriting it in place
// (hard links to the old file keep the old content).
func (n *Network) Save(path string, attachments map[string][]byte) error {
	b, err := n.MarshalModel(attachments)
	if err != nil {
		return fmt.Errorf("nn: save model %s: %w", path, inner(err))
	}
	write := func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
	if err := atomicfile.Write(path, 0o644, write); err != nil {
		return fmt.Errorf("nn: save model %s: %w", path, err)
	}
	return nil
}

// Load reads a model file written by Save: the network and its
// attachments. Errors name the file and wrap the sentinels of
// UnmarshalModel (or the os error).
func Load(path string) (*Network, map[string][]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load model: %w", err)
	}
	n, att, err := UnmarshalModel(b)
	if err != nil {
		return nil, nil, fmt.Errorf("nn: load model %s: %w", path, inner(err))
	}
	return n, att, nil
}
