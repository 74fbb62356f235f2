package report

import (
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

func newPeer(t testing.TB) peer.ID {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func n64(v int64) *int64 { return &v }

// member is one node of a hand-made network.
type member struct {
	id      peer.ID
	org, cc string
}

// status makes the status of query text as its requester holds it: the
// members' answers (nil: none by the deadline) combined by node/query.
func status(t testing.TB, text string, members []member, answers map[string]*query.Answer) federation.Status {
	t.Helper()
	q, err := query.Parse(text, query.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := federation.Status{ID: "q" + strings.ReplaceAll(text, " ", "")[:8], Text: q.String(), Issued: "2026-03-01T10:00:00Z", Expires: "2026-03-01T10:02:00Z"}
	var parts []query.Part
	for _, m := range members {
		a := answers[m.org]
		nr := federation.NodeReport{Peer: m.id, Org: m.org, Country: m.cc}
		part := query.Part{Node: m.id.String(), Answer: a}
		switch {
		case a == nil:
			nr.State, part.Missing = federation.NodeMissing, "no answer by the deadline"
		case a.Refused != nil:
			nr.State, nr.Reason = federation.NodeRefused, a.Refused.Reason
		default:
			nr.State, nr.Signature = federation.NodeAnswered, "ab12"
		}
		if a != nil {
			a.Query = q.String()
		}
		st.Nodes = append(st.Nodes, nr)
		parts = append(parts, part)
	}
	st.Combined = query.Combine(q, parts)
	return st
}

func answer(cells ...query.Cell) *query.Answer {
	return &query.Answer{Format: query.AnswerFormat, Cells: cells, K: 5}
}

// builtReport is a report over a hand-made network: two Serbian members
// (one suppresses what the other releases), a Croatian one that answers
// one query and refuses the other, a Macedonian one that never answers
// and an analyst without records.
func builtReport(t testing.TB) *Report {
	t.Helper()
	rs1, rs2, hr, mk, fr := member{newPeer(t), "ASTRA", "RS"}, member{newPeer(t), "Atina", "RS"}, member{newPeer(t), "PETRA", "HR"},
		member{newPeer(t), "Open Gate", "MK"}, member{newPeer(t), "EU partner", "FR"}
	members := []member{rs1, rs2, hr, mk, fr}
	earlier := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	specs := []Spec{
		{ID: "judgments.verdict", Section: "judgments", Query: "count judgment by country, verdict", Rows: "verdict"},
		{ID: "sentences.median", Section: "sentences", Query: "median(sentence_months) judgment by country"},
		{ID: "compensation.awarded", Section: "compensation", Query: "sum(compensation_awarded_eur) judgment by country, compensation_decision", Rows: "compensation_decision"},
	}
	statuses := []federation.Status{
		status(t, specs[0].Text(nil), members, map[string]*query.Answer{
			"ASTRA": answer(
				query.Cell{Group: []string{"RS", "convicted"}, Figures: query.Figures{N: n64(10)}},
				query.Cell{Group: []string{"RS", "acquitted"}, Suppressed: true, Reason: query.SuppressedDifferencing,
					Earlier: &query.Earlier{Released: earlier, Figures: query.Figures{N: n64(7)}}}),
			"Atina": answer(query.Cell{Group: []string{"RS", "convicted"}, Suppressed: true, Reason: query.SuppressedMinCell}),
			"PETRA": answer(
				query.Cell{Group: []string{"HR", "convicted"}, Figures: query.Figures{N: n64(12)}},
				query.Cell{Group: []string{"HR", "dismissed"}, Figures: query.Figures{N: n64(6)}}),
			"EU partner": answer(),
		}),
		status(t, specs[1].Text(nil), members, map[string]*query.Answer{
			"ASTRA":      answer(query.Cell{Group: []string{"RS"}, Figures: query.Figures{N: n64(10), Quantile: n64(48)}}),
			"Atina":      answer(query.Cell{Group: []string{"RS"}, Figures: query.Figures{N: n64(30), Quantile: n64(36)}}),
			"PETRA":      query.Refuse(nil, 5, query.ReasonSubset, "the where selects fewer than 5"),
			"EU partner": answer(),
		}),
		status(t, specs[2].Text(nil), members, map[string]*query.Answer{
			"ASTRA": answer(query.Cell{Group: []string{"RS", "awarded"}, Suppressed: true, Reason: query.SuppressedDifferencing,
				Earlier: &query.Earlier{Released: earlier, Figures: query.Figures{Sum: n64(1234567)}}}),
			"Atina":      answer(),
			"PETRA":      answer(query.Cell{Group: []string{"HR", "partial"}, Figures: query.Figures{Sum: n64(250050)}}),
			"EU partner": answer(),
		}),
	}
	rep, err := Build(Input{Generated: earlier, Network: "test", Asker: Member{Org: fr.org, Country: fr.cc, Peer: fr.id.String()},
		Specs: specs, Statuses: statuses, Declaration: declaration.Status{Threshold: 20, Count: 3,
			ByCountry: []declaration.CountryCount{{Country: "HR", Count: 1}, {Country: "RS", Count: 2}}}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func cellOf(t *testing.T, r *Report, fig, row, country string) Cell {
	t.Helper()
	f, ok := r.Figure(fig)
	if !ok {
		t.Fatalf("no figure %s", fig)
	}
	for _, rw := range f.Rows {
		if rw.Key != row {
			continue
		}
		for _, c := range rw.Cells {
			if c.Country == country {
				return c
			}
		}
	}
	t.Fatalf("figure %s has no cell %s %q", fig, country, row)
	return Cell{}
}

// TestBuild: the report's cells say what the members released and what
// they did not: a value partial where one member suppressed its part, a
// cell every member suppressed shown as suppressed with the figure
// released earlier, a zero count where the members answered without the
// category, no records for a median of nothing, no answer where the
// country's only member refused; columns only for countries with records.
func TestBuild(t *testing.T) {
	t.Parallel()
	rep := builtReport(t)
	if got := rep.Countries; len(got) != 2 || got[0].Code != "HR" || got[1].Code != "RS" {
		t.Fatalf("columns %+v; want HR and RS (MK never answered, FR holds no records)", got)
	}
	c := cellOf(t, rep, "judgments.verdict", "convicted", "RS")
	if c.State != CellValue || *c.Value != 10 || !c.Partial || len(c.Suppressed) != 1 || c.Suppressed[0].Org != "Atina" {
		t.Errorf("RS convicted: %+v; want 10, partial, suppressed at Atina", c)
	}
	c = cellOf(t, rep, "judgments.verdict", "acquitted", "RS")
	if c.State != CellSuppressed || c.Value != nil || len(c.Suppressed) != 1 || c.Suppressed[0].Earlier == nil ||
		c.Suppressed[0].Earlier.Value != 7 || c.Suppressed[0].Earlier.Released != "2026-02-01T09:00:00Z" {
		t.Errorf("RS acquitted: %+v; want suppressed, with 7 released on 2026-02-01", c)
	}
	if c := cellOf(t, rep, "judgments.verdict", "dismissed", "RS"); c.State != CellZero || *c.Value != 0 {
		t.Errorf("RS dismissed: %+v; want a zero", c)
	}
	if c := cellOf(t, rep, "judgments.verdict", "acquitted", "HR"); c.State != CellZero {
		t.Errorf("HR acquitted: %+v; want a zero", c)
	}
	f, _ := rep.Figure("judgments.verdict")
	var rows []string
	for _, r := range f.Rows {
		rows = append(rows, r.Key)
	}
	if strings.Join(rows, " ") != "convicted acquitted dismissed" {
		t.Errorf("verdict rows %v; want the verdicts some member holds, in the list's order", rows)
	}
	c = cellOf(t, rep, "sentences.median", "", "RS")
	if c.State != CellValue || *c.Value != 39 || *c.Low != 36 || *c.High != 48 || *c.N != 40 {
		t.Errorf("RS median: %+v; want 39 (between 36 and 48) over 40 records", c)
	}
	if c := cellOf(t, rep, "sentences.median", "", "HR"); c.State != CellNoAnswer || c.Value != nil {
		t.Errorf("HR median: %+v; want no answer (PETRA refused)", c)
	}
	if c := cellOf(t, rep, "compensation.awarded", "awarded", "RS"); c.State != CellSuppressed || c.Suppressed[0].Earlier.Value != 12345.67 {
		t.Errorf("RS awarded: %+v; want suppressed, 12345.67 EUR released earlier", c)
	}
	if c := cellOf(t, rep, "compensation.awarded", "partial", "HR"); c.State != CellValue || *c.Value != 2500.5 {
		t.Errorf("HR partial: %+v; want 2500.5 EUR", c)
	}
	q := rep.Queries[1]
	if q.Coverage != (Coverage{Members: 5, Answered: 3, Refused: 1, Missing: 1, Released: 2}) {
		t.Errorf("median coverage %+v", q.Coverage)
	}
	var judgments Target
	for _, tg := range rep.Targets {
		if tg.ID == "declaration" && (len(tg.Progress) != 1 || *tg.Progress[0].Value != 3 || tg.Goal != 20) {
			t.Errorf("declaration target %+v", tg)
		}
		if tg.ID == "judgments" {
			judgments = tg
		}
	}
	if judgments.ID != "" {
		t.Errorf("a judgments target without the judgments.total figure: %+v", judgments)
	}
}

// TestBuildRefusesAnotherQuery: answers for another query than the
// figure's are not shown under its title.
func TestBuildRefusesAnotherQuery(t *testing.T) {
	t.Parallel()
	m := []member{{newPeer(t), "ASTRA", "RS"}}
	spec := Spec{ID: "judgments.total", Section: "judgments", Query: "count judgment by country"}
	st := status(t, "count judgment by country, year", m, map[string]*query.Answer{"ASTRA": answer()})
	_, err := Build(Input{Specs: []Spec{spec}, Statuses: []federation.Status{st}})
	if err == nil || !strings.Contains(err.Error(), "the answer is for") {
		t.Fatalf("Build: %v; want a refusal naming the other query", err)
	}
}
