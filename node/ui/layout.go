package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kolo-net/kolo/plugins/sdk"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Page is what every template gets: the layout's data and the page's own
// (Data). In a template, {{.T "ui.nav.records"}} translates a key, and
// {{$.T ...}} does inside a range.
type Page struct {
	Lang      string
	Languages []Language
	Title     string // the page's title, translated
	Nav       string // the area of the nav to mark: records, network, analysis, node
	CSRF      string // the session's token, for the hidden field of every form
	Path      string // the page's path and query, for the language switcher
	LoggedIn  bool
	Org       string
	Data      any
}

// T translates key into the page's language.
func (p *Page) T(key string) string { return T(p.Lang, key) }

// TC translates key and begins it with a capital letter: the catalogue's
// words that the command line writes in lower case ("kind", "date") as
// a page's labels.
func (p *Page) TC(key string) string {
	s := p.T(key)
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Tf translates key and fills its fmt verbs with args.
func (p *Page) Tf(key string, args ...any) string { return Tf(p.Lang, key, args...) }

// L picks a label (a form's, a field's, an option's) in the page's
// language, falling back to English.
func (p *Page) L(l sdk.Label) string { return l.In(p.Lang) }

// Kind names a record kind in the page's language.
func (p *Page) Kind(k sdk.Kind) string { return sdk.UIText(p.Lang, sdk.UIKey("kind."+string(k))) }

// templates holds one template per page, each parsed with the layout.
type templates map[string]*template.Template

// funcs are the helpers templates share; they take no language (the Page
// methods do).
var funcs = template.FuncMap{
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
}

// parseTemplates parses templates/layout.html with each other page.
func parseTemplates() (templates, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("ui: layout template: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := templates{}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("ui: template %s: %w", base, err)
		}
		out[strings.TrimSuffix(base, ".html")] = t
	}
	return out, nil
}

// render writes page name with status code. It renders into a buffer
// first, so that a template error gives a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, rq *request, code int, name string, p Page) {
	t, ok := s.tmpl[name]
	if !ok {
		s.log.Error("no such page template", "page", name)
		http.Error(w, "internal error: no such page", http.StatusInternalServerError)
		return
	}
	p.Lang = rq.lang
	p.Languages = s.languages(rq.Context())
	p.Path = rq.URL.RequestURI()
	if rq.sess != nil {
		p.LoggedIn = true
		p.CSRF = s.sessions.csrfOf(rq.sess)
		p.Org = s.org(rq.Context())
	}
	if p.Title == "" {
		p.Title = "kolo"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", &p); err != nil {
		// The error names the template and the place, never the data.
		s.log.Error("render page", "page", name, "error", err)
		http.Error(w, "internal error: the page could not be drawn", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", p.Lang)
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}
