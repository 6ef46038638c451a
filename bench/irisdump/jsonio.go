package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// writeJSON writes v to w as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	return nil
}

// writeJSONFile writes v as JSON to path atomically: path never holds a
// half-written file.
func writeJSONFile(path string, v any) error {
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(v)
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
