package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// finish writes the outputs asked for (trace, checkpoint, model, plot) and
// prints the summary. It writes every output it can and returns the files
// written and the errors joined.
func (r *trainRun) finish(res solver.Result) ([]string, error) {
	var written []string
	var errs []error
	add := func(path string, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		written = append(written, path)
		r.log.WithField("file", path).Info("written")
	}
	if r.cfg.trace != "" {
		add(r.cfg.trace, r.writeTrace(&res))
	}
	if r.cfg.checkpoint != "" {
		add(r.cfg.checkpoint, r.saveCheckpoint())
	}
	if err := r.net.SetFlatLearnables(r.outputX()); err != nil {
		return written, errors.Join(append(errs, err)...)
	}
	if r.cfg.modelOut != "" {
		add(r.cfg.modelOut, saveModel(r.cfg.modelOut, r.net, r.meta()))
	}
	if r.cfg.plot != "" {
		if recs := r.records(); len(recs) == 0 {
			r.log.Warn("no iteration ran: no plot written")
		} else {
			add(r.cfg.plot, writePlot(r.cfg.plot, r.traceName(), recs))
		}
	}
	if err := r.printSummary(res); err != nil && !(r.stdoutClosed || isBrokenPipe(err)) {
		errs = append(errs, err)
	} else if err != nil {
		r.stdoutClosed = true
	}
	return written, errors.Join(errs...)
}

// outputX returns the parameters of the network the run hands back: the
// last iteration's, or with --output-network best-validation-loss those of
// the lowest validation loss.
func (r *trainRun) outputX() []float64 {
	if r.validator == nil {
		return r.x
	}
	return r.validator.Output(r.x)
}

// traceName names the run in the plot's title.
func (r *trainRun) traceName() string {
	if r.cfg.trace != "" {
		return r.cfg.trace
	}
	return r.data.source
}

// writtenText lists the files written for the interruption message.
func writtenText(written []string, ckpt string) string {
	if len(written) == 0 {
		return ""
	}
	s := "; wrote " + strings.Join(written, ", ")
	if slices.Contains(written, ckpt) {
		s += " (continue with the same flags and --resume " + ckpt + ")"
	}
	return s
}

// statusReason explains a stop status in terms of the flags.
func (r *trainRun) statusReason(res solver.Result) string {
	s := r.state
	switch res.Status {
	case solver.GradientTolerance:
		return fmt.Sprintf("GradientsNorm %s <= --gradient-tolerance %v", formatE(s.GradientsNorm), r.stop.GradientTolerance)
	case solver.StepTolerance:
		return fmt.Sprintf("StepNorm %s <= --step-tolerance %v", formatE(s.StepNorm), r.stop.StepTolerance)
	case solver.IterationLimit:
		return fmt.Sprintf("reached --max-iterations %d", r.stop.MaxIterations)
	case solver.LineSearchFailure:
		if r.cfg.trace != "" {
			return "the line search found no acceptable step; 'lbfgsnet inspect --trials " + r.cfg.trace + "' lists its trials"
		}
		return "the line search found no acceptable step; run again with --trace FILE and 'lbfgsnet inspect --trials FILE' lists its trials"
	case solver.ValidationPatience:
		best, _ := r.validator.BestValidation()
		return fmt.Sprintf("the validation loss did not improve for --validation-patience %d validations (lowest %s at iteration %d)",
			r.validator.Options().Patience, formatG(best.Loss, 6), best.Iteration)
	case solver.Cancelled:
		if r.cause != nil {
			return r.cause.Error()
		}
		return "cancelled"
	}
	return strings.ToLower(res.Status.String())
}

// fits measures how well the network fits the training rows and, if there
// are any, the validation rows.
func (r *trainRun) fits() (fit, *fit, error) {
	p := r.data
	trainFit, err := measureFit(r.net, p.xTrain, p.train, p.targStd)
	if err != nil {
		return trainFit, nil, fmt.Errorf("training fit: %w", err)
	}
	if p.valid == nil {
		return trainFit, nil, nil
	}
	f, err := measureFit(r.net, p.xValid, p.valid, p.targStd)
	if err != nil {
		return trainFit, nil, fmt.Errorf("validation fit: %w", err)
	}
	return trainFit, &f, nil
}

// printSummary prints how the run ended and how well the network fits.
func (r *trainRun) printSummary(res solver.Result) error {
	p := r.data
	trainFit, validFit, err := r.fits()
	if err != nil {
		return err
	}
	if r.cfg.format.value == formatJSON {
		return writeJSONLine(r.e.stdout, r.summaryObject(res, trainFit, validFit))
	}
	conv := "converged"
	if res.Status.Early() {
		conv = "early stop"
	}
	pairs := [][2]string{
		{"Stop status", fmt.Sprintf("%s (%s): %s", res.Status, conv, r.statusReason(res))},
		{"Iterations", r.iterationsText(res)},
		{"Loss evaluations", fmt.Sprintf("%d in this run, %d in total", res.LossEvaluations, r.state.NumLossEvaluations)},
		{"Final loss", fmt.Sprintf("%s (GradientsNorm %s)", formatG(r.state.Loss, 6), formatE(r.state.GradientsNorm))},
	}
	pairs = append(pairs, r.validationPairs()...)
	pairs = append(pairs, fitPairs("Training", trainFit, p.train)...)
	if validFit != nil {
		pairs = append(pairs, fitPairs("Validation", *validFit, p.valid)...)
	}
	pairs = append(pairs, [2]string{"Time", formatElapsed(res.Elapsed)})
	var b strings.Builder
	if !r.cfg.quiet && res.Iterations > 0 {
		b.WriteByte('\n')
	}
	printPairs(&b, pairs)
	_, err = fmt.Fprint(r.e.stdout, b.String())
	return err
}

// validationPairs describes the best validation and the network handed
// back; nothing without validation rows.
func (r *trainRun) validationPairs() [][2]string {
	if r.validator == nil {
		return nil
	}
	best, ok := r.validator.BestValidation()
	if !ok {
		return [][2]string{{"Best validation", "none: no validation loss was finite"}}
	}
	last := r.validator.Last()
	out := r.validator.Options().OutputNetwork.String()
	if r.validator.Options().OutputNetwork == solver.BestValidationLoss {
		out += fmt.Sprintf(" (the network of iteration %d)", best.Iteration)
	}
	return [][2]string{
		{"Best validation", fmt.Sprintf("loss %s at iteration %d (last: %s at iteration %d)", formatG(best.Loss, 6), best.Iteration, formatG(last.Loss, 6), last.Iteration)},
		{"Output network", out},
	}
}

// iterationsText says how many iterations ran, and from where when resumed.
func (r *trainRun) iterationsText(res solver.Result) string {
	if r.cfg.resume == "" {
		return fmt.Sprint(res.Iterations)
	}
	return fmt.Sprintf("%d in this run, resumed at iteration %d, now at %d", res.Iterations, r.state.Iteration-res.Iterations, r.state.Iteration)
}

// fitPairs describes a fit as summary lines.
func fitPairs(set string, f fit, ds *data.Dataset) [][2]string {
	if f.labels > 0 {
		return labelPairs(set, f)
	}
	if ds.Task == data.Classification {
		return [][2]string{{set + " accuracy", fmt.Sprintf("%s (%d of %d)", formatPercent(f.accuracy), f.correct, f.rows)}}
	}
	parts := make([]string, len(f.rmse))
	for j, v := range f.rmse {
		parts[j] = ds.TargetNames[j] + " " + formatG(v, 6)
	}
	return [][2]string{{set + " RMSE", strings.Join(parts, ", ")}}
}

// summaryObject is the summary as the last line of --format json.
func (r *trainRun) summaryObject(res solver.Result, tf fit, vf *fit) orderedObject {
	obj := orderedObject{
		{"kind", "summary"},
		{"status", res.Status.String()},
		{"converged", res.Status.Converged()},
		{"iterations", res.Iterations},
		{"total_iterations", r.state.Iteration},
		{"loss_evaluations", res.LossEvaluations},
		{"total_loss_evaluations", r.state.NumLossEvaluations},
		{"loss", jsonNumber(r.state.Loss)},
		{"gradients_norm", jsonNumber(r.state.GradientsNorm)},
		{"time_elapsed_s", jsonNumber(res.Elapsed.Seconds())},
	}
	if r.validator != nil {
		best, _ := r.validator.BestValidation()
		obj = append(obj, keyValue{"best_validation_iteration", best.Iteration}, keyValue{"best_validation_loss", jsonNumber(best.Loss)},
			keyValue{"output_network", r.validator.Options().OutputNetwork.String()})
	}
	obj = append(obj, fitObject("training", tf, r.data.train)...)
	if vf != nil {
		obj = append(obj, fitObject("validation", *vf, r.data.valid)...)
	}
	return obj
}

// fitObject returns the JSON keys of a fit: the accuracy, or the RMSE of
// each target keyed by the target's name.
func fitObject(set string, f fit, ds *data.Dataset) []keyValue {
	if f.labels > 0 {
		return []keyValue{{set + "_accuracy", jsonNumber(f.accuracy)}, {set + "_exact_match", jsonNumber(float64(f.exact) / float64(f.rows))}}
	}
	if f.rmse == nil {
		return []keyValue{{set + "_accuracy", jsonNumber(f.accuracy)}}
	}
	v := make(orderedObject, len(f.rmse))
	for i, e := range f.rmse {
		v[i] = keyValue{ds.TargetNames[i], jsonNumber(e)}
	}
	return []keyValue{{set + "_rmse", v}}
}
