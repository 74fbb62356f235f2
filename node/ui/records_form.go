package ui

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// A record's form, drawn from its form's schema (sdk.FormInfo): one input
// per field, labelled in the page's language, with the form's own rules
// as the browser's (required, date bounds, number bounds, lengths), and
// the plugin's problems beside the fields they concern.

// maxRadios is the most options a choice shows as radio buttons; a longer
// list is a select.
const maxRadios = 4

// fieldPrefix prefixes the name of a field's input, so that no field id
// clashes with the form's own inputs (csrf).
const fieldPrefix = "f."

// formField is one input of a record's form.
type formField struct {
	ID       string // the field's id
	InputID  string // the input's id attribute
	Name     string // the input's name
	Label    string
	Help     string
	Type     sdk.FieldType
	Input    string // text, textarea, number, date, select, radio, checkboxes, bool
	Required bool
	Private  bool // personal or free text: stays on this node
	Value    string
	Options  []formOption
	Min, Max string // number or date bounds
	Step     string
	MaxLen   int
	Errors   []string
}

// formOption is one choice of a closed list.
type formOption struct {
	Value, Label string
	Checked      bool
	InputID      string
}

// HelpID is the id of the field's help text.
func (f formField) HelpID() string { return "help-" + f.ID }

// ErrorID is the id of the field's error text.
func (f formField) ErrorID() string { return "error-" + f.ID }

// DescribedBy is the input's aria-describedby: its help and its errors.
func (f formField) DescribedBy() string {
	var ids []string
	if f.Help != "" {
		ids = append(ids, f.HelpID())
	}
	if len(f.Errors) > 0 {
		ids = append(ids, f.ErrorID())
	}
	return strings.Join(ids, " ")
}

// recordForm is a record's form as a page draws it.
type recordForm struct {
	Title       string
	Ref         string // the form version, "rs.judgment@2"
	CodeVersion string
	Action      string // where the form posts
	RecordID    string // "" for a new record
	Fields      []formField
	// Problems are the plugin's problems that concern no field of the
	// form (a rule about the whole record), each with the field's label
	// when there is one.
	Problems []fieldProblem
}

// fieldProblem is a problem listed above the form, linking to its input.
type fieldProblem struct {
	InputID string // "" when it concerns no field
	Label   string
	Text    string
}

// newRecordForm draws fi in lang with answers a and the plugin's
// problems errs.
func newRecordForm(fi sdk.FormInfo, lang string, a sdk.Answers, errs []sdk.FieldError, today time.Time) recordForm {
	rf := recordForm{Title: fi.Title.In(lang), Ref: fi.Ref(), CodeVersion: sdk.CodeVersionIn(fi, lang)}
	fields := make(map[string]sdk.Field, len(fi.Fields))
	for _, f := range fi.Fields {
		fields[f.ID] = f
	}
	byField := map[string][]string{}
	for _, e := range errs {
		byField[e.Field] = append(byField[e.Field], problemText(e, lang, fields))
	}
	for _, f := range fi.Fields {
		ff := formField{ID: f.ID, InputID: "f-" + f.ID, Name: fieldPrefix + f.ID, Label: f.Label.In(lang), Type: f.Type,
			Required: f.Required, Private: f.Private(), Errors: byField[f.ID]}
		if f.Help != nil {
			ff.Help = f.Help.In(lang)
		}
		v := a[f.ID]
		switch f.Type {
		case sdk.TypeString:
			ff.Input, ff.Value, ff.MaxLen = "text", answerText(v), fieldMaxLen(f)
		case sdk.TypeText:
			ff.Input, ff.Value, ff.MaxLen = "textarea", answerText(v), fieldMaxLen(f)
		case sdk.TypeInt, sdk.TypeNumber:
			ff.Input, ff.Value, ff.Step = "number", answerText(v), "any"
			if f.Type == sdk.TypeInt {
				ff.Step = "1"
			}
			if f.Min != nil {
				ff.Min = strconv.FormatFloat(*f.Min, 'f', -1, 64)
			}
			if f.Max != nil {
				ff.Max = strconv.FormatFloat(*f.Max, 'f', -1, 64)
			}
		case sdk.TypeDate:
			ff.Input, ff.Value = "date", answerText(v)
			ff.Min, ff.Max = sdk.EarliestDate, today.Format(sdk.DateLayout)
		case sdk.TypeBool:
			ff.Input = "bool"
			if b, ok := v.(bool); ok {
				ff.Value = strconv.FormatBool(b)
			}
		case sdk.TypeChoice:
			ff.Input, ff.Value = "select", answerText(v)
			if len(f.Options) <= maxRadios {
				ff.Input = "radio"
			}
			for _, o := range f.Options {
				ff.Options = append(ff.Options, formOption{Value: o.Value, Label: o.Label.In(lang), Checked: o.Value == ff.Value,
					InputID: ff.InputID + "-" + o.Value})
			}
		case sdk.TypeSet:
			ff.Input = "checkboxes"
			chosen := answerList(v)
			for _, o := range f.Options {
				ff.Options = append(ff.Options, formOption{Value: o.Value, Label: o.Label.In(lang), Checked: slices.Contains(chosen, o.Value),
					InputID: ff.InputID + "-" + o.Value})
			}
		}
		rf.Fields = append(rf.Fields, ff)
		delete(byField, f.ID)
	}
	// What is left concerns no field of the form: the whole record, or a
	// field the form does not have.
	for _, e := range errs {
		if _, left := byField[e.Field]; left {
			rf.Problems = append(rf.Problems, fieldProblem{Label: e.Field, Text: problemText(e, lang, fields)})
		}
	}
	for _, ff := range rf.Fields {
		for _, e := range ff.Errors {
			rf.Problems = append(rf.Problems, fieldProblem{InputID: ff.InputID, Label: ff.Label, Text: e})
		}
	}
	return rf
}

func fieldMaxLen(f sdk.Field) int {
	switch {
	case f.MaxLen > 0:
		return f.MaxLen
	case f.Type == sdk.TypeText:
		return sdk.DefaultTextMaxLen
	}
	return sdk.DefaultStringMaxLen
}

// answerText is an answer as an input's value.
func answerText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// answerList is a set's answer as a list of values.
func answerList(v any) []string {
	var out []string
	switch l := v.(type) {
	case []any:
		for _, e := range l {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = l
	}
	return out
}

// answersFromForm reads a posted record form into answers for fi. An
// empty input is no answer. A number that does not read as one is kept
// as it was typed, so that the plugin says, beside the field, what it
// must be.
func answersFromForm(fi sdk.FormInfo, form url.Values) sdk.Answers {
	a := sdk.Answers{}
	for _, f := range fi.Fields {
		name := fieldPrefix + f.ID
		v := form.Get(name)
		switch f.Type {
		case sdk.TypeSet:
			var vals []any
			for _, s := range form[name] {
				if s != "" {
					vals = append(vals, s)
				}
			}
			if len(vals) > 0 {
				a[f.ID] = vals
			}
		case sdk.TypeInt, sdk.TypeNumber:
			s := strings.TrimSpace(v)
			if s == "" {
				continue
			}
			if n, err := strconv.ParseFloat(s, 64); err == nil {
				a[f.ID] = n
			} else {
				a[f.ID] = s
			}
		case sdk.TypeBool:
			switch v {
			case "true":
				a[f.ID] = true
			case "false":
				a[f.ID] = false
			}
		case sdk.TypeString, sdk.TypeDate, sdk.TypeChoice:
			if s := strings.TrimSpace(v); s != "" {
				a[f.ID] = s
			}
		default: // TypeText keeps its lines and spaces as typed
			if strings.TrimSpace(v) != "" {
				a[f.ID] = strings.ReplaceAll(v, "\r\n", "\n")
			}
		}
	}
	return a
}
