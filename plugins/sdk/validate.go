package sdk

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Caps that ValidateAnswers applies when a field does not set its own.
const (
	DefaultStringMaxLen = 200    // characters of a TypeString answer
	DefaultTextMaxLen   = 10_000 // characters of a TypeText answer
	// MaxFieldErrors is the most errors reported for one record; a record
	// with more gets a last error saying how many were left out.
	MaxFieldErrors = 50
)

// DateLayout is the layout of every date in answers and indicators.
const DateLayout = "2006-01-02"

// EarliestDate is the earliest date an answer may hold: monitoring covers
// events of living memory, and a year such as 0202 is a typing error.
const EarliestDate = "1900-01-01"

// ValidateAnswers checks answers against the fields of a form and returns
// one FieldError per broken rule, or nil when the answers are valid. It
// checks, for every answer: that the form has such a field; that the value
// has the field's type (a JSON string, number, bool or array of strings);
// that a whole number is whole; that a number lies within Min..Max; that a
// string is valid UTF-8, holds no control characters (TypeText allows line
// breaks and tabs) and is no longer than MaxLen (DefaultStringMaxLen,
// DefaultTextMaxLen); that a choice is one of the field's options and a set
// a list of distinct options; that a date is a real date written
// YYYY-MM-DD, not before EarliestDate and not after the day of now.
// Required fields must be present; an absent key, JSON null and "" all
// count as not answered.
//
// Errors come in a stable order: unknown fields (sorted), then the form's
// fields in form order. At most MaxFieldErrors are returned.
//
// ValidateAnswers checks one field at a time; rules across fields (a
// decision not before its indictment) belong in Spec.Rules.
func ValidateAnswers(info FormInfo, a Answers, now time.Time) []FieldError {
	var errs []FieldError
	today := now.Format(DateLayout)
	present := 0 // keys of a that are fields of the form
	for _, f := range info.Fields {
		v, ok := a[f.ID]
		if ok {
			present++
		}
		if !ok || isBlank(v) {
			if f.Required {
				errs = append(errs, FieldError{Field: f.ID, Rule: "is required", Code: RuleRequired})
			}
			continue
		}
		if fe, bad := checkValue(f, v, today); bad {
			errs = append(errs, fe)
		}
	}
	if present < len(a) { // only then is it worth a set of the form's ids
		known := make(map[string]bool, len(info.Fields))
		for _, f := range info.Fields {
			known[f.ID] = true
		}
		var unknown []string
		for k := range a {
			if !known[k] {
				unknown = append(unknown, k)
			}
		}
		slices.Sort(unknown)
		if len(unknown) > MaxFieldErrors+1 {
			unknown = unknown[:MaxFieldErrors+1]
		}
		first := make([]FieldError, 0, len(unknown)+len(errs))
		for _, k := range unknown {
			first = append(first, FieldError{Field: clip(k, 64), Rule: "is not a field of " + info.Ref()})
		}
		errs = append(first, errs...)
	}
	return capErrors(errs)
}

// capErrors keeps the first MaxFieldErrors errors and says how many it left out.
func capErrors(errs []FieldError) []FieldError {
	if len(errs) <= MaxFieldErrors {
		return errs
	}
	out := append([]FieldError(nil), errs[:MaxFieldErrors]...)
	return append(out, FieldError{Rule: fmt.Sprintf("too many errors: only the first %d are shown", MaxFieldErrors)})
}

// isBlank reports whether v counts as not answered.
func isBlank(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	}
	return false
}

// checkValue checks one present answer against its field.
func checkValue(f Field, v any, today string) (FieldError, bool) {
	fail := func(rule, code string, args ...string) (FieldError, bool) {
		return FieldError{Field: f.ID, Rule: rule, Got: show(v), Code: code, Args: args}, true
	}
	switch f.Type {
	case TypeString, TypeText:
		s, ok := v.(string)
		if !ok {
			return fail("must be text", "")
		}
		if !utf8.ValidString(s) {
			return FieldError{Field: f.ID, Rule: "must be valid UTF-8 text"}, true
		}
		if r, bad := controlChar(s, f.Type == TypeText); bad {
			return FieldError{Field: f.ID, Rule: "must not contain control characters", Got: fmt.Sprintf("%U", r), Code: RuleControlChar}, true
		}
		if max, n := f.maxLen(), utf8.RuneCountInString(s); n > max {
			return FieldError{Field: f.ID, Rule: fmt.Sprintf("must be at most %d characters", max),
				Got: fmt.Sprintf("%d characters", n), Code: RuleTooLong, Args: []string{strconv.Itoa(max), strconv.Itoa(n)}}, true
		}
	case TypeInt, TypeNumber:
		n, ok := number(v)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) ||
			(f.Type == TypeInt && n != math.Trunc(n)) ||
			(f.Min != nil && n < *f.Min) || (f.Max != nil && n > *f.Max) {
			fe := f.numberError()
			fe.Got = show(v)
			return fe, true
		}
	case TypeBool:
		if _, ok := v.(bool); !ok {
			return fail("must be true or false", RuleBoolean)
		}
	case TypeDate:
		s, ok := v.(string)
		if !ok {
			return fail("must be a date YYYY-MM-DD", RuleDateFormat)
		}
		if _, err := time.Parse(DateLayout, s); err != nil {
			return fail("must be a date YYYY-MM-DD", RuleDateFormat)
		}
		// Dates in DateLayout compare as strings.
		if s > today {
			return fail("must not be in the future (after "+today+")", RuleDateAfterToday, today)
		}
		if s < EarliestDate {
			return fail("must not be before "+EarliestDate, RuleDateBeforeEarliest, EarliestDate)
		}
	case TypeChoice:
		s, ok := v.(string)
		if !ok || !f.hasOption(s) {
			return fail("must be one of "+f.optionList(), RuleOneOf, f.optionValues()...)
		}
	case TypeSet:
		vals, ok := stringList(v)
		if !ok {
			return fail("must be a list of values from "+f.optionList(), RuleListOf, f.optionValues()...)
		}
		seen := make(map[string]bool, len(vals))
		for _, s := range vals {
			if !f.hasOption(s) {
				return FieldError{Field: f.ID, Rule: "must be a list of values from " + f.optionList(), Got: show(s), Code: RuleListOf, Args: f.optionValues()}, true
			}
			if seen[s] {
				return FieldError{Field: f.ID, Rule: "must not repeat a value", Got: show(s), Code: RuleRepeat}, true
			}
			seen[s] = true
		}
	default:
		return FieldError{Field: f.ID, Rule: fmt.Sprintf("has unknown type %q in the form", clip(string(f.Type), 32))}, true
	}
	return FieldError{}, false
}

func (f Field) maxLen() int {
	switch {
	case f.MaxLen > 0:
		return f.MaxLen
	case f.Type == TypeText:
		return DefaultTextMaxLen
	default:
		return DefaultStringMaxLen
	}
}

// numberError says what a TypeInt or TypeNumber field allows: the
// FieldError of an answer that is not such a number, without Got.
func (f Field) numberError() FieldError {
	what, min, max, plain := "a number", RuleMin, RuleMax, RuleNumber
	if f.Type == TypeInt {
		what, min, max, plain = "a whole number", RuleWholeMin, RuleWholeMax, RuleWholeNumber
	}
	switch {
	case f.Min != nil && f.Max != nil:
		return FieldError{Field: f.ID, Rule: fmt.Sprintf("must be %s..%s", num(*f.Min), num(*f.Max)),
			Code: RuleRange, Args: []string{num(*f.Min), num(*f.Max)}}
	case f.Min != nil:
		return FieldError{Field: f.ID, Rule: fmt.Sprintf("must be %s of at least %s", what, num(*f.Min)), Code: min, Args: []string{num(*f.Min)}}
	case f.Max != nil:
		return FieldError{Field: f.ID, Rule: fmt.Sprintf("must be %s of at most %s", what, num(*f.Max)), Code: max, Args: []string{num(*f.Max)}}
	}
	return FieldError{Field: f.ID, Rule: "must be " + what, Code: plain}
}

func (f Field) hasOption(s string) bool {
	for _, o := range f.Options {
		if o.Value == s {
			return true
		}
	}
	return false
}

// optionList lists the values a choice or set allows, e.g. "a, b, c".
func (f Field) optionList() string { return strings.Join(f.optionValues(), ", ") }

// optionValues are the values a choice or set allows.
func (f Field) optionValues() []string {
	vals := make([]string, len(f.Options))
	for i, o := range f.Options {
		vals[i] = o.Value
	}
	return vals
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// number returns v as a float64 if it is a number: a float64 as JSON
// decodes it, a json.Number, or a Go integer (for Go callers).
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case int16:
		return float64(n), true
	case int8:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint8:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// stringList returns v as a list of strings if it is one: []any of strings
// as JSON decodes it, or []string.
func stringList(v any) ([]string, bool) {
	switch l := v.(type) {
	case []string:
		return l, true
	case []any:
		out := make([]string, len(l))
		for i, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// controlChar returns the first control character of s; text allows line
// breaks and tabs.
func controlChar(s string, text bool) (rune, bool) {
	for _, r := range s {
		if text && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return r, true
		}
	}
	return 0, false
}

// show renders an answer for FieldError.Got: short, valid UTF-8, one line.
func show(v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case float64:
		s = num(v)
	case bool:
		s = strconv.FormatBool(v)
	case nil:
		s = "null"
	default:
		if n, ok := number(v); ok {
			s = num(n)
			break
		}
		b, err := json.Marshal(v)
		if err != nil {
			s = fmt.Sprintf("%T", v)
		} else {
			s = string(b)
		}
	}
	return clip(s, 64)
}

// clip makes s printable: valid UTF-8, control characters escaped, at most
// n characters.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	i := 0 // characters written
	for _, r := range s {
		esc := string(r)
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			esc = q[1 : len(q)-1] // ASCII, e.g. \x1b
		}
		if i+utf8.RuneCountInString(esc) > n {
			b.WriteString("…")
			break
		}
		b.WriteString(esc)
		i += utf8.RuneCountInString(esc)
	}
	return b.String()
}

// Number returns an answer as a float64 if it is a number: a float64 as
// JSON decodes it, a json.Number or a Go integer. Map functions use it to
// read numeric answers whatever way they arrived.
func Number(v any) (float64, bool) { return number(v) }
