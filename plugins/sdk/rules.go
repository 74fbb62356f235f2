package sdk

import (
	"fmt"
	"math"
	"time"
)

// DateNotBefore returns a Rule that refuses a record whose date field later
// is before its date field earlier, such as a decision dated before its
// indictment. The error names later:
//
//	decision_date: must not be before indictment_date (2024-03-01), got "2024-02-01"
//
// Absent or malformed dates are left to the per-field checks.
func DateNotBefore(later, earlier string) Rule {
	return func(a Answers) []FieldError {
		l, ok1 := date(a[later])
		e, ok2 := date(a[earlier])
		if !ok1 || !ok2 || !l.Before(e) {
			return nil
		}
		return []FieldError{{
			Field: later,
			Rule:  fmt.Sprintf("must not be before %s (%s)", earlier, e.Format(DateLayout)),
			Got:   l.Format(DateLayout),
			Code:  RuleBeforeField,
			Args:  []string{earlier, e.Format(DateLayout)},
		}}
	}
}

// NotMoreThan returns a Rule that refuses a record whose number field part
// is greater than its number field whole, such as more child victims than
// victims. The error names part:
//
//	child_victims: must not be more than victims (2), got "3"
func NotMoreThan(part, whole string) Rule {
	return func(a Answers) []FieldError {
		p, ok1 := finite(a[part])
		w, ok2 := finite(a[whole])
		if !ok1 || !ok2 || p <= w {
			return nil
		}
		return []FieldError{{Field: part, Rule: fmt.Sprintf("must not be more than %s (%s)", whole, num(w)), Got: num(p),
			Code: RuleMoreThanField, Args: []string{whole, num(w)}}}
	}
}

// OnlyWhen returns a Rule that refuses an answer to field unless the
// choice field cond holds one of values, such as a sentence on an
// acquittal:
//
//	sentence_months: may be answered only when verdict is convicted or plea_agreement
func OnlyWhen(field, cond string, values ...string) Rule {
	return func(a Answers) []FieldError {
		v, ok := a[field]
		if !ok || isBlank(v) {
			return nil
		}
		c, _ := a[cond].(string)
		for _, want := range values {
			if c == want {
				return nil
			}
		}
		list := ""
		for i, want := range values {
			switch {
			case i == 0:
			case i == len(values)-1:
				list += " or "
			default:
				list += ", "
			}
			list += want
		}
		return []FieldError{{Field: field, Rule: fmt.Sprintf("may be answered only when %s is %s", cond, list),
			Code: RuleOnlyWhen, Args: append([]string{cond}, values...)}}
	}
}

func date(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

func finite(v any) (float64, bool) {
	n, ok := number(v)
	return n, ok && !math.IsNaN(n) && !math.IsInf(n, 0)
}
