package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"f1": func(v float64) string { return fmt.Sprintf("%.1f", v) },
}).Parse(htmlSource))

// htmlView is what the HTML template shows.
type htmlView struct {
	Lang, Title, Subtitle, HowToRead string
	Meta                             [][2]string
	Contents                         [][2]string // anchor, title
	Targets                          []targetView
	Declaration                      Declaration
	DeclarationTitle                 string
	Sections                         []sectionView
	Queries                          []queryView
	W                                map[string]string
	Evidence                         string
}

type sectionView struct {
	ID, Title string
	Figures   []figureView
}

type figureView struct {
	Anchor, Title, Note, Unit, Coverage, Query, RowsLabel string
	Number                                                int
	Single                                                bool
	Chart                                                 chart
	Head                                                  []string
	Rows                                                  []rowView
}

type rowView struct {
	Label string
	Cells []cellView
}

type cellView struct {
	Text, Class, Title string
}

type targetView struct {
	Title, Goal string
	Rows        []targetRow
}

type targetRow struct {
	Name, Done, State string
	Width             float64 // of the progress bar, 0..200
	Reached           bool
}

type queryView struct {
	Number                                int
	Anchor, Figure, Text, ID, Issued, Cov string
	Evidence                              string
	Nodes                                 []nodeView
}

type nodeView struct {
	Org, Country, Peer, State, Answered, Signature, Cells string
}

// uiKey is the UI text key "report.<s>".
func uiKey(s string) sdk.UIKey { return sdk.UIKey("report." + s) }

// anchor is an HTML id for a figure.
func anchor(id string) string { return strings.ReplaceAll(id, ".", "-") }

// writeHTML writes r as one self-contained HTML page: styles inline,
// charts as inline SVG, no script and nothing fetched.
func writeHTML(w io.Writer, r *Report, opts RenderOptions) error {
	lang := r.Lang
	n := numbersIn(lang)
	v := htmlView{Lang: lang, Title: r.Title, Subtitle: text(lang, "report.subtitle"), HowToRead: text(lang, "report.how_to_read"),
		DeclarationTitle: text(lang, "report.sec.declaration"), Declaration: r.Declaration, Evidence: opts.Evidence, W: map[string]string{}}
	for _, k := range []string{"country", "goal", "done", "query", "member", "state", "signature", "answered_at", "cells", "coverage",
		"evidence_note", "sec.targets", "sec.provenance", "contents", "whole_network", "endorsements", "threshold", "declaration_note"} {
		v.W[strings.ReplaceAll(k, ".", "_")] = text(lang, uiKey(k))
	}
	period := text(lang, "report.all_records")
	if r.Period != nil {
		period = r.Period.From + " – " + r.Period.To
	}
	v.Meta = [][2]string{
		{text(lang, "report.period"), period},
		{text(lang, "report.network"), r.Network},
		{text(lang, "report.asked_by"), r.Asker.Org + " (" + r.Asker.Country + ")"},
		{text(lang, "report.generated"), r.Generated},
	}
	v.Contents = append(v.Contents, [2]string{"targets", v.W["sec_targets"]})
	for _, s := range r.Sections {
		v.Contents = append(v.Contents, [2]string{"sec-" + s.ID, s.Title})
	}
	v.Contents = append(v.Contents, [2]string{"declaration", v.DeclarationTitle}, [2]string{"provenance", v.W["sec_provenance"]})
	for _, t := range r.Targets {
		v.Targets = append(v.Targets, targetOf(r, t, lang, n))
	}
	for _, s := range r.Sections {
		sv := sectionView{ID: s.ID, Title: s.Title}
		for _, f := range s.Figures {
			sv.Figures = append(sv.Figures, figureOf(r, f, lang, n))
		}
		v.Sections = append(v.Sections, sv)
	}
	for _, q := range r.Queries {
		qv := queryView{Number: q.Number, Anchor: fmt.Sprintf("q%02d", q.Number), Figure: figureTitle(r, q.Figure), Text: q.Text,
			ID: q.ID, Issued: q.Issued, Cov: coverageText(lang, n, q)}
		if opts.Evidence != "" {
			qv.Evidence = opts.Evidence + "/" + evidenceDir(q) + "/"
		}
		for _, a := range q.Nodes {
			qv.Nodes = append(qv.Nodes, nodeView{Org: a.Org, Country: a.Country, Peer: a.Peer, State: text(lang, uiKey("state."+a.State)),
				Answered: a.Answered, Signature: a.Signature, Cells: fmt.Sprintf("%d / %d", a.Released, a.Suppressed)})
		}
		v.Queries = append(v.Queries, qv)
	}
	return htmlTemplate.Execute(w, v)
}

func figureTitle(r *Report, id string) string {
	if f, ok := r.Figure(id); ok {
		return f.Title
	}
	return id
}

func figureOf(r *Report, f Figure, lang string, n numbers) figureView {
	fv := figureView{Anchor: anchor(f.ID), Title: f.Title, Note: f.Note, Unit: unitText(lang, f), Number: f.Query,
		RowsLabel: f.RowsLabel, Single: f.RowsBy == "" && len(f.Rows) == 1, Chart: newChart(r, f, lang)}
	if f.Query >= 1 && f.Query <= len(r.Queries) {
		q := r.Queries[f.Query-1]
		fv.Coverage, fv.Query = coverageText(lang, n, q), q.Text
	}
	for _, ct := range r.Countries {
		fv.Head = append(fv.Head, ct.Name)
	}
	for _, row := range f.Rows {
		rv := rowView{Label: row.Label}
		for _, c := range row.Cells {
			rv.Cells = append(rv.Cells, cellView{Text: cellText(lang, n, f, c), Class: c.State, Title: cellNote(lang, n, f, c)})
		}
		fv.Rows = append(fv.Rows, rv)
	}
	return fv
}

func targetOf(r *Report, t Target, lang string, n numbers) targetView {
	goal := n.int(t.Goal)
	if t.GoalHigh > 0 {
		goal += "–" + n.int(t.GoalHigh)
	}
	tv := targetView{Title: t.Title, Goal: goal}
	for i, c := range t.Progress {
		name := text(lang, "report.whole_network")
		if t.Figure != "" && i < len(r.Countries) {
			name = r.Countries[i].Name
		}
		row := targetRow{Name: name, State: c.State, Done: cellText(lang, n, Figure{Unit: "records"}, c)}
		if c.Value != nil && t.Goal > 0 {
			row.Width = 200 * min(1, *c.Value/float64(t.Goal))
			row.Reached = *c.Value >= float64(t.Goal)
		}
		tv.Rows = append(tv.Rows, row)
	}
	return tv
}
