// Package atomicfile writes files atomically: a reader of the destination
// sees either the file that was there before or the complete new one, never
// a half-written file, and a failure at any point leaves the previous file
// as it was. It is the one implementation behind nn.Network.Save,
// checkpoint.Save and the output files of cmd/lbfgsnet. It is
// internal: not part of the public API. It uses the standard library only,
// so that solver may import it and still depend on nothing outside the
// standard library.
//
// # Conventions
//
// Write writes a whole file from a callback; Create returns a File that is
// written over time (a trace streamed during a run) and becomes visible only
// at Commit, or never if Abort is called instead. The permissions passed are
// set exactly, whatever the process umask.
//
// Errors name the step that failed ("sync temporary file: input/output
// error") and carry no package prefix and no file name: every caller wraps
// them with its own package prefix and the destination's name
// ("solver: save checkpoint run.ckpt: sync temporary file: …"). The name of
// the temporary file is left out of them, since it would only confuse a
// reader of the message. An error of the callback passed to Write is
// returned as it is. The underlying error stays reachable with errors.Is
// (fs.ErrNotExist for a missing directory).
//
// # Architecture
//
// Create makes the temporary file ".NAME.tmp-PID-RANDOM" in the destination's
// directory with os.CreateTemp: the same directory, hence the same file
// system, so that the final rename is atomic. Commit sets the permissions,
// syncs the data to disk, closes the file and renames it over the
// destination, then syncs the directory so that the rename survives a power
// loss where the platform supports it (a failure of that last sync weakens
// durability only, not atomicity, and is not reported). Any failure before
// the rename closes and removes the temporary file. A crash of the process
// can leave a temporary file behind, never a damaged destination; the next
// Create of the same destination removes the temporary files whose writer
// (the PID in the name) no longer runs, and RemoveTemporaries deletes this
// process's own, for a command that quits at once on a second interrupt;
// Freeze, called first, keeps other goroutines from making one after it.
//
// Destinations that are not regular files are handled deliberately. A
// symbolic link is followed: the file it leads to (or the file a dangling
// link names) is replaced atomically and the link stays. A FIFO or a
// character device (/dev/null, /dev/stdout on a terminal) cannot be
// replaced: the content is kept in memory and written to it whole at
// Commit, so its reader gets nothing of an aborted file. A directory, a
// socket or a block device is refused. Check runs these tests, and
// whether the directory is writable, before any content is produced;
// Target tells which file a path resolves to, so that a caller can refuse
// two outputs that are one file.
//
// # References
//
// POSIX rename(2): the replacement of the destination is atomic; fsync(2)
// on the directory makes the new entry durable. Pillai et al., "All File
// Systems Are Not Created Equal: On the Complexity of Crafting
// Crash-Consistent Applications", OSDI 2014 (the write, fsync, rename,
// fsync-directory sequence for updating a file atomically).
package atomicfile
