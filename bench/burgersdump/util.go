package main

import (
	"math"
	"strconv"
)

func norm(v []float64) float64 {
	s := 0.0
	for _, e := range v {
		s += e * e
	}
	return math.Sqrt(s)
}

func itoa(i int) string { return strconv.Itoa(i) }
