// Package sdk is everything a kolo country-form plugin imports, and nothing else.
//
// A plugin describes one country's monitoring forms (court judgments, trial
// hearings, police cases, victim support, legislation, engagement with
// public bodies), validates a monitor's answers against them, and maps the
// answers onto the common indicators that make countries comparable.
// kolo runs every plugin as its own process and talks to it over gRPC
// (hashicorp/go-plugin); a plugin's main is a dozen lines:
//
//	func main() { sdk.Serve(myforms.Forms()...) }
//
// See plugins/README.md for a walk-through.
package sdk

import (
	"context"
	"fmt"
)

// Kind is the kind of a monitoring record. The list is closed.
type Kind string

// The six record kinds, one per thing the network monitors.
const (
	KindJudgment      Kind = "judgment"
	KindTrialHearing  Kind = "trial_hearing"
	KindPoliceCase    Kind = "police_case"
	KindVictimSupport Kind = "victim_support"
	KindLegislation   Kind = "legislation"
	KindEngagement    Kind = "engagement"
)

// Kinds lists every record kind in a stable order.
var Kinds = []Kind{KindJudgment, KindTrialHearing, KindPoliceCase, KindVictimSupport, KindLegislation, KindEngagement}

// FieldType is the type of one answer on a form.
type FieldType string

// Field types. Answers arrive as JSON: string, number, bool or array of strings.
const (
	TypeString FieldType = "string" // short text such as a case number; see MaxLen
	TypeText   FieldType = "text"   // free text: never aggregated, queried or sent (FreeText is implied)
	TypeInt    FieldType = "int"    // whole number; see Min and Max
	TypeNumber FieldType = "number" // decimal number such as an amount in EUR; see Min and Max
	TypeBool   FieldType = "bool"
	TypeDate   FieldType = "date"   // calendar date as "2006-01-02"
	TypeChoice FieldType = "choice" // exactly one value of Options
	TypeSet    FieldType = "set"    // any subset of Options, as an array of values
)

// Label is a text in several languages, keyed by BCP 47 tag. Forms shipped
// with kolo carry "en" and their country's languages: "sr-Latn", "sr-Cyrl",
// "hr", "bs", "mk".
type Label map[string]string

// In returns the label in lang, falling back to English, then to any label.
func (l Label) In(lang string) string {
	if s, ok := l[lang]; ok {
		return s
	}
	if s, ok := l["en"]; ok {
		return s
	}
	for _, s := range l {
		return s
	}
	return ""
}

// Option is one value of a closed list.
type Option struct {
	Value string `json:"value"`
	Label Label  `json:"label"`
}

// Field describes one question on a form.
type Field struct {
	ID       string    `json:"id"` // snake_case, unique within the form
	Type     FieldType `json:"type"`
	Required bool      `json:"required,omitempty"`
	Label    Label     `json:"label"`
	Help     Label     `json:"help,omitempty"`
	Options  []Option  `json:"options,omitempty"` // for TypeChoice and TypeSet
	Min      *float64  `json:"min,omitempty"`     // for TypeInt and TypeNumber
	Max      *float64  `json:"max,omitempty"`     // for TypeInt and TypeNumber
	MaxLen   int       `json:"max_len,omitempty"` // for TypeString and TypeText, in characters; 0 means the SDK default
	// Personal marks a field that identifies a person (a name, a birth date).
	// Personal fields stay on the node that entered them: they are never
	// aggregated, queried or sent to a peer.
	Personal bool `json:"personal,omitempty"`
	// FreeText marks a field whose content is prose. Same rule as Personal.
	FreeText bool `json:"free_text,omitempty"`
}

// Private reports whether the field must never leave its node.
func (f Field) Private() bool { return f.Personal || f.FreeText || f.Type == TypeText }

// FormInfo describes one version of one form.
type FormInfo struct {
	ID      string `json:"id"`      // "<country in lower case>.<kind>", e.g. "rs.judgment"
	Version int    `json:"version"` // starts at 1; a record keeps the version it was entered with
	Kind    Kind   `json:"kind"`
	Country string `json:"country"` // ISO 3166-1 alpha-2, upper case ("RS"); "XK" for Kosovo
	// CodeVersion names the version of the criminal code(s) the form's lists
	// follow, e.g. "Krivični zakonik, Sl. glasnik RS 85/2005 … 35/2019".
	CodeVersion string  `json:"code_version,omitempty"`
	Title       Label   `json:"title"`
	Fields      []Field `json:"fields"`
}

// Ref returns the form's reference as records store it: "rs.judgment@1".
func (fi FormInfo) Ref() string { return fmt.Sprintf("%s@%d", fi.ID, fi.Version) }

// Answers are a monitor's answers to one form, as decoded from JSON:
// string, float64, bool or []any of strings. Absent fields are absent keys.
type Answers map[string]any

// FieldError says which answer broke which rule.
type FieldError struct {
	Field string `json:"field"` // field id; "" for a rule about the whole record
	Rule  string `json:"rule"`  // what is allowed, e.g. "must be 0..600"
	Got   string `json:"got,omitempty"`
	// Code names the rule for an interface that words it in the monitor's
	// language, Args are its arguments as text (field ids, dates, numbers,
	// option values) in the order the code's constant (RuleRequired ...) documents.
	// Rule stays the English sentence, for the command line, logs and
	// hosts that know no codes; an error without a Code is shown as Rule.
	Code string   `json:"code,omitempty"`
	Args []string `json:"args,omitempty"`
}

func (e FieldError) Error() string {
	msg := e.Rule
	if e.Got != "" {
		msg += fmt.Sprintf(", got %q", e.Got)
	}
	if e.Field == "" {
		return msg
	}
	return e.Field + ": " + msg
}

// Common holds a record's values of the common indicators, keyed by
// indicator name (see Indicators). Values are int64, float64, bool, string
// (dates as "2006-01-02", closed-list values as their value) or []string.
// Indicators the record does not answer are absent.
type Common map[string]any

// Form is one version of one monitoring form. Every method takes a context
// so that the host can cancel a call that takes too long.
type Form interface {
	// Describe returns the form's schema.
	Describe(ctx context.Context) (FormInfo, error)
	// Validate checks answers against the form. It returns nil when the
	// answers are valid, and one FieldError per broken rule otherwise. The
	// error result is for failures of the plugin itself, not of the answers.
	Validate(ctx context.Context, a Answers) ([]FieldError, error)
	// Normalize maps valid answers onto the common indicators.
	Normalize(ctx context.Context, a Answers) (Common, error)
}
