package sdk

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// IndicatorField returns a field that asks for the common indicator called
// name of kind k directly: its id is the indicator's name (so MapByName
// maps it with no code), its label and closed list are the catalogue's in
// every language, and its type and range follow the indicator's type:
//
//	count, days, months → TypeInt, 0..Max
//	eur                 → TypeNumber, 0..Max
//	bool, date          → TypeBool, TypeDate
//	enum, set           → TypeChoice, TypeSet with the indicator's options
//	string              → TypeString
//
// Country forms use it for every question that is the same everywhere and
// write out only what is their own (the articles of their criminal code).
// It panics when the catalogue has no such indicator: forms are built when
// their package loads, so a misspelt name fails every test at once.
func IndicatorField(k Kind, name string) Field {
	ind, ok := LookupIndicator(k, name)
	if !ok {
		panic(fmt.Sprintf("sdk.IndicatorField: kind %s has no indicator %q", k, name))
	}
	f := Field{ID: ind.Name, Label: ind.Label, Options: ind.Options}
	switch ind.Type {
	case IndicatorCount, IndicatorDays, IndicatorMonths:
		f.Type = TypeInt
		f.Min, f.Max = ptr(0), ptr(ind.Max)
	case IndicatorEUR:
		f.Type = TypeNumber
		f.Min, f.Max = ptr(0), ptr(ind.Max)
	case IndicatorBool:
		f.Type = TypeBool
	case IndicatorDate:
		f.Type = TypeDate
	case IndicatorEnum:
		f.Type = TypeChoice
	case IndicatorSet:
		f.Type = TypeSet
	case IndicatorString:
		f.Type = TypeString
		f.MaxLen = MaxIndicatorStringLen
	}
	return f
}

func ptr(f float64) *float64 { return &f }

// Require returns the field marked required.
func (f Field) Require() Field {
	f.Required = true
	return f
}

// WithLabel returns the field with its label replaced, for a country whose
// legal wording differs from the catalogue's.
func (f Field) WithLabel(l Label) Field {
	f.Label = l
	return f
}

// WithHelp returns the field with a help text.
func (f Field) WithHelp(l Label) Field {
	f.Help = l
	return f
}

// Only returns a choice or set field restricted to the listed values of
// its options, in the order given; a form uses it when some values of a
// common list cannot occur in its country. It panics on a value the field
// does not have.
func (f Field) Only(values ...string) Field {
	opts := make([]Option, 0, len(values))
	for _, v := range values {
		found := false
		for _, o := range f.Options {
			if o.Value == v {
				opts = append(opts, o)
				found = true
				break
			}
		}
		if !found {
			panic(fmt.Sprintf("sdk.Field.Only: field %s has no option %q", f.ID, v))
		}
	}
	f.Options = opts
	return f
}

// NotesField returns an optional free-text field for the monitor's notes,
// labelled in every language. Its content never leaves the node.
func NotesField(id string) Field {
	return Field{
		ID:       id,
		Type:     TypeText,
		FreeText: true,
		Label:    l6("Notes", "Napomene", "Napomene", "Napomene", "Забелешки"),
		Help: l6("Never shared with other partners.", "Nikada se ne deli sa drugim partnerima.",
			"Nikada se ne dijeli s drugim partnerima.", "Nikada se ne dijeli s drugim partnerima.",
			"Никогаш не се споделува со другите партнери."),
	}
}

// IndicatorFields returns IndicatorField for each of names, in order; with
// no names, for every indicator of kind k that is not derived.
func IndicatorFields(k Kind, names ...string) []Field {
	if len(names) == 0 {
		for _, ind := range catalogue[k] {
			if !ind.Derived {
				names = append(names, ind.Name)
			}
		}
	}
	out := make([]Field, len(names))
	for i, n := range names {
		out[i] = IndicatorField(k, n)
	}
	return out
}

// FieldSubJurisdiction is the id of the field that names the legal system
// of a record in a country with more than one (Bosnia and Herzegovina:
// the state, the Federation, Republika Srpska, Brčko District). The record
// keeps its answer as the record's sub-jurisdiction; it is not a common
// indicator, since it means nothing across countries.
const FieldSubJurisdiction = "sub_jurisdiction"

// SubJurisdictionField returns the required sub_jurisdiction field of
// Bosnia and Herzegovina's forms: state, fbih, rs, brcko.
func SubJurisdictionField() Field {
	return Field{
		ID:       FieldSubJurisdiction,
		Type:     TypeChoice,
		Required: true,
		Label:    l6("Jurisdiction", "Nadležnost", "Nadležnost", "Nadležnost", "Надлежност"),
		Options: []Option{
			opt("state", l6("State of Bosnia and Herzegovina", "Država Bosna i Hercegovina", "Država Bosna i Hercegovina", "Država Bosna i Hercegovina", "Држава Босна и Херцеговина")),
			opt("fbih", l6("Federation of Bosnia and Herzegovina", "Federacija Bosne i Hercegovine", "Federacija Bosne i Hercegovine", "Federacija Bosne i Hercegovine", "Федерација на Босна и Херцеговина")),
			opt("rs", l6("Republika Srpska", "Republika Srpska", "Republika Srpska", "Republika Srpska", "Република Српска")),
			opt("brcko", l6("Brčko District", "Brčko distrikt", "Brčko distrikt", "Brčko distrikt", "Брчко дистрикт")),
		},
	}
}

// InLanguages returns the field with its label, help text and option
// labels cut down to langs (BCP 47 tags, "en" among them), for a form in
// fewer languages than the catalogue carries: a country that shares a
// language with another reuses the catalogue's texts in it, as
// Montenegro's forms may keep the catalogue's English and Serbian labels
// (sdk.IndicatorField(k, name).InLanguages("en", "sr-Latn", "sr-Cyrl")).
// It panics when a text has no entry in one of langs: forms are built when
// their package loads, so the gap fails every test at once.
func (f Field) InLanguages(langs ...string) Field {
	f.Label = f.Label.in(f.ID, langs)
	if f.Help != nil {
		f.Help = f.Help.in(f.ID+" help", langs)
	}
	if f.Options != nil {
		opts := make([]Option, len(f.Options))
		for i, o := range f.Options {
			opts[i] = Option{Value: o.Value, Label: o.Label.in(f.ID+" option "+o.Value, langs)}
		}
		f.Options = opts
	}
	return f
}

// in returns the label's texts in langs only; what names the text in the
// panic message.
func (l Label) in(what string, langs []string) Label {
	out := make(Label, len(langs))
	for _, lang := range langs {
		text, ok := l[lang]
		if !ok || text == "" {
			panic(fmt.Sprintf("sdk.Field.InLanguages: %s has no %q text (it has %s)", what, lang, strings.Join(slices.Sorted(maps.Keys(l)), ", ")))
		}
		out[lang] = text
	}
	return out
}
