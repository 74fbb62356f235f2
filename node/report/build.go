package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
)

// Input is what Build makes a report from.
type Input struct {
	Generated time.Time
	Period    *Period
	Network   string
	Asker     Member
	// Specs are the figures; nil means Catalogue.
	Specs []Spec
	// Statuses are the asked queries with their answers, one per Spec,
	// in order.
	Statuses []federation.Status
	// Declaration is the asking node's count of endorsements.
	Declaration declaration.Status
}

// Targets the network set itself (the strategy; DOMAIN.md).
const (
	// JudgmentsGoal: at least 10 judgments per country collected.
	JudgmentsGoal = 10
	// MeetingsGoal, MeetingsGoalHigh: 6 to 10 meetings with governments
	// in two years, per country.
	MeetingsGoal, MeetingsGoalHigh = 6, 10
)

// Build makes the report from the answers in in. It does no I/O.
func Build(in Input) (*Report, error) {
	specs := in.Specs
	if specs == nil {
		specs = catalogue
	}
	if len(in.Statuses) != len(specs) {
		return nil, fmt.Errorf("report: %d answers for %d figures", len(in.Statuses), len(specs))
	}
	rep := &Report{Format: FormatVersion, Generated: in.Generated.UTC().Format(time.RFC3339), Period: in.Period,
		Network: in.Network, Asker: in.Asker, Countries: []Country{}, Sections: []Section{}, Targets: []Target{}, Queries: []Query{}}
	parsed := make([]*query.Query, len(specs))
	for i, s := range specs {
		q, err := s.parse(in.Period)
		if err != nil {
			return nil, err
		}
		st := in.Statuses[i]
		if st.Text != q.String() {
			return nil, fmt.Errorf("report figure %s: the answer is for %q, not %q", s.ID, st.Text, q.String())
		}
		if st.Combined == nil {
			return nil, fmt.Errorf("report figure %s: query %s has no combined answer", s.ID, st.ID)
		}
		parsed[i] = q
		rep.Queries = append(rep.Queries, provenance(i+1, s, st))
	}
	rep.Countries = columns(rep.Queries)
	for _, sec := range Sections {
		section := Section{ID: sec, Figures: []Figure{}}
		for i, s := range specs {
			if s.Section == sec {
				section.Figures = append(section.Figures, figure(s, parsed[i], in.Statuses[i], rep.Queries[i], rep.Countries))
			}
		}
		if len(section.Figures) > 0 {
			rep.Sections = append(rep.Sections, section)
		}
	}
	rep.Declaration = Declaration{Threshold: in.Declaration.Threshold, Count: in.Declaration.Count, ByCountry: []CountryCount{}}
	for _, c := range in.Declaration.ByCountry {
		rep.Declaration.ByCountry = append(rep.Declaration.ByCountry, CountryCount{Country: c.Country, Count: c.Count})
	}
	rep.Targets = targets(rep)
	return rep, nil
}

// provenance is the Query entry of status st, number n.
func provenance(n int, s Spec, st federation.Status) Query {
	q := Query{Number: n, Figure: s.ID, ID: st.ID, Text: st.Text, Issued: st.Issued, Expires: st.Expires, Nodes: []Answer{}}
	parts := map[string]query.NodeStatus{}
	for _, ns := range st.Combined.Nodes {
		parts[ns.Node] = ns
	}
	for _, nd := range st.Nodes {
		a := Answer{Member: Member{Org: nd.Org, Country: nd.Country, Peer: nd.Peer.String()}, State: nd.State,
			Reason: nd.Reason, Message: nd.Message, Answered: nd.Answered, Signature: nd.Signature}
		if ns, ok := parts[nd.Peer.String()]; ok {
			a.Released, a.Suppressed, a.Epsilon = ns.Released, ns.Suppressed, ns.Epsilon
		}
		q.Coverage.Members++
		switch nd.State {
		case federation.NodeAnswered:
			q.Coverage.Answered++
		case federation.NodeRefused:
			q.Coverage.Refused++
		default:
			q.Coverage.Missing++
		}
		q.Coverage.Released += a.Released
		q.Coverage.Suppressed += a.Suppressed
		q.Coverage.Epsilon = max(q.Coverage.Epsilon, a.Epsilon)
		q.Nodes = append(q.Nodes, a)
	}
	return q
}

// columns are the countries of the members that answered some query
// with at least one cell: those that hold records. A member without
// records (an analyst's node) is in the provenance, not a column.
func columns(qs []Query) []Country {
	seen := map[string]bool{}
	for _, q := range qs {
		for _, a := range q.Nodes {
			if a.Released+a.Suppressed > 0 && a.Country != "" {
				seen[a.Country] = true
			}
		}
	}
	codes := make([]string, 0, len(seen))
	for c := range seen {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	out := make([]Country, len(codes))
	for i, c := range codes {
		out[i] = Country{Code: c}
	}
	return out
}

// figure makes the figure of spec s from its status.
func figure(s Spec, q *query.Query, st federation.Status, prov Query, countries []Country) Figure {
	c := st.Combined
	f := Figure{ID: s.ID, Query: prov.Number, Aggregate: string(c.Aggregate), Unit: c.Unit, RowsBy: s.Rows, Rows: []Row{}}
	if f.Unit == "" {
		f.Unit = "share"
	}
	// The cells by country and row key.
	type key struct{ country, row string }
	cells := map[key]query.CombinedCell{}
	present := map[string]bool{}
	var order []string
	for _, cell := range c.Cells {
		if len(cell.Group) == 0 {
			continue
		}
		row := strings.Join(cell.Group[1:], "\x00")
		cells[key{cell.Group[0], row}] = cell
		if !present[row] {
			present[row] = true
			order = append(order, row)
		}
	}
	// Rows: an indicator's values in its list's order, then records that
	// do not answer it; years and bins as the answer orders them. A row
	// no member holds a record in is left out.
	var rows []string
	switch ind, ok := s.indicator(q.Kind); {
	case s.Rows == "":
		rows = []string{""}
	case ok:
		for _, v := range ind.OptionValues() {
			if present[v] {
				rows = append(rows, v)
			}
		}
		if ind.Type == "bool" {
			for _, v := range []string{"false", "true"} {
				if present[v] {
					rows = append(rows, v)
				}
			}
		}
		if present[""] {
			rows = append(rows, "")
		}
	default:
		rows = order
		slices.SortStableFunc(rows, func(a, b string) int { return cmpFloat(lowerEdge(a), lowerEdge(b)) })
	}
	// Who answered, by country.
	asked, answered := map[string]int{}, map[string]int{}
	orgs := map[string]string{}
	for _, a := range prov.Nodes {
		orgs[a.Peer] = a.Org
		asked[a.Country]++
		if a.State == federation.NodeAnswered {
			answered[a.Country]++
		}
	}
	counting := c.Aggregate == query.Count || c.Aggregate == query.Sum || c.Aggregate == query.Histogram
	for _, r := range rows {
		row := Row{Key: r, Cells: []Cell{}}
		for _, ct := range countries {
			out := Cell{Country: ct.Code}
			cell, found := cells[key{ct.Code, r}]
			switch {
			case answered[ct.Code] == 0:
				out.State = CellNoAnswer
			case found && cell.Value != nil:
				out.State, out.Value, out.N = CellValue, cell.Value, cell.N
				if cell.Interval != nil {
					out.Low, out.High = &cell.Interval.Low, &cell.Interval.High
				}
				out.NoiseSD = cell.NoiseSD
				out.Partial = cell.Partial || answered[ct.Code] < asked[ct.Code]
			case found:
				out.State = CellSuppressed
			case counting:
				zero := 0.0
				out.State, out.Value = CellZero, &zero
				out.Partial = answered[ct.Code] < asked[ct.Code]
			default:
				out.State = CellNone
			}
			if found {
				for _, sa := range cell.Suppressed {
					sup := Suppression{Org: orgs[sa.Node], Reason: sa.Reason}
					if sa.Earlier != nil {
						if v, ok := earlierValue(c.Aggregate, c.Unit, sa.Earlier.Figures); ok {
							sup.Earlier = &Earlier{Released: sa.Earlier.Released.UTC().Format(time.RFC3339), Value: v}
						}
					}
					out.Suppressed = append(out.Suppressed, sup)
				}
			}
			row.Cells = append(row.Cells, out)
		}
		f.Rows = append(f.Rows, row)
	}
	return f
}

// earlierValue is the value of figures released before, in the unit of
// the combined answer.
func earlierValue(agg query.Func, unit string, f query.Figures) (float64, bool) {
	scale := 1.0
	if unit == "EUR" {
		scale = 0.01 // answers carry cents
	}
	n := func() (float64, bool) {
		if f.N == nil || *f.N == 0 {
			return 0, false
		}
		return float64(*f.N), true
	}
	switch agg {
	case query.Count, query.Histogram:
		if f.N != nil {
			return float64(*f.N), true
		}
	case query.Sum:
		if f.Sum != nil {
			return float64(*f.Sum) * scale, true
		}
	case query.Mean:
		if d, ok := n(); ok && f.Sum != nil {
			return float64(*f.Sum) / d * scale, true
		}
	case query.Share:
		if d, ok := n(); ok && f.True != nil {
			return float64(*f.True) / d, true
		}
	case query.Median, query.Quantile:
		if f.Quantile != nil {
			return float64(*f.Quantile) * scale, true
		}
	}
	return math.NaN(), false
}

// targets are the strategy's targets: judgments and meetings per country
// (from their figures), endorsements of the Declaration (the ledger).
func targets(rep *Report) []Target {
	out := []Target{}
	for _, t := range []Target{
		{ID: "judgments", Goal: JudgmentsGoal, Figure: "judgments.total"},
		{ID: "meetings", Goal: MeetingsGoal, GoalHigh: MeetingsGoalHigh, Figure: "engagements.total"},
	} {
		f, ok := rep.Figure(t.Figure)
		if !ok || len(f.Rows) == 0 {
			continue
		}
		t.Progress = f.Rows[0].Cells
		out = append(out, t)
	}
	count := float64(rep.Declaration.Count)
	out = append(out, Target{ID: "declaration", Goal: rep.Declaration.Threshold,
		Progress: []Cell{{State: CellValue, Value: &count}}})
	return out
}

// Figure returns the figure with id.
func (r *Report) Figure(id string) (Figure, bool) {
	for _, s := range r.Sections {
		for _, f := range s.Figures {
			if f.ID == id {
				return f, true
			}
		}
	}
	return Figure{}, false
}

// lowerEdge reads a year, or the lower edge of a histogram bin
// ("[12,36)", "(-inf,12)"), for ordering rows.
func lowerEdge(s string) float64 {
	if strings.HasPrefix(s, "(-inf") {
		return math.Inf(-1)
	}
	s = strings.TrimPrefix(s, "[")
	if i := strings.IndexByte(s, ','); i >= 0 {
		s = s[:i]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.Inf(1)
	}
	return f
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
