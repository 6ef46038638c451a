package solver

import (
	"fmt"
	"strconv"
	"strings"
)

// The enumerations of the state and its options are small integer types
// whose text form (String, MarshalText) is the name MATLAB or the trace
// format uses; a string literal is not one of them, so a misspelt method
// name does not compile. The zero value of LineSearchMethod,
// LineSearchStatus and PairStatus means "none yet" and reads as "".

// LineSearchMethod is the line search of an update. The first three are
// MATLAB's; NoLineSearch is the braintools/PyTorch default of a fixed step
// along the search direction.
type LineSearchMethod uint8

// Line-search methods.
const (
	WeakWolfe    LineSearchMethod = iota + 1 // "weak-wolfe": Armijo and weak curvature
	StrongWolfe                              // "strong-wolfe": Armijo and strong curvature
	Backtracking                             // "backtracking": Armijo only
	NoLineSearch                             // "none": one step of the learning rate
)

// LineSearchStatus says how the line search of the last update ended.
type LineSearchStatus uint8

// Line-search statuses.
const (
	LineSearchNone      LineSearchStatus = iota // "": no update yet
	LineSearchCompleted                         // "completed"
	LineSearchFailed                            // "failed"
)

// PairStatus says what became of the last update's curvature pair.
type PairStatus uint8

// Pair statuses.
const (
	PairNone    PairStatus = iota // "": no update yet, the search failed, or the update did not move
	PairStored                    // "stored": the newest (s, y) entered the history
	PairSkipped                   // "skipped": sᵀy <= ε·yᵀy, the pair was discarded
)

// Outcome says why a line-search trial was accepted or rejected.
type Outcome uint8

// Trial outcomes.
const (
	TrialAccepted     Outcome = iota + 1 // "accepted": satisfies the conditions of the search
	TrialNonFinite                       // "non-finite": NaN or Inf loss or gradient, step too long
	TrialArmijo                          // "armijo": fails sufficient decrease
	TrialCurvature                       // "curvature": fails the (weak or strong) curvature condition
	TrialBestOfFail                      // "best-of-fail": the search failed and x moved to this trial, the best with sufficient decrease
	TrialRejected                        // "rejected": sufficient decrease holds, but the loss is not below the best trial's
	TrialAcceptedWeak                    // "accepted-weak": strong Wolfe only: sufficient decrease and the weak curvature condition hold, the strong one cannot (a kink)
)

// Norm selects the vector norm of a gradient tolerance.
type Norm uint8

// Norms.
const (
	TwoNorm Norm = iota // "2": Euclidean, ‖g‖₂ (MATLAB's GradientsNorm)
	InfNorm             // "inf": largest magnitude, ‖g‖∞ (SciPy, PyTorch, gonum)
)

var (
	methodNames  = []string{"", "weak-wolfe", "strong-wolfe", "backtracking", "none"}
	lsNames      = []string{"", "completed", "failed"}
	pairNames    = []string{"", "stored", "skipped"}
	outcomeNames = []string{"", "accepted", "non-finite", "armijo", "curvature", "best-of-fail", "rejected", "accepted-weak"}
	normNames    = []string{"2", "inf"}
)

// enumString returns names[v], or kind(v) for a value out of range.
func enumString(names []string, kind string, v uint8) string {
	if int(v) < len(names) {
		return names[v]
	}
	return kind + "(" + strconv.Itoa(int(v)) + ")"
}

// enumParse returns the index of text in names, skipping the empty name
// unless allowEmpty.
func enumParse(names []string, kind, text string, allowEmpty bool) (uint8, error) {
	for i, n := range names {
		if n == text && (n != "" || allowEmpty) {
			return uint8(i), nil
		}
	}
	valid := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			valid = append(valid, strconv.Quote(n))
		}
	}
	return 0, fmt.Errorf("unknown %s %q (valid: %s)", kind, text, strings.Join(valid, ", "))
}

// String returns the method's name, e.g. "strong-wolfe" ("" for the zero value).
func (m LineSearchMethod) String() string {
	return enumString(methodNames, "LineSearchMethod", uint8(m))
}

// Valid reports whether m is one of the four methods.
func (m LineSearchMethod) Valid() bool { return m >= WeakWolfe && m <= NoLineSearch }

// MarshalText encodes the name; the zero value encodes as "".
func (m LineSearchMethod) MarshalText() ([]byte, error) {
	if int(m) >= len(methodNames) {
		return nil, fmt.Errorf("solver: unknown line-search method %d", m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText decodes a name written by MarshalText ("" gives the zero value).
func (m *LineSearchMethod) UnmarshalText(text []byte) error {
	v, err := enumParse(methodNames, "line-search method", string(text), true)
	if err != nil {
		return fmt.Errorf("solver: %w", err)
	}
	*m = LineSearchMethod(v)
	return nil
}

// ParseLineSearchMethod returns the method named name ("weak-wolfe",
// "strong-wolfe", "backtracking" or "none"), or an error listing them.
func ParseLineSearchMethod(name string) (LineSearchMethod, error) {
	v, err := enumParse(methodNames, "line-search method", name, false)
	if err != nil {
		return 0, fmt.Errorf("solver: %w", err)
	}
	return LineSearchMethod(v), nil
}

// String returns "", "completed" or "failed".
func (s LineSearchStatus) String() string { return enumString(lsNames, "LineSearchStatus", uint8(s)) }

// MarshalText encodes the name.
func (s LineSearchStatus) MarshalText() ([]byte, error) {
	if int(s) >= len(lsNames) {
		return nil, fmt.Errorf("solver: unknown line-search status %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (s *LineSearchStatus) UnmarshalText(text []byte) error {
	v, err := enumParse(lsNames, "line-search status", string(text), true)
	if err != nil {
		return fmt.Errorf("solver: %w", err)
	}
	*s = LineSearchStatus(v)
	return nil
}

// String returns "", "stored" or "skipped".
func (p PairStatus) String() string { return enumString(pairNames, "PairStatus", uint8(p)) }

// MarshalText encodes the name.
func (p PairStatus) MarshalText() ([]byte, error) {
	if int(p) >= len(pairNames) {
		return nil, fmt.Errorf("solver: unknown pair status %d", p)
	}
	return []byte(p.String()), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (p *PairStatus) UnmarshalText(text []byte) error {
	v, err := enumParse(pairNames, "pair status", string(text), true)
	if err != nil {
		return fmt.Errorf("solver: %w", err)
	}
	*p = PairStatus(v)
	return nil
}

// String returns the outcome's name, e.g. "armijo".
func (o Outcome) String() string { return enumString(outcomeNames, "Outcome", uint8(o)) }

// MarshalText encodes the name.
func (o Outcome) MarshalText() ([]byte, error) {
	if o == 0 || int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("solver: unknown trial outcome %d", o)
	}
	return []byte(o.String()), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (o *Outcome) UnmarshalText(text []byte) error {
	v, err := enumParse(outcomeNames, "trial outcome", string(text), false)
	if err != nil {
		return fmt.Errorf("solver: %w", err)
	}
	*o = Outcome(v)
	return nil
}

// String returns "2" or "inf".
func (n Norm) String() string { return enumString(normNames, "Norm", uint8(n)) }

// ParseNorm returns the norm named "2" or "inf".
func ParseNorm(name string) (Norm, error) {
	v, err := enumParse(normNames, "norm", name, false)
	if err != nil {
		return 0, fmt.Errorf("solver: %w", err)
	}
	return Norm(v), nil
}
