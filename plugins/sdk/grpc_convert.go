package sdk

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	formpb "github.com/kolo-net/kolo/plugins/sdk/proto"
)

// Conversions between the SDK's types and their wire messages. They are
// written out by hand because the SDK's types are the public contract and
// the messages only carry them; each direction checks what the other side
// could get wrong.

func formInfoToPB(fi FormInfo) (*formpb.FormInfo, error) {
	if fi.Version < 1 || fi.Version > math.MaxInt32 {
		return nil, fmt.Errorf("form %s: version %d: must be 1..%d", fi.ID, fi.Version, math.MaxInt32)
	}
	out := &formpb.FormInfo{
		Id:          fi.ID,
		Version:     int32(fi.Version),
		Kind:        string(fi.Kind),
		Country:     fi.Country,
		CodeVersion: fi.CodeVersion,
		Title:       fi.Title,
		Fields:      make([]*formpb.Field, len(fi.Fields)),
	}
	for i, f := range fi.Fields {
		if f.MaxLen < 0 || f.MaxLen > math.MaxInt32 {
			return nil, fmt.Errorf("form %s field %s: max_len %d: must be 0..%d", fi.ID, f.ID, f.MaxLen, math.MaxInt32)
		}
		pf := &formpb.Field{
			Id:       f.ID,
			Type:     string(f.Type),
			Required: f.Required,
			Label:    f.Label,
			Help:     f.Help,
			Min:      f.Min,
			Max:      f.Max,
			MaxLen:   int32(f.MaxLen),
			Personal: f.Personal,
			FreeText: f.FreeText,
		}
		for _, o := range f.Options {
			pf.Options = append(pf.Options, &formpb.Option{Value: o.Value, Label: o.Label})
		}
		out.Fields[i] = pf
	}
	return out, nil
}

func formInfoFromPB(p *formpb.FormInfo) FormInfo {
	fi := FormInfo{
		ID:          p.GetId(),
		Version:     int(p.GetVersion()),
		Kind:        Kind(p.GetKind()),
		Country:     p.GetCountry(),
		CodeVersion: p.GetCodeVersion(),
		Title:       Label(p.GetTitle()),
		Fields:      make([]Field, len(p.GetFields())),
	}
	for i, pf := range p.GetFields() {
		f := Field{
			ID:       pf.GetId(),
			Type:     FieldType(pf.GetType()),
			Required: pf.GetRequired(),
			Label:    Label(pf.GetLabel()),
			Help:     Label(pf.GetHelp()),
			Min:      pf.Min,
			Max:      pf.Max,
			MaxLen:   int(pf.GetMaxLen()),
			Personal: pf.GetPersonal(),
			FreeText: pf.GetFreeText(),
		}
		for _, o := range pf.GetOptions() {
			f.Options = append(f.Options, Option{Value: o.GetValue(), Label: Label(o.GetLabel())})
		}
		fi.Fields[i] = f
	}
	return fi
}

// commonToPB encodes a plugin's indicators, in name order, in the types
// wireIndicator accepts and gives. A nil value is an absent indicator.
func commonToPB(c Common) ([]*formpb.Indicator, error) {
	names := make([]string, 0, len(c))
	for name, v := range c {
		if v != nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := make([]*formpb.Indicator, len(names))
	msgs := make([]formpb.Indicator, len(names)) // one allocation for all indicators
	for i, name := range names {
		pi := &msgs[i]
		pi.Name = name
		w, err := wireIndicator(name, c[name])
		if err != nil {
			return nil, err
		}
		switch x := w.(type) {
		case int64:
			pi.Value = intValue(x)
		case float64:
			pi.Value = &formpb.Indicator_Number{Number: x}
		case bool:
			pi.Value = &formpb.Indicator_Bool{Bool: x}
		case string:
			pi.Value = &formpb.Indicator_String_{String_: x}
		case []string:
			pi.Value = stringsValue(x)
		}
		out[i] = pi
	}
	return out, nil
}

func intValue(i int64) *formpb.Indicator_Int { return &formpb.Indicator_Int{Int: i} }

func stringsValue(ss []string) *formpb.Indicator_Strings {
	return &formpb.Indicator_Strings{Strings: &formpb.Strings{Values: ss}}
}

// commonFromPB decodes indicators into the types Common documents: int64,
// float64, bool, string or []string. A name given twice is an error.
func commonFromPB(inds []*formpb.Indicator) (Common, error) {
	if len(inds) == 0 {
		return nil, nil
	}
	c := make(Common, len(inds))
	for _, pi := range inds {
		name := pi.GetName()
		if _, dup := c[name]; dup {
			return nil, fmt.Errorf("indicator %s: given twice", clip(name, 64))
		}
		switch v := pi.GetValue().(type) {
		case *formpb.Indicator_Int:
			c[name] = v.Int
		case *formpb.Indicator_Number:
			c[name] = v.Number
		case *formpb.Indicator_Bool:
			c[name] = v.Bool
		case *formpb.Indicator_String_:
			c[name] = v.String_
		case *formpb.Indicator_Strings:
			ss := v.Strings.GetValues()
			if ss == nil {
				ss = []string{}
			}
			c[name] = ss
		default:
			return nil, fmt.Errorf("indicator %s: no value", clip(name, 64))
		}
	}
	return c, nil
}

func fieldErrorsToPB(errs []FieldError) []*formpb.FieldError {
	out := make([]*formpb.FieldError, len(errs))
	for i, e := range errs {
		out[i] = &formpb.FieldError{Field: e.Field, Rule: e.Rule, Got: e.Got, Code: e.Code, Args: e.Args}
	}
	return out
}

func fieldErrorsFromPB(errs []*formpb.FieldError) []FieldError {
	if len(errs) == 0 {
		return nil
	}
	out := make([]FieldError, len(errs))
	for i, e := range errs {
		out[i] = FieldError{Field: e.GetField(), Rule: e.GetRule(), Got: e.GetGot(), Code: e.GetCode(), Args: e.GetArgs()}
	}
	return out
}

// answersToPB encodes one record's answers: the JSON types answers hold as
// typed values, anything else as its JSON text. Field names and texts must
// be valid UTF-8 (sdk.DecodeAnswers guarantees it for answers read from a
// file or a request).
func answersToPB(a Answers) (*formpb.Record, error) {
	rec := &formpb.Record{Answers: make([]*formpb.Answer, 0, len(a))}
	msgs := make([]formpb.Answer, len(a)) // one allocation for all answers
	for field, v := range a {
		if !utf8.ValidString(field) {
			return nil, fmt.Errorf("field name %q is not valid UTF-8", clip(field, 64))
		}
		pa := &msgs[len(rec.Answers)]
		pa.Field = field
		switch x := v.(type) {
		case nil:
			pa.Value = &formpb.Answer_Null{Null: true}
		case float64:
			pa.Value = &formpb.Answer_Number{Number: x}
		case bool:
			pa.Value = &formpb.Answer_Bool{Bool: x}
		case string:
			if !utf8.ValidString(x) {
				return nil, fmt.Errorf("field %s: text is not valid UTF-8", clip(field, 64))
			}
			pa.Value = &formpb.Answer_String_{String_: x}
		case []string:
			pa.Value = &formpb.Answer_Strings{Strings: &formpb.Strings{Values: x}}
		default:
			if ss, ok := stringList(v); ok && validStrings(ss) {
				pa.Value = &formpb.Answer_Strings{Strings: &formpb.Strings{Values: ss}}
				break
			}
			if n, ok := number(v); ok {
				pa.Value = &formpb.Answer_Number{Number: n}
				break
			}
			raw, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("field %s: %w", clip(field, 64), err)
			}
			pa.Value = &formpb.Answer_Json{Json: raw}
		}
		rec.Answers = append(rec.Answers, pa)
	}
	return rec, nil
}

func validStrings(ss []string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// answersFromPB decodes one record's answers into the types encoding/json
// gives (string, float64, bool, nil, []any, map[string]any), so that a
// form sees the same values in a plugin as in-process.
func answersFromPB(rec *formpb.Record) (Answers, error) {
	a := make(Answers, len(rec.GetAnswers()))
	for _, pa := range rec.GetAnswers() {
		field := pa.GetField()
		if _, dup := a[field]; dup {
			return nil, fmt.Errorf("field %s is answered twice", clip(field, 64))
		}
		switch v := pa.GetValue().(type) {
		case *formpb.Answer_Null:
			a[field] = nil
		case *formpb.Answer_Number:
			a[field] = v.Number
		case *formpb.Answer_Bool:
			a[field] = v.Bool
		case *formpb.Answer_String_:
			a[field] = v.String_
		case *formpb.Answer_Strings:
			l := make([]any, len(v.Strings.GetValues()))
			for i, s := range v.Strings.GetValues() {
				l[i] = s
			}
			a[field] = l
		case *formpb.Answer_Json:
			var x any
			if err := json.Unmarshal(v.Json, &x); err != nil {
				return nil, fmt.Errorf("field %s: value is not JSON: %v", clip(field, 64), err)
			}
			a[field] = x
		default:
			return nil, fmt.Errorf("field %s: no value", clip(field, 64))
		}
	}
	return a, nil
}
