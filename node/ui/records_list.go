package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// The list of records: filters, a text search over public answers, and
// pages of pageSize records, newest first.

// pageSize is how many records one page of the list shows.
const pageSize = 50

// recordsList is the data of the list page.
type recordsList struct {
	Filter records.Filter
	Text   string // the search's text, from the session (never from the URL)
	Kinds  []sdk.Kind
	Forms  []formChoice
	Rows   []records.Summary
	Total  int
	From   int // 1-based number of the first row shown
	To     int
	Prev   string // URL of the previous page, "" on the first
	Next   string
	// Query is the filter's query (no search text), for the export form.
	Query   url.Values
	Expired bool // the URL named a search this session no longer holds
	Saved   string
}

// recordsListPage lists the records the query's filter selects.
func (s *Server) recordsListPage(w http.ResponseWriter, rq *request) error {
	q := rq.URL.Query()
	f, err := records.FilterFromQuery(q)
	if err != nil {
		return badRequest(err)
	}
	data := recordsList{Filter: f, Kinds: sdk.Kinds, Forms: formChoices(s.b.FormList(rq.Context()), rq.lang), Query: f.Query()}
	if h := q.Get("s"); h != "" {
		text, ok := s.sessions.search(rq.sess, h)
		data.Text, data.Expired = text, !ok
	}
	var rows []records.Summary
	if data.Text != "" {
		rows, err = s.b.SearchRecords(rq.Context(), f, data.Text)
	} else {
		rows, err = s.b.ListRecords(rq.Context(), f)
	}
	if err != nil {
		return recordsError(err)
	}
	slices.Reverse(rows) // newest first
	page, _ := strconv.Atoi(q.Get("page"))
	pages := max(1, (len(rows)+pageSize-1)/pageSize)
	page = min(max(page, 1), pages)
	data.Total = len(rows)
	lo, hi := (page-1)*pageSize, min(page*pageSize, len(rows))
	data.Rows = s.labelBriefs(rq, rows[lo:hi])
	if hi > lo {
		data.From, data.To = lo+1, hi
	}
	link := func(p int) string {
		v := f.Query()
		if h := q.Get("s"); h != "" && data.Text != "" {
			v.Set("s", h)
		}
		if p > 1 {
			v.Set("page", strconv.Itoa(p))
		}
		return Prefix + "records?" + v.Encode()
	}
	if page > 1 {
		data.Prev = link(page - 1)
	}
	if page < pages {
		data.Next = link(page + 1)
	}
	s.render(w, rq, http.StatusOK, "records_list", Page{Title: T(rq.lang, "ui.nav.records"), Nav: "records", Data: data})
	return nil
}

// searchRecords takes the filter form: the filters go into the list's
// URL, the search text into the session, named in the URL by a handle
// (a name or a case number a monitor types must not end up in a URL).
func (s *Server) searchRecords(w http.ResponseWriter, rq *request) error {
	f := records.Filter{Kind: sdk.Kind(rq.PostFormValue("kind")), Form: rq.PostFormValue("form"),
		Since: rq.PostFormValue("since"), Until: rq.PostFormValue("until")}
	if err := f.Check(); err != nil {
		return badRequest(err)
	}
	v := f.Query()
	if text := rq.PostFormValue("q"); text != "" {
		if len([]rune(text)) > records.MaxSearchText {
			return badRequest(errTooLongSearch)
		}
		v.Set("s", s.sessions.keepSearch(rq.sess, text))
	}
	return redirect(w, rq, Prefix+"records?"+v.Encode())
}

// briefChoices are the fields whose answer a Summary's Brief may show as
// an option's value (records.Summary.Brief): their labels read better.
var briefChoices = []string{"verdict", "stage", "outcome", "victim_status", "hearing_held", "court_level"}

// labelBriefs writes the option values in the rows' Briefs as their
// labels in the page's language (a copy: the rows are the book's).
func (s *Server) labelBriefs(rq *request, rows []records.Summary) []records.Summary {
	forms := map[string]map[string]string{}
	out := make([]records.Summary, len(rows))
	for i, r := range rows {
		labels, ok := forms[r.Form]
		if !ok {
			labels = map[string]string{}
			if fi, err := s.b.FormInfo(rq.Context(), r.Form); err == nil {
				for _, f := range fi.Fields {
					if !slices.Contains(briefChoices, f.ID) {
						continue
					}
					for _, o := range f.Options {
						labels[o.Value] = o.Label.In(rq.lang)
					}
					if f.Type == sdk.TypeBool {
						labels["true"] = T(rq.lang, string(sdk.UIYes))
						labels["false"] = T(rq.lang, string(sdk.UINo))
					}
				}
			}
			forms[r.Form] = labels
		}
		out[i] = r
		if len(r.Brief) > 0 && len(labels) > 0 {
			out[i].Brief = slices.Clone(r.Brief)
			for j, b := range out[i].Brief {
				if l, ok := labels[b]; ok {
					out[i].Brief[j] = l
				}
			}
		}
	}
	return out
}
