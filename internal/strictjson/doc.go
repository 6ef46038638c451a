// Package strictjson decodes JSON into Go values as strictly as a file
// format that says "unknown fields are an error" promises: besides
// encoding/json's DisallowUnknownFields, it refuses an object key that
// names a struct field only when letter case is ignored (encoding/json
// accepts "DTYPE" for a field tagged "dtype"), a key given twice in one
// object (encoding/json keeps the last), and anything after the one JSON
// value. It is internal: the model file reader of nn and the command's
// model attachment use it. Standard library only.
//
// # Architecture
//
// Decode first walks the tokens of the input beside the reflect.Type of
// the destination, checking every object's keys against the struct's JSON
// field names (tags, or the Go names) and against each other; values of a
// type with its own UnmarshalJSON, of json.RawMessage and of interface
// types are checked for repeated keys only. Then encoding/json decodes the
// input with DisallowUnknownFields.
package strictjson
