package main

import (
	"math"

	"github.com/sirupsen/logrus"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// checkBLAS returns the BLAS backend the products will run on, or the
// error of a choice LBFGSNET_BLAS forced that failed (openblas where the
// library does not load, or an unknown value).
func checkBLAS() (nn.BLASInfo, error) {
	return nn.BLAS()
}

// setBLASThreads applies --blas-threads (0: OpenBLAS's default).
func setBLASThreads(n int) error {
	if n == 0 {
		return nil
	}
	if err := nn.SetBLASThreads(n); err != nil {
		return usagef("invalid value %d for --blas-threads: %v", n, err)
	}
	return nil
}

// logBLAS logs the backend and its threads, and why gonum was chosen when
// OpenBLAS was looked for and did not load.
func logBLAS(log *logrus.Logger, info nn.BLASInfo) {
	f := logrus.Fields{"backend": info.Backend.String(), "threads": info.Threads}
	if info.Library != "" {
		f["library"] = info.Library
		f["config"] = info.Config
	}
	if info.Fallback != "" {
		f["fallback"] = info.Fallback
	}
	log.WithFields(f).Info("blas")
}

// sameLoss reports whether a loss recomputed at a checkpoint's parameters
// matches the recorded one, to 1e-12 relative.
func sameLoss(loss, saved float64) bool {
	return math.Abs(loss-saved) <= 1e-12*math.Max(1, math.Abs(saved))
}

// sameLossOnOtherBLAS reports whether a float32 network's loss at the
// checkpoint's parameters, computed on the BLAS backend other than the
// current one, matches the recorded loss: the backends round float32
// products differently (by about 1e-7), so a checkpoint written on one
// reproduces its loss only there. The current backend is restored.
func (r *trainRun) sameLossOnOtherBLAS(saved float64) bool {
	if r.cfg.dtype.value != "float32" {
		return false
	}
	info, _ := nn.BLAS()
	other := nn.OpenBLAS
	if info.Backend == nn.OpenBLAS {
		other = nn.GonumBLAS
	}
	if nn.UseBLAS(other) != nil {
		return false
	}
	defer func() { _ = nn.UseBLAS(info.Backend) }()
	loss, _, err := r.ev.Evaluate(r.x, make([]float64, len(r.x)))
	return err == nil && sameLoss(loss, saved)
}
