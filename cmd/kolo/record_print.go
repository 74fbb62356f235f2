package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

func sdkKind(s string) sdk.Kind { return sdk.Kind(s) }

func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

func printForms(w io.Writer, forms []records.FormSummary, lang string) error {
	tw := newTable(w)
	fmt.Fprintln(tw, "FORM\tVERSIONS\tKIND\tCOUNTRY\tFIELDS\tTITLE")
	for _, f := range forms {
		vs := make([]string, len(f.Versions))
		for i, v := range f.Versions {
			vs[i] = strconv.Itoa(v)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", f.ID, strings.Join(vs, ","), f.Kind, f.Country, f.Fields, f.Title.In(lang))
	}
	return tw.Flush()
}

func printForm(w io.Writer, fi sdk.FormInfo, lang string) error {
	fmt.Fprintf(w, "%s: %s\n", fi.Ref(), fi.Title.In(lang))
	fmt.Fprintf(w, "kind: %s, country: %s\n", fi.Kind, fi.Country)
	if fi.CodeVersion != "" {
		fmt.Fprintf(w, "criminal code: %s\n", fi.CodeVersion)
	}
	fmt.Fprintln(w)
	tw := newTable(w)
	fmt.Fprintln(tw, "FIELD\tTYPE\tREQUIRED\tLABEL\tALLOWED")
	for _, f := range fi.Fields {
		req := ""
		if f.Required {
			req = "yes"
		}
		label := f.Label.In(lang)
		if f.Private() {
			label += " (stays on this node)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.ID, f.Type, req, label, allowedValues(f))
		for _, o := range f.Options {
			fmt.Fprintf(tw, "\t\t\t  %s\t%s\n", o.Label.In(lang), o.Value)
		}
	}
	return tw.Flush()
}

// allowedValues says what values a field takes, briefly.
func allowedValues(f sdk.Field) string {
	num := func(p *float64) string { return strconv.FormatFloat(*p, 'f', -1, 64) }
	switch f.Type {
	case sdk.TypeInt, sdk.TypeNumber:
		switch {
		case f.Min != nil && f.Max != nil:
			return num(f.Min) + ".." + num(f.Max)
		case f.Min != nil:
			return "≥ " + num(f.Min)
		case f.Max != nil:
			return "≤ " + num(f.Max)
		}
	case sdk.TypeDate:
		return "YYYY-MM-DD"
	case sdk.TypeBool:
		return "true, false"
	case sdk.TypeChoice:
		return "one of:"
	case sdk.TypeSet:
		return "any of (a;b in a CSV cell):"
	}
	return ""
}

func printSummaries(w io.Writer, l []records.Summary, deleted bool) error {
	tw := newTable(w)
	head := "ID\tFORM\tDATE\tVERSION\tUPDATED"
	if deleted {
		head += "\tDELETED"
	}
	fmt.Fprintln(tw, head+"\tRECORD")
	for _, s := range l {
		line := fmt.Sprintf("%s\t%s\t%s\t%d\t%s", s.ID, s.Form, s.Date, s.Version, s.Updated.Local().Format(time.DateTime))
		if deleted {
			line += "\t" + map[bool]string{true: "yes", false: ""}[s.Deleted]
		}
		fmt.Fprintln(tw, line+"\t"+strings.Join(s.Brief, " · "))
	}
	return tw.Flush()
}

// printRecord prints version rec of the record h, with the labels of fi
// (which may be empty when the form is not served).
func printRecord(w io.Writer, h records.WithHistory, rec records.Record, fi sdk.FormInfo, lang string) error {
	title := fi.Title.In(lang)
	if title != "" {
		title = " (" + title + ")"
	}
	fmt.Fprintf(w, "id:       %s\n", rec.ID)
	fmt.Fprintf(w, "form:     %s%s\n", rec.Form, title)
	fmt.Fprintf(w, "country:  %s", rec.Country)
	if rec.SubJurisdiction != "" {
		fmt.Fprintf(w, " (%s)", rec.SubJurisdiction)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "date:     %s\n", rec.Date)
	fmt.Fprintf(w, "version:  %d of %d\n", rec.Version, h.Record.Version)
	fmt.Fprintf(w, "created:  %s\n", rec.Created.Local().Format(time.DateTime))
	fmt.Fprintf(w, "updated:  %s\n", rec.Updated.Local().Format(time.DateTime))
	fmt.Fprintf(w, "author:   %s\n", rec.Author)
	if rec.Import != "" {
		fmt.Fprintf(w, "import:   %s\n", rec.Import)
	}
	if p := h.Record.Purged; p != nil {
		fmt.Fprintf(w, "purged:   %s by %s: %s erased from every version\n", p.At.Local().Format(time.DateTime), p.By, strings.Join(p.Fields, ", "))
	}
	if rec.Deleted {
		fmt.Fprintln(w, "\nThis version deletes the record; earlier versions keep its answers (--version N).")
	} else {
		fmt.Fprintln(w, "\nanswers:")
		tw := newTable(w)
		for _, id := range fieldOrder(fi, rec.Fields) {
			label := id
			var field sdk.Field
			for _, f := range fi.Fields {
				if f.ID == id {
					field, label = f, f.Label.In(lang)
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", id, label, answerText(field, rec.Fields[id], lang))
		}
		tw.Flush()
		fmt.Fprintln(w, "\ncommon indicators:")
		tw = newTable(w)
		for _, name := range slices.Sorted(maps.Keys(rec.Common)) {
			fmt.Fprintf(tw, "  %s\t%s\n", name, answerText(sdk.Field{}, rec.Common[name], lang))
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nhistory:")
	tw := newTable(w)
	for _, r := range append(slices.Clone(h.History), h.Record) {
		what := "edited"
		switch {
		case r.Purged != nil:
			what = "purged by " + r.Purged.By
		case r.Deleted:
			what = "deleted"
		case r.Version == 1 && r.Import != "":
			what = "imported"
		case r.Version == 1:
			what = "entered"
		}
		mark := " "
		if r.Version == rec.Version {
			mark = "*"
		}
		fmt.Fprintf(tw, " %s %d\t%s\t%s\n", mark, r.Version, r.Updated.Local().Format(time.DateTime), what)
	}
	return tw.Flush()
}

// fieldOrder lists the answered fields in form order, unknown ones last.
func fieldOrder(fi sdk.FormInfo, a sdk.Answers) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fi.Fields {
		if _, ok := a[f.ID]; ok {
			out = append(out, f.ID)
			seen[f.ID] = true
		}
	}
	var rest []string
	for k := range a {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// answerText writes an answer on one line, with the label of a list value.
func answerText(f sdk.Field, v any, lang string) string {
	label := func(s string) string {
		for _, o := range f.Options {
			if o.Value == s {
				return o.Label.In(lang) + " (" + s + ")"
			}
		}
		return s
	}
	switch v := v.(type) {
	case string:
		return strings.ReplaceAll(label(v), "\n", " ⏎ ")
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = answerText(f, e, lang)
		}
		return strings.Join(parts, "; ")
	case []string:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = label(e)
		}
		return strings.Join(parts, "; ")
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
