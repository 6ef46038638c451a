package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
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
	dropped      []int         // data rows of --data left out for a missing cell
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
	name := cfg.task.value
	if name == string(taskMultiLabel) {
		name = string(data.Regression) // numeric targets, checked to be 0 or 1
	}
	task, err := data.ParseTask(name)
	if err != nil {
		return data.CSVOptions{}, &usageError{err}
	}
	opts := data.CSVOptions{Task: task, Comma: rune(cfg.separator), Categorical: true, Missing: missingPolicy(cfg.missing)}
	if strings.TrimSpace(cfg.features) != "" {
		for _, f := range strings.Split(cfg.features, ",") {
			f = strings.TrimSpace(f)
			switch {
			case f == "":
				return opts, usagef("invalid value %q for --features: an empty column name", cfg.features)
			case slices.Contains(opts.FeatureNames, f):
				return opts, usagef("invalid value %q for --features: %q is given twice", cfg.features, f)
			}
			opts.FeatureNames = append(opts.FeatureNames, f)
		}
	}
	if strings.TrimSpace(cfg.target) == "" {
		opts.TargetColumns = []int{data.LastColumn}
		return opts, nil
	}
	for _, t := range strings.Split(cfg.target, ",") {
		t = strings.TrimSpace(t)
		i, err := strconv.Atoi(t)
		switch {
		case err == nil && i < 0:
			return opts, usagef("invalid value %q for --target: a column index counts from 0", cfg.target)
		case err == nil && slices.Contains(opts.TargetColumns, i), slices.Contains(opts.TargetNames, t):
			return opts, usagef("invalid value %q for --target: column %s is given twice", cfg.target, t)
		case err == nil:
			opts.TargetColumns = append(opts.TargetColumns, i)
		case t == "":
			return opts, usagef("invalid value %q for --target: an empty column name", cfg.target)
		default:
			opts.TargetNames = append(opts.TargetNames, t)
		}
	}
	for _, f := range opts.FeatureNames {
		if slices.Contains(opts.TargetNames, f) {
			return opts, usagef("invalid value %q for --features: %q is the --target column", cfg.features, f)
		}
	}
	switch {
	case len(opts.TargetColumns) > 0 && len(opts.TargetNames) > 0:
		return opts, usagef("invalid value %q for --target: give the target columns all by name or all by index", cfg.target)
	case cfg.task.value == string(data.Classification) && len(opts.TargetColumns)+len(opts.TargetNames) > 1:
		return opts, usagef("invalid value %q for --target: classification takes one target column (a list is for --task regression)", cfg.target)
	}
	return opts, nil
}

// loadDataset reads --data, or the embedded iris data.
func loadDataset(cfg *trainConfig, fillRows []int) (*data.Dataset, string, error) {
	opts, err := csvOptions(cfg)
	if err != nil {
		return nil, "", err
	}
	opts.FillRows = fillRows
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
	return ds, source, missingHint(dataHint(err, cfg), opts.Missing)
}

// optionFlags names the flags that set each field of data.CSVOptions.
var csvOptionFlags = map[string]string{
	"CSVOptions.Task":          "--task",
	"CSVOptions.TargetNames":   "--target",
	"CSVOptions.TargetColumns": "--target",
	"CSVOptions.FeatureNames":  "--features",
	"CSVOptions.Comma":         "--separator",
	"CSVOptions.Missing":       "--missing",
}

// dataHint adds to a loader error what the flags can do about it, and
// words the reader's messages about its options in terms of the flags.
func dataHint(err error, cfg *trainConfig) error {
	var pe *data.ParseError
	var oe *data.OptionError
	err = separatorHint(err)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &oe):
		var flags []string
		for _, f := range strings.Split(oe.Option, ", ") {
			if name, ok := csvOptionFlags[f]; ok && !slices.Contains(flags, name) {
				flags = append(flags, name)
			}
		}
		if len(flags) == 0 {
			return usagef("--target %q, --features %q, --task %s: %s", cfg.target, cfg.features, cfg.task.value, oe.Reason)
		}
		return usagef("%s (%s)", oe.Reason, strings.Join(flags, ", "))
	case errors.Is(err, data.ErrInvalidOption):
		return usagef("--target %q, --features %q, --task %s: %v", cfg.target, cfg.features, cfg.task.value, err)
	case errors.Is(err, data.ErrMissingColumn) && errors.As(err, &pe) && pe.Name == "" && cfg.target != "":
		return fmt.Errorf("%w (--target %s counts columns from 0, this message from 1)", err, cfg.target)
	case errors.Is(err, data.ErrNotNumber) && strings.TrimSpace(cfg.features) == "" && cfg.task.value == string(data.Classification):
		return fmt.Errorf("%w (every column but the --target is a feature; choose the features with --features)", err)
	case errors.Is(err, data.ErrNotNumber) && cfg.task.value == string(data.Regression):
		return fmt.Errorf("%w (regression targets are numbers; choose the columns with --target and --features)", err)
	}
	return err
}

// prepareData loads, splits and standardises the data.
func prepareData(cfg *trainConfig) (*prepared, error) {
	ds, source, err := loadDataset(cfg, nil)
	if err != nil {
		return nil, err
	}
	if ds.Task == data.Classification && ds.NumClasses() < 2 {
		return nil, fmt.Errorf("%s: target column %s holds a single class (%q): classification needs at least 2 (is --target the right column?)",
			source, ds.TargetNames[0], ds.ClassNames[0])
	}
	if ds.Task == data.Classification {
		if err := checkClasses(ds, source); err != nil {
			return nil, err
		}
	}
	if cfg.multiLabel() {
		if err := checkLabels(ds, source); err != nil {
			return nil, err
		}
	}
	p := &prepared{source: source, train: ds, dropped: ds.DroppedRows}
	if cfg.validData != "" {
		if p.valid, err = readValidation(cfg, ds); err != nil {
			return nil, err
		}
	}
	if cfg.validation > 0 {
		if err := p.split(cfg, ds); err != nil {
			return nil, err
		}
	}
	if cfg.standardize {
		if p.featStd, err = data.FitStandardizer(p.train.Features, p.train.Cols); err != nil {
			return nil, fmt.Errorf("%s: standardise features: %w", source, err)
		}
		if ds.Task == data.Regression && !cfg.multiLabel() {
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

// split holds out --validation-split of the rows of ds. With --missing
// mean the file is read again so that the means that fill missing cells
// (in both sets, and stored in the model) come from the training rows
// only.
func (p *prepared) split(cfg *trainConfig, ds *data.Dataset) error {
	rng := rand.New(rand.NewPCG(cfg.seed, splitStream))
	trainRows, validRows, err := data.SplitRows(ds, cfg.validation, rng)
	if err != nil {
		return fmt.Errorf("%s: --validation-split %v: %w", p.source, cfg.validation, err)
	}
	if missingPolicy(cfg.missing) == data.MissingMean {
		if ds, _, err = loadDataset(cfg, trainRows); err != nil {
			return err
		}
	}
	if p.train, err = ds.Subset(trainRows); err != nil {
		return err
	}
	p.valid, err = ds.Subset(validRows)
	return err
}

// readValidation reads --validation-data with the columns, encoding and
// classes of the training data.
func readValidation(cfg *trainConfig, train *data.Dataset) (*data.Dataset, error) {
	opts := data.CSVOptions{Task: train.Task, TargetNames: train.TargetNames, Encoding: train.Encoding,
		Missing: missingPolicy(cfg.missing), Comma: rune(cfg.separator)}
	if train.Task == data.Classification {
		opts.ClassNames = train.ClassNames
	}
	ds, err := data.ReadCSVFile(cfg.validData, opts)
	if err != nil {
		return nil, fmt.Errorf("--validation-data: %w", missingHint(separatorHint(err), opts.Missing))
	}
	if cfg.multiLabel() {
		if err := checkLabels(ds, "--validation-data "+cfg.validData); err != nil {
			return nil, err
		}
	}
	return ds, nil
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

// separatorHint words the reader's hint about a header that looks
// separated by another character in terms of --separator.
func separatorHint(err error) error {
	var pe *data.ParseError
	if !errors.As(err, &pe) || pe.Separator == 0 {
		return err
	}
	word := shellWord(string(pe.Separator))
	if pe.Separator == '\t' {
		word = "tab"
	}
	pe.Hint = fmt.Sprintf("the header looks separated by %s: read it with --separator %s", strconv.QuoteRune(pe.Separator), word)
	return err
}

// shellWord quotes s for a shell command line when it holds a character
// the shell would take for itself.
func shellWord(s string) string {
	if strings.ContainsAny(s, ";|&<>()$`\\\"' *?[#~=%") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
