package declaration

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
)

//go:embed page.html.tmpl
var pageTemplate string

var page = template.Must(template.New("page").Parse(pageTemplate))

// markdown renders the Declaration's Markdown. goldmark's defaults are
// what a page built from a peer's text needs: raw HTML in the Markdown is
// left out ("<!-- raw HTML omitted -->") and links to javascript:,
// vbscript:, file: and data: (other than images) URLs are emptied.
var markdown = goldmark.New()

// PageLanguages lists the languages WritePage writes, the original first.
func PageLanguages() []string {
	out := make([]string, 0, len(pageLanguages))
	for l := range pageLanguages {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i] == Original) != (out[j] == Original) {
			return out[i] == Original
		}
		return out[i] < out[j]
	})
	return out
}

// pageData is what the HTML page shows, every text already in the page's
// language; html/template escapes each value.
type pageData struct {
	Lang        string
	Words       pageWords
	Title       string
	Status      []string
	Note        string
	ByCountry   []countryRow
	Counted     []endorserRow
	Text        template.HTML // the Declaration in Lang, rendered from Markdown
	Original    template.HTML // the signed English text, when Text is a translation
	NetworkName string
	Export      Export
	Generated   string
}

type countryRow struct {
	Name  string
	Count int
}

type endorserRow struct{ Org, Country, Date string }

// WriteHTML writes exp as a public web page in English.
func WriteHTML(w io.Writer, exp Export) error { return WritePage(w, exp, Original) }

// WritePage writes exp as a public web page in lang, for a CSO's website:
// one self-contained file (no script, no outside resource) with the
// Declaration rendered from its Markdown, how many organisations endorse
// it against the threshold, by country, the organisations that endorse it
// with their country's name in lang, and how to verify. In a language
// other than English the page shows the shipped translation of the
// network's Declaration, says that it is one, and carries the signed
// English text below it. Every value is escaped by html/template.
func WritePage(w io.Writer, exp Export, lang string) error {
	lang = CanonicalTag(lang)
	words, ok := pageLanguages[lang]
	if !ok {
		return fmt.Errorf("HTML page in %q: not a language of the page (languages: %s)", lang, strings.Join(PageLanguages(), ", "))
	}
	decl := exp.Network.Declaration
	d := pageData{Lang: lang, Words: words, NetworkName: exp.Network.Name, Export: exp, Generated: fmt.Sprintf(words.Generated, exp.Generated)}
	shown := decl.Text
	if lang != Original {
		tr, err := Lookup(decl.Version, lang)
		if err != nil {
			return fmt.Errorf("HTML page in %s: %w", lang, err)
		}
		if tr.Identity != decl.SHA256 {
			return fmt.Errorf("HTML page in %s: this kolo's %s translation is of the Declaration %s with SHA-256 %s, the network's Declaration has SHA-256 %s; write the page in en", lang, lang, tr.Version, tr.Identity, decl.SHA256)
		}
		shown = tr.Markdown
		orig, err := render(decl.Text)
		if err != nil {
			return err
		}
		d.Original = orig
	}
	text, err := render(shown)
	if err != nil {
		return err
	}
	d.Text, d.Title = text, Title(shown)
	st := exp.Status
	d.Status = words.statusLines(lang, st)
	if st.Concentration != "" && len(st.AdmittedBy) > 0 {
		top := st.AdmittedBy[0]
		d.Note = fmt.Sprintf(words.Concentration, orgOr(top.Org, top.Peer.String()), top.Count, st.Count)
	}
	for _, c := range st.ByCountry {
		d.ByCountry = append(d.ByCountry, countryRow{countryName(lang, c.Country), c.Count})
	}
	for _, e := range exp.Endorsements {
		if e.State == StateCounted {
			d.Counted = append(d.Counted, endorserRow{e.Org, countryName(lang, e.Country), words.date(e.Date)})
		}
	}
	slices.SortStableFunc(d.ByCountry, func(a, b countryRow) int { return strings.Compare(a.Name, b.Name) })
	var buf bytes.Buffer
	if err := page.Execute(&buf, d); err != nil {
		return fmt.Errorf("write HTML page: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write HTML page: %w", err)
	}
	return nil
}

// RenderMarkdown turns a Declaration's Markdown into HTML with the same
// safe defaults as the public page (no raw HTML, no script URLs), for a
// page that shows the text: the node's web interface.
func RenderMarkdown(md string) (template.HTML, error) { return render(md) }

// render turns Markdown into HTML with goldmark's safe defaults (see
// markdown), so the result may be put into the page as it is.
func render(md string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(md), &buf); err != nil {
		return "", fmt.Errorf("render the Declaration's Markdown: %w", err)
	}
	return template.HTML(buf.String()), nil //nolint:gosec // goldmark without WithUnsafe: no raw HTML, no script URLs
}

func orgOr(org, fallback string) string {
	if org != "" {
		return org
	}
	return fallback
}
