package stochastic

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// A trace written by TraceHook reads back as the records of the states.
func TestReadTraceRoundTrip(t *testing.T) {
	lg := logistic(500, 8, 5)
	var buf bytes.Buffer
	var want []TraceRecord
	hook := TraceHook(&buf)
	o := smallPBOptions()
	o.FullSetEvery = 3
	pbRun(t, lg, o, make([]float64, 8), func(s *State) error {
		want = append(want, NewTraceRecord(s))
		return hook(s)
	})
	got, err := ReadTrace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("read back %d records, want the %d written", len(got), len(want))
	}
	if got[0].BatchSize != 32 || got[0].LineSearchTrials < 1 || got[2].FullLoss == nil {
		t.Errorf("first record %+v, third %+v", got[0], got[2])
	}
}

func TestReadTraceErrors(t *testing.T) {
	good := `{"iteration":1,"epoch":0.1,"batchSize":10,"batchLoss":1,"gradientsNorm":1,"stepLength":1,"stepNorm":1,"pairStatus":"none","status":"NotTerminated"}` + "\n"
	next := strings.Replace(good, `"iteration":1`, `"iteration":2`, 1)
	for _, tc := range []struct {
		name, text string
		line, read int
	}{
		{"not JSON", good + "{oops\n", 2, 1},
		{"unknown key", strings.Replace(next, `"epoch"`, `"epochs"`, 1), 1, 0},
		{"gap", good + strings.Replace(good, `"iteration":1`, `"iteration":3`, 1), 2, 1},
		{"unknown pair status", good + strings.Replace(next, `"none"`, `"kept"`, 1), 2, 1},
		{"unknown status", strings.Replace(good, `"NotTerminated"`, `"Done"`, 1), 1, 0},
		{"iteration 0", strings.Replace(good, `"iteration":1`, `"iteration":0`, 1), 1, 0},
		{"cut short", good + next[:30], 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := ReadTrace(strings.NewReader(tc.text))
			var le *TraceLineError
			if !errors.As(err, &le) || !errors.Is(err, ErrTrace) || le.Line != tc.line {
				t.Fatalf("error %v, want a *TraceLineError on line %d", err, tc.line)
			}
			if len(recs) != tc.read {
				t.Errorf("%d records before the error, want %d", len(recs), tc.read)
			}
		})
	}
	if recs, err := ReadTrace(strings.NewReader(good + next)); err != nil || len(recs) != 2 {
		t.Errorf("two good lines: %d records, %v", len(recs), err)
	}
}

// FuzzReadTrace: no input makes ReadTrace panic, and every record it
// accepts has a valid iteration and batch size.
func FuzzReadTrace(f *testing.F) {
	var buf bytes.Buffer
	o := smallPBOptions()
	o.NIterations = 5
	s, err := NewProgressiveBatch(logistic(200, 4, 1), 4, o)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := s.Run(context.Background(), make([]float64, 4), TraceHook(&buf)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"iteration":1}` + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := ReadTrace(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, r := range recs {
			if r.Iteration < 1 || r.BatchSize < 0 {
				t.Fatalf("accepted record %+v", r)
			}
		}
	})
}
