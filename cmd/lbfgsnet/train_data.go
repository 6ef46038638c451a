package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/data"
)

// Streams of the PCG generator seeded by --seed: the network's
// initialisation and the validation split draw from separate streams, so
// that asking for a split leaves the initial network unchanged.
const (
	initStream  = 1
	splitStream = 2
)

// irisName names the embedded data in messages.
const irisName = "iris (embedded)"

// prepared is the data of a training run, ready for the network.
type prepared struct {
	source       string        // the file, or irisName
	train, valid *data.Dataset // valid is nil without --validation-split
	// features and targets standardisation fitted on the training rows;
	// nil when not applied (targets: classification, or --standardize=false).
	featStd, targStd *data.Standardizer
	// Network inputs and targets: standardised features, one-hot labels
	// or standardised regression targets, row-major.
	xTrain, tTrain, xValid, tValid []float64
}

// csvOptions returns the reader options for --task and --target.
func csvOptions(cfg *trainConfig) (data.CSVOptions, error) {
	task, err := data.ParseTask(cfg.task.value)
	if err != nil {
		return data.CSVOptions{}, &usageError{err}
	}
	opts := data.CSVOptions{Task: task}
	if strings.TrimSpace(cfg.features) != "" {
		for _, f := range strings.Split(cfg.features, ",") {
			opts.FeatureNames = append(opts.FeatureNames, strings.TrimSpace(f))
		}
	}
	if strings.TrimSpace(cfg.target) == "" {
		opts.TargetColumns = []int{data.LastColumn}
		return opts, nil
	}
	for _, t := range strings.Split(cfg.target, ",") {
		t = strings.TrimSpace(t)
		if i, err := strconv.Atoi(t); err == nil {
			opts.TargetColumns = append(opts.TargetColumns, i)
		} else {
			opts.TargetNames = append(opts.TargetNames, t)
		}
	}
	switch {
	case len(opts.TargetColumns) > 0 && len(opts.TargetNames) > 0:
		return opts, usagef("invalid value %q for --target: give the target columns all by name or all by index", cfg.target)
	case task == data.Classification && len(opts.TargetColumns)+len(opts.TargetNames) > 1:
		return opts, usagef("invalid value %q for --target: classification takes one target column (a list is for --task regression)", cfg.target)
	}
	return opts, nil
}

// loadDataset reads --data, or the embedded iris data.
func loadDataset(cfg *trainConfig) (*data.Dataset, string, error) {
	opts, err := csvOptions(cfg)
	if err != nil {
		return nil, "", err
	}
	var ds *data.Dataset
	source := cfg.data
	if source == "" {
		source = irisName
		ds, err = data.ReadCSV(bytes.NewReader(data.IrisCSV()), opts)
		if err != nil {
			err = fmt.Errorf("%s: %w", irisName, err)
		}
	} else {
		ds, err = data.ReadCSVFile(cfg.data, opts)
	}
	if errors.Is(err, data.ErrInvalidOption) {
		return nil, "", usagef("--target %q, --features %q, --task %s: %v", cfg.target, cfg.features, cfg.task.value, err)
	}
	return ds, source, err
}

// prepareData loads, splits and standardises the data.
func prepareData(cfg *trainConfig) (*prepared, error) {
	ds, source, err := loadDataset(cfg)
	if err != nil {
		return nil, err
	}
	p := &prepared{source: source, train: ds}
	if cfg.validation > 0 {
		rng := rand.New(rand.NewPCG(cfg.seed, splitStream))
		if p.train, p.valid, err = data.Split(ds, cfg.validation, rng); err != nil {
			return nil, fmt.Errorf("%s: --validation-split %v: %w", source, cfg.validation, err)
		}
	}
	if cfg.standardize {
		if p.featStd, err = data.FitStandardizer(p.train.Features, p.train.Cols); err != nil {
			return nil, fmt.Errorf("%s: standardise features: %w", source, err)
		}
		if ds.Task == data.Regression {
			if p.targStd, err = data.FitStandardizer(p.train.Targets, len(ds.TargetNames)); err != nil {
				return nil, fmt.Errorf("%s: standardise targets: %w", source, err)
			}
		}
	}
	if p.xTrain, p.tTrain, err = p.arrays(p.train); err != nil {
		return nil, err
	}
	if p.valid != nil {
		if p.xValid, p.tValid, err = p.arrays(p.valid); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// arrays returns the network's inputs and targets for ds.
func (p *prepared) arrays(ds *data.Dataset) (x, t []float64, err error) {
	x = append([]float64(nil), ds.Features...)
	if p.featStd != nil {
		if err := p.featStd.Transform(x); err != nil {
			return nil, nil, err
		}
	}
	if ds.Task == data.Classification {
		t, err = data.OneHot(ds.Labels, ds.NumClasses())
		return x, t, err
	}
	t = append([]float64(nil), ds.Targets...)
	if p.targStd != nil {
		err = p.targStd.Transform(t)
	}
	return x, t, err
}
