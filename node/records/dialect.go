package records

import "strings"

// Dialect is how a CSV file separates its cells. Excel reads a CSV file
// with the list separator of the Windows it runs on: ";" where the decimal
// separator is a comma, as in Serbian, Croatian, Bosnian, Macedonian and
// most of Europe, and "," in English. A file in the other dialect opens
// as one column. Import detects either (and tabs).
type Dialect struct {
	Name  string // "semicolon", "comma", "tab"
	Comma rune
}

// The dialects kolo writes.
var (
	DialectSemicolon = Dialect{"semicolon", ';'}
	DialectComma     = Dialect{"comma", ','}
	DialectTab       = Dialect{"tab", '\t'}
)

// ParseDialect reads a dialect's name (or its separator); "" is the
// default, DialectSemicolon, what the network's spreadsheets open.
func ParseDialect(s string) (Dialect, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "semicolon", ";":
		return DialectSemicolon, nil
	case "comma", ",":
		return DialectComma, nil
	case "tab", "\t":
		return DialectTab, nil
	}
	return Dialect{}, invalidf("dialect %q: must be semicolon (what Excel opens in Serbian, Croatian, Bosnian, Macedonian and most of Europe), comma (Excel in English) or tab", clip(s, 20))
}

// DialectFor is the dialect Excel opens in language lang: comma for
// English, semicolon for the network's other languages.
func DialectFor(lang string) Dialect {
	if lang == "en" || strings.HasPrefix(lang, "en-") {
		return DialectComma
	}
	return DialectSemicolon
}
