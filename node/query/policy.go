package query

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Policy is a node's disclosure control: what it does to every answer
// before it leaves. Its option names follow DataSHIELD's disclosure
// settings (nfilter.tab, nfilter.subset) so that a DataSHIELD or vantage6
// user recognises them; docs/privacy.md explains each one and how to
// choose it.
type Policy struct {
	// NFilterTab is the minimum cell count k: a cell, a histogram bin or a
	// quantile's group with fewer than k records is suppressed, and so is
	// a share one of whose two counts (true, false) is between 1 and k-1.
	// DataSHIELD's nfilter.tab. 0 means DefaultK; below MinK is refused.
	NFilterTab int `json:"nfilter_tab" mapstructure:"nfilter_tab"`
	// NFilterSubset is the subset rule's k: a where must select at least
	// this many records, and leave out none or at least this many, else
	// the whole query is refused. DataSHIELD's nfilter.subset. 0 means
	// NFilterTab; below MinK is refused.
	NFilterSubset int `json:"nfilter_subset" mapstructure:"nfilter_subset"`
	// Noise is the optional differential-privacy mode.
	Noise NoisePolicy `json:"noise" mapstructure:"noise"`
	// Limits cap the queries this node evaluates (zero fields: the
	// defaults); Protector.Admit refuses a larger one.
	Limits Limits `json:"limits" mapstructure:"limits"`
}

// Defaults and floors of the policy (docs/privacy.md says where they come
// from: DataSHIELD's floor is 3, vantage6's default 5, IOM's CTDC 11).
const (
	DefaultK = 5
	MinK     = 3
)

// Noise modes.
const (
	NoiseOff       = "off"        // answers are exact; a query asking for noise is refused
	NoiseOnRequest = "on_request" // noise when the query asks for it
	NoiseAlways    = "always"     // every answer is noised
)

// Budget periods: the ε budget of each requester starts again at each
// calendar period, in UTC.
const (
	PeriodDay   = "day"
	PeriodMonth = "month"
	PeriodYear  = "year"
)

// NoisePolicy configures discrete Laplace noise (Canonne, Kamath and
// Steinke 2020) on released figures, with a per-requester ε budget.
type NoisePolicy struct {
	// Mode is NoiseOff (default), NoiseOnRequest or NoiseAlways.
	Mode string `json:"mode" mapstructure:"mode"`
	// Epsilon is what a query spends when it does not say; default 1.
	Epsilon float64 `json:"epsilon" mapstructure:"epsilon"`
	// MaxEpsilon is the most one query may spend; default 1.
	MaxEpsilon float64 `json:"max_epsilon" mapstructure:"max_epsilon"`
	// Budget is the ε each requester may spend per Period; default 10.
	Budget float64 `json:"budget" mapstructure:"budget"`
	// Period is PeriodDay, PeriodMonth (default) or PeriodYear.
	Period string `json:"period" mapstructure:"period"`
	// Clamp lowers, per indicator, the bound each value is clamped to in
	// noised sums and means (in the indicator's unit: months, EUR); the
	// noise of a sum grows with it. Default: the indicator's Max.
	Clamp map[string]float64 `json:"clamp,omitempty" mapstructure:"clamp"`
}

// WithDefaults returns p with every unset option at its default.
func (p Policy) WithDefaults() Policy {
	if p.NFilterTab == 0 {
		p.NFilterTab = DefaultK
	}
	if p.NFilterSubset == 0 {
		p.NFilterSubset = p.NFilterTab
	}
	p.Limits = p.Limits.withDefaults()
	n := &p.Noise
	if n.Mode == "" {
		n.Mode = NoiseOff
	}
	if n.Epsilon == 0 {
		n.Epsilon = 1
	}
	if n.MaxEpsilon == 0 {
		n.MaxEpsilon = max(1, n.Epsilon)
	}
	if n.Budget == 0 {
		n.Budget = 10
	}
	if n.Period == "" {
		n.Period = PeriodMonth
	}
	return p
}

// maxEpsilon caps every ε setting: beyond it noise protects nothing.
const maxEpsilon = 100

// Validate says what is wrong with p (after WithDefaults), naming each
// option and what is allowed.
func (p Policy) Validate() error {
	var errs []string
	if p.NFilterTab < MinK {
		errs = append(errs, fmt.Sprintf("nfilter_tab is %d: the minimum cell count must be at least %d (DataSHIELD's floor); 5 is the default", p.NFilterTab, MinK))
	}
	if p.NFilterSubset < MinK {
		errs = append(errs, fmt.Sprintf("nfilter_subset is %d: the subset rule's k must be at least %d", p.NFilterSubset, MinK))
	}
	n := p.Noise
	if !slices.Contains([]string{NoiseOff, NoiseOnRequest, NoiseAlways}, n.Mode) {
		errs = append(errs, fmt.Sprintf("noise.mode is %q: allowed are off, on_request, always", clip(n.Mode, 20)))
	}
	for _, e := range []struct {
		name string
		v    float64
	}{{"noise.epsilon", n.Epsilon}, {"noise.max_epsilon", n.MaxEpsilon}, {"noise.budget", n.Budget}} {
		if !(e.v >= minEpsilon && e.v <= maxEpsilon) {
			errs = append(errs, fmt.Sprintf("%s is %v: allowed is %g..%d", e.name, e.v, minEpsilon, maxEpsilon))
		}
	}
	if n.Epsilon > n.MaxEpsilon {
		errs = append(errs, fmt.Sprintf("noise.epsilon %v is above noise.max_epsilon %v", n.Epsilon, n.MaxEpsilon))
	}
	if n.MaxEpsilon > n.Budget {
		errs = append(errs, fmt.Sprintf("noise.max_epsilon %v is above noise.budget %v: no query could spend it", n.MaxEpsilon, n.Budget))
	}
	if !slices.Contains([]string{PeriodDay, PeriodMonth, PeriodYear}, n.Period) {
		errs = append(errs, fmt.Sprintf("noise.period is %q: allowed are day, month, year", clip(n.Period, 20)))
	}
	for name, c := range n.Clamp {
		if !(c >= 0) || math.IsInf(c, 0) {
			errs = append(errs, fmt.Sprintf("noise.clamp.%s is %v: a bound is a number ≥ 0", clip(name, 40), c))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("query policy: %s", strings.Join(errs, "; "))
	}
	return nil
}

// EvalOptions are the options of Evaluate this policy implies.
func (p Policy) EvalOptions() EvalOptions { return EvalOptions{Clamp: p.Noise.Clamp} }

// period returns the label of the budget period that holds t.
func (n NoisePolicy) period(t time.Time) string {
	t = t.UTC()
	switch n.Period {
	case PeriodDay:
		return t.Format("2006-01-02")
	case PeriodYear:
		return t.Format("2006")
	}
	return t.Format("2006-01")
}
