package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Phrasing the errors of a malformed trace line (trace.LineError.Err) in
// the trace's terms — keys, the value found and what the format wants —
// rather than Go's (struct fields and types), which encoding/json uses.

// traceLineText describes err, the cause of a trace.LineError.
func traceLineText(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		msg := fmt.Sprintf("found %s, want %s", foundText(te.Value), wantText(te.Type))
		if te.Field != "" {
			msg = fmt.Sprintf("key %q: %s", te.Field, msg)
		}
		return msg
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON (at byte %d): %v", se.Offset, se)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "not valid JSON: the line ends inside a value"
	}
	// encoding/json reports an unknown key with no exported type.
	if key, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "unknown key " + key
	}
	return err.Error()
}

// foundText phrases json.UnmarshalTypeError.Value ("string", "number 1.5",
// "string \"abc\"", "object", …).
func foundText(v string) string {
	if kind, text, ok := strings.Cut(v, " "); ok {
		return "the " + kind + " " + text
	}
	switch v {
	case "bool":
		return "a boolean"
	case "array", "object":
		return "an " + v
	case "null", "nothing":
		return v
	}
	return "a " + v
}

// wantText says what a value of Go type t is written as in a trace.
func wantText(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[float64]():
		return `a number, "NaN", "+Inf" or "-Inf"`
	case t == reflect.TypeFor[solver.Status]():
		var names []string
		for s := solver.Status(0); ; s++ {
			b, err := s.MarshalText()
			if err != nil {
				break
			}
			names = append(names, strconv.Quote(string(b)))
		}
		return "a status: " + strings.Join(names, ", ")
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return wantText(t.Elem())
	}
	return "a value of another type"
}
