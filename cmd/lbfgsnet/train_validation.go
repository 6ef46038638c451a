package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"

	"github.com/lbfgsnet/lbfgsnet/solver/checkpoint"

	"github.com/sirupsen/logrus"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// validMetrics is the extra value of a validation: the accuracy for
// classification, the RMSE in the targets' units for regression (over all
// targets: the root of the mean of the per-target mean squared errors).
// The other is NaN. As kept for the trace, loss is the validation loss.
type validMetrics struct {
	loss, accuracy, rmse float64
}

// noteValidation keeps the latest validation for the trace when it is of
// iteration it.
func (r *trainRun) noteValidation(it int) {
	v := r.validator.Last()
	if v.Iteration != it {
		return
	}
	m, _ := v.Extra.(validMetrics)
	m.loss = v.Loss
	if r.validations == nil {
		r.validations = make(map[int]validMetrics)
	}
	r.validations[it] = m
}

// validate is the run's solver.ValidationFunc: the loss on the validation
// rows at x, and the accuracy or RMSE there.
func (r *trainRun) validate(x []float64) (float64, any, error) {
	loss, extra, err := r.valid.Evaluate(x, r.validGrad)
	if err != nil {
		return 0, nil, err
	}
	m := validMetrics{accuracy: math.NaN(), rmse: math.NaN()}
	if r.data.valid.Task == data.Classification || r.cfg.multiLabel() {
		if nm, ok := extra.(nn.Metrics); ok {
			m.accuracy = nm.Accuracy
		}
		return loss, m, nil
	}
	// The RMSE in the targets' own units needs the predictions, mapped back
	// through the target standardisation.
	if err := r.net.SetFlatLearnables(x); err != nil {
		return 0, nil, err
	}
	f, err := measureFit(r.net, r.data.xValid, r.data.valid, r.data.targStd)
	if err != nil {
		return 0, nil, err
	}
	sq := 0.0
	for _, e := range f.rmse {
		sq += e * e
	}
	m.rmse = math.Sqrt(sq / float64(len(f.rmse)))
	return loss, m, nil
}

// validationFile names the file beside a checkpoint that holds the
// validator's state, so that a resumed run keeps its best network and its
// count towards the patience.
func validationFile(checkpoint string) string { return checkpoint + ".validation" }

// validationFormat identifies the file's JSON.
const validationFormat = "lbfgsnet-validation-state"

// validationRecord is the validation file: the solver's ValidationState
// and the checkpoint iteration it goes with. Losses that may be NaN or
// infinite are written as jsonNumber strings.
type validationRecord struct {
	Format        string      `json:"format"`
	Version       int         `json:"version"`
	Iteration     int         `json:"iteration"`
	Validations   int         `json:"validations"`
	SinceBest     int         `json:"since_best"`
	LastIteration int         `json:"last_iteration"`
	LastLoss      jsonFloat   `json:"last_loss"`
	BestIteration int         `json:"best_iteration"`
	BestLoss      jsonFloat   `json:"best_loss"`
	Best          []jsonFloat `json:"best"`
}

// jsonFloat is a float64 that reads back what jsonNumber writes.
type jsonFloat float64

// MarshalJSON writes v as jsonNumber does.
func (f jsonFloat) MarshalJSON() ([]byte, error) { return jsonNumber(f).MarshalJSON() }

// UnmarshalJSON reads a JSON number or "NaN", "+Inf", "-Inf".
func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = jsonFloat(math.NaN())
	case `"+Inf"`:
		*f = jsonFloat(math.Inf(1))
	case `"-Inf"`:
		*f = jsonFloat(math.Inf(-1))
	default:
		var v float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = jsonFloat(v)
	}
	return nil
}

// saveCheckpoint writes the checkpoint and, with validation, the
// validator's state beside it.
func (r *trainRun) saveCheckpoint() error {
	if err := checkpoint.Save(r.cfg.checkpoint, r.state, r.x); err != nil {
		return err
	}
	if r.validator == nil {
		return nil
	}
	st := r.validator.State()
	rec := validationRecord{Format: validationFormat, Version: 1, Iteration: r.state.Iteration,
		Validations: st.Validations, SinceBest: st.SinceBest, LastIteration: st.LastIteration, LastLoss: jsonFloat(st.LastLoss),
		BestIteration: st.BestIteration, BestLoss: jsonFloat(st.BestLoss)}
	for _, v := range st.Best {
		rec.Best = append(rec.Best, jsonFloat(v))
	}
	path := validationFile(r.cfg.checkpoint)
	return writeOutput(path, func(w io.Writer) error { return json.NewEncoder(w).Encode(rec) })
}

// loadValidation restores the validator's state from the file beside
// --resume, if the run validates. A checkpoint without one (written by a
// run without validation rows) starts the tracking afresh, with a warning.
func (r *trainRun) loadValidation() error {
	if r.validator == nil {
		return nil
	}
	path := validationFile(r.cfg.resume)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		r.log.WithField("file", path).Warn("no validation state beside the checkpoint: the best network is tracked from this run on")
		return nil
	}
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	var rec validationRecord
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return fmt.Errorf("resume: %s: %w", path, err)
	}
	switch {
	case rec.Format != validationFormat || rec.Version != 1:
		return fmt.Errorf("resume: %s: format %q version %d, want %q version 1", path, rec.Format, rec.Version, validationFormat)
	case rec.Iteration != r.state.Iteration:
		return fmt.Errorf("resume: %s belongs to iteration %d, the checkpoint %s to iteration %d", path, rec.Iteration, r.cfg.resume, r.state.Iteration)
	}
	st := solver.ValidationState{Validations: rec.Validations, SinceBest: rec.SinceBest, LastIteration: rec.LastIteration,
		LastLoss: float64(rec.LastLoss), BestIteration: rec.BestIteration, BestLoss: float64(rec.BestLoss)}
	for _, v := range rec.Best {
		st.Best = append(st.Best, float64(v))
	}
	if err := r.validator.Restore(st); err != nil {
		return fmt.Errorf("resume: %s: %w", path, err)
	}
	r.log.WithFields(logrus.Fields{"file": path, "best_iteration": st.BestIteration}).Info("validation state restored")
	return nil
}
