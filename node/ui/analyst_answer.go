package ui

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	xmessage "golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// answerData is a query's page: its federated answer as a table and a
// chart, and its coverage.
type answerData struct {
	ID, Text, Issued, Expires, Epsilon  string
	Open                                bool
	Unit                                string
	Columns                             []string // the groups' names, then a histogram's bins
	Rows                                []answerRow
	Chart                               chartView
	Nodes                               []coverageRow
	Answered, Refused, Waiting, Missing int
	Pending                             bool // open, and some member has not answered: refresh
	Complete                            bool
	Refresh                             int // seconds between refreshes while Pending
}

// answerRow is one cell of the answer.
type answerRow struct {
	Groups []string
	State  string // value, suppressed (everywhere), none (no records to compute over)
	Value  string // as the table shows it; "" unless State is value
	Raw    string // the value as a number, for data-value
	N      string
	Note   string // partial: suppressed at some members, and why; a quantile's interval; the noise
	num    float64
}

// coverageRow is one member's part in the answer.
type coverageRow struct {
	Org, Country, State, StateText string
	Reason, Message                string
	Released, Suppressed           int
	Epsilon                        string
}

// answerPage shows a query this node asked: the combined figures as a
// table and a chart, suppressed cells as suppressed (never 0), and who
// answered, refused (and why) or has not answered yet. While the query
// is open and a member has not answered, the page refreshes itself
// (<meta http-equiv="refresh">: no script), so answers show as they
// arrive.
func (s *Server) answerPage(w http.ResponseWriter, rq *request) error {
	st, err := s.b.QueryStatus(rq.Context(), rq.PathValue("id"))
	if err != nil {
		return &httpError{code: http.StatusNotFound, key: "ui.error.not_found", detail: err.Error()}
	}
	d, err := queryView(rq.lang, st, s.now)
	if err != nil {
		return err
	}
	s.render(w, rq, http.StatusOK, "query", Page{Title: T(rq.lang, "ui.an.text"), Nav: "analysis", Data: d})
	return nil
}

// queryView lays out a query's status in lang.
func queryView(lang string, st federation.Status, now timeNow) (answerData, error) {
	d := answerData{ID: st.ID, Text: st.Text, Issued: when(st.Issued), Expires: when(st.Expires), Open: st.Open, Epsilon: st.Epsilon}
	orgs := map[string]string{}
	for _, n := range st.Nodes {
		orgs[n.Peer.String()] = n.Org
	}
	parts := map[string]query.NodeStatus{}
	if st.Combined != nil {
		for _, n := range st.Combined.Nodes {
			parts[n.Node] = n
		}
	}
	for _, n := range st.Nodes {
		r := coverageRow{Org: n.Org, Country: n.Country, State: n.State, StateText: T(lang, "ui.an.state."+n.State),
			Message: n.Message}
		if n.Reason != "" {
			r.Reason = refusalText(lang, n.Reason)
		}
		if p, ok := parts[n.Peer.String()]; ok && n.State == federation.NodeAnswered {
			r.Released, r.Suppressed = p.Released, p.Suppressed
			if p.Epsilon > 0 {
				r.Epsilon = strconv.FormatFloat(p.Epsilon, 'f', -1, 64)
			}
		}
		switch n.State {
		case federation.NodeAnswered:
			d.Answered++
		case federation.NodeRefused:
			d.Refused++
		case federation.NodeWaiting:
			d.Waiting++
		default:
			d.Missing++
		}
		d.Nodes = append(d.Nodes, r)
	}
	d.Pending = st.Open && d.Waiting > 0
	d.Refresh = refreshEvery(st.Issued, now)
	if st.Combined == nil {
		return d, nil
	}
	d.Complete = st.Combined.Complete
	q, err := query.Parse(st.Text, query.Options{})
	if err != nil {
		return d, err
	}
	c := st.Combined
	d.Unit = unitText(lang, c.Unit)
	for _, g := range q.By {
		d.Columns = append(d.Columns, upperFirst(fieldLabel(lang, q.Kind, g.Name)))
	}
	if q.Agg.Func == query.Histogram {
		d.Columns = append(d.Columns, upperFirst(fieldLabel(lang, q.Kind, q.Agg.Indicator)))
	}
	p := xmessage.NewPrinter(language.Make(lang))
	for _, cell := range c.Cells {
		r := answerRow{State: "value"}
		for i, v := range cell.Group {
			r.Groups = append(r.Groups, groupValue(lang, q, i, v))
		}
		switch {
		case cell.Value != nil:
			r.num = *cell.Value
			r.Value, r.Raw = figure(p, c.Aggregate, c.Unit, r.num), strconv.FormatFloat(r.num, 'f', -1, 64)
			if cell.Partial {
				r.Value += "*"
			}
		case len(cell.Suppressed) > 0:
			r.State, r.Value = "suppressed", T(lang, "report.suppressed")
		default:
			r.State, r.Value = "none", "—"
		}
		if cell.N != nil {
			r.N = p.Sprint(number.Decimal(*cell.N))
		}
		r.Note = cellNote(lang, p, c, cell, orgs)
		d.Rows = append(d.Rows, r)
	}
	d.Chart = newChart(lang, p, d.Rows, c)
	return d, nil
}

// timeNow is the server's clock.
type timeNow = func() time.Time

// refreshEvery is how often an open query's page reloads: every 3
// seconds in the first 2 minutes after it was asked (members online
// answer at once), then every 30.
func refreshEvery(issued string, now timeNow) int {
	t, err := time.Parse(time.RFC3339, issued)
	if err == nil && now().Sub(t) < 2*time.Minute {
		return 3
	}
	return 30
}

// unitText names the unit of an answer's values.
func unitText(lang, unit string) string {
	if unit == "" {
		unit = "share"
	}
	return T(lang, "report.unit."+unit)
}

// figure writes a value as lang writes numbers: a share as a percentage,
// euros and means with their decimals.
func figure(p *xmessage.Printer, agg query.Func, unit string, v float64) string {
	switch {
	case unit == "":
		return p.Sprint(number.Percent(v, number.MaxFractionDigits(1)))
	case unit == "EUR":
		return p.Sprint(number.Decimal(v, number.MaxFractionDigits(2))) + " €"
	case agg == query.Mean:
		return p.Sprint(number.Decimal(v, number.MinFractionDigits(1), number.MaxFractionDigits(1)))
	}
	return p.Sprint(number.Decimal(v, number.MaxFractionDigits(1)))
}

// groupValue names the value of group i of a cell in lang: an option's
// label, a country's name, yes or no, a histogram's bin.
func groupValue(lang string, q *query.Query, i int, v string) string {
	if i >= len(q.By) {
		return binLabel(v)
	}
	if v == "" {
		return T(lang, "ui.an.unanswered")
	}
	switch name := q.By[i].Name; name {
	case query.FieldCountry:
		return countryLabel(lang, v)
	case query.FieldYear:
		return v
	case query.FieldSubJurisdiction:
		return optionLabel(lang, sdk.SubJurisdictionField().Options, v)
	default:
		ind, ok := sdk.LookupIndicator(q.Kind, name)
		switch {
		case !ok:
			return v
		case ind.Type == sdk.IndicatorBool && v == "true":
			return sdk.UIText(lang, sdk.UIYes)
		case ind.Type == sdk.IndicatorBool && v == "false":
			return sdk.UIText(lang, sdk.UINo)
		}
		return optionLabel(lang, ind.Options, v)
	}
}

// upperFirst begins s with a capital letter: a column's name from a
// word the catalogue writes in lower case ("country").
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func optionLabel(lang string, opts []sdk.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label.In(lang)
		}
	}
	return v
}

// binLabel writes a histogram bin as a reader expects: "[12,36)" as
// "12–35" (bins of whole numbers), "(-inf,12)" as "< 12", "[120,inf)" as
// "≥ 120".
func binLabel(b string) string {
	lo, hi, ok := strings.Cut(strings.Trim(b, "[()"), ",")
	switch {
	case !ok:
		return b
	case lo == "-inf":
		return "< " + hi
	case hi == "inf":
		return "≥ " + lo
	}
	h, err := strconv.ParseFloat(hi, 64)
	l, err2 := strconv.ParseFloat(lo, 64)
	if err != nil || err2 != nil || h != math.Trunc(h) || l != math.Trunc(l) {
		return "[" + lo + ", " + hi + ")"
	}
	return lo + "–" + strconv.FormatFloat(h-1, 'f', -1, 64)
}

// refusalText says why a member refused, in lang.
func refusalText(lang, reason string) string {
	key := "ui.an.reason." + reason
	if t := T(lang, key); t != key {
		return t
	}
	return reason
}

// cellNote says what a reader must know of a cell: where it was
// suppressed and why, a quantile's interval, the noise's spread.
func cellNote(lang string, p *xmessage.Printer, c *query.Combined, cell query.CombinedCell, orgs map[string]string) string {
	var notes []string
	for _, sup := range cell.Suppressed {
		org := orgs[sup.Node]
		if org == "" {
			org = shortPeer(sup.Node)
		}
		n := T(lang, "ui.an.suppressed_at") + " " + org + " (" + T(lang, "report.reason."+sup.Reason) + ")"
		if sup.Earlier != nil {
			n += "; " + T(lang, "ui.an.earlier") + " " + sup.Earlier.Released.UTC().Format(time.DateOnly)
		}
		notes = append(notes, n)
	}
	if cell.Partial && cell.Value != nil {
		notes = append(notes, T(lang, "ui.an.partial"))
	}
	if cell.Interval != nil && !cell.Exact {
		notes = append(notes, T(lang, "ui.an.estimate")+" "+figure(p, c.Aggregate, c.Unit, cell.Interval.Low)+"–"+figure(p, c.Aggregate, c.Unit, cell.Interval.High))
	}
	if cell.NoiseSD != nil {
		notes = append(notes, T(lang, "ui.an.noise")+" ±"+figure(p, c.Aggregate, c.Unit, *cell.NoiseSD))
	}
	return strings.Join(notes, "; ")
}
