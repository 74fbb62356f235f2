package sdk

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Caps on a form's schema, so that a plugin cannot hand the host a
// description that costs more to hold than a form needs.
const (
	MaxFields  = 200  // fields on one form
	MaxOptions = 200  // options of one choice or set field
	MaxLabel   = 1000 // characters of one label or help text
)

var (
	idPattern      = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	formIDPattern  = regexp.MustCompile(`^([a-z]{2})\.([a-z][a-z0-9_]{0,63})$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	valuePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)
)

// CheckFormInfo checks that a form description is well made: the id is
// "<country>.<name>" in lower case and its country matches Country (ISO
// 3166-1 alpha-2, upper case); the version is 1 or more; the kind is one of
// Kinds; fields have unique snake_case ids and a known type; choice and set
// fields have unique options (lower-case values such as "art_388"), other
// fields none; Min is not above Max; MaxLen is not negative; every field
// and option has an English label. The host runs it on what a plugin
// describes; every error names the form and the field.
func CheckFormInfo(fi FormInfo) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	m := formIDPattern.FindStringSubmatch(fi.ID)
	switch {
	case m == nil:
		bad("form id %q must be <country>.<name> in lower case, e.g. rs.judgment", clip(fi.ID, 80))
	case !countryPattern.MatchString(fi.Country):
		bad("form %s: country %q must be an ISO 3166-1 alpha-2 code in upper case, e.g. RS", fi.ID, clip(fi.Country, 8))
	case strings.ToUpper(m[1]) != fi.Country:
		bad("form %s: id must start with its country %s in lower case", fi.ID, fi.Country)
	}
	ref := clip(fi.ID, 80)
	if fi.Version < 1 {
		bad("form %s: version %d must be 1 or more", ref, fi.Version)
	}
	if !slices.Contains(Kinds, fi.Kind) {
		bad("form %s: kind %q must be one of %s", ref, clip(string(fi.Kind), 32), kindList())
	}
	if err := checkLabel(fi.Title); err != nil {
		bad("form %s: title: %w", ref, err)
	}
	if utf8.RuneCountInString(fi.CodeVersion) > MaxLabel || !utf8.ValidString(fi.CodeVersion) {
		bad("form %s: code_version must be valid UTF-8 of at most %d characters", ref, MaxLabel)
	}
	if len(fi.Fields) == 0 || len(fi.Fields) > MaxFields {
		bad("form %s: must have 1..%d fields, has %d", ref, MaxFields, len(fi.Fields))
	}
	seen := map[string]bool{}
	for i, f := range fi.Fields {
		if i >= MaxFields {
			break
		}
		if err := checkField(f); err != nil {
			bad("form %s: field %d: %w", ref, i+1, err)
		}
		if seen[f.ID] {
			bad("form %s: field id %q appears twice", ref, clip(f.ID, 64))
		}
		seen[f.ID] = true
	}
	return errors.Join(errs...)
}

func checkField(f Field) error {
	if !idPattern.MatchString(f.ID) {
		return fmt.Errorf("id %q must be snake_case (a-z, 0-9, _), at most 64 characters", clip(f.ID, 64))
	}
	wrap := func(err error) error { return fmt.Errorf("%s: %w", f.ID, err) }
	if err := checkLabel(f.Label); err != nil {
		return wrap(fmt.Errorf("label: %w", err))
	}
	if f.Help != nil {
		if err := checkLabel(f.Help); err != nil {
			return wrap(fmt.Errorf("help: %w", err))
		}
	}
	switch f.Type {
	case TypeString, TypeText, TypeInt, TypeNumber, TypeBool, TypeDate, TypeChoice, TypeSet:
	default:
		return wrap(fmt.Errorf("type %q must be one of string, text, int, number, bool, date, choice, set", clip(string(f.Type), 32)))
	}
	hasOptions := f.Type == TypeChoice || f.Type == TypeSet
	switch {
	case hasOptions && (len(f.Options) == 0 || len(f.Options) > MaxOptions):
		return wrap(fmt.Errorf("a %s field must have 1..%d options, has %d", f.Type, MaxOptions, len(f.Options)))
	case !hasOptions && len(f.Options) > 0:
		return wrap(fmt.Errorf("a %s field must not have options", f.Type))
	}
	values := map[string]bool{}
	for _, o := range f.Options {
		if !valuePattern.MatchString(o.Value) {
			return wrap(fmt.Errorf("option value %q must be lower case a-z, 0-9, _ . -, at most 64 characters", clip(o.Value, 64)))
		}
		if values[o.Value] {
			return wrap(fmt.Errorf("option %q appears twice", o.Value))
		}
		values[o.Value] = true
		if err := checkLabel(o.Label); err != nil {
			return wrap(fmt.Errorf("option %s: label: %w", o.Value, err))
		}
	}
	isNumber := f.Type == TypeInt || f.Type == TypeNumber
	if !isNumber && (f.Min != nil || f.Max != nil) {
		return wrap(fmt.Errorf("a %s field must not have min or max", f.Type))
	}
	for _, b := range []*float64{f.Min, f.Max} {
		if b != nil && (math.IsNaN(*b) || math.IsInf(*b, 0)) {
			return wrap(errors.New("min and max must be finite"))
		}
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		return wrap(fmt.Errorf("min %s is above max %s", num(*f.Min), num(*f.Max)))
	}
	if f.MaxLen < 0 || (f.MaxLen > 0 && f.Type != TypeString && f.Type != TypeText) {
		return wrap(errors.New("max_len must be 0 or more, and only on string and text fields"))
	}
	return nil
}

func checkLabel(l Label) error {
	if l["en"] == "" {
		return errors.New(`must have an English ("en") text`)
	}
	if len(l) > 32 {
		return fmt.Errorf("has %d languages, at most 32 allowed", len(l))
	}
	for lang, s := range l {
		if !utf8.ValidString(lang) || !utf8.ValidString(s) {
			return errors.New("must be valid UTF-8")
		}
		if len(lang) > 35 || utf8.RuneCountInString(s) > MaxLabel {
			return fmt.Errorf("%q text must be at most %d characters", clip(lang, 35), MaxLabel)
		}
		if s == "" {
			// Label.In would show nothing in that language rather than
			// fall back to English.
			return fmt.Errorf("%q text is empty; leave the language out to fall back to English", clip(lang, 35))
		}
	}
	return nil
}

// CheckVersions checks the forms one plugin serves, as a whole: each is
// well made (CheckFormInfo); no id and version appears twice; the versions
// of one id run 1, 2, … without gaps (a plugin keeps serving every version
// it shipped, see Spec); and all versions of one id share its kind and
// country.
func CheckVersions(forms []FormInfo) error {
	var errs []error
	byID := map[string][]FormInfo{}
	for _, fi := range forms {
		if err := CheckFormInfo(fi); err != nil {
			errs = append(errs, err)
			continue
		}
		byID[fi.ID] = append(byID[fi.ID], fi)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		vs := byID[id]
		slices.SortFunc(vs, func(a, b FormInfo) int { return a.Version - b.Version })
		for i, fi := range vs {
			switch {
			case i > 0 && fi.Version == vs[i-1].Version:
				errs = append(errs, fmt.Errorf("form %s is served twice", fi.Ref()))
			case fi.Version != i+1:
				errs = append(errs, fmt.Errorf("form %s: versions must run 1, 2, … without gaps; version %d is missing", id, i+1))
			}
			if fi.Kind != vs[0].Kind || fi.Country != vs[0].Country {
				errs = append(errs, fmt.Errorf("form %s: kind and country must stay %s, %s across versions", fi.Ref(), vs[0].Kind, vs[0].Country))
			}
			if len(errs) > MaxFieldErrors {
				return errors.Join(errs...)
			}
		}
	}
	return errors.Join(errs...)
}
