package records

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// The stored encoding of a record and of its index entry is what
// encoding/json's Marshal gives (book.go's encode). An import encodes
// every row it stores, and Marshal, which sorts each map's keys through
// reflection, was the largest part of writing a row; encoding/json has no
// faster path, and the faster libraries measured (segmentio/encoding 1.9
// times, goccy/go-json 1.3 times, go-json-experiment none) leave most of
// the cost. So these two types are written field by field, and every value
// or string this file does not write exactly as Marshal does is handed to
// Marshal: the bytes are Marshal's to the byte (TestRecordJSONIsMarshal
// and FuzzRecordJSON hold them to it), so the stored format is unchanged.

// recordJSON returns json.Marshal(r).
func recordJSON(r Record) ([]byte, error) {
	if r.Purged != nil || !plainTime(r.Created) || !plainTime(r.Updated) {
		return json.Marshal(r) // rare, or what Marshal refuses
	}
	b := make([]byte, 0, 512+64*(len(r.Fields)+len(r.Common)))
	b = header(b, r.ID, string(r.Kind), r.Form, r.Country, r.SubJurisdiction, r.Date, r.Created, r.Updated)
	b = append(b, `,"author":`...)
	b = appendJSONString(b, r.Author)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(r.Version), 10)
	b = trailer(b, r.Deleted, r.Import)
	var err error
	if len(r.Fields) > 0 {
		b = append(b, `,"fields":`...)
		if b, err = appendJSONMap(b, r.Fields); err != nil {
			return nil, err
		}
	}
	if len(r.Common) > 0 {
		b = append(b, `,"common":`...)
		if b, err = appendJSONMap(b, r.Common); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// summaryJSON returns json.Marshal(s).
func summaryJSON(s Summary) ([]byte, error) {
	if !plainTime(s.Created) || !plainTime(s.Updated) {
		return json.Marshal(s)
	}
	b := make([]byte, 0, 256)
	b = header(b, s.ID, string(s.Kind), s.Form, s.Country, s.SubJurisdiction, s.Date, s.Created, s.Updated)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(s.Version), 10)
	b = trailer(b, s.Deleted, s.Import)
	if len(s.Brief) > 0 {
		b = append(b, `,"brief":`...)
		b = appendJSONStrings(b, s.Brief)
	}
	return append(b, '}'), nil
}

// header writes the fields Record and Summary begin with, in their order.
func header(b []byte, id, kind, form, country, sub, date string, created, updated time.Time) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, id)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, kind)
	b = append(b, `,"form":`...)
	b = appendJSONString(b, form)
	b = append(b, `,"country":`...)
	b = appendJSONString(b, country)
	if sub != "" {
		b = append(b, `,"sub_jurisdiction":`...)
		b = appendJSONString(b, sub)
	}
	b = append(b, `,"date":`...)
	b = appendJSONString(b, date)
	b = append(b, `,"created":"`...)
	b = created.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","updated":"`...)
	b = updated.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

func trailer(b []byte, deleted bool, imp string) []byte {
	if deleted {
		b = append(b, `,"deleted":true`...)
	}
	if imp != "" {
		b = append(b, `,"import":`...)
		b = appendJSONString(b, imp)
	}
	return b
}

// plainTime reports whether t is written by time.Time's MarshalJSON as
// AppendFormat(RFC3339Nano) writes it: a year 0..9999 and an offset of
// whole minutes under 24 hours (what stamp gives, and decode reads back).
func plainTime(t time.Time) bool {
	_, off := t.Zone()
	return t.Year() >= 0 && t.Year() <= 9999 && off%60 == 0 && off > -24*3600 && off < 24*3600
}

// appendJSONMap writes m with its keys sorted, as Marshal does.
func appendJSONMap[M ~map[string]any](b []byte, m M) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		if b, err = appendJSONValue(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONValue writes the values answers and indicators hold; any
// other one (an object, a list of numbers, another number type) is
// Marshal's.
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return appendJSONString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float64:
		// Marshal writes 'e' notation outside [1e-6, 1e21) and refuses
		// NaN and infinities: those are its to write.
		if abs := math.Abs(x); abs == 0 || abs >= 1e-6 && abs < 1e21 {
			return strconv.AppendFloat(b, x, 'f', -1, 64), nil
		}
	case []string:
		if x != nil {
			return appendJSONStrings(b, x), nil
		}
	case []any:
		if x != nil && allStrings(x) {
			b = append(b, '[')
			for i, e := range x {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendJSONString(b, e.(string))
			}
			return append(b, ']'), nil
		}
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}

func allStrings(l []any) bool {
	for _, e := range l {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

func appendJSONStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString writes s between quotes as it is when Marshal would
// escape none of it: printable ASCII but " \ < > &, and valid UTF-8 but
// U+2028 and U+2029. Any other string is Marshal's.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, s string) []byte {
	enc, _ := json.Marshal(s) // a string always encodes
	return append(b, enc...)
}
