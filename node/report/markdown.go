package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// writeMarkdown writes r as GitHub-flavoured Markdown: a table per
// figure, its coverage under it, the provenance at the end.
func writeMarkdown(w io.Writer, r *Report, opts RenderOptions) error {
	lang := r.Lang
	n := numbersIn(lang)
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# %s\n\n%s\n\n", md(r.Title), md(text(lang, "report.subtitle")))
	period := text(lang, "report.all_records")
	if r.Period != nil {
		period = r.Period.From + " – " + r.Period.To
	}
	p("- **%s**: %s\n- **%s**: %s\n- **%s**: %s (%s)\n- **%s**: %s\n\n", md(text(lang, "report.period")), period,
		md(text(lang, "report.network")), md(r.Network), md(text(lang, "report.asked_by")), md(r.Asker.Org), r.Asker.Country,
		md(text(lang, "report.generated")), r.Generated)
	p("> %s\n\n", md(text(lang, "report.how_to_read")))

	p("## %s\n\n", md(text(lang, "report.sec.targets")))
	for _, t := range r.Targets {
		goal := n.int(t.Goal)
		if t.GoalHigh > 0 {
			goal += "–" + n.int(t.GoalHigh)
		}
		p("### %s\n\n| %s | %s | %s |\n| --- | ---: | ---: |\n", md(t.Title), md(text(lang, "report.country")), md(text(lang, "report.done")), md(text(lang, "report.goal")))
		for i, c := range t.Progress {
			name := text(lang, "report.whole_network")
			if t.Figure != "" && i < len(r.Countries) {
				name = r.Countries[i].Name
			}
			p("| %s | %s | %s |\n", md(name), md(cellText(lang, n, Figure{Unit: "records"}, c)), goal)
		}
		p("\n")
	}
	for _, s := range r.Sections {
		p("## %s\n\n", md(s.Title))
		for _, f := range s.Figures {
			p("### %s [%d]\n\n", md(f.Title), f.Query)
			if f.Note != "" {
				p("_%s_\n\n", md(f.Note))
			}
			writeMarkdownTable(b, r, f, lang, n)
			p("\n%s  \n[%d] %s · `%s`\n\n", md(unitText(lang, f)), f.Query, md(coverageOf(r, f, lang, n)), queryOf(r, f))
		}
	}
	p("## %s\n\n", md(text(lang, "report.sec.declaration")))
	p("%s: **%d** / %s %d\n\n", md(text(lang, "report.endorsements")), r.Declaration.Count, md(text(lang, "report.threshold")), r.Declaration.Threshold)
	p("| %s | %s |\n| --- | ---: |\n", md(text(lang, "report.country")), md(text(lang, "report.endorsements")))
	for _, c := range r.Declaration.ByCountry {
		p("| %s | %d |\n", md(c.Name), c.Count)
	}
	p("\n_%s_\n\n", md(text(lang, "report.declaration_note")))

	p("## %s\n\n%s", md(text(lang, "report.sec.provenance")), md(text(lang, "report.evidence_note")))
	if opts.Evidence != "" {
		p(" `%s/`", opts.Evidence)
	}
	p("\n\n")
	for _, q := range r.Queries {
		p("### [%d] %s\n\n`%s`  \n%s %s · %s", q.Number, md(figureTitle(r, q.Figure)), q.Text, md(text(lang, "report.query")), q.ID, q.Issued)
		if opts.Evidence != "" {
			p(" · `%s/%s/`", opts.Evidence, evidenceDir(q))
		}
		p("  \n%s\n\n", md(coverageText(lang, n, q)))
		p("| %s | %s | %s | %s | %s |\n| --- | --- | --- | --- | --- |\n", md(text(lang, "report.member")), md(text(lang, "report.state")),
			md(text(lang, "report.answered_at")), md(text(lang, "report.cells")), md(text(lang, "report.signature")))
		for _, a := range q.Nodes {
			p("| %s (%s) `%s` | %s | %s | %d / %d | `%s` |\n", md(a.Org), a.Country, a.Peer, md(text(lang, uiKey("state."+a.State))), a.Answered, a.Released, a.Suppressed, a.Signature)
		}
		p("\n")
	}
	return b.Flush()
}

// writeMarkdownTable writes figure f: one row per country for a figure
// of one row, else one row per category and a column per country.
func writeMarkdownTable(b *bufio.Writer, r *Report, f Figure, lang string, n numbers) {
	if f.RowsBy == "" && len(f.Rows) == 1 {
		fmt.Fprintf(b, "| %s | %s |\n| --- | ---: |\n", md(text(lang, "report.country")), md(unitText(lang, f)))
		for i, c := range f.Rows[0].Cells {
			fmt.Fprintf(b, "| %s | %s |\n", md(r.Countries[i].Name), md(cellText(lang, n, f, c)))
		}
		return
	}
	fmt.Fprintf(b, "| %s |", md(f.RowsLabel))
	for _, c := range r.Countries {
		fmt.Fprintf(b, " %s |", md(c.Name))
	}
	fmt.Fprintf(b, "\n| --- |%s\n", strings.Repeat(" ---: |", len(r.Countries)))
	for _, row := range f.Rows {
		fmt.Fprintf(b, "| %s |", md(row.Label))
		for _, c := range row.Cells {
			fmt.Fprintf(b, " %s |", md(cellText(lang, n, f, c)))
		}
		fmt.Fprintln(b)
	}
}

func coverageOf(r *Report, f Figure, lang string, n numbers) string {
	if f.Query >= 1 && f.Query <= len(r.Queries) {
		return coverageText(lang, n, r.Queries[f.Query-1])
	}
	return ""
}

func queryOf(r *Report, f Figure) string {
	if f.Query >= 1 && f.Query <= len(r.Queries) {
		return r.Queries[f.Query-1].Text
	}
	return ""
}

// md escapes the characters that would end a table cell or start
// formatting in Markdown text.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", "[", `\[`, "]", `\]`)

func md(s string) string { return mdEscaper.Replace(s) }
