package sdk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Rule is a check across several answers of one record, such as "the
// decision is not dated before the indictment". Rules run only on answers
// that passed the per-field checks of ValidateAnswers, so a Rule may rely
// on every present answer having its field's type and range; it must
// tolerate absent answers. (A record with both kinds of fault is told of
// its field errors first, and of broken rules once those are fixed.) See
// DateNotBefore, NotMoreThan and OnlyWhen for ready-made rules.
type Rule func(a Answers) []FieldError

// Spec declares one version of one form: its schema, its cross-field rules
// and its mapping onto the common indicators. A Spec is a Form, so a
// country plugin is a list of Specs:
//
//	var judgmentV1 = sdk.Spec{
//		Info: sdk.FormInfo{ID: "al.judgment", Version: 1, Kind: sdk.KindJudgment, ...},
//		Rules: []sdk.Rule{sdk.DateNotBefore("decision_date", "indictment_date")},
//		Map:   mapJudgment, // func(fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error)
//	}
//
// Validate runs ValidateAnswers and, when it finds nothing, Rules.
// Normalize refuses answers that do not validate, runs Map (or MapByName
// when Map is nil), adds the derived indicators (DeriveIndicators) and
// checks the result with CheckCommon, so a Spec can never hand the host an
// indicator that does not exist or a value outside its list.
//
// # Form evolution
//
// Every record keeps the reference of the form version it was entered with
// ("rs.judgment@1"). The rule that keeps old records readable and their
// indicators computable is:
//
//   - A plugin serves every version of a form it has ever shipped. A
//     shipped version is never changed in a way that alters what it accepts
//     or how it maps; a change is a new version, listed next to the old one.
//   - The host validates and normalises a record with exactly the version
//     the record names, so a record entered on version 1 is read with the
//     version 1 schema and mapped by the version 1 Map, whatever versions
//     came after it.
//   - A new version is usually the old one plus fields (Spec.Next); it may
//     reuse the old Map and Rules. Versions of one form id are numbered
//     1, 2, 3 … without gaps and keep the id's kind and country
//     (CheckVersions enforces this).
//
// Fixing a wrong mapping of a shipped version is the one allowed change to
// an old version's Map: it recomputes the indicators of its old records,
// which is what a fix is for. A record whose version its plugin no longer
// serves cannot be validated or mapped again; the host is to report that form
// version as missing rather than read the record with another version.
// The built-in forms pin every shipped version's schema in golden files
// (plugins/forms/*/testdata/*.schema.json), so changing one fails a test.
type Spec struct {
	Info FormInfo
	// Rules are the form's cross-field rules, run in order after the
	// per-field checks.
	Rules []Rule
	// Map maps valid answers onto common indicators. It is handed the
	// Spec's own Info, so a Map shared by several versions (Next) maps
	// the fields of the version at hand; most start with MapByName(fi, a).
	// Nil means MapByName alone.
	Map func(fi FormInfo, a Answers) (Common, error)
	// Now returns the current time, against which dates "in the future" are
	// refused. Nil means time.Now. Tests set it to a fixed time.
	Now func() time.Time
}

var _ Form = Spec{}

// Describe returns a copy of the form's schema: changing it changes
// nothing of the form.
func (s Spec) Describe(ctx context.Context) (FormInfo, error) {
	if err := ctx.Err(); err != nil {
		return FormInfo{}, err
	}
	return s.Info.clone(), nil
}

// Validate checks answers against the form: ValidateAnswers, then, if the
// answers pass it, Rules.
func (s Spec) Validate(ctx context.Context, a Answers) ([]FieldError, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.check(a), nil
}

// Normalize maps valid answers onto the common indicators. Answers that do
// not validate are refused with an *InvalidAnswersError.
func (s Spec) Normalize(ctx context.Context, a Answers) (Common, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if errs := s.check(a); len(errs) > 0 {
		return nil, &InvalidAnswersError{Form: s.Info.Ref(), Errors: errs}
	}
	return s.normalize(a)
}

// normalize is Normalize for answers that passed check.
func (s Spec) normalize(a Answers) (Common, error) {
	m := s.Map
	if m == nil {
		m = func(fi FormInfo, a Answers) (Common, error) { return MapByName(fi, a), nil }
	}
	c, err := m(s.Info, a)
	if err != nil {
		return nil, fmt.Errorf("map %s answers to indicators: %w", s.Info.Ref(), err)
	}
	if c == nil {
		c = Common{}
	}
	DeriveIndicators(s.Info.Kind, c)
	if err := CheckCommon(s.Info.Kind, c); err != nil {
		return nil, fmt.Errorf("form %s: %w", s.Info.Ref(), err)
	}
	return c, nil
}

func (s Spec) check(a Answers) []FieldError {
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	if errs := ValidateAnswers(s.Info, a, now); errs != nil {
		return errs
	}
	var errs []FieldError
	for _, r := range s.Rules {
		errs = append(errs, r(a)...)
		if len(errs) > MaxFieldErrors {
			break
		}
	}
	return capErrors(errs)
}

// Next returns version v of the form: a copy of s with the version set to
// v and the extra fields appended after the existing ones. Rules and Map
// are shared; Map is handed the new version's Info, so new fields named
// after indicators are mapped with no more code. The copy shares no
// slice with s, so changing it leaves the shipped version untouched.
func (s Spec) Next(v int, extra ...Field) Spec {
	n := s
	n.Info = s.Info.clone()
	n.Info.Version = v
	n.Info.Fields = append(n.Info.Fields, cloneFields(extra)...)
	n.Rules = append([]Rule(nil), s.Rules...)
	return n
}

func (fi FormInfo) clone() FormInfo {
	c := fi
	c.Title = fi.Title.clone()
	c.Fields = cloneFields(fi.Fields)
	return c
}

func cloneFields(fs []Field) []Field {
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = f
		out[i].Label = f.Label.clone()
		out[i].Help = f.Help.clone()
		if f.Options != nil {
			out[i].Options = make([]Option, len(f.Options))
			for j, o := range f.Options {
				out[i].Options[j] = Option{Value: o.Value, Label: o.Label.clone()}
			}
		}
	}
	return out
}

func (l Label) clone() Label {
	if l == nil {
		return nil
	}
	c := make(Label, len(l))
	for k, v := range l {
		c[k] = v
	}
	return c
}

// InvalidAnswersError is returned by Spec.Normalize for answers that do not
// validate.
type InvalidAnswersError struct {
	Form   string // form reference, "rs.judgment@1"
	Errors []FieldError
}

func (e *InvalidAnswersError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return fmt.Sprintf("answers to %s are invalid: %s", e.Form, strings.Join(msgs, "; "))
}

// ErrInvalidAnswers matches every *InvalidAnswersError with errors.Is.
var ErrInvalidAnswers = errors.New("invalid answers")

// Is reports whether target is ErrInvalidAnswers.
func (e *InvalidAnswersError) Is(target error) bool { return target == ErrInvalidAnswers }
