package sdk

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxIndicatorStringLen caps an IndicatorString value, in characters.
const MaxIndicatorStringLen = DefaultStringMaxLen

// MapByName maps answers onto the common indicators of the form's kind by
// name: every answered field whose id is the name of an indicator becomes
// that indicator, converted to the indicator's Go type (numbers to int64 or
// float64, sets to []string). Fields that are personal or free text are
// never mapped, whatever their id. Fields that name no indicator are left
// out; a form's own Map handles them (an article of the criminal code
// becomes offence, for example) and usually starts from MapByName.
func MapByName(info FormInfo, a Answers) Common {
	c := Common{}
	for _, f := range info.Fields {
		if f.Private() {
			continue
		}
		ind, ok := catalogueIndex[info.Kind][f.ID]
		if !ok {
			continue
		}
		v, ok := a[f.ID]
		if !ok || isBlank(v) {
			continue
		}
		if cv, ok := convert(ind, v, true); ok {
			c[f.ID] = cv
		}
	}
	return c
}

// convert turns an answer or an indicator value into the canonical Go type
// of ind, or reports that it cannot. A set is a list of its own when own
// is set; otherwise it may share v's.
func convert(ind Indicator, v any, own bool) (any, bool) {
	switch ind.Type {
	case IndicatorCount, IndicatorDays, IndicatorMonths:
		n, ok := number(v)
		if !ok || n != math.Trunc(n) || math.IsInf(n, 0) || math.Abs(n) > 1<<53 {
			return nil, false
		}
		return int64(n), true
	case IndicatorEUR:
		n, ok := number(v)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, false
		}
		return n, true
	case IndicatorBool:
		b, ok := v.(bool)
		return b, ok
	case IndicatorEnum, IndicatorDate, IndicatorString:
		s, ok := v.(string)
		return s, ok
	case IndicatorSet:
		l, ok := stringList(v)
		if !ok {
			return nil, false
		}
		if _, shared := v.([]string); shared && own {
			l = slices.Clone(l) // stringList made a new list of any other
		}
		return l, true
	}
	return nil, false
}

// DeriveIndicators adds to c the indicators computed from others:
// proceedings_days of a judgment, the days from indictment_date to
// decision_date, when both are present and in order. A value a form set
// itself is replaced, so that the derived indicator means the same in
// every country.
func DeriveIndicators(k Kind, c Common) {
	if k != KindJudgment {
		return
	}
	from, ok1 := c["indictment_date"].(string)
	to, ok2 := c["decision_date"].(string)
	if !ok1 || !ok2 {
		return
	}
	t1, err1 := time.Parse(DateLayout, from)
	t2, err2 := time.Parse(DateLayout, to)
	if err1 != nil || err2 != nil || t2.Before(t1) {
		return
	}
	c["proceedings_days"] = int64(t2.Sub(t1).Hours() / 24)
}

// InvalidCommonError lists what is wrong with a set of indicator values;
// each FieldError names the indicator in Field.
type InvalidCommonError struct {
	Kind   Kind
	Errors []FieldError
}

func (e *InvalidCommonError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return fmt.Sprintf("invalid common indicators of kind %s: %s", e.Kind, strings.Join(msgs, "; "))
}

// CheckCommon checks that c holds only common indicators of kind k, each
// with a value of its type within its limits: a whole number 0..Max for
// count, days and months; a finite amount 0..Max for eur; a bool; a real
// date YYYY-MM-DD; one value of the closed list for enum; distinct values
// of the closed list for set; short single-line valid UTF-8 for string.
// Numbers may be any Go integer or a whole float64 (as JSON and protobuf
// carry them); sets may be []string or []any of strings. The host runs it
// on everything a plugin's Normalize returns, so a misbehaving plugin
// cannot inject an indicator or a value the catalogue does not allow. The
// error is an *InvalidCommonError naming each bad indicator, in name order.
func CheckCommon(k Kind, c Common) error {
	_, err := canonical(k, c, false)
	return err
}

// CanonicalCommon checks c like CheckCommon and returns a copy with every
// value in its canonical Go type (int64 for count, days and months, float64
// for eur, []string for set), as indicators travel through JSON or
// protobuf and come back as float64 and []any.
func CanonicalCommon(k Kind, c Common) (Common, error) {
	return canonical(k, c, true)
}

// CheckCanonical is CanonicalCommon without the copy when there is
// nothing to convert: it returns c itself when every value already has its
// canonical Go type (as the indicators RemoteForms.Check decodes mostly
// do), and otherwise a converted copy. The caller must not change c
// afterwards if it keeps the result.
func CheckCanonical(k Kind, c Common) (Common, error) {
	idx, ok := catalogueIndex[k]
	if !ok {
		return canonical(k, c, true)
	}
	for name, v := range c {
		ind, ok := idx[name]
		if !ok || !isCanonical(ind.Type, v) {
			return canonical(k, c, true)
		}
	}
	if err := CheckCommon(k, c); err != nil {
		return nil, err
	}
	return c, nil
}

// isCanonical reports whether v has the Go type an indicator of type t
// has in canonical form.
func isCanonical(t IndicatorType, v any) bool {
	switch v.(type) {
	case int64:
		return t == IndicatorCount || t == IndicatorDays || t == IndicatorMonths
	case float64:
		return t == IndicatorEUR
	case bool:
		return t == IndicatorBool
	case string:
		return t == IndicatorEnum || t == IndicatorDate || t == IndicatorString
	case []string:
		return t == IndicatorSet
	}
	return false
}

// canonical checks c and, with keep set, returns it in canonical types.
// Indicators are checked in map order first, which spares sorting their
// names; only when one is bad are they checked again in name order, so
// that the error names them in that order.
func canonical(k Kind, c Common, keep bool) (Common, error) {
	idx, ok := catalogueIndex[k]
	if !ok {
		return nil, fmt.Errorf("invalid common indicators: unknown kind %q (allowed: %s)", clip(string(k), 32), kindList())
	}
	var out Common
	if keep {
		out = make(Common, len(c))
	}
	for name, v := range c {
		ind, ok := idx[name]
		if !ok {
			return canonicalSorted(idx, k, c)
		}
		cv, fe := checkIndicator(ind, v, keep)
		if fe != nil {
			return canonicalSorted(idx, k, c)
		}
		if keep {
			out[name] = cv
		}
	}
	return out, nil
}

// canonicalSorted is canonical in name order, for its errors.
func canonicalSorted(idx map[string]Indicator, k Kind, c Common) (Common, error) {
	names := make([]string, 0, len(c))
	for name := range c {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make(Common, len(c))
	var errs []FieldError
	for _, name := range names {
		ind, ok := idx[name]
		if !ok {
			errs = append(errs, FieldError{Field: clip(name, 64), Rule: "is not a common indicator of kind " + string(k)})
			continue
		}
		v, fe := checkIndicator(ind, c[name], true)
		if fe != nil {
			errs = append(errs, *fe)
			continue
		}
		out[name] = v
	}
	if len(errs) > 0 {
		return nil, &InvalidCommonError{Kind: k, Errors: capErrors(errs)}
	}
	return out, nil
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// checkIndicator checks one value and returns it in its canonical type,
// a set a copy of v's list when own is set.
func checkIndicator(ind Indicator, v any, own bool) (any, *FieldError) {
	fail := func(rule string) (any, *FieldError) {
		return nil, &FieldError{Field: ind.Name, Rule: rule, Got: show(v)}
	}
	cv, ok := convert(ind, v, own)
	switch ind.Type {
	case IndicatorCount, IndicatorDays, IndicatorMonths:
		if !ok || cv.(int64) < 0 || float64(cv.(int64)) > ind.Max {
			return fail(fmt.Sprintf("must be a whole number 0..%s", num(ind.Max)))
		}
	case IndicatorEUR:
		if !ok || cv.(float64) < 0 || cv.(float64) > ind.Max {
			return fail(fmt.Sprintf("must be an amount in EUR 0..%s", num(ind.Max)))
		}
	case IndicatorBool:
		if !ok {
			return fail("must be true or false")
		}
	case IndicatorDate:
		if !ok {
			return fail("must be a date YYYY-MM-DD")
		}
		if _, err := time.Parse(DateLayout, cv.(string)); err != nil {
			return fail("must be a date YYYY-MM-DD")
		}
		if cv.(string) < EarliestDate {
			return fail("must not be before " + EarliestDate)
		}
	case IndicatorEnum:
		if !ok || ind.OptionIndex(cv.(string)) < 0 {
			return fail("must be one of " + strings.Join(ind.OptionValues(), ", "))
		}
	case IndicatorSet:
		if !ok {
			return fail("must be a list of values from " + strings.Join(ind.OptionValues(), ", "))
		}
		// The values seen are marked by their place in the list; past
		// the 64th (no catalogue list is that long) looked for in list.
		var seen uint64
		list := cv.([]string)
		for j, s := range list {
			i := ind.OptionIndex(s)
			switch {
			case i < 0:
				return nil, &FieldError{Field: ind.Name, Rule: "must be a list of values from " + strings.Join(ind.OptionValues(), ", "), Got: show(s)}
			case i < 64 && seen&(1<<i) != 0, i >= 64 && slices.Contains(list[:j], s):
				return nil, &FieldError{Field: ind.Name, Rule: "must not repeat a value", Got: show(s)}
			case i < 64:
				seen |= 1 << i
			}
		}
	case IndicatorString:
		if !ok {
			return fail("must be text")
		}
		s := cv.(string)
		if !utf8.ValidString(s) {
			return nil, &FieldError{Field: ind.Name, Rule: "must be valid UTF-8 text"}
		}
		if r, bad := controlChar(s, false); bad {
			return nil, &FieldError{Field: ind.Name, Rule: "must not contain control characters", Got: fmt.Sprintf("%U", r)}
		}
		if n := utf8.RuneCountInString(s); n > MaxIndicatorStringLen || n == 0 {
			return nil, &FieldError{Field: ind.Name, Rule: fmt.Sprintf("must be 1..%d characters", MaxIndicatorStringLen), Got: fmt.Sprintf("%d characters", n)}
		}
	default:
		return fail("has an unknown type in the catalogue")
	}
	return cv, nil
}
