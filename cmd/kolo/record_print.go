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
	ui := func(k sdk.UIKey) string { return sdk.UIText(lang, k) }
	fmt.Fprintf(w, "%s: %s\n", fi.Ref(), fi.Title.In(lang))
	fmt.Fprintf(w, "%s: %s, %s: %s\n", ui(sdk.UIKind), ui(sdk.UIKey("kind."+string(fi.Kind))), ui(sdk.UICountry), fi.Country)
	if fi.CodeVersion != "" {
		fmt.Fprintf(w, "%s: %s\n", ui(sdk.UICriminalCode), sdk.CodeVersionIn(fi, lang))
	}
	fmt.Fprintln(w)
	tw := newTable(w)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ui(sdk.UIField), ui(sdk.UIType), ui(sdk.UIRequired), ui(sdk.UILabel), ui(sdk.UIAllowed))
	for _, f := range fi.Fields {
		req := ""
		if f.Required {
			req = ui(sdk.UIYes)
		}
		label := f.Label.In(lang)
		if f.Private() {
			label += " " + ui(sdk.UIStaysOnNode)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.ID, ui(sdk.UIKey("type."+string(f.Type))), req, label, allowedValues(f, lang))
		for _, o := range f.Options {
			fmt.Fprintf(tw, "\t\t\t  %s\t%s\n", o.Label.In(lang), o.Value)
		}
	}
	return tw.Flush()
}

// allowedValues says what values a field takes, briefly, in lang.
func allowedValues(f sdk.Field, lang string) string {
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
		return sdk.UIText(lang, sdk.UIDateFormat)
	case sdk.TypeBool:
		return "true, false"
	case sdk.TypeChoice:
		return sdk.UIText(lang, sdk.UIOneOf)
	case sdk.TypeSet:
		return sdk.UIText(lang, sdk.UIAnyOf)
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
	ui := func(k sdk.UIKey) string { return sdk.UIText(lang, k) }
	title := fi.Title.In(lang)
	if title != "" {
		title = " (" + title + ")"
	}
	head := newTable(w)
	line := func(k sdk.UIKey, format string, args ...any) {
		fmt.Fprintf(head, "%s:\t%s\n", ui(k), fmt.Sprintf(format, args...))
	}
	line(sdk.UIID, "%s", rec.ID)
	line(sdk.UIForm, "%s%s", rec.Form, title)
	country := rec.Country
	if rec.SubJurisdiction != "" {
		country += " (" + rec.SubJurisdiction + ")"
	}
	line(sdk.UICountry, "%s", country)
	line(sdk.UIDate, "%s", rec.Date)
	line(sdk.UIVersion, ui(sdk.UIVersionOf), rec.Version, h.Record.Version)
	line(sdk.UICreated, "%s", rec.Created.Local().Format(time.DateTime))
	line(sdk.UIUpdated, "%s", rec.Updated.Local().Format(time.DateTime))
	line(sdk.UIAuthor, "%s", rec.Author)
	if rec.Import != "" {
		line(sdk.UIImport, "%s", rec.Import)
	}
	if p := h.Record.Purged; p != nil {
		line(sdk.UIPurged, "%s, %s: %s", p.At.Local().Format(time.DateTime), p.By, strings.Join(p.Fields, ", "))
	}
	head.Flush()
	if rec.Deleted {
		fmt.Fprintln(w, "\n"+ui(sdk.UIDeletedRecord))
	} else {
		fmt.Fprintln(w, "\n"+ui(sdk.UIAnswers))
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
		fmt.Fprintln(w, "\n"+ui(sdk.UICommon))
		tw = newTable(w)
		for _, name := range slices.Sorted(maps.Keys(rec.Common)) {
			fmt.Fprintf(tw, "  %s\t%s\n", name, answerText(sdk.Field{}, rec.Common[name], lang))
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\n"+ui(sdk.UIHistory))
	tw := newTable(w)
	for _, r := range append(slices.Clone(h.History), h.Record) {
		what, by := sdk.UIEdited, ""
		switch {
		case r.Purged != nil:
			what, by = sdk.UIPurged, " ("+r.Purged.By+")"
		case r.Deleted:
			what = sdk.UIDeleted
		case r.Version == 1 && r.Import != "":
			what = sdk.UIImported
		case r.Version == 1:
			what = sdk.UIEntered
		}
		mark := " "
		if r.Version == rec.Version {
			mark = "*"
		}
		fmt.Fprintf(tw, " %s %d\t%s\t%s\n", mark, r.Version, r.Updated.Local().Format(time.DateTime), ui(what)+by)
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
	case bool:
		if v {
			return sdk.UIText(lang, sdk.UIYes)
		}
		return sdk.UIText(lang, sdk.UINo)
	}
	return fmt.Sprint(v)
}
