package ui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// A plugin's problem with an answer, as the page words it: in the page's
// language when the problem carries a rule code the catalogue knows
// ("rule.<code>"), else the plugin's English rule.

// ruleShape says what a rule code's args are, for the page to show them:
// how many come first, which of those is a field's id, and whether a list
// of a closed list's values follows them.
type ruleShape struct {
	fixed int  // args before the list
	field int  // index of the arg that is a field's id; -1 for none
	list  bool // the args after the fixed ones are values of a closed list
	// The list's values are options of the field that arg field names
	// (only_when), else of the problem's own field (one_of, list_of).
	listOfArg bool
	or        bool // the list is joined with "or" rather than commas
	noGot     bool // the text says what the answer held: no "got"
}

var ruleShapes = map[string]ruleShape{
	sdk.RuleRequired:           {field: -1},
	sdk.RuleRange:              {fixed: 2, field: -1},
	sdk.RuleMin:                {fixed: 1, field: -1},
	sdk.RuleMax:                {fixed: 1, field: -1},
	sdk.RuleNumber:             {field: -1},
	sdk.RuleWholeMin:           {fixed: 1, field: -1},
	sdk.RuleWholeMax:           {fixed: 1, field: -1},
	sdk.RuleWholeNumber:        {field: -1},
	sdk.RuleBoolean:            {field: -1},
	sdk.RuleOneOf:              {field: -1, list: true},
	sdk.RuleListOf:             {field: -1, list: true},
	sdk.RuleRepeat:             {field: -1},
	sdk.RuleDateFormat:         {field: -1},
	sdk.RuleDateBeforeEarliest: {fixed: 1, field: -1},
	sdk.RuleDateAfterToday:     {fixed: 1, field: -1},
	sdk.RuleTooLong:            {fixed: 2, field: -1, noGot: true},
	sdk.RuleControlChar:        {field: -1},
	sdk.RuleBeforeField:        {fixed: 2, field: 0},
	sdk.RuleMoreThanField:      {fixed: 2, field: 0},
	sdk.RuleOnlyWhen:           {fixed: 1, field: 0, list: true, listOfArg: true, or: true},
}

// problemText is what a field's error says in lang: the rule's text from
// the catalogue, with the fields it names as their labels («Датум
// оптужнице») and a closed list's values as their options' labels; or, for
// a problem without a code the page knows (a plugin's own rule, a plugin
// older than rule codes), the plugin's rule in English with the ids of the
// form's fields replaced by their labels. Either way followed by what the
// answer held, if the problem says.
func problemText(e sdk.FieldError, lang string, fields map[string]sdk.Field) string {
	if s, ok := localProblem(e, lang, fields); ok {
		return s
	}
	rule := fieldID.ReplaceAllStringFunc(e.Rule, func(id string) string {
		if f, ok := fields[id]; ok && id != e.Field {
			return "«" + f.Label.In(lang) + "»"
		}
		return id
	})
	return sdk.FieldError{Rule: rule, Got: e.Got}.Error()
}

// localProblem words e in lang, if its code is one the page knows and its
// args are as many as the code takes.
func localProblem(e sdk.FieldError, lang string, fields map[string]sdk.Field) (string, bool) {
	shape, ok := ruleShapes[e.Code]
	key := sdk.RuleKey(e.Code)
	format := sdk.UIText(lang, key)
	if !ok || format == string(key) || len(e.Args) < shape.fixed || (!shape.list && len(e.Args) != shape.fixed) || (shape.list && len(e.Args) == shape.fixed) {
		return "", false
	}
	label := func(id string) string {
		if f, ok := fields[id]; ok {
			return "«" + f.Label.In(lang) + "»"
		}
		return id
	}
	parts := make([]any, 0, shape.fixed+1)
	for i, a := range e.Args[:shape.fixed] {
		if i == shape.field {
			a = label(a)
		}
		parts = append(parts, a)
	}
	if shape.list {
		owner := fields[e.Field]
		if shape.listOfArg {
			owner = fields[e.Args[shape.field]]
		}
		vals := make([]string, 0, len(e.Args)-shape.fixed)
		for _, v := range e.Args[shape.fixed:] {
			if l := optionLabel(lang, owner.Options, v); l != v {
				v = "«" + l + "»"
			}
			vals = append(vals, v)
		}
		parts = append(parts, joinList(vals, shape.or, lang))
	}
	// The catalogue's texts are fmt formats with one %s per part
	// (plugins/sdk/uitext_rules.go); the args counted above match them.
	msg := fmt.Sprintf(format, parts...)
	if e.Got != "" && !shape.noGot {
		msg += ", " + sdk.UIText(lang, "rule.got") + " " + strconv.Quote(e.Got)
	}
	return msg, true
}

// joinList joins a list's values with commas, the last two with "or" in
// lang when or is set.
func joinList(vals []string, or bool, lang string) string {
	if !or || len(vals) < 2 {
		return strings.Join(vals, ", ")
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " " + sdk.UIText(lang, "rule.or") + " " + vals[len(vals)-1]
}

// fieldID matches a word that may be a field's id: snake_case with an
// underscore (a one-word id could be a plain word of the rule: "date").
var fieldID = regexp.MustCompile(`\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b`)
