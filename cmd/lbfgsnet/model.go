package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/internal/strictjson"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// metaAttachment is the name of the model file attachment in which train
// stores what predict needs besides the network (docs/cli.md).
const metaAttachment = "lbfgsnet/cli"

// metaFormat and metaVersion identify the attachment's JSON. Version 2
// added the encoding of the feature columns; version 1 files still load.
const (
	metaFormat  = "lbfgsnet-cli-model"
	metaVersion = 2
)

// modelMeta is the attachment: the task, the column names and the
// standardisation fitted on the training rows, so that predict reads a new
// file's columns by name and transforms them exactly as train did.
type modelMeta struct {
	Format       string             `json:"format"`
	Version      int                `json:"version"`
	Task         data.Task          `json:"task"`
	FeatureNames []string           `json:"feature_names"`
	TargetNames  []string           `json:"target_names"`
	ClassNames   []string           `json:"class_names,omitempty"`
	Features     *data.Standardizer `json:"feature_standardizer,omitempty"`
	Targets      *data.Standardizer `json:"target_standardizer,omitempty"`
	TrainedOn    string             `json:"trained_on"`
	// Encoding says how the file's columns became the features (one-hot
	// levels, fill values of missing cells); nil in version 1 files, whose
	// features are the columns FeatureNames.
	Encoding *data.Encoding `json:"encoding,omitempty"`
}

// meta returns the attachment for the run's data.
func (r *trainRun) meta() modelMeta {
	tr := r.data.train
	return modelMeta{
		Format: metaFormat, Version: metaVersion, Task: r.metaTask(),
		FeatureNames: tr.FeatureNames, TargetNames: tr.TargetNames, ClassNames: tr.ClassNames,
		Features: r.data.featStd, Targets: r.data.targStd, TrainedOn: r.data.source,
		Encoding: tr.Encoding,
	}
}

// metaTask is the task stored in the attachment: the data's, or
// multilabel.
func (r *trainRun) metaTask() data.Task {
	if r.cfg.multiLabel() {
		return taskMultiLabel
	}
	return r.data.train.Task
}

// saveModel writes the network and its attachment to path atomically.
func saveModel(path string, net *nn.Network, m modelMeta) error {
	js, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("model %s: %w", path, err)
	}
	return net.Save(path, map[string][]byte{metaAttachment: js})
}

// loadModel reads a model written by train and checks that its attachment
// agrees with the network.
func loadModel(path string) (*nn.Network, *modelMeta, error) {
	b, err := readBounded(path, maxModelBytes, "model file")
	if err != nil {
		return nil, nil, fmt.Errorf("model %w", err)
	}
	net, att, err := nn.UnmarshalModel(b)
	if err != nil {
		return nil, nil, fmt.Errorf("model %s: %w", path, err)
	}
	js, ok := att[metaAttachment]
	if !ok {
		return nil, nil, fmt.Errorf("model %s: no %q attachment: not written by 'lbfgsnet train'", path, metaAttachment)
	}
	var m modelMeta
	if err := strictjson.Decode(js, &m); err != nil {
		return nil, nil, fmt.Errorf("model %s: attachment %q: %w", path, metaAttachment, err)
	}
	if err := m.check(net); err != nil {
		return nil, nil, fmt.Errorf("model %s: attachment %q: %w", path, metaAttachment, err)
	}
	return net, &m, nil
}

// check reports an attachment that does not fit the network.
func (m *modelMeta) check(net *nn.Network) error {
	switch {
	case m.Format != metaFormat:
		return fmt.Errorf("format %q, want %q", m.Format, metaFormat)
	case m.Version < 1 || m.Version > metaVersion:
		return fmt.Errorf("version %d, this program reads 1 to %d", m.Version, metaVersion)
	case len(m.FeatureNames) != net.InputSize():
		return fmt.Errorf("%d feature names for a network of %d inputs", len(m.FeatureNames), net.InputSize())
	case m.Features != nil && (m.Features.Validate() != nil || m.Features.Cols() != net.InputSize()):
		return errors.New("the feature standardisation does not fit the network's inputs")
	}
	switch m.Task {
	case data.Classification:
		if len(m.ClassNames) != net.OutputSize() || len(m.TargetNames) != 1 {
			return fmt.Errorf("%d class names for a network of %d outputs", len(m.ClassNames), net.OutputSize())
		}
	case taskMultiLabel:
		if len(m.TargetNames) != net.OutputSize() || m.ClassNames != nil || m.Targets != nil || !multiLabelNet(net) {
			return fmt.Errorf("%d labels for a network of %d outputs, or not a multi-label network", len(m.TargetNames), net.OutputSize())
		}
	case data.Regression:
		if len(m.TargetNames) != net.OutputSize() || m.ClassNames != nil {
			return fmt.Errorf("%d target names for a network of %d outputs", len(m.TargetNames), net.OutputSize())
		}
		if m.Targets != nil && (m.Targets.Validate() != nil || m.Targets.Cols() != net.OutputSize()) {
			return errors.New("the target standardisation does not fit the network's outputs")
		}
	default:
		return fmt.Errorf("task %q (valid: classification, regression or multilabel)", m.Task)
	}
	if slices.Contains(m.FeatureNames, "") {
		return errors.New("an empty feature name")
	}
	if m.Encoding != nil {
		if err := m.Encoding.Validate(); err != nil {
			return err
		}
		if !slices.Equal(m.Encoding.FeatureNames(), m.FeatureNames) {
			return errors.New("the encoding's features are not the feature names")
		}
	}
	return nil
}

// modelData says which model and data file predict or evaluate read,
// and how.
type modelData struct {
	model, data string
	comma       rune         // --separator; 0 for ','
	missing     data.Missing // --missing
	targets     bool         // read the target columns too (evaluate)
}

// loadModelData loads the model file and reads the data file for it
// (readModelData), warning of the rows left out for a missing cell.
func loadModelData(md modelData, log *logrus.Logger) (*nn.Network, *modelMeta, *data.Dataset, error) {
	net, meta, err := loadModel(md.model)
	if err != nil {
		return nil, nil, nil, err
	}
	ds, err := readModelData(md, meta)
	if err != nil {
		return nil, nil, nil, err
	}
	if n := len(ds.DroppedRows); n > 0 {
		log.WithFields(logrus.Fields{"rows": n, "first": ds.DroppedRows[0]}).Warn("rows with a missing cell left out")
	}
	return net, meta, ds, nil
}

// readModelData reads a CSV file for the model of m as predict and
// evaluate do: the model's feature columns found by name and encoded as in
// training (one-hot levels, fill values), other columns ignored, the
// features standardised with the model's statistics. With md.targets, it
// also reads the target columns, the classes numbered as in training.
func readModelData(md modelData, m *modelMeta) (*data.Dataset, error) {
	opts := data.CSVOptions{FeatureNames: m.FeatureNames, Missing: md.missing, Comma: md.comma}
	if m.Encoding != nil {
		opts.FeatureNames, opts.Encoding = nil, m.Encoding
	}
	if md.targets {
		opts.Task, opts.TargetNames = m.Task, m.TargetNames
		switch m.Task {
		case data.Classification:
			opts.ClassNames = m.ClassNames
		case taskMultiLabel:
			opts.Task = data.Regression // numbers, checked to be 0 or 1
		}
	}
	ds, err := data.ReadCSVFile(md.data, opts)
	if err != nil {
		return nil, missingHint(separatorHint(err), md.missing)
	}
	if md.targets && m.Task == taskMultiLabel {
		if err := checkLabels(ds, md.data); err != nil {
			return nil, err
		}
	}
	if m.Features == nil {
		return ds, nil
	}
	raw := append([]float64(nil), ds.Features...)
	if err := m.Features.Transform(ds.Features); err != nil {
		return nil, fmt.Errorf("%s: standardise: %w", md.data, err)
	}
	for i, v := range ds.Features {
		if math.IsInf(v, 0) {
			j := i % ds.Cols
			return nil, fmt.Errorf("%s: row %d, column %s: the value %v overflows once standardised with the model's statistics (mean %v, scale %v): it is too far outside the range of the training data; no prediction written",
				md.data, sourceRow(ds, i/ds.Cols), m.FeatureNames[j], raw[i], m.Features.Mean[j], m.Features.Scale[j])
		}
	}
	return ds, nil
}

// sourceRow returns the 1-based data row of the file that row i of ds
// was read from, counting the rows MissingDropRows left out.
func sourceRow(ds *data.Dataset, i int) int {
	row := i + 1
	for _, d := range ds.DroppedRows {
		if d > row {
			break
		}
		row++
	}
	return row
}

// missingHint adds to an error about a missing cell what --missing can do
// about it.
func missingHint(err error, missing data.Missing) error {
	var pe *data.ParseError
	if missing != data.MissingError || !errors.As(err, &pe) {
		return err
	}
	if errors.Is(err, data.ErrEmptyCell) && pe.Column > 0 || errors.Is(err, data.ErrNonFinite) && strings.EqualFold(pe.Found, `"nan"`) {
		return fmt.Errorf("%w (--missing drop-rows or --missing mean accept missing cells)", err)
	}
	return err
}
