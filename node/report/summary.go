package report

import (
	"fmt"
	"strings"
)

// Summary is the report in five lines, for a terminal: judgments
// against their target, the median sentence after a conviction, the
// share of victims who claimed compensation, the Declaration, and the
// coverage of the queries.
func Summary(r *Report) []string {
	lang := r.Lang
	n := numbersIn(lang)
	row := func(id, key string) string {
		f, ok := r.Figure(id)
		if !ok {
			return ""
		}
		var parts []string
		for _, rw := range f.Rows {
			if rw.Key != key {
				continue
			}
			for i, c := range rw.Cells {
				parts = append(parts, r.Countries[i].Code+" "+cellText(lang, n, f, c))
			}
		}
		label := f.Title
		if key != "" {
			label += " (" + strings.ToLower(rowLabel(f, key)) + ")"
		}
		return label + ": " + strings.Join(parts, ", ")
	}
	judgments := row("judgments.total", "")
	for _, t := range r.Targets {
		if t.ID == "judgments" {
			reached := 0
			for _, c := range t.Progress {
				if c.Value != nil && *c.Value >= float64(t.Goal) {
					reached++
				}
			}
			judgments += fmt.Sprintf(" (%s ≥ %d: %d %s %d)", text(lang, "report.goal"), t.Goal, reached, text(lang, "report.of"), len(t.Progress))
		}
	}
	queries, answered, suppressed := len(r.Queries), 0, 0
	for _, q := range r.Queries {
		if q.Coverage.Answered == q.Coverage.Members {
			answered++
		}
		suppressed += q.Coverage.Suppressed
	}
	return []string{
		judgments,
		row("sentences.median", "convicted"),
		row("compensation.claimed", ""),
		fmt.Sprintf("%s: %d / %s %d", text(lang, "report.target.declaration"), r.Declaration.Count, text(lang, "report.threshold"), r.Declaration.Threshold),
		fmt.Sprintf("%s: %s %d, %s %d %s %d, %s %d", text(lang, "report.coverage"), text(lang, "report.queries"), queries,
			text(lang, "report.all_answered"), answered, text(lang, "report.of"), queries, text(lang, "report.cells_suppressed"), suppressed),
	}
}

func rowLabel(f Figure, key string) string {
	for _, r := range f.Rows {
		if r.Key == key {
			return r.Label
		}
	}
	return key
}
