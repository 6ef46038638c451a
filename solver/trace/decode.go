package trace

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// decodeStrict decodes one JSON object into v, rejecting unknown keys. Its
// error is encoding/json's (a *json.SyntaxError, a *json.UnmarshalTypeError
// naming the key, or the unknown-key error), for tools to phrase.
func decodeStrict(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// wireStatus is a solver.Status on the wire: its name, as
// Status.MarshalText writes it. Unlike Status.UnmarshalText, its
// UnmarshalJSON reports an unknown name as a *json.UnmarshalTypeError of
// type solver.Status, to which encoding/json adds the key.
type wireStatus solver.Status

// MarshalText implements encoding.TextMarshaler.
func (s wireStatus) MarshalText() ([]byte, error) { return solver.Status(s).MarshalText() }

// UnmarshalJSON implements json.Unmarshaler.
func (s *wireStatus) UnmarshalJSON(b []byte) error {
	var name string
	var st solver.Status
	if json.Unmarshal(b, &name) == nil && st.UnmarshalText([]byte(name)) == nil {
		*s = wireStatus(st)
		return nil
	}
	return &json.UnmarshalTypeError{Value: jsonValue(b), Type: reflect.TypeFor[solver.Status]()}
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

// unprefixed drops the "solver: " of an error of package solver, inside a
// message of this package.
func unprefixed(err error) error { return trimmed{err, "solver: "} }

type trimmed struct {
	err    error
	prefix string
}

func (e trimmed) Error() string { return strings.TrimPrefix(e.err.Error(), e.prefix) }

func (e trimmed) Unwrap() error { return e.err }
