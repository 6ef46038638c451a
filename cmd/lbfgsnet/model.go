package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// metaAttachment is the name of the model file attachment in which train
// stores what predict needs besides the network (docs/cli.md).
const metaAttachment = "lbfgsnet/cli"

// metaFormat and metaVersion identify the attachment's JSON.
const (
	metaFormat  = "lbfgsnet-cli-model"
	metaVersion = 1
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
}

// meta returns the attachment for the run's data.
func (r *trainRun) meta() modelMeta {
	tr := r.data.train
	return modelMeta{
		Format: metaFormat, Version: metaVersion, Task: tr.Task,
		FeatureNames: tr.FeatureNames, TargetNames: tr.TargetNames, ClassNames: tr.ClassNames,
		Features: r.data.featStd, Targets: r.data.targStd, TrainedOn: r.data.source,
	}
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
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
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
	case data.Regression:
		if len(m.TargetNames) != net.OutputSize() || m.ClassNames != nil {
			return fmt.Errorf("%d target names for a network of %d outputs", len(m.TargetNames), net.OutputSize())
		}
		if m.Targets != nil && (m.Targets.Validate() != nil || m.Targets.Cols() != net.OutputSize()) {
			return errors.New("the target standardisation does not fit the network's outputs")
		}
	default:
		return fmt.Errorf("task %q (valid: classification or regression)", m.Task)
	}
	if slices.Contains(m.FeatureNames, "") {
		return errors.New("an empty feature name")
	}
	return nil
}
