package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// numbers writes numbers as lang does (12.345,7 in Croatian), with
// golang.org/x/text's CLDR data.
type numbers struct{ p *message.Printer }

func numbersIn(lang string) numbers { return numbers{message.NewPrinter(language.Make(lang))} }

// value writes v, a figure of f.
func (n numbers) value(f Figure, v float64) string {
	switch {
	case f.Unit == "share":
		return n.p.Sprint(number.Percent(v, number.MaxFractionDigits(0)))
	case f.Unit == "EUR":
		return n.p.Sprint(number.Decimal(v, number.MaxFractionDigits(0))) + " €"
	case f.Aggregate == "mean":
		return n.p.Sprint(number.Decimal(v, number.MinFractionDigits(1), number.MaxFractionDigits(1)))
	}
	return n.p.Sprint(number.Decimal(v, number.MaxFractionDigits(1)))
}

// int writes a whole number.
func (n numbers) int(v int) string { return n.p.Sprint(number.Decimal(v)) }

// cellText is a cell as a table shows it: the value, or why there is
// none. A partial value is marked with an asterisk, noise with ±sd.
func cellText(lang string, n numbers, f Figure, c Cell) string {
	switch c.State {
	case CellValue, CellZero:
		s := n.value(f, *c.Value)
		if c.Low != nil && c.High != nil && *c.Low != *c.High {
			s += " (" + n.value(f, *c.Low) + "–" + n.value(f, *c.High) + ")"
		}
		if c.NoiseSD != nil {
			s += " ±" + n.value(f, *c.NoiseSD)
		}
		if c.Partial {
			s += "*"
		}
		return s
	case CellSuppressed:
		return text(lang, "report.suppressed")
	case CellNoAnswer:
		return text(lang, "report.no_answer")
	}
	return "—"
}

// cellNote explains a cell in words: who suppressed it and why, what was
// released earlier, that a value is partial.
func cellNote(lang string, n numbers, f Figure, c Cell) string {
	var parts []string
	for _, s := range c.Suppressed {
		p := s.Org + ": " + text(lang, "report.suppressed") + " (" + text(lang, sdk.UIKey("report.reason."+s.Reason)) + ")"
		if s.Earlier != nil {
			p += "; " + text(lang, "report.earlier") + " " + dateOf(s.Earlier.Released) + ": " + n.value(f, s.Earlier.Value)
		}
		parts = append(parts, p)
	}
	switch {
	case c.State == CellNone:
		parts = append(parts, text(lang, "report.none"))
	case c.Partial:
		parts = append(parts, text(lang, "report.partial"))
	}
	return strings.Join(parts, "; ")
}

// dateOf is the day of an RFC 3339 time.
func dateOf(ts string) string {
	if t, err := time.Parse(time.RFC3339, ts); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return ts
}

// coverageText is a query's coverage in one line: who answered, who
// refused and why, what was suppressed, the noise.
func coverageText(lang string, n numbers, q Query) string {
	c := q.Coverage
	parts := []string{fmt.Sprintf("%s: %s %s %s", text(lang, "report.members_answered"), n.int(c.Answered), text(lang, "report.of"), n.int(c.Members))}
	if c.Refused > 0 {
		var who []string
		for _, a := range q.Nodes {
			if a.State == "refused" {
				who = append(who, a.Org+" ("+a.Reason+")")
			}
		}
		parts = append(parts, fmt.Sprintf("%s: %s", text(lang, "report.refused"), strings.Join(who, ", ")))
	}
	if c.Missing > 0 {
		var who []string
		for _, a := range q.Nodes {
			if a.State != "refused" && a.State != "answered" {
				who = append(who, a.Org)
			}
		}
		parts = append(parts, fmt.Sprintf("%s: %s", text(lang, "report.missing"), strings.Join(who, ", ")))
	}
	parts = append(parts, fmt.Sprintf("%s: %s", text(lang, "report.cells_suppressed"), n.int(c.Suppressed)))
	if c.Epsilon > 0 {
		parts = append(parts, fmt.Sprintf("%s: ε = %g", text(lang, "report.noise"), c.Epsilon))
	} else {
		parts = append(parts, text(lang, "report.no_noise"))
	}
	return strings.Join(parts, " · ")
}

// unitText names a figure's unit.
func unitText(lang string, f Figure) string { return text(lang, sdk.UIKey("report.unit."+f.Unit)) }
