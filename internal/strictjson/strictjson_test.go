package strictjson

import (
	"encoding/json"
	"strings"
	"testing"
)

type inner struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

type header struct {
	Dtype  string            `json:"dtype"`
	Items  []inner           `json:"items"`
	Extra  map[string]inner  `json:"extra,omitempty"`
	Config json.RawMessage   `json:"config,omitempty"`
	Plain  int               // no tag: the Go name
	Hidden string            `json:"-"`
	Labels map[string]string `json:"labels,omitempty"`
}

func TestDecode(t *testing.T) {
	good := `{"dtype":"float64","items":[{"name":"a","shape":[1,2]}],"extra":{"k":{"name":"b","shape":[]}},"config":{"x":1,"X":2},"Plain":3}`
	var h header
	if err := Decode([]byte(good), &h); err != nil {
		t.Fatal(err)
	}
	if h.Dtype != "float64" || len(h.Items) != 1 || h.Items[0].Shape[1] != 2 || h.Extra["k"].Name != "b" || h.Plain != 3 {
		t.Errorf("decoded %+v", h)
	}
	tests := []struct{ name, in, want string }{
		{"case", `{"DTYPE":"float64"}`, `key "DTYPE": the field is "dtype"`},
		{"nested case", `{"items":[{"Name":"a"}]}`, `key "items[0].Name": the field is "name"`},
		{"map value case", `{"extra":{"k":{"NAME":"a"}}}`, `key "extra.k.NAME": the field is "name"`},
		{"untagged case", `{"plain":1}`, `key "plain": the field is "Plain"`},
		{"duplicate", `{"dtype":"a","dtype":"b"}`, `key "dtype" given twice`},
		{"nested duplicate", `{"items":[{"name":"a","name":"b"}]}`, `key "items[0].name" given twice`},
		{"duplicate in raw config", `{"config":{"x":1,"x":2}}`, `key "config.x" given twice`},
		{"duplicate map key", `{"labels":{"a":"1","a":"2"}}`, `key "labels.a" given twice`},
		{"unknown", `{"dtype":"a","bogus":1}`, `unknown field "bogus"`},
		{"hidden", `{"Hidden":"x"}`, `unknown field "Hidden"`},
		{"trailing", `{"dtype":"a"} {}`, `data after the JSON value`},
		{"syntax", `{"dtype":`, `EOF`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h header
			err := Decode([]byte(tt.in), &h)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode(%s) = %v, want an error with %q", tt.in, err, tt.want)
			}
		})
	}
	if err := Decode([]byte(`{}`), h); err == nil {
		t.Error("Decode into a non-pointer: no error")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(`{"dtype":"float64","items":[{"name":"a","shape":[1,2]}]}`)
	f.Add(`{"DTYPE":1,"dtype":2}`)
	f.Fuzz(func(t *testing.T, in string) {
		var h header
		if Decode([]byte(in), &h) == nil {
			// Whatever Decode accepts, encoding/json accepts too.
			var g header
			if err := json.Unmarshal([]byte(in), &g); err != nil {
				t.Errorf("Decode accepted %q, json.Unmarshal: %v", in, err)
			}
		}
	})
}
