package atomicfile_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// The whole file comes from one callback; a callback error leaves the
// previous file in place.
func ExampleWrite() {
	dir, err := os.MkdirTemp("", "atomicfile-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "predictions.csv")
	err = atomicfile.Write(path, 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, "class\nsetosa\n")
		return err
	})
	fmt.Println("first write:", err)
	err = atomicfile.Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, "class\nversi")
		return fmt.Errorf("prediction failed")
	})
	fmt.Println("second write:", err)
	b, _ := os.ReadFile(path)
	fmt.Printf("%q\n", b)
	// Output:
	// first write: <nil>
	// second write: prediction failed
	// "class\nsetosa\n"
}

// A file streamed over a long run appears only at Commit; an early return
// that never reaches Commit is cleaned up by the deferred Abort.
func ExampleCreate() {
	dir, err := os.MkdirTemp("", "atomicfile-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "trace.jsonl")
	f, err := atomicfile.Create(path, 0o644)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Abort()
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(f, "{\"iteration\":%d}\n", i)
	}
	_, err = os.Stat(path)
	fmt.Println("before Commit, exists:", err == nil)
	if err := f.Commit(); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	// Output:
	// before Commit, exists: false
	// {"iteration":1}
	// {"iteration":2}
	// {"iteration":3}
}
