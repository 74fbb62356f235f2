package records

import (
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Values as the spreadsheets of the network's countries write them. A
// monitor's Excel on a Serbian, Croatian, Bosnian or Macedonian Windows
// writes "1.000,50" for a thousand and a half, "20.5.2024." for a date,
// TAČNO or ТОЧНО for true, and a list's answer as its label. A sheetForm
// reads each cell of a form's field into the one form kolo stores
// (1000.5, 2024-05-20, true, the option's value) or says, naming what it
// got, what it would accept.
//
// The rules are written here because no library reads these locales'
// spreadsheet conventions (golang.org/x/text formats numbers for a locale
// but does not parse them).

// sheetForm reads the cells of one form version.
type sheetForm struct {
	fi     sdk.FormInfo
	fields map[string]sdk.Field
	// options maps a field to its options by folded value and label (in
	// every language); "" marks a label that two options share.
	options map[string]map[string]string
	// headers maps a folded field id or label (any language) to the field
	// id; "" marks a label two fields share.
	headers map[string]string
	// serialDates reads a number in a date question as an Excel date
	// serial, in the 1904 date system if date1904.
	serialDates, date1904 bool
}

func newSheetForm(fi sdk.FormInfo) *sheetForm {
	sf := &sheetForm{fi: fi, fields: make(map[string]sdk.Field, len(fi.Fields)),
		options: map[string]map[string]string{}, headers: map[string]string{}}
	add := func(m map[string]string, key, value string) {
		key = fold(key)
		if key == "" {
			return
		}
		if old, ok := m[key]; ok && old != value {
			m[key] = "" // ambiguous
			return
		}
		m[key] = value
	}
	for _, f := range fi.Fields {
		sf.fields[f.ID] = f
		for _, l := range f.Label {
			add(sf.headers, l, f.ID)
		}
		if len(f.Options) == 0 {
			continue
		}
		m := map[string]string{}
		for _, o := range f.Options {
			add(m, o.Value, o.Value)
		}
		for _, o := range f.Options {
			for _, l := range o.Label {
				if _, isValue := m[fold(l)]; !isValue || m[fold(l)] == o.Value {
					add(m, l, o.Value)
				}
			}
		}
		sf.options[f.ID] = m
	}
	for _, f := range fi.Fields { // an id always wins over a label
		sf.headers[fold(f.ID)] = f.ID
	}
	return sf
}

// fold makes text comparable regardless of case and spacing.
func fold(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// templateHeader matches a template's header, "Label * [field_id]".
var templateHeader = regexp.MustCompile(`\[([a-z][a-z0-9_]{0,63})\]\s*$`)

// column returns the field a header names: its id, a template's
// "Label [id]", or its label in any of the form's languages.
func (sf *sheetForm) column(h string) (string, bool) {
	if m := templateHeader.FindStringSubmatch(h); m != nil {
		_, ok := sf.fields[m[1]]
		return m[1], ok
	}
	id, ok := sf.headers[fold(strings.TrimSuffix(strings.TrimSpace(h), "*"))]
	return id, ok && id != ""
}

// cell reads one cell of field f; rule is set when it cannot.
func (sf *sheetForm) cell(f sdk.Field, s string) (out string, rule string) {
	s = strings.TrimSpace(s)
	switch f.Type {
	case sdk.TypeInt, sdk.TypeNumber:
		return localNumber(f, s)
	case sdk.TypeDate:
		if d, ok := serialDate(s, sf.date1904); ok && sf.serialDates {
			return d, ""
		}
		return localDate(s)
	case sdk.TypeBool:
		return localBool(s)
	case sdk.TypeChoice:
		return sf.option(f.ID, s), ""
	case sdk.TypeSet:
		parts := strings.Split(s, sdk.SetSeparator)
		for i, p := range parts {
			parts[i] = sf.option(f.ID, strings.TrimSpace(p))
		}
		return strings.Join(parts, sdk.SetSeparator), ""
	}
	return s, ""
}

// answerOf is a cell, as cell reads it, as the answer JSON would give:
// a number, true or false, a list of values, or text. (What
// sdk.AnswersFromStrings does, on cells already read the local way.)
func answerOf(f sdk.Field, s string) any {
	switch f.Type {
	case sdk.TypeInt, sdk.TypeNumber:
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return v
		}
	case sdk.TypeBool:
		return s == "true"
	case sdk.TypeSet:
		parts := strings.Split(s, sdk.SetSeparator)
		vals := make([]any, 0, len(parts))
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				vals = append(vals, p)
			}
		}
		return vals
	}
	return s
}

// option returns the value of field id's option whose value or label is
// s, in any case and language; s itself when none is (the form then
// refuses it, listing the values).
func (sf *sheetForm) option(id, s string) string {
	if v := sf.options[id][fold(s)]; v != "" {
		return v
	}
	return s
}

// answers returns a copy of a whose choice and set answers given by
// label or in another case are the options' values: what a JSON file or
// kolo record add gives is stored as the list's own value.
func (sf *sheetForm) answers(in sdk.Answers) sdk.Answers {
	if in == nil {
		return nil
	}
	a := maps.Clone(in)
	for k, v := range a {
		f, ok := sf.fields[k]
		if !ok {
			continue
		}
		switch {
		case f.Type == sdk.TypeChoice:
			if s, ok := v.(string); ok {
				a[k] = sf.option(k, strings.TrimSpace(s))
			}
		case f.Type == sdk.TypeSet:
			if l, ok := v.([]any); ok {
				out := make([]any, len(l))
				for i, e := range l {
					if s, ok := e.(string); ok {
						e = sf.option(k, strings.TrimSpace(s))
					}
					out[i] = e
				}
				a[k] = out
			}
		}
	}
	return a
}

// localNumber reads a number as written in any of the network's locales:
// "1500", "1500,50" and "1.500,50" (decimal comma, dots or spaces between
// thousands), "1500.50" and "1,500.50". A lone separator followed by
// exactly three digits ("1.000", "1,000") is a thousand in one locale and
// one in another, and refused as ambiguous.
func localNumber(f sdk.Field, s string) (string, string) {
	bad := func() (string, string) {
		example := "such as 1500, 1.500,50 or 1500.50"
		if f.Type == sdk.TypeInt {
			example = "such as 12 or 1500"
		}
		return "", fmt.Sprintf("%s, written %s", numberRule(f), example)
	}
	t := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' {
			return -1 // spaces and apostrophes between thousands
		}
		return r
	}, s)
	if t != s && !groupedBySpaces(s) {
		return bad()
	}
	sign := ""
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		sign, t = t[:1], t[1:]
	}
	if t == "" || strings.IndexFunc(t, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' && r != ',' }) >= 0 {
		// Not digits and separators: strconv's own forms ("1e3").
		if v, err := strconv.ParseFloat(sign+t, 64); err == nil && !strings.ContainsAny(t, "nNiI") {
			return strconv.FormatFloat(v, 'f', -1, 64), ""
		}
		return bad()
	}
	dots, commas := strings.Count(t, "."), strings.Count(t, ",")
	var intPart, frac string
	switch {
	case dots > 0 && commas > 0:
		dec, thou := ",", "."
		if strings.LastIndex(t, ".") > strings.LastIndex(t, ",") {
			dec, thou = ".", ","
		}
		if strings.Count(t, dec) > 1 {
			return bad()
		}
		intPart, frac, _ = strings.Cut(t, dec)
		if !groups(intPart, thou) {
			return bad()
		}
		intPart = strings.ReplaceAll(intPart, thou, "")
	case dots+commas == 0:
		intPart = t
	case dots > 1 || commas > 1:
		sep := "."
		if commas > 1 {
			sep = ","
		}
		if !groups(t, sep) {
			return bad()
		}
		intPart = strings.ReplaceAll(t, sep, "")
	default: // one separator, dot or comma
		sep := "."
		if commas == 1 {
			sep = ","
		}
		intPart, frac, _ = strings.Cut(t, sep)
		if len(frac) == 3 && len(intPart) >= 1 && len(intPart) <= 3 && strings.TrimLeft(intPart, "0") != "" {
			return "", fmt.Sprintf("is ambiguous: %q groups thousands in sr, hr, bs and mk but marks decimals in en; write %s for %s thousand, or the fraction with a decimal comma (1,5)",
				sep, strings.ReplaceAll(s, sep, ""), intPart)
		}
	}
	if intPart == "" || (frac == "" && strings.HasSuffix(t, ".")) {
		return bad()
	}
	num := sign + intPart
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return bad()
	}
	return strconv.FormatFloat(v, 'f', -1, 64), ""
}

// groups reports whether s is digits in groups of three after a first
// group of one to three, separated by sep: "1.000.000".
func groups(s, sep string) bool {
	parts := strings.Split(s, sep)
	if len(parts[0]) < 1 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// groupedBySpaces reports whether the spaces (or apostrophes) of s only
// separate groups of three digits: "1 000 000,50".
func groupedBySpaces(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'' })
	if len(parts) < 2 {
		return len(parts) == 1
	}
	first := strings.TrimLeft(parts[0], "+-")
	if len(first) < 1 || len(first) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		digits := p
		if i := strings.IndexAny(p, ".,"); i >= 0 {
			digits = p[:i]
		}
		if len(digits) != 3 {
			return false
		}
	}
	return true
}

// numberRule is the range rule the SDK gives for field f.
func numberRule(f sdk.Field) string {
	what := "a number"
	if f.Type == sdk.TypeInt {
		what = "a whole number"
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case f.Min != nil && f.Max != nil:
		return fmt.Sprintf("must be %s %s..%s", what, num(*f.Min), num(*f.Max))
	case f.Min != nil:
		return fmt.Sprintf("must be %s of at least %s", what, num(*f.Min))
	case f.Max != nil:
		return fmt.Sprintf("must be %s of at most %s", what, num(*f.Max))
	}
	return "must be " + what
}

var (
	dottedDate  = regexp.MustCompile(`^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\.?$`)
	slashedDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	isoDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoDateTime = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?Z?$`)
)

const dateRule = "must be a date such as 2024-05-20, 20.05.2024. or 20.5.2024"

// localDate reads a date as written in any of the network's locales:
// 2024-05-20, 20.05.2024, 20.5.2024. (with or without the last dot and
// spaces after the dots), and d/m/yyyy or m/d/yyyy where only one reading
// is a date ("13/5/2024", "5/13/2024", "1/1/2024").
func localDate(s string) (string, string) {
	var d, m, y int
	switch {
	case isoDateTime.MatchString(s):
		return isoDateTime.FindStringSubmatch(s)[1], ""
	case dottedDate.MatchString(s):
		p := dottedDate.FindStringSubmatch(s)
		d, m, y = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case slashedDate.MatchString(s):
		p := slashedDate.FindStringSubmatch(s)
		a, b := atoi(p[1]), atoi(p[2])
		y = atoi(p[3])
		switch {
		case a == b, a > 12 && b <= 12:
			d, m = a, b
		case b > 12 && a <= 12:
			d, m = b, a
		default:
			return "", fmt.Sprintf("is ambiguous: %d %s or %d %s; write it as %04d-%02d-%02d or %d.%d.%d. (day first)",
				a, monthName(b), b, monthName(a), y, b, a, a, b, y)
		}
	case isoDate.MatchString(s):
		return s, "" // the form judges whether the day exists
	default:
		return "", dateRule
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return "", dateRule + " (there is no such day)"
	}
	return t.Format(sdk.DateLayout), ""
}

func monthName(m int) string {
	if m < 1 || m > 12 {
		return "?"
	}
	return time.Month(m).String()
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// Yes and no as spreadsheets and people write them in the network's
// languages: Excel's TRUE and FALSE in Serbian and Bosnian (TAČNO,
// NETAČNO; ТАЧНО, НЕТАЧНО), Croatian (ISTINA, LAŽ) and Macedonian (ТОЧНО,
// НЕТОЧНО), and da/ne, да/не, yes/no, 1/0.
var (
	boolTrue  = []string{"true", "1", "yes", "da", "да", "tačno", "tacno", "тачно", "istina", "истина", "točno", "tocno", "точно", "истинито"}
	boolFalse = []string{"false", "0", "no", "ne", "не", "netačno", "netacno", "нетачно", "laž", "laz", "лаж", "netočno", "netocno", "неточно", "неистинито"}
)

const boolRule = "must be true or false (also da/ne, да/не, TAČNO/NETAČNO, ТОЧНО/НЕТОЧНО, ISTINA/LAŽ, yes/no, 1/0)"

func localBool(s string) (string, string) {
	f := fold(s)
	for _, t := range boolTrue {
		if f == t {
			return "true", ""
		}
	}
	for _, t := range boolFalse {
		if f == t {
			return "false", ""
		}
	}
	return "", boolRule
}
