package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats a report is written in.
const (
	HTML     = "html"
	Markdown = "md"
	CSV      = "csv"
	JSON     = "json"
)

// Formats lists the formats, HTML first.
var Formats = []string{HTML, Markdown, CSV, JSON}

// RenderOptions say how a report is written.
type RenderOptions struct {
	// Lang is the language of the labels (Languages); "" means English.
	Lang string
	// Evidence is the path of the evidence folder relative to the
	// report, which the provenance appendix links to ("" if none).
	Evidence string
}

// Render writes r in format, its labels in opts.Lang. r is localized in
// place.
func Render(w io.Writer, r *Report, format string, opts RenderOptions) error {
	if opts.Lang == "" {
		opts.Lang = "en"
	}
	if err := CheckLang(opts.Lang); err != nil {
		return err
	}
	Localize(r, opts.Lang)
	switch format {
	case HTML:
		return writeHTML(w, r, opts)
	case Markdown:
		return writeMarkdown(w, r, opts)
	case CSV:
		return writeCSV(w, r)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return fmt.Errorf("format %q: a report is written as %s", format, strings.Join(Formats, ", "))
}

// FormatOf is the format a file name's extension names ("" if none).
func FormatOf(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	switch ext := strings.ToLower(name[i+1:]); ext {
	case "html", "htm":
		return HTML
	case "md", "markdown":
		return Markdown
	case "csv", "json":
		return ext
	}
	return ""
}
