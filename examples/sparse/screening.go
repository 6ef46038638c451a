package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
)

// The synthetic screening table: measurement names, their means and
// standard deviations, and the weights of the four that drive the outcome
// (per standard deviation); the other eleven are noise.
var measurements = []struct {
	name     string
	mean, sd float64
	effect   float64
}{
	{"age", 52, 12, 0.9},
	{"bmi", 27, 4.5, 0.7},
	{"glucose", 105, 20, 1.4},
	{"blood_pressure", 128, 15, 0},
	{"cholesterol", 200, 35, 0},
	{"insulin", 85, 30, -0.6},
	{"heart_rate", 72, 9, 0},
	{"sleep_hours", 7, 1.1, 0},
	{"steps", 7000, 2500, 0},
	{"coffee_cups", 2, 1.3, 0},
	{"height_cm", 170, 9, 0},
	{"weight_change", 0, 3, 0},
	{"shoe_size", 41, 2.5, 0},
	{"commute_min", 30, 15, 0},
	{"screen_hours", 4, 2, 0},
}

const (
	screeningRows = 400
	screeningSeed = 11
)

// screeningCSV returns the synthetic table as CSV text: a header, then one
// row per patient with the measurements and the outcome ("yes" or "no"),
// drawn from a logistic model with the effects above.
func screeningCSV() []byte {
	rng := rand.New(rand.NewPCG(screeningSeed, 0))
	var b bytes.Buffer
	for _, m := range measurements {
		b.WriteString(m.name + ",")
	}
	b.WriteString("outcome\n")
	for i := 0; i < screeningRows; i++ {
		z := -0.3
		for _, m := range measurements {
			u := rng.NormFloat64()
			z += m.effect * u
			fmt.Fprintf(&b, "%.2f,", m.mean+m.sd*u)
		}
		label := "no"
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			label = "yes"
		}
		b.WriteString(label + "\n")
	}
	return b.Bytes()
}
