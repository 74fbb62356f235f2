package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// analystRoutes registers the analysis pages: the query builder, the
// queries this node asked and their answers (analyst_answer.go), and
// the regional report (analyst_report.go).
func (s *Server) analystRoutes() {
	s.page("GET "+Prefix+"analysis", s.builderPage)
	s.action("POST "+Prefix+"analysis/ask", s.askQuery)
	s.page("GET "+Prefix+"analysis/queries", s.queriesPage)
	s.page("GET "+Prefix+"analysis/queries/{id}", s.answerPage)
	s.reportRoutes()
}

// waitChoices are how long a query may stay open, as the builder offers
// them; the first is the default (federation.DefaultWait).
var waitChoices = []time.Duration{federation.DefaultWait, 30 * time.Second, 10 * time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}

// builderData is the builder's page.
type builderData struct {
	Kinds, Aggs            []choice
	Numeric, Bools         []choice // indicators to aggregate
	P, Edges               string
	Groups                 []choice
	Filters                []filterView
	From, To               string
	Text, Problem          string // the composed query, or why it is refused
	Waits                  []choice
	Noise                  bool   // this node allows ε: offer it
	Epsilon, MaxEpsilon    string // typed, and the most allowed
	AskProblem, EpsProblem string
	Composed               bool
}

// choice is an option of a select, a checkbox or a radio button.
type choice struct {
	Value, Label string
	On           bool
}

// filterView is one filter of the builder.
type filterView struct {
	Name, Label string
	Set, Bool   bool // a set indicator (any of), a yes/no one (one value)
	Options     []choice
	Open        bool // a value is chosen: show it unfolded
}

// builderPage is the query builder: it composes the text of the query
// from the choices made, shows it (or what is wrong with it), and offers
// to ask the network.
func (s *Server) builderPage(w http.ResponseWriter, rq *request) error {
	if _, ok := s.b.NetworkInfo(rq.Context()); !ok {
		return s.renderNoNetworkYet(w, rq)
	}
	countries := s.memberCountries(rq)
	b := readBuilder(rq.URL.Query(), countries)
	d := s.builderView(rq, b, countries)
	if b.Composed {
		text, err := b.compose(countries)
		switch {
		case err != nil && b.Agg != query.Count && b.Indicator == "":
			d.Problem = T(rq.lang, "ui.an.indicator_missing")
		case err != nil:
			d.Problem = err.Error()
		}
		d.Text = text
	}
	s.render(w, rq, http.StatusOK, "analysis", Page{Title: T(rq.lang, "ui.nav.analysis"), Nav: "analysis", Data: d})
	return nil
}

// renderNoNetworkYet says that analysis needs a network.
func (s *Server) renderNoNetworkYet(w http.ResponseWriter, rq *request) error {
	s.render(w, rq, http.StatusOK, "message", Page{Title: T(rq.lang, "ui.nav.analysis"), Nav: "analysis",
		Data: message{Text: T(rq.lang, "ui.an.no_network")}})
	return nil
}

// memberCountries are the countries of the network's current members,
// in code order: the values the builder offers for country.
func (s *Server) memberCountries(rq *request) []string {
	ms, err := s.b.NetworkMembers(rq.Context())
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range ms {
		if m.Revoked == "" && !slices.Contains(out, m.Country) {
			out = append(out, m.Country)
		}
	}
	slices.Sort(out)
	return out
}

// builderView lays out the builder's form in the page's language.
func (s *Server) builderView(rq *request, b builder, countries []string) builderData {
	lang := rq.lang
	d := builderData{P: b.P, Edges: b.Edges, From: b.From, To: b.To, Composed: b.Composed}
	if d.P == "" {
		d.P = "0.9"
	}
	if d.Edges == "" {
		d.Edges = "0, 12, 36, 60, 120"
	}
	for _, k := range sdk.Kinds {
		d.Kinds = append(d.Kinds, choice{Value: string(k), Label: sdk.UIText(lang, sdk.UIKey("kind."+string(k))), On: k == b.Kind})
	}
	for _, a := range builderAggregates {
		d.Aggs = append(d.Aggs, choice{Value: string(a), Label: T(lang, "ui.an.agg."+string(a)), On: a == b.Agg})
	}
	for _, ind := range sdk.Indicators(b.Kind) {
		c := choice{Value: ind.Name, Label: ind.Label.In(lang), On: ind.Name == b.Indicator}
		switch ind.Type {
		case sdk.IndicatorCount, sdk.IndicatorDays, sdk.IndicatorMonths, sdk.IndicatorEUR:
			d.Numeric = append(d.Numeric, c)
		case sdk.IndicatorBool:
			d.Bools = append(d.Bools, c)
		}
	}
	for _, g := range groupNames(b.Kind) {
		d.Groups = append(d.Groups, choice{Value: g, Label: fieldLabel(lang, b.Kind, g), On: slices.Contains(b.By, g)})
	}
	for _, f := range filterFields(b.Kind, countries) {
		fv := filterView{Name: f.Name, Label: fieldLabel(lang, b.Kind, f.Name), Set: f.Type == sdk.IndicatorSet, Bool: f.Type == sdk.IndicatorBool}
		for _, o := range f.Options {
			label := o.Label.In(lang)
			switch {
			case f.Name == query.FieldCountry:
				label = countryLabel(lang, o.Value)
			case fv.Bool:
				label = sdk.UIText(lang, sdk.UIKey(map[string]string{"true": "yes", "false": "no"}[o.Value]))
			}
			on := slices.Contains(b.Filters[f.Name], o.Value)
			fv.Options = append(fv.Options, choice{Value: o.Value, Label: label, On: on})
			fv.Open = fv.Open || on
		}
		d.Filters = append(d.Filters, fv)
	}
	d.Waits = waitOptions(lang, 0)
	pol := s.b.QueryPolicy(rq.Context())
	d.Noise = pol.Noise != "" && pol.Noise != "off"
	d.MaxEpsilon = strconv.FormatFloat(pol.MaxEpsilon, 'f', -1, 64)
	return d
}

// waitOptions are the wait choices, chosen marking one.
func waitOptions(lang string, chosen time.Duration) []choice {
	var out []choice
	for i, w := range waitChoices {
		label := durationText(lang, w)
		if i == 0 {
			label += " (" + T(lang, "ui.an.default") + ")"
		}
		out = append(out, choice{Value: w.String(), Label: label, On: w == chosen || chosen == 0 && i == 0})
	}
	return out
}

// durationText writes a wait as a reader says it: 30 s, 2 min, 1 h, 7 d.
func durationText(lang string, d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + " " + T(lang, "ui.an.unit.days")
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + " " + T(lang, "ui.an.unit.hours")
	case d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + " " + T(lang, "ui.an.unit.minutes")
	}
	return strconv.Itoa(int(d/time.Second)) + " " + T(lang, "ui.an.unit.seconds")
}

// fieldLabel names a field of a query in lang: an indicator by its
// label, a record attribute by the interface's word for it.
func fieldLabel(lang string, k sdk.Kind, name string) string {
	switch name {
	case query.FieldCountry:
		return sdk.UIText(lang, sdk.UICountry)
	case query.FieldYear:
		return T(lang, "ui.an.year")
	case query.FieldSubJurisdiction:
		return sdk.SubJurisdictionField().Label.In(lang)
	}
	if ind, ok := sdk.LookupIndicator(k, name); ok {
		return ind.Label.In(lang)
	}
	return name
}

// maxQueryText caps the query text posted (node/query refuses more than
// its limit, 1 KiB by default, with a message).
const maxQueryText = 16 << 10

// askQuery asks the network the query posted: the text as composed (and
// maybe edited), how long it stays open and, where allowed, ε.
func (s *Server) askQuery(w http.ResponseWriter, rq *request) error {
	text := strings.TrimSpace(rq.PostFormValue("text"))
	wait, err := time.ParseDuration(rq.PostFormValue("wait"))
	if err != nil || !slices.Contains(waitChoices, wait) {
		wait = 0
	}
	countries := s.memberCountries(rq)
	d := s.builderView(rq, readBuilder(nil, countries), countries)
	d.Text, d.Composed, d.Waits = text, true, waitOptions(rq.lang, wait)
	var eps float64
	if e := strings.TrimSpace(rq.PostFormValue("epsilon")); e != "" && d.Noise {
		d.Epsilon = e
		if eps, err = strconv.ParseFloat(e, 64); err != nil || eps <= 0 {
			d.EpsProblem = T(rq.lang, "ui.an.epsilon_bad")
		}
	}
	switch {
	case text == "":
		d.AskProblem = T(rq.lang, "ui.an.text_missing")
	case len(text) > maxQueryText:
		d.Text, d.AskProblem = "", T(rq.lang, "ui.an.text_long")
	}
	if d.AskProblem == "" && d.EpsProblem == "" {
		id, err := s.b.AskQuery(rq.Context(), text, wait, eps)
		if err == nil {
			s.log.Info("web interface: query asked", "query", id)
			return redirect(w, rq, Prefix+"analysis/queries/"+id)
		}
		d.AskProblem = err.Error() // node/query's and the federation's messages name what is wrong
	}
	s.render(w, rq, formProblem, "analysis", Page{Title: T(rq.lang, "ui.nav.analysis"), Nav: "analysis", Data: d})
	return nil
}

// queriesData is the list of queries this node asked.
type queriesData struct {
	Queries []queryRow
	Pending bool // a query is open and not every member answered
}

type queryRow struct {
	ID, Text, Issued, Expires string
	Open                      bool
	Answered, Nodes           int
}

// queriesPage lists the queries this node asked, newest first, with how
// many members answered; it refreshes while one is open and waiting.
func (s *Server) queriesPage(w http.ResponseWriter, rq *request) error {
	list, err := s.b.QueryList(rq.Context())
	if err != nil {
		return err
	}
	var d queriesData
	for _, st := range list {
		r := queryRow{ID: st.ID, Text: st.Text, Issued: when(st.Issued), Expires: when(st.Expires), Open: st.Open,
			Answered: st.Answered(), Nodes: len(st.Nodes)}
		d.Pending = d.Pending || r.Open && r.Answered < r.Nodes
		d.Queries = append(d.Queries, r)
	}
	s.render(w, rq, http.StatusOK, "queries", Page{Title: T(rq.lang, "ui.an.queries"), Nav: "analysis", Data: d})
	return nil
}
