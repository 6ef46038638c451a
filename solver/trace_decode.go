package solver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Decoding a trace line strictly, and telling what is wrong with one in the
// trace's terms (keys, values found and wanted) rather than Go's (struct
// fields and types), which encoding/json's errors use.

// decodeStrict decodes one JSON object into v, rejecting unknown keys. The
// caller has checked that the line is a single JSON value. Errors are told
// in the trace's terms (see wireError).
func decodeStrict(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return newWireError(err)
	}
	return nil
}

// wireStatus is a Status on the wire: its name, as Status.MarshalText
// writes it. Unlike Status.UnmarshalText, its UnmarshalJSON reports an
// unknown name as a *json.UnmarshalTypeError, to which encoding/json adds
// the key.
type wireStatus Status

// MarshalText implements encoding.TextMarshaler.
func (s wireStatus) MarshalText() ([]byte, error) { return Status(s).MarshalText() }

// UnmarshalJSON implements json.Unmarshaler.
func (s *wireStatus) UnmarshalJSON(b []byte) error {
	var name string
	if json.Unmarshal(b, &name) == nil {
		for i, info := range statusInfo {
			if info.name == name {
				*s = wireStatus(i)
				return nil
			}
		}
	}
	return &json.UnmarshalTypeError{Value: jsonValue(b), Type: reflect.TypeFor[Status]()}
}

// jsonValue describes a JSON value for an error, in the form of
// json.UnmarshalTypeError.Value: "string \"abc\"", "number 1e999", "object".
func jsonValue(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	const maxShown = 40
	shown := string(b)
	if len(shown) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(shown[cut]) {
			cut--
		}
		shown = shown[:cut] + "…"
	}
	switch b[0] {
	case '"':
		return "string " + shown
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number " + shown
}

// wireError is an error of encoding/json on a trace line, told in the
// trace's terms: the key, what was found and what the format wants, or
// where the JSON syntax breaks; not in Go's (struct fields, types). Unwrap
// returns the encoding/json error, for errors.As.
type wireError struct {
	msg string
	err error
}

func (e *wireError) Error() string { return e.msg }

func (e *wireError) Unwrap() error { return e.err }

// newWireError describes err, returned by encoding/json for a trace line.
func newWireError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		msg := fmt.Sprintf("found %s, want %s", foundText(te.Value), wantText(te.Type))
		if te.Field != "" {
			msg = fmt.Sprintf("key %q: %s", te.Field, msg)
		}
		return &wireError{msg, err}
	case errors.As(err, &se):
		return &wireError{fmt.Sprintf("not valid JSON (at byte %d): %v", se.Offset, se), err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &wireError{"not valid JSON: the line ends inside a value", err}
	}
	// encoding/json reports an unknown key with no exported type.
	if key, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &wireError{"unknown key " + key, err}
	}
	return err
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
	case t == reflect.TypeFor[float64]() || t == reflect.TypeFor[jsonFloat]():
		return `a number, "NaN", "+Inf" or "-Inf"`
	case t == reflect.TypeFor[Status]() || t == reflect.TypeFor[wireStatus]():
		names := make([]string, len(statusInfo))
		for i, info := range statusInfo {
			names[i] = strconv.Quote(info.name)
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
