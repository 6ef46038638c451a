package nn

import (
	"fmt"
	"strings"
)

// Activation names an elementwise activation layer, for programs that
// choose one by name (a command-line flag, a configuration file): the
// name is the text form, the value is what code passes around.
type Activation int

// The elementwise activations.
const (
	ActReLU Activation = iota + 1
	ActLeakyReLU
	ActTanh
	ActSigmoid
	ActELU
	ActGELU
	ActSoftplus
	ActSwish
)

// activations lists the Activations in order.
var activations = []Activation{ActReLU, ActLeakyReLU, ActTanh, ActSigmoid, ActELU, ActGELU, ActSoftplus, ActSwish}

// String returns the name ParseActivation accepts: "relu",
// "leaky-relu", "tanh", "sigmoid", "elu", "gelu", "softplus" or "swish".
func (a Activation) String() string {
	switch a {
	case ActReLU:
		return "relu"
	case ActLeakyReLU:
		return "leaky-relu"
	case ActTanh:
		return "tanh"
	case ActSigmoid:
		return "sigmoid"
	case ActELU:
		return "elu"
	case ActGELU:
		return "gelu"
	case ActSoftplus:
		return "softplus"
	case ActSwish:
		return "swish"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// Layer returns a new layer of the activation, with its defaults (nil
// for an Activation outside the list).
func (a Activation) Layer() Layer {
	switch a {
	case ActReLU:
		return ReLU{}
	case ActLeakyReLU:
		return LeakyReLU{}
	case ActTanh:
		return Tanh{}
	case ActSigmoid:
		return Sigmoid{}
	case ActELU:
		return ELU{}
	case ActGELU:
		return GELU{}
	case ActSoftplus:
		return Softplus{}
	case ActSwish:
		return Swish{}
	}
	return nil
}

// Activations returns the activations' names, in order.
func Activations() []string {
	names := make([]string, len(activations))
	for i, a := range activations {
		names[i] = a.String()
	}
	return names
}

// ParseActivation returns the Activation named s; an unknown name is an
// error wrapping ErrInvalidOption that lists the valid ones.
func ParseActivation(s string) (Activation, error) {
	for _, a := range activations {
		if a.String() == s {
			return a, nil
		}
	}
	return 0, fmt.Errorf("%w: activation %q (valid: %s)", ErrInvalidOption, s, strings.Join(Activations(), ", "))
}
