package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// A record's page: its current answers, labelled in the page's language,
// its common indicators, and every earlier version.

// answerView is one answer as a record's page shows it.
type answerView struct {
	Label   string
	Value   string
	Private bool
}

// versionView is one version of a record.
type versionView struct {
	Version int
	Updated string
	What    string // entered, imported, edited, deleted, purged
	Deleted bool
	Answers []answerView
}

// recordView is the data of a record's page.
type recordView struct {
	Record   records.Record
	Title    string
	Answers  []answerView
	Common   []answerView
	Versions []versionView // newest first, the current one included
	Saved    bool
}

// recordPage shows one record with its history.
func (s *Server) recordPage(w http.ResponseWriter, rq *request) error {
	h, err := s.b.RecordHistory(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return recordsError(err)
	}
	r := h.Record
	fi, ferr := s.b.FormInfo(rq.Context(), r.Form)
	v := recordView{Record: r, Title: r.Form, Saved: rq.URL.Query().Get("saved") == "1"}
	if ferr == nil {
		v.Title = fi.Title.In(rq.lang)
	}
	v.Answers = answerViews(fi, r.Fields, rq.lang)
	keys := make([]string, 0, len(r.Common))
	for k := range r.Common {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v.Common = append(v.Common, answerView{Label: k, Value: indicatorText(r.Common[k])})
	}
	all := append(slices.Clone(h.History), r)
	for i := len(all) - 1; i >= 0; i-- {
		x := all[i]
		v.Versions = append(v.Versions, versionView{Version: x.Version, Updated: x.Updated.UTC().Format(time.DateTime) + " UTC",
			What: versionWhat(x, rq.lang), Deleted: x.Deleted, Answers: answerViews(fi, x.Fields, rq.lang)})
	}
	s.render(w, rq, http.StatusOK, "record", Page{Title: v.Title, Nav: "records", Data: v})
	return nil
}

// versionWhat says what a version did.
func versionWhat(r records.Record, lang string) string {
	switch {
	case r.Deleted:
		return T(lang, string(sdk.UIDeleted))
	case r.Purged != nil:
		return T(lang, string(sdk.UIPurged))
	case r.Version > 1:
		return T(lang, string(sdk.UIEdited))
	case r.Import != "":
		return T(lang, string(sdk.UIImported))
	}
	return T(lang, string(sdk.UIEntered))
}

// answerViews labels answers a with the fields of fi, in form order (an
// answer to a field fi does not have comes last, by its id).
func answerViews(fi sdk.FormInfo, a sdk.Answers, lang string) []answerView {
	var out []answerView
	seen := map[string]bool{}
	for _, f := range fi.Fields {
		v, ok := a[f.ID]
		if !ok || v == nil || v == "" {
			continue
		}
		seen[f.ID] = true
		out = append(out, answerView{Label: f.Label.In(lang), Value: answerShown(f, v, lang), Private: f.Private()})
	}
	var rest []string
	for k := range a {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, answerView{Label: k, Value: indicatorText(a[k])})
	}
	return out
}

// answerShown is an answer as a reader reads it: an option's label, yes
// or no, a number without a trailing .0.
func answerShown(f sdk.Field, v any, lang string) string {
	label := func(val string) string {
		for _, o := range f.Options {
			if o.Value == val {
				return o.Label.In(lang)
			}
		}
		return val
	}
	switch f.Type {
	case sdk.TypeChoice:
		if s, ok := v.(string); ok {
			return label(s)
		}
	case sdk.TypeSet:
		var ls []string
		for _, s := range answerList(v) {
			ls = append(ls, label(s))
		}
		return strings.Join(ls, "; ")
	case sdk.TypeBool:
		if b, ok := v.(bool); ok {
			if b {
				return T(lang, string(sdk.UIYes))
			}
			return T(lang, string(sdk.UINo))
		}
	}
	return indicatorText(v)
}

// indicatorText writes any stored value.
func indicatorText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []string:
		return strings.Join(v, "; ")
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}
