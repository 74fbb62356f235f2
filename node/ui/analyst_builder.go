package ui

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// The query builder: a form whose choices (kind, aggregate, indicator,
// groups, filters from the indicators' closed lists, a date range) are
// composed into the text of docs/query.md's language, which node/query
// then checks and writes in its canonical form. The form is a GET: its
// values are public names and closed-list values, never an answer.

// builderAggregates are the aggregates the builder offers, in the
// language's order.
var builderAggregates = []query.Func{query.Count, query.Sum, query.Mean, query.Share, query.Median, query.Quantile, query.Histogram}

// builder is the builder's state, read from its form.
type builder struct {
	Kind      sdk.Kind
	Agg       query.Func
	Indicator string
	P         string // quantile's p, "0.9"
	Edges     string // histogram's edges, "0, 12, 36"
	By        []string
	Filters   map[string][]string // field -> values chosen
	From, To  string              // YYYY-MM-DD
	Composed  bool                // the form was sent: compose the text
}

// filterField is a field the builder filters on: a closed list (an enum
// or set indicator, the sub-jurisdiction, the members' countries) or a
// yes/no indicator.
type filterField struct {
	Name    string
	Label   sdk.Label
	Type    sdk.IndicatorType // enum, set, bool; enum for country and sub_jurisdiction
	Options []sdk.Option
}

// isDate matches a date as the query language writes it.
var isDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// readBuilder reads the builder's form; a value outside the kind's
// catalogue is dropped (the kind may have changed since it was chosen).
func readBuilder(v url.Values, countries []string) builder {
	b := builder{Kind: sdk.Kind(v.Get("kind")), Agg: query.Func(v.Get("agg")), Indicator: v.Get("ind"),
		P: strings.TrimSpace(v.Get("p")), Edges: strings.TrimSpace(v.Get("edges")), Filters: map[string][]string{},
		Composed: v.Has("kind")}
	if !slices.Contains(sdk.Kinds, b.Kind) {
		b.Kind = sdk.KindJudgment
	}
	if !slices.Contains(builderAggregates, b.Agg) {
		b.Agg = query.Count
	}
	if _, ok := sdk.LookupIndicator(b.Kind, b.Indicator); !ok {
		b.Indicator = ""
	}
	groups := groupNames(b.Kind)
	for _, g := range v["by"] {
		if slices.Contains(groups, g) && !slices.Contains(b.By, g) {
			b.By = append(b.By, g)
		}
	}
	for _, f := range filterFields(b.Kind, countries) {
		for _, val := range v["f."+f.Name] {
			if f.Type == sdk.IndicatorBool && len(b.Filters[f.Name]) > 0 {
				break // yes or no: one value (the form offers a choice of one)
			}
			if slices.ContainsFunc(f.Options, func(o sdk.Option) bool { return o.Value == val }) && !slices.Contains(b.Filters[f.Name], val) {
				b.Filters[f.Name] = append(b.Filters[f.Name], val)
			}
		}
	}
	if d := v.Get("from"); isDate.MatchString(d) {
		b.From = d
	}
	if d := v.Get("to"); isDate.MatchString(d) {
		b.To = d
	}
	return b
}

// groupNames are what a query of kind k may group by: the record's
// country, year and sub-jurisdiction, and its enum and bool indicators.
func groupNames(k sdk.Kind) []string {
	out := []string{query.FieldCountry, query.FieldYear, query.FieldSubJurisdiction}
	for _, ind := range sdk.Indicators(k) {
		if ind.Type == sdk.IndicatorEnum || ind.Type == sdk.IndicatorBool {
			out = append(out, ind.Name)
		}
	}
	return out
}

// filterFields are the fields the builder filters kind k's records on:
// the members' countries, the sub-jurisdiction, and the indicators with
// a closed list or yes/no.
func filterFields(k sdk.Kind, countries []string) []filterField {
	var out []filterField
	if len(countries) > 0 {
		f := filterField{Name: query.FieldCountry, Type: sdk.IndicatorEnum}
		for _, c := range countries {
			f.Options = append(f.Options, sdk.Option{Value: c, Label: sdk.Label{"en": c}})
		}
		out = append(out, f)
	}
	sub := sdk.SubJurisdictionField()
	out = append(out, filterField{Name: query.FieldSubJurisdiction, Label: sub.Label, Type: sdk.IndicatorEnum, Options: sub.Options})
	for _, ind := range sdk.Indicators(k) {
		switch ind.Type {
		case sdk.IndicatorEnum, sdk.IndicatorSet:
			out = append(out, filterField{Name: ind.Name, Label: ind.Label, Type: ind.Type, Options: ind.Options})
		case sdk.IndicatorBool:
			out = append(out, filterField{Name: ind.Name, Label: ind.Label, Type: ind.Type, Options: []sdk.Option{
				{Value: "true", Label: sdk.Label{"en": "true"}}, {Value: "false", Label: sdk.Label{"en": "false"}}}})
		}
	}
	return out
}

// text composes the query's text: the aggregate, the kind, the groups,
// one condition per filter (a value, or "in" a list: for a set
// indicator, records holding any of them) joined by "and", and the date
// range (an open end is the language's earliest or latest date).
func (b builder) text(countries []string) string {
	var s strings.Builder
	switch b.Agg {
	case query.Count:
		s.WriteString("count")
	case query.Quantile:
		s.WriteString("quantile(" + b.Indicator + "; " + b.P + ")")
	case query.Histogram:
		s.WriteString("histogram(" + b.Indicator + "; " + b.Edges + ")")
	default:
		s.WriteString(string(b.Agg) + "(" + b.Indicator + ")")
	}
	s.WriteString(" " + string(b.Kind))
	if len(b.By) > 0 {
		s.WriteString(" by " + strings.Join(b.By, ", "))
	}
	var conds []string
	for _, f := range filterFields(b.Kind, countries) {
		vals := b.Filters[f.Name]
		switch {
		case len(vals) == 0:
		case len(vals) == 1:
			conds = append(conds, f.Name+" = "+vals[0])
		default:
			conds = append(conds, f.Name+" in ("+strings.Join(vals, ", ")+")")
		}
	}
	if len(conds) > 0 {
		s.WriteString(" where " + strings.Join(conds, " and "))
	}
	if b.From != "" || b.To != "" {
		from, to := b.From, b.To
		if from == "" {
			from = "1900-01-01"
		}
		if to == "" {
			to = "9999-12-31"
		}
		s.WriteString(" between " + from + " and " + to)
	}
	return s.String()
}

// compose returns the canonical text of the builder's query, or the
// query language's refusal, which names what is wrong.
func (b builder) compose(countries []string) (string, error) {
	q, err := query.Parse(b.text(countries), query.Options{})
	if err != nil {
		return "", err
	}
	return q.String(), nil
}
