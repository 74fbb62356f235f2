package query

import (
	"fmt"
	"math"
	"strconv"
)

// Epsilon is a privacy-loss parameter ε in millionths, so that budgets add
// and compare exactly and the noise scale 1/ε is a ratio of integers, as
// the exact sampler needs.
type Epsilon int64

// epsilonUnit is 1.0 as an Epsilon.
const epsilonUnit = 1_000_000

// minEpsilon is the smallest ε a setting may take.
const minEpsilon = 0.001

// EpsilonOf converts ε to millionths, rounding to the nearest.
func EpsilonOf(f float64) (Epsilon, error) {
	if !(f >= minEpsilon && f <= maxEpsilon) {
		return 0, fmt.Errorf("ε %v: allowed is %g..%d", f, minEpsilon, maxEpsilon)
	}
	return Epsilon(math.Round(f * epsilonUnit)), nil
}

// Float is ε as a float64.
func (e Epsilon) Float() float64 { return float64(e) / epsilonUnit }

func (e Epsilon) String() string { return strconv.FormatFloat(e.Float(), 'f', -1, 64) }
