//go:build unix

package atomicfile_test

import (
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// write writes content to path with Write.
func write(path, content string) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	})
}

// TestWriteSymlink: a symbolic link at the destination is followed, its
// target replaced atomically, and the link stays a link; a link to a file
// not yet created creates the target.
func TestWriteSymlink(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(sub, "real.model")
	mustWrite(t, target, "old", 0o644)
	link := filepath.Join(dir, "link.model")
	if err := os.Symlink("sub/real.model", link); err != nil {
		t.Fatal(err)
	}
	if err := write(link, "new"); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v, %v", st.Mode(), err)
	}
	wantContent(t, target, "new")
	wantEntries(t, sub, "real.model")

	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(sub, "later.model"), dangling); err != nil {
		t.Fatal(err)
	}
	if got, err := atomicfile.Target(dangling); err != nil || got != filepath.Join(sub, "later.model") {
		t.Errorf("Target(dangling link) = %q, %v; want the link's target", got, err)
	}
	if err := write(dangling, "created"); err != nil {
		t.Fatal(err)
	}
	wantContent(t, filepath.Join(sub, "later.model"), "created")
	if st, _ := os.Lstat(dangling); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the dangling link was replaced by a file")
	}

	loop := filepath.Join(dir, "loop")
	os.Symlink("loop", loop)
	if err := write(loop, "x"); err == nil {
		t.Error("write through a link loop succeeded")
	}
}

// TestWriteFIFO: a named pipe at the destination is written, not replaced:
// its reader gets the whole content at Commit and nothing of an aborted
// file.
func TestWriteFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(fifo) // blocks until the writer opens and closes
		got <- string(b)
	}()
	f, err := atomicfile.Create(fifo, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "a,b\n")
	io.WriteString(f, "1,2\n")
	select {
	case s := <-got:
		t.Fatalf("the reader got %q before Commit", s)
	case <-time.After(50 * time.Millisecond):
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "a,b\n1,2\n" {
		t.Errorf("reader got %q", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v, %v", st.Mode(), err)
	}
	wantEntries(t, dir, "pipe")

	// Aborted: the pipe is never opened, so a reader would still wait.
	a, err := atomicfile.Create(fifo, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(a, "half")
	if err := a.Abort(); err != nil {
		t.Fatal(err)
	}
	wantEntries(t, dir, "pipe")
}

// TestWriteCharDevice: /dev/null is written to, not replaced (the test
// would need root to replace it, and must not succeed at it either way).
func TestWriteCharDevice(t *testing.T) {
	st, err := os.Stat(os.DevNull)
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Skip("no character device /dev/null")
	}
	if err := write(os.DevNull, "discarded"); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.Check(os.DevNull); err != nil {
		t.Errorf("Check(%s): %v", os.DevNull, err)
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a character device: %v", os.DevNull, err)
	}
}

// TestWriteSocketRefused: a socket cannot hold a file: refused by Check and
// Create with a message naming the type.
func TestWriteSocketRefused(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "s")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()
	for name, err := range map[string]error{"Check": atomicfile.Check(sock), "Write": write(sock, "x")} {
		if err == nil || !strings.Contains(err.Error(), "socket") {
			t.Errorf("%s on a socket: %v, want an error naming the socket", name, err)
		}
	}
}

// TestCheck: Check reports before any work a destination that is a
// directory, in a missing directory or in one without write permission,
// and leaves nothing behind.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	if err := atomicfile.Check(filepath.Join(dir, "out")); err != nil {
		t.Errorf("Check(new file): %v", err)
	}
	if err := atomicfile.Check(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("Check(directory) = %v, want an error naming the directory", err)
	}
	if err := atomicfile.Check(filepath.Join(dir, "no", "out")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Check(missing directory) = %v, want fs.ErrNotExist", err)
	}
	wantEntries(t, dir)
	if st, err := os.Stat("/sys"); err == nil && st.IsDir() {
		// sysfs refuses new files, also to root.
		if err := atomicfile.Check("/sys/out"); err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Errorf("Check(/sys/out) = %v, want an error saying the directory is not writable", err)
		}
	}
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only directories")
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	if err := atomicfile.Check(filepath.Join(ro, "out")); !errors.Is(err, os.ErrPermission) {
		t.Errorf("Check(read-only directory) = %v, want fs.ErrPermission", err)
	}
}

// deadPID returns the id of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("run true: %v", err)
	}
	return cmd.Process.Pid
}

// TestCreateRemovesStale: Create removes the temporary files a killed
// writer left beside the destination (its process no longer runs); those
// of running processes, of unknown writers and of other destinations stay.
func TestCreateRemovesStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ckpt")
	dead := ".run.ckpt.tmp-" + strconv.Itoa(deadPID(t)) + "-123"
	live := ".run.ckpt.tmp-1-456" // process 1 runs as long as the system does
	legacy := ".run.ckpt.tmp-789"
	otherDead := ".other.tmp-" + strconv.Itoa(deadPID(t)) + "-1"
	for _, n := range []string{dead, live, legacy, otherDead} {
		mustWrite(t, filepath.Join(dir, n), "half", 0o644)
	}
	if err := write(path, "complete"); err != nil {
		t.Fatal(err)
	}
	wantEntries(t, dir, "run.ckpt", live, legacy, otherDead)
}
