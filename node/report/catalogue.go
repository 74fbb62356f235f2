package report

import (
	"fmt"

	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Spec is one figure of the report and the federated query behind it.
// docs/report.md lists every Spec of Catalogue with its query's text; a
// test keeps the two in step.
type Spec struct {
	// ID names the figure ("judgments.verdict"); its title is the UI text
	// "report.fig.<ID>" (sdk.UIText).
	ID string
	// Section is the section the figure belongs to; its title is the UI
	// text "report.sec.<Section>".
	Section string
	// Query is the query's text without the period: Text adds it.
	Query string
	// Rows is what the figure's rows are: "" for one row (the query
	// groups by country only), "year", "bin" (a histogram's bins), or the
	// enum indicator the query groups by after country.
	Rows string
	// Empty is the UI text that names the row of records that do not
	// answer Rows (a hearing with no reason for adjournment was held);
	// "" means "report.not_recorded".
	Empty sdk.UIKey
	// Undated is set for a kind whose records have no event date
	// (victim support is dated by the day a record was entered): the
	// report's period is not applied, and the figure says so.
	Undated bool
}

// Sections are the report's sections, in order.
var Sections = []string{"judgments", "sentences", "efficiency", "compensation", "assets",
	"rights", "police", "support", "legislation", "engagements"}

// catalogue is the report's fixed set of figures, in order. Every query
// groups by country first. Where an indicator is answered only for some
// values of an enum (a sentence only after a conviction or a plea
// agreement), the query groups by that enum too, so that each cell stands
// on the same records as a cell of the enum's breakdown and the
// differencing guard does not suppress it (docs/report.md says why).
var catalogue = []Spec{
	{ID: "judgments.total", Section: "judgments", Query: "count judgment by country"},
	{ID: "judgments.year", Section: "judgments", Query: "count judgment by country, year", Rows: "year"},
	{ID: "judgments.verdict", Section: "judgments", Query: "count judgment by country, verdict", Rows: "verdict"},
	{ID: "judgments.offence", Section: "judgments", Query: "count judgment by country, offence", Rows: "offence"},
	{ID: "judgments.exploitation", Section: "judgments", Query: "count judgment by country, exploitation", Rows: "exploitation"},
	{ID: "judgments.victims", Section: "judgments", Query: "sum(victims) judgment by country"},
	{ID: "judgments.child_victims", Section: "judgments", Query: "sum(child_victims) judgment by country"},

	{ID: "sentences.median", Section: "sentences", Query: "median(sentence_months) judgment by country, verdict", Rows: "verdict"},
	{ID: "sentences.histogram", Section: "sentences", Query: "histogram(sentence_months; 12, 36, 60, 120) judgment by country", Rows: "bin"},
	{ID: "sentences.below_minimum", Section: "sentences", Query: "share(below_statutory_minimum) judgment by country, verdict", Rows: "verdict"},

	{ID: "efficiency.proceedings", Section: "efficiency", Query: "median(proceedings_days) judgment by country"},
	{ID: "efficiency.hearings", Section: "efficiency", Query: "count trial_hearing by country, adjourned_reason", Rows: "adjourned_reason", Empty: "report.row.held"},

	{ID: "compensation.claimed", Section: "compensation", Query: "share(compensation_claimed) judgment by country"},
	{ID: "compensation.decision", Section: "compensation", Query: "count judgment by country, compensation_decision", Rows: "compensation_decision", Empty: "report.row.no_claim"},
	{ID: "compensation.awarded", Section: "compensation", Query: "sum(compensation_awarded_eur) judgment by country, compensation_decision", Rows: "compensation_decision"},
	{ID: "compensation.paid", Section: "compensation", Query: "share(compensation_paid) judgment by country, compensation_decision", Rows: "compensation_decision"},

	{ID: "assets.frozen", Section: "assets", Query: "share(assets_frozen) judgment by country"},
	{ID: "assets.confiscated", Section: "assets", Query: "sum(assets_confiscated_eur) judgment by country, verdict", Rows: "verdict"},

	{ID: "rights.testimonies", Section: "rights", Query: "mean(victim_testimonies) judgment by country"},
	{ID: "rights.questioning", Section: "rights", Query: "count judgment by country, victim_questioning", Rows: "victim_questioning"},
	{ID: "rights.confronted", Section: "rights", Query: "share(victim_confronted_with_defendant) judgment by country"},
	{ID: "rights.protective", Section: "rights", Query: "share(victim_protective_measures) trial_hearing by country"},
	{ID: "rights.representative", Section: "rights", Query: "share(victim_legal_representative) judgment by country"},
	{ID: "rights.prosecuted", Section: "rights", Query: "share(victim_prosecuted) judgment by country"},
	{ID: "rights.international_law", Section: "rights", Query: "count judgment by country where international_law_cited in (palermo, coe_convention, echr_art4, eu_directive_2011_36)"},

	{ID: "police.stage", Section: "police", Query: "count police_case by country, stage", Rows: "stage"},
	{ID: "police.referral", Section: "police", Query: "count police_case by country, referral_source", Rows: "referral_source"},
	{ID: "police.cross_border", Section: "police", Query: "share(cross_border) police_case by country"},
	{ID: "police.requests_sent", Section: "police", Query: "sum(information_requests_sent) police_case by country"},
	{ID: "police.requests_answered", Section: "police", Query: "sum(information_requests_answered) police_case by country"},

	{ID: "support.status", Section: "support", Query: "count victim_support by country, victim_status", Rows: "victim_status", Undated: true},
	{ID: "support.identified_by", Section: "support", Query: "count victim_support by country, identified_by", Rows: "identified_by", Empty: "report.row.not_identified_yet", Undated: true},
	{ID: "support.age", Section: "support", Query: "count victim_support by country, age_group", Rows: "age_group", Undated: true},
	{ID: "support.shelter", Section: "support", Query: "count victim_support by country where services = shelter", Undated: true},

	{ID: "legislation.total", Section: "legislation", Query: "count legislation by country"},
	{ID: "legislation.stage", Section: "legislation", Query: "count legislation by country, stage", Rows: "stage"},

	{ID: "engagements.total", Section: "engagements", Query: "count engagement by country"},
}

// Catalogue returns the report's figures in order (a copy).
func Catalogue() []Spec { return append([]Spec(nil), catalogue...) }

// Text is the query asked for s over period p (nil: every record).
func (s Spec) Text(p *Period) string {
	if p == nil || s.Undated {
		return s.Query
	}
	return fmt.Sprintf("%s between %s and %s", s.Query, p.From, p.To)
}

// parse parses s's query as asked over p.
func (s Spec) parse(p *Period) (*query.Query, error) {
	q, err := query.Parse(s.Text(p), query.Options{})
	if err != nil {
		return nil, fmt.Errorf("report figure %s: %w", s.ID, err)
	}
	if len(q.By) == 0 || q.By[0].Name != "country" {
		return nil, fmt.Errorf("report figure %s: the query must group by country first", s.ID)
	}
	return q, nil
}

// indicator returns the indicator a figure's rows are, if they are one.
func (s Spec) indicator(kind sdk.Kind) (sdk.Indicator, bool) {
	if s.Rows == "" || s.Rows == "year" || s.Rows == "bin" {
		return sdk.Indicator{}, false
	}
	return sdk.LookupIndicator(kind, s.Rows)
}
