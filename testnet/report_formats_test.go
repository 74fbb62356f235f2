package testnet

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/node/report"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"
)

// seenCell is a cell as one format of the report shows it.
type seenCell struct {
	state string
	value float64
	// exact is set when the format carries the figure unrounded (JSON,
	// CSV, the charts' data-value); a table shows it rounded.
	exact bool
}

// seenFigures are a format's cells, by figure id.
type seenFigures map[string]map[cellKey]seenCell

// fromModel reads the cells of a report read back from its JSON.
func fromModel(rep *report.Report) seenFigures {
	out := seenFigures{}
	for _, s := range rep.Sections {
		for _, f := range s.Figures {
			cells := map[cellKey]seenCell{}
			for _, row := range f.Rows {
				for _, c := range row.Cells {
					sc := seenCell{state: c.State, exact: true}
					if c.Value != nil {
						sc.value = *c.Value
					}
					cells[cellKey{c.Country, row.Key}] = sc
				}
			}
			out[f.ID] = cells
		}
	}
	return out
}

// fromCSV reads the cells of the CSV form.
func fromCSV(t *testing.T, data []byte) seenFigures {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read: %v", err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := seenFigures{}
	for _, r := range rows[1:] {
		fig := r[col["figure"]]
		if out[fig] == nil {
			out[fig] = map[cellKey]seenCell{}
		}
		sc := seenCell{state: r[col["state"]], exact: true}
		if v := r[col["value"]]; v != "" {
			if sc.value, err = strconv.ParseFloat(v, 64); err != nil {
				t.Fatalf("CSV value %q: %v", v, err)
			}
		}
		out[fig][cellKey{r[col["country"]], r[col["row"]]}] = sc
	}
	return out
}

// labels maps a figure's row labels and the countries' names back to
// their keys, from the report's model in the same language.
type labels struct {
	rows      map[string]map[string]string // figure id → label → key
	countries map[string]string
	byNumber  map[int]string // query number → figure id
	single    map[string]bool
}

func labelsOf(rep *report.Report) labels {
	l := labels{rows: map[string]map[string]string{}, countries: map[string]string{}, byNumber: map[int]string{}, single: map[string]bool{}}
	for _, c := range rep.Countries {
		l.countries[c.Name] = c.Code
	}
	for _, s := range rep.Sections {
		for _, f := range s.Figures {
			l.byNumber[f.Query] = f.ID
			l.single[f.ID] = f.RowsBy == "" && len(f.Rows) == 1
			m := map[string]string{}
			for _, r := range f.Rows {
				m[r.Label] = r.Key
			}
			l.rows[f.ID] = m
		}
	}
	return l
}

// displayed reads a table cell written in English.
func displayed(t *testing.T, s string) seenCell {
	t.Helper()
	s = strings.TrimSpace(s)
	switch s {
	case "suppressed":
		return seenCell{state: report.CellSuppressed}
	case "no answer":
		return seenCell{state: report.CellNoAnswer}
	case "—":
		return seenCell{state: report.CellNone}
	}
	num := strings.NewReplacer(",", "", "%", "", " €", "", "*", "").Replace(s)
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		t.Fatalf("table cell %q is no figure: %v", s, err)
	}
	if strings.HasSuffix(s, "%") {
		v /= 100
	}
	return seenCell{state: report.CellValue, value: v}
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.Data == "title" {
			return // an SVG element's tooltip
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func element(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

// tableCells reads a figure's table: a column per country, a row per
// category (or, for a figure of one row, a row per country).
func tableCells(t *testing.T, table *html.Node, fig string, l labels) map[cellKey]seenCell {
	t.Helper()
	out := map[cellKey]seenCell{}
	trs := find(table, element("tr"))
	if len(trs) < 2 {
		t.Fatalf("figure %s: a table of %d rows", fig, len(trs))
	}
	var head []string
	for _, th := range find(trs[0], element("th")) {
		head = append(head, text(th))
	}
	for _, tr := range trs[1:] {
		tds := find(tr, element("td"))
		if l.single[fig] {
			code, ok := l.countries[text(tds[0])]
			if !ok || len(tds) != 2 {
				t.Fatalf("figure %s: row %q is no country's", fig, text(tr))
			}
			out[cellKey{code, ""}] = displayed(t, text(tds[1]))
			continue
		}
		key, ok := l.rows[fig][text(tds[0])]
		if !ok || len(tds) != len(head) {
			t.Fatalf("figure %s: row %q: unknown label or %d cells for %d columns", fig, text(tds[0]), len(tds), len(head))
		}
		for i, td := range tds[1:] {
			out[cellKey{l.countries[head[i+1]], key}] = displayed(t, text(td))
		}
	}
	return out
}

// fromHTML reads the HTML form's tables, and its charts' marks (with
// their exact data-value) under "<figure>#chart".
func fromHTML(t *testing.T, data []byte, l labels) seenFigures {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out := seenFigures{}
	for id := range l.rows {
		figs := find(doc, func(n *html.Node) bool {
			return n.Data == "figure" && attr(n, "id") == strings.ReplaceAll(id, ".", "-")
		})
		if len(figs) != 1 {
			t.Fatalf("HTML: %d figures with the id of %s", len(figs), id)
		}
		tables := find(figs[0], element("table"))
		if len(tables) != 1 {
			t.Fatalf("HTML figure %s: %d tables", id, len(tables))
		}
		out[id] = tableCells(t, tables[0], id, l)
		marks := map[cellKey]seenCell{}
		for _, m := range find(figs[0], func(n *html.Node) bool { return attr(n, "data-state") != "" }) {
			sc := seenCell{state: attr(m, "data-state"), exact: true}
			if v := attr(m, "data-value"); v != "" {
				if sc.value, err = strconv.ParseFloat(v, 64); err != nil {
					t.Fatalf("HTML figure %s: data-value %q: %v", id, v, err)
				}
			}
			marks[cellKey{attr(m, "data-country"), attr(m, "data-row")}] = sc
		}
		out[id+"#chart"] = marks
	}
	return out
}

var figureHeading = regexp.MustCompile(`\[(\d+)\]$`)

// fromMarkdown reads the Markdown form as a GitHub-flavoured Markdown
// reader does (goldmark with tables), then its tables as fromHTML does.
func fromMarkdown(t *testing.T, data []byte, l labels) seenFigures {
	t.Helper()
	var buf bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.Table)).Convert(data, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	out := seenFigures{}
	for _, h := range find(doc, element("h3")) {
		m := figureHeading.FindStringSubmatch(text(h))
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		fig, ok := l.byNumber[n]
		if !ok {
			t.Fatalf("Markdown: heading %q names no figure", text(h))
		}
		table := h.NextSibling
		for table != nil && !(table.Type == html.ElementNode && (table.Data == "table" || table.Data == "h3")) {
			table = table.NextSibling
		}
		if table == nil || table.Data != "table" {
			t.Fatalf("Markdown: no table under %q", text(h))
		}
		out[fig] = tableCells(t, table, fig, l)
	}
	return out
}

// compareFigure checks one format's cells of figure s against the ground
// truth and returns how many figures it found equal.
func compareFigure(t *testing.T, format string, s report.Spec, q *query.Query, unit string, want map[cellKey]*truthCell, seen map[cellKey]seenCell) int {
	t.Helper()
	if seen == nil {
		t.Errorf("%s: figure %s is missing", format, s.ID)
		return 0
	}
	equal := 0
	for k, sc := range seen {
		e := want[k]
		switch sc.state {
		case report.CellValue, report.CellZero:
			w, ok := e.figure(q.Agg.Func)
			if !ok {
				t.Errorf("%s: figure %s, %s %q: shows %v, the ground truth has no records there", format, s.ID, k.country, k.row, sc.value)
				continue
			}
			tol := 1e-6 * math.Max(1, math.Abs(w))
			if !sc.exact {
				switch {
				case unit == "share":
					tol = .005 + 1e-9
				case unit == "EUR":
					tol = .5 + 1e-9
				case q.Agg.Func == query.Mean:
					tol = .05 + 1e-9
				}
			}
			if math.Abs(sc.value-w) > tol {
				t.Errorf("%s: figure %s, %s %q: shows %v, the ground truth gives %v", format, s.ID, k.country, k.row, sc.value, w)
				continue
			}
			equal++
		case report.CellNone:
			if e != nil && e.n > 0 {
				t.Errorf("%s: figure %s, %s %q: shows no records, the ground truth has %d", format, s.ID, k.country, k.row, e.n)
			}
		case report.CellSuppressed:
			if e == nil || e.n == 0 {
				t.Errorf("%s: figure %s, %s %q: suppressed, but the ground truth has no records there", format, s.ID, k.country, k.row)
			}
		default:
			t.Errorf("%s: figure %s, %s %q: state %s (every member answered)", format, s.ID, k.country, k.row, sc.state)
		}
	}
	for k, e := range want {
		if _, ok := seen[k]; !ok && e.n > 0 {
			t.Errorf("%s: figure %s, %s %q: %d records in the ground truth, no cell in the report", format, s.ID, k.country, k.row, e.n)
		}
	}
	return equal
}

func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
