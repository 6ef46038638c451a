// Package trace records the runs of package solver as JSON lines, one
// object per iteration, and reads them back (docs/trace-format.md).
//
// A Recorder has the signature of solver.StopOptions.Hook: each call
// writes the state's last iteration as one line with a single Write, so
// the file of a killed run holds every completed iteration. Read parses a
// trace strictly (header first, increasing iterations, summary last, no
// unknown key or value) and reports a malformed line as a *LineError whose
// cause is encoding/json's own error or a message naming the key, so that a
// tool can phrase it in its users' terms. Floats round-trip bit for bit;
// NaN and ±Inf are written as the strings "NaN", "+Inf" and "-Inf".
//
// Read reads format versions 1 to Version; Recorder and Write write Version.
package trace
