package query

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// compileCompare checks one comparison and returns its predicate.
func compileCompare(k sdk.Kind, c *Compare, opts Options, lim Limits) (pred, error) {
	f, err := resolve(k, c.Field, c.Pos, opts)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(ops, c.Op) {
		return nil, errorAt(c.Pos, "unknown operator %q after %s: allowed are =, !=, <, <=, >, >=, in, not in", clip(string(c.Op), 10), c.Field)
	}
	list := c.Op == In || c.Op == NotIn
	switch {
	case list && len(c.Values) == 0:
		return nil, errorAt(c.Pos, "%s %s needs at least one value", c.Field, c.Op)
	case list && len(c.Values) > lim.MaxInList:
		return nil, errorAt(c.Values[lim.MaxInList].Pos, "a list of %s holds at most %d values", c.Op, lim.MaxInList)
	case !list && len(c.Values) != 1:
		return nil, errorAt(c.Pos, "%s %s takes one value, got %d", c.Field, c.Op, len(c.Values))
	}
	for i, v := range c.Values {
		for _, w := range c.Values[:i] {
			if v.Kind == w.Kind && v.Text == w.Text {
				return nil, errorAt(v.Pos, "%s is listed twice", v.Text)
			}
		}
	}
	ordered := f.numeric() || f.kind == fYear || f.kind == fIndicator && f.ind.Type == sdk.IndicatorDate
	if !ordered && c.Op != Eq && c.Op != Ne && c.Op != In && c.Op != NotIn {
		return nil, errorAt(c.Pos, "%s takes %s: compare it with =, !=, in or not in, not %s", c.Field, f.describe(), c.Op)
	}
	if f.kind == fIndicator && f.ind.Type == sdk.IndicatorBool && list {
		return nil, errorAt(c.Pos, "%s is true or false: compare it with = or !=", c.Field)
	}
	negate := c.Op == Ne || c.Op == NotIn
	switch {
	case f.kind == fCountry || f.kind == fSub:
		return compareText(f, c, negate)
	case f.kind == fYear:
		vals := make([]int64, len(c.Values))
		for i, v := range c.Values {
			if v.Kind != Number || v.Hundredths%100 != 0 || v.Hundredths < 190000 || v.Hundredths > 999900 {
				return nil, errorAt(v.Pos, "year is compared with a year 1900..9999, got %s", v.Text)
			}
			vals[i] = v.Hundredths / 100
		}
		return ordinal(c.Op, vals, func(r *row) (int64, bool) { return yearOf(r.v.EventDateBytes()), true }), nil
	}
	ord := f.ord
	switch f.ind.Type {
	case sdk.IndicatorEnum, sdk.IndicatorSet:
		var mask uint64
		for _, v := range c.Values {
			i := slices.Index(f.ind.OptionValues(), v.Text)
			if v.Kind != Word || i < 0 {
				return nil, errorAt(v.Pos, "%s is not a value of %s: allowed are %s", clip(v.Text, 40), c.Field, strings.Join(f.ind.OptionValues(), ", "))
			}
			mask |= 1 << i
		}
		if f.ind.Type == sdk.IndicatorEnum {
			return func(r *row) tri {
				i, ok := r.v.Enum(ord)
				if !ok {
					return triUnknown
				}
				return triOf(mask&(1<<i) != 0 != negate)
			}, nil
		}
		// A set holds when it contains the value (= and !=), or any of
		// the values (in and not in).
		return func(r *row) tri {
			s, ok := r.v.Set(ord)
			if !ok {
				return triUnknown
			}
			return triOf(s&mask != 0 != negate)
		}, nil
	case sdk.IndicatorBool:
		v := c.Values[0]
		if v.Kind != Bool {
			return nil, errorAt(v.Pos, "%s is true or false, got %s", c.Field, clip(v.Text, 40))
		}
		want := v.Text == "true"
		return func(r *row) tri {
			b, ok := r.v.Bool(ord)
			if !ok {
				return triUnknown
			}
			return triOf(b == want != negate)
		}, nil
	case sdk.IndicatorDate:
		vals := make([]int64, len(c.Values))
		for i, v := range c.Values {
			d, err := dateDays(v)
			if err != nil {
				return nil, err
			}
			vals[i] = int64(d)
		}
		return ordinal(c.Op, vals, func(r *row) (int64, bool) {
			d, ok := r.v.Date(ord)
			return int64(d), ok
		}), nil
	}
	vals := make([]int64, len(c.Values))
	for i, v := range c.Values {
		u, err := units(f, v)
		if err != nil {
			return nil, err
		}
		vals[i] = u
	}
	return ordinal(c.Op, vals, valueOf(f)), nil
}

// valueOf reads numeric indicator f in its units: whole numbers as they
// are, amounts in EUR rounded to cents.
func valueOf(f field) func(r *row) (int64, bool) {
	ord := f.ord
	if f.ind.Type == sdk.IndicatorEUR {
		return func(r *row) (int64, bool) {
			e, ok := r.v.EUR(ord)
			return int64(math.Round(e * 100)), ok
		}
	}
	return func(r *row) (int64, bool) { return r.v.Int(ord) }
}

// ordinal compares a value read by get with vals under op.
func ordinal(op Op, vals []int64, get func(r *row) (int64, bool)) pred {
	v0 := vals[0]
	test := map[Op]func(x int64) bool{
		Eq:    func(x int64) bool { return x == v0 },
		Ne:    func(x int64) bool { return x != v0 },
		Lt:    func(x int64) bool { return x < v0 },
		Le:    func(x int64) bool { return x <= v0 },
		Gt:    func(x int64) bool { return x > v0 },
		Ge:    func(x int64) bool { return x >= v0 },
		In:    func(x int64) bool { return slices.Contains(vals, x) },
		NotIn: func(x int64) bool { return !slices.Contains(vals, x) },
	}[op]
	return func(r *row) tri {
		x, ok := get(r)
		if !ok {
			return triUnknown
		}
		return triOf(test(x))
	}
}

// compareText compares country or sub_jurisdiction with words.
func compareText(f field, c *Compare, negate bool) (pred, error) {
	vals := make([][]byte, len(c.Values))
	for i, v := range c.Values {
		ok := v.Kind == Word
		if f.kind == fCountry {
			ok = ok && countryCode.MatchString(v.Text)
		} else {
			ok = ok && slices.Contains(subJurisdictions, v.Text)
		}
		if !ok {
			return nil, errorAt(v.Pos, "%s is not a value of %s, which takes %s", clip(v.Text, 40), f.name, f.describe())
		}
		vals[i] = []byte(v.Text)
	}
	sub := f.kind == fSub
	return func(r *row) tri {
		got := r.v.CountryBytes()
		if sub {
			got = r.v.SubJurisdictionBytes()
		}
		if len(got) == 0 {
			return triUnknown
		}
		in := false
		for _, v := range vals {
			if bytes.Equal(got, v) {
				in = true
				break
			}
		}
		return triOf(in != negate)
	}, nil
}

// yearOf is the year of a date YYYY-MM-DD.
func yearOf(date []byte) int64 {
	if len(date) < 4 {
		return 0
	}
	return int64(date[0]-'0')*1000 + int64(date[1]-'0')*100 + int64(date[2]-'0')*10 + int64(date[3]-'0')
}

// dateDays checks a date value and returns its days since 1970-01-01.
func dateDays(v Value) (int32, error) {
	if v.Kind != Date {
		return 0, errorAt(v.Pos, "expected a date YYYY-MM-DD, got %s", clip(v.Text, 40))
	}
	if _, err := time.Parse(sdk.DateLayout, v.Text); err != nil {
		return 0, errorAt(v.Pos, "%s is not a calendar date (YYYY-MM-DD)", clip(v.Text, 40))
	}
	if v.Text < sdk.EarliestDate {
		return 0, errorAt(v.Pos, "%s is before %s, the earliest date kolo accepts", v.Text, sdk.EarliestDate)
	}
	return records.DateDays(v.Text)
}
