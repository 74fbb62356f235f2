package sdk

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	formpb "github.com/kolo-net/kolo/plugins/sdk/proto"
)

// The packed batch of CheckPacked (form.proto, message Packed): maps of
// answers or indicators laid out in columns. protobuf still frames the
// message and checks its text; the columns are written and read here by
// hand because a message per value (Check's Answer and Indicator) costs
// several allocations per value on each side, which made the wire the
// larger part of checking an imported row.

// FeatureCheckPacked is the feature a plugin lists in its Describe
// response when it serves CheckPacked.
const FeatureCheckPacked = "check_packed"

// packer builds one Packed message, map after map.
type packer struct {
	p     formpb.Packed
	index map[string]uint32
	text  strings.Builder
	types []byte
}

func newPacker() *packer { return &packer{index: map[string]uint32{}} }

// key appends name as the next key and returns its encoded size.
func (k *packer) key(name string, t formpb.ValueType) int {
	i, ok := k.index[name]
	if !ok {
		i = uint32(len(k.p.Names))
		k.index[name] = i
		k.p.Names = append(k.p.Names, name)
	}
	k.p.Keys = append(k.p.Keys, i)
	k.types = append(k.types, byte(t))
	return len(name) + 3
}

// str appends a text and returns its encoded size.
func (k *packer) str(s string) int {
	k.text.WriteString(s)
	k.p.Lengths = append(k.p.Lengths, uint32(len(s)))
	return len(s) + 2
}

func (k *packer) strs(ss []string) int {
	k.p.Lengths = append(k.p.Lengths, uint32(len(ss)))
	n := 1
	for _, s := range ss {
		n += k.str(s)
	}
	return n
}

// answers appends one record's answers, typed as answersToPB types them,
// and returns the size they take in the message (their keys' names
// counted in full, as Check's Record counts them), for the caps.
func (k *packer) answers(a Answers) (int, error) {
	size := 0
	for field, v := range a {
		if !utf8.ValidString(field) {
			return 0, fmt.Errorf("field name %q is not valid UTF-8", clip(field, 64))
		}
		switch x := v.(type) {
		case nil:
			size += k.key(field, formpb.ValueType_VALUE_NULL)
		case float64:
			size += k.key(field, formpb.ValueType_VALUE_NUMBER) + 8
			k.p.Numbers = append(k.p.Numbers, x)
		case bool:
			t := formpb.ValueType_VALUE_FALSE
			if x {
				t = formpb.ValueType_VALUE_TRUE
			}
			size += k.key(field, t)
		case string:
			if !utf8.ValidString(x) {
				return 0, fmt.Errorf("field %s: text is not valid UTF-8", clip(field, 64))
			}
			size += k.key(field, formpb.ValueType_VALUE_STRING) + k.str(x)
		default:
			if ss, ok := stringList(v); ok && validStrings(ss) {
				size += k.key(field, formpb.ValueType_VALUE_STRINGS) + k.strs(ss)
				break
			}
			if n, ok := number(v); ok {
				size += k.key(field, formpb.ValueType_VALUE_NUMBER) + 8
				k.p.Numbers = append(k.p.Numbers, n)
				break
			}
			raw, err := json.Marshal(v)
			if err != nil {
				return 0, fmt.Errorf("field %s: %w", clip(field, 64), err)
			}
			size += k.key(field, formpb.ValueType_VALUE_JSON) + k.str(string(raw))
		}
	}
	k.p.Counts = append(k.p.Counts, uint32(len(a)))
	return size, nil
}

// common appends one record's indicators (none for a nil c), in the wire
// types commonToPB gives them.
func (k *packer) common(c Common) error {
	n := 0
	for name, v := range c {
		w, err := wireIndicator(name, v)
		if err != nil {
			return err
		}
		switch x := w.(type) {
		case nil:
			continue // an absent indicator
		case int64:
			k.key(name, formpb.ValueType_VALUE_INT)
			k.p.Ints = append(k.p.Ints, x)
		case float64:
			k.key(name, formpb.ValueType_VALUE_NUMBER)
			k.p.Numbers = append(k.p.Numbers, x)
		case bool:
			t := formpb.ValueType_VALUE_FALSE
			if x {
				t = formpb.ValueType_VALUE_TRUE
			}
			k.key(name, t)
		case string:
			k.key(name, formpb.ValueType_VALUE_STRING)
			k.str(x)
		case []string:
			k.key(name, formpb.ValueType_VALUE_STRINGS)
			k.strs(x)
		}
		n++
	}
	k.p.Counts = append(k.p.Counts, uint32(n))
	return nil
}

// packed returns the message built; the packer is spent.
func (k *packer) packed() *formpb.Packed {
	k.p.Types = k.types
	k.p.Text = k.text.String()
	return &k.p
}

// unpacker reads the maps of a Packed message in order, checking every
// index and length against what the message holds.
type unpacker struct {
	p                          *formpb.Packed
	key, num, int_, len_, text int
	answers                    bool // answers (NULL, JSON; lists as []any) or indicators (INT; lists as []string)
}

var errTruncated = errors.New("packed values end early")

// unpackMaps checks p's layout and returns its maps. With answers set, the
// maps hold answers as answersFromPB gives them; otherwise indicators as
// commonFromPB gives them (an empty map as nil).
func unpackMaps(p *formpb.Packed, answers bool) ([]map[string]any, error) {
	if len(p.GetKeys()) != len(p.GetTypes()) {
		return nil, fmt.Errorf("packed values: %d keys with %d types", len(p.GetKeys()), len(p.GetTypes()))
	}
	total := 0
	for _, n := range p.GetCounts() {
		total += int(n)
		if total > len(p.GetKeys()) {
			return nil, fmt.Errorf("packed values: the maps hold more keys than the %d given", len(p.GetKeys()))
		}
	}
	if total != len(p.GetKeys()) {
		return nil, fmt.Errorf("packed values: the maps hold %d keys, %d are given", total, len(p.GetKeys()))
	}
	u := &unpacker{p: p, answers: answers}
	out := make([]map[string]any, len(p.GetCounts()))
	for i, n := range p.GetCounts() {
		m, err := u.next(int(n))
		if err != nil {
			return nil, fmt.Errorf("map %d: %w", i, err)
		}
		out[i] = m
	}
	if u.num != len(p.GetNumbers()) || u.int_ != len(p.GetInts()) || u.len_ != len(p.GetLengths()) || u.text != len(p.GetText()) {
		return nil, errors.New("packed values: numbers, integers, lengths or text left over")
	}
	return out, nil
}

// next reads a map of n keys.
func (u *unpacker) next(n int) (map[string]any, error) {
	if n == 0 && !u.answers {
		return nil, nil
	}
	m := make(map[string]any, n)
	for range n {
		ki, t := u.p.Keys[u.key], formpb.ValueType(u.p.Types[u.key])
		u.key++
		if int(ki) >= len(u.p.GetNames()) {
			return nil, fmt.Errorf("key %d of %d names", ki, len(u.p.GetNames()))
		}
		name := u.p.Names[ki]
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("%s is given twice", clip(name, 64))
		}
		v, err := u.value(t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", clip(name, 64), err)
		}
		m[name] = v
	}
	return m, nil
}

func (u *unpacker) value(t formpb.ValueType) (any, error) {
	switch t {
	case formpb.ValueType_VALUE_NUMBER:
		if u.num == len(u.p.GetNumbers()) {
			return nil, errTruncated
		}
		u.num++
		return u.p.Numbers[u.num-1], nil
	case formpb.ValueType_VALUE_FALSE, formpb.ValueType_VALUE_TRUE:
		return t == formpb.ValueType_VALUE_TRUE, nil
	case formpb.ValueType_VALUE_STRING:
		return u.str()
	case formpb.ValueType_VALUE_STRINGS:
		if u.len_ == len(u.p.GetLengths()) {
			return nil, errTruncated
		}
		n := int(u.p.Lengths[u.len_])
		u.len_++
		if n > len(u.p.GetLengths())-u.len_ {
			return nil, errTruncated
		}
		ss := make([]string, n)
		for i := range ss {
			s, err := u.str()
			if err != nil {
				return nil, err
			}
			ss[i] = s
		}
		if !u.answers {
			return ss, nil
		}
		l := make([]any, n)
		for i, s := range ss {
			l[i] = s
		}
		return l, nil
	case formpb.ValueType_VALUE_NULL:
		if u.answers {
			return nil, nil
		}
	case formpb.ValueType_VALUE_JSON:
		if u.answers {
			s, err := u.str()
			if err != nil {
				return nil, err
			}
			var x any
			if err := json.Unmarshal([]byte(s), &x); err != nil {
				return nil, fmt.Errorf("value is not JSON: %v", err)
			}
			return x, nil
		}
	case formpb.ValueType_VALUE_INT:
		if !u.answers {
			if u.int_ == len(u.p.GetInts()) {
				return nil, errTruncated
			}
			u.int_++
			return u.p.Ints[u.int_-1], nil
		}
	}
	what := "an indicator"
	if u.answers {
		what = "an answer"
	}
	return nil, fmt.Errorf("value type %d is not one %s takes", t, what)
}

// str takes the next text. Its end must fall between two characters, so
// that the text, valid UTF-8 as a whole, is valid in its parts too.
func (u *unpacker) str() (string, error) {
	if u.len_ == len(u.p.GetLengths()) {
		return "", errTruncated
	}
	n := int(u.p.Lengths[u.len_])
	u.len_++
	text := u.p.GetText()
	if n > len(text)-u.text {
		return "", errTruncated
	}
	end := u.text + n
	if end < len(text) && !utf8.RuneStart(text[end]) {
		return "", errors.New("a text is cut inside a character")
	}
	s := text[u.text:end]
	u.text = end
	return s, nil
}

// packedAnswers is unpackMaps for answers.
func packedAnswers(p *formpb.Packed) ([]Answers, error) {
	ms, err := unpackMaps(p, true)
	if err != nil {
		return nil, err
	}
	out := make([]Answers, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out, nil
}

// wireIndicator returns an indicator's value in the type it crosses the
// wire in: int64, float64, bool, string or []string, or nil for an absent
// one. It accepts the Go types a plugin is likely to produce (any integer
// or float type, []any of strings as decoded from JSON) and rejects the
// rest, naming the indicator.
func wireIndicator(name string, v any) (any, error) {
	switch x := v.(type) {
	case nil, int64, float64, bool, string, []string:
		return x, nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return nil, fmt.Errorf("indicator %s: %d is out of the int64 range", name, x)
		}
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return nil, fmt.Errorf("indicator %s: %d is out of the int64 range", name, x)
		}
		return int64(x), nil
	case float32:
		return float64(x), nil
	case []any:
		ss := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("indicator %s: element %d is %T; a list holds strings only", name, i, e)
			}
			ss[i] = s
		}
		return ss, nil
	}
	return nil, fmt.Errorf("indicator %s: value of type %T; allowed: integer, float, bool, string, []string", name, v)
}
