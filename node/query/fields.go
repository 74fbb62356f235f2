package query

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// The record attributes a query may group and filter by besides the
// indicators: they are no indicator, but every record has them.
const (
	FieldCountry         = "country"                // the record's country (its form's)
	FieldYear            = "year"                   // the year of the kind's event date
	FieldSubJurisdiction = sdk.FieldSubJurisdiction // Bosnia and Herzegovina's legal systems
)

// fieldKind says what a name in a query stands for.
type fieldKind int

const (
	fIndicator fieldKind = iota
	fCountry
	fYear
	fSub
)

// field is a resolved name: a record attribute or an indicator of the
// query's kind, with its ordinal in the indicator space.
type field struct {
	kind fieldKind
	name string
	ind  sdk.Indicator
	ord  int
}

// subJurisdictions are the values of sub_jurisdiction.
var subJurisdictions = func() []string {
	var out []string
	for _, o := range sdk.SubJurisdictionField().Options {
		out = append(out, o.Value)
	}
	return out
}()

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// PrivateFields returns, for Options.Private, every personal or free-text
// field of the forms given (a node's plugin host lists them), with what it
// is. A field id that is also the name of a common indicator is left out:
// the indicator is what a query means by it.
func PrivateFields(forms []sdk.FormInfo) map[string]string {
	out := map[string]string{}
	for _, fi := range forms {
		for _, f := range fi.Fields {
			if !f.Private() {
				continue
			}
			if _, ok := records.IndicatorOrdinal(fi.Kind, f.ID); ok {
				continue
			}
			what := "a personal field"
			if f.FreeText || f.Type == sdk.TypeText {
				what = "a free-text field"
			}
			if prev, ok := out[f.ID]; ok && strings.Contains(prev, what) {
				out[f.ID] = prev + ", " + fi.ID
				continue
			}
			out[f.ID] = what + " of " + fi.ID
		}
	}
	return out
}

// resolve finds what name stands for in a query of kind k.
func resolve(k sdk.Kind, name string, pos Pos, opts Options) (field, error) {
	switch name {
	case FieldCountry:
		return field{kind: fCountry, name: name}, nil
	case FieldYear:
		return field{kind: fYear, name: name}, nil
	case FieldSubJurisdiction:
		return field{kind: fSub, name: name}, nil
	}
	if ind, ok := sdk.LookupIndicator(k, name); ok {
		if ind.Type == sdk.IndicatorString {
			return field{}, errorAt(pos, "%s is short public text (a name or title), not a measure: it cannot be queried, since it could single out one court or case", name)
		}
		ord, _ := records.IndicatorOrdinal(k, name)
		return field{kind: fIndicator, name: name, ind: ind, ord: ord}, nil
	}
	if what, ok := opts.Private[name]; ok {
		return field{}, errorAt(pos, "%s is %s: personal and free-text fields never leave their node and cannot be queried; query the common indicators of %s (%s)",
			name, what, k, strings.Join(indicatorNames(k, nil), ", "))
	}
	var others []string
	for _, other := range sdk.Kinds {
		if _, ok := sdk.LookupIndicator(other, name); ok && other != k {
			others = append(others, string(other))
		}
	}
	if len(others) > 0 {
		return field{}, errorAt(pos, "%s is an indicator of %s, not of %s; the indicators of %s are %s",
			name, strings.Join(others, " and "), k, k, strings.Join(indicatorNames(k, nil), ", "))
	}
	return field{}, errorAt(pos, "unknown indicator %q of %s: allowed are %s, and country, year, sub_jurisdiction",
		clip(name, 40), k, strings.Join(indicatorNames(k, nil), ", "))
}

// indicatorNames lists the queryable indicators of kind k whose type is
// one of types (all when types is nil), sorted.
func indicatorNames(k sdk.Kind, types []sdk.IndicatorType) []string {
	var out []string
	for _, ind := range sdk.Indicators(k) {
		if ind.Type == sdk.IndicatorString {
			continue
		}
		if types == nil || slices.Contains(types, ind.Type) {
			out = append(out, ind.Name)
		}
	}
	sort.Strings(out)
	return out
}

var numericTypes = []sdk.IndicatorType{sdk.IndicatorCount, sdk.IndicatorDays, sdk.IndicatorMonths, sdk.IndicatorEUR}

func (f field) numeric() bool {
	return f.kind == fIndicator && slices.Contains(numericTypes, f.ind.Type)
}

// describe says what values f takes, for messages: "a whole number of
// months 0..600".
func (f field) describe() string {
	switch f.kind {
	case fCountry:
		return "a country code such as RS"
	case fYear:
		return "the year of the event date, such as 2024"
	case fSub:
		return "one of " + strings.Join(subJurisdictions, ", ")
	}
	switch f.ind.Type {
	case sdk.IndicatorEnum:
		return "one of " + strings.Join(f.ind.OptionValues(), ", ")
	case sdk.IndicatorSet:
		return "a set of values from " + strings.Join(f.ind.OptionValues(), ", ")
	case sdk.IndicatorBool:
		return "true or false"
	case sdk.IndicatorDate:
		return "a date YYYY-MM-DD"
	case sdk.IndicatorEUR:
		return fmt.Sprintf("an amount in EUR 0..%s with at most two decimals", formatHundredths(maxUnits(f.ind)))
	}
	return fmt.Sprintf("a whole number of %s 0..%d", unitName(f.ind.Type), maxUnits(f.ind))
}

func unitName(t sdk.IndicatorType) string {
	switch t {
	case sdk.IndicatorDays:
		return "days"
	case sdk.IndicatorMonths:
		return "months"
	case sdk.IndicatorEUR:
		return "euro cents"
	}
	return "items"
}

// maxUnits is an indicator's Max in its units (cents for eur).
func maxUnits(ind sdk.Indicator) int64 {
	if ind.Type == sdk.IndicatorEUR {
		return int64(ind.Max * 100)
	}
	return int64(ind.Max)
}

// units converts a number in a query to ind's units (cents for eur),
// checking that it is a value ind can take.
func units(f field, v Value) (int64, error) {
	if v.Kind != Number {
		return 0, errorAt(v.Pos, "%s is compared with numbers (%s), got %s", f.name, f.describe(), clip(v.Text, 40))
	}
	u := v.Hundredths
	if f.ind.Type != sdk.IndicatorEUR {
		if u%100 != 0 {
			return 0, errorAt(v.Pos, "%s is %s, got %s", f.name, f.describe(), v.Text)
		}
		u /= 100
	}
	if u > maxUnits(f.ind) {
		return 0, errorAt(v.Pos, "%s is at most %s, got %s", f.name, formatUnits(f.ind.Type, maxUnits(f.ind)), v.Text)
	}
	return u, nil
}

// formatUnits writes a value in units as a query writes it.
func formatUnits(t sdk.IndicatorType, u int64) string {
	if t == sdk.IndicatorEUR {
		return formatHundredths(u)
	}
	return fmt.Sprint(u)
}
