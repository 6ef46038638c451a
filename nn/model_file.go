package nn

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Save writes the network and the attachments (see MarshalModel) to the
// file at path atomically: to a temporary file in the same directory,
// synced to disk, then renamed over path. If anything fails, including a
// crash mid-write, a previous file at path is left as it was and no
// temporary file remains. The file is created with mode 0644.
func (n *Network) Save(path string, attachments map[string][]byte) error {
	b, err := n.MarshalModel(attachments)
	if err != nil {
		return fmt.Errorf("nn: save model %s: %w", path, inner(err))
	}
	write := func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
	if err := writeAtomic(path, write); err != nil {
		return fmt.Errorf("nn: save model %s: %w", path, err)
	}
	return nil
}

// writeAtomic creates path with the contents write produces, through a
// synced temporary file in the same directory and a rename; on any error
// the temporary file is removed and path is untouched.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// Make the rename durable where the platform allows; a failure here
	// weakens durability after a power loss, not atomicity.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
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
