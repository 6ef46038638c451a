// Package checkpoint saves and restores the whole state of package
// solver, with the parameters, so that a run resumed from a checkpoint
// written after iteration k continues bit for bit as the uninterrupted run
// would have (docs/checkpoint-format.md).
//
// The format is binary, little-endian, versioned and checksummed (CRC-32C).
// It is written from solver.LBFGSState.Snapshot and read back through
// solver.Restore, which validates every field. The reader allocates as data
// arrives, so a corrupt size cannot make it allocate more than the input
// holds; Save writes atomically (a temporary file renamed over the target).
//
// Read reads format versions 1 and 2 and names the version of a newer
// file; Write and Save write version 2.
package checkpoint
