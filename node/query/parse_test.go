package query

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestParseCanonical: the queries and harder ones parse, and give
// their canonical text, which parses to the same text again, and the JSON
// form round-trips to the same query.
func TestParseCanonical(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"count judgment by country, year where verdict = convicted", ""},
		{"mean(sentence_months) judgment by country where verdict = convicted and offence in (thb, thb_child)", ""},
		{"share(compensation_claimed) judgment by country between 2015-01-01 and 2016-12-31", ""},
		{"sum(assets_confiscated_eur) judgment by country", ""},
		{"median(proceedings_days) judgment by country, court_level", ""},
		{"histogram(sentence_months; 0, 12, 36, 60, 120) judgment by country", ""},
		{"count police_case by country, referral_source", ""},
		{"count engagement by country, year", ""},
		{"count victim_support by age_group where services in (shelter, legal_aid) and individual_plan = true", ""},
		{"  count   judgment\n\tby country ,year  ", "count judgment by country, year"},
		{"quantile(sentence_months;0.90) judgment", "quantile(sentence_months; 0.9) judgment"},
		{"histogram(compensation_awarded_eur; 0, 1000.50, 5000.0) judgment", "histogram(compensation_awarded_eur; 0, 1000.5, 5000) judgment"},
		{"count judgment where (verdict = convicted and (court_level = appeal and victims > 2)) or defendants >= 03",
			"count judgment where verdict = convicted and court_level = appeal and victims > 2 or defendants >= 3"},
		{"count judgment where verdict = convicted and (court_level = appeal or victims > 2)", ""},
		{"count judgment where not verdict = convicted and not (a_b_c_is_not_here_really = x)", "ERR"},
		{"count judgment where not verdict = convicted", "count judgment where not (verdict = convicted)"},
		{"count judgment where not not (victims > 1)", "count judgment where not (not (victims > 1))"},
		{"count judgment where verdict not in (acquitted, dismissed) and decision_date >= 2020-01-01", ""},
		{"count judgment by sub_jurisdiction where sub_jurisdiction in (fbih, brcko) and country = BA and year >= 2020", ""},
		{"count legislation by type, stage where greta_recommendation != false between 2020-01-01 and 2020-01-01", ""},
		{"count trial_hearing by public where duration_minutes <= 90", ""},
		{"count judgment where international_law_cited = palermo", ""},
	} {
		q, err := Parse(c.in, Options{})
		if c.want == "ERR" {
			if err == nil {
				t.Errorf("%q parsed", c.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := q.String(); got != want {
			t.Errorf("%q:\n canonical %q\n      want %q", c.in, got, want)
		}
		again, err := Parse(q.String(), Options{})
		if err != nil || again.String() != q.String() {
			t.Errorf("canonical %q does not parse to itself: %v", q.String(), err)
		}
		j, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		fromJSON, err := ParseJSON(j, Options{})
		if err != nil || fromJSON.String() != q.String() {
			t.Errorf("JSON %s: %v, %v", j, err, fromJSON)
		}
	}
}

// TestParseErrors: each bad query is refused with the byte offset of the
// problem and a message naming it and what is allowed.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	private := map[string]string{"notes": "a free-text field of rs.judgment", "defendant_initials": "a personal field of hr.judgment"}
	for _, c := range []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "the query is empty"},
		{"judgment", 0, "a query starts with an aggregate"},
		{"COUNT judgment", 0, "keywords are written in lower case: count"},
		{"count Judgment", 6, `unknown record kind "Judgment"`},
		{"count ruling", 6, `unknown record kind "ruling": allowed are judgment, trial_hearing`},
		{"min(sentence_months) judgment", 0, "min and max are not offered"},
		{"max(sentence_months) judgment", 0, "min and max are not offered"},
		{"count(verdict) judgment", 5, "count takes no indicator"},
		{"mean sentence_months judgment", 5, `expected "(" after mean`},
		{"mean(verdict) judgment", 5, "mean needs a numeric indicator of judgment (assets_confiscated_eur, child_victims, compensation_awarded_eur, defendants, proceedings_days, sentence_months, victim_testimonies, victims); verdict takes one of convicted"},
		{"share(sentence_months) judgment", 6, "share needs a bool indicator of judgment"},
		{"mean(notes) judgment", 5, "notes is a free-text field of rs.judgment: personal and free-text fields never leave their node"},
		{"count judgment where defendant_initials = x", 21, "defendant_initials is a personal field of hr.judgment"},
		{"count judgment by court", 18, "court is an indicator of trial_hearing, not of judgment; the indicators of judgment are assets_confiscated_eur"},
		{"count judgment by courtroom", 18, "unknown indicator \"courtroom\" of judgment: allowed are assets_confiscated_eur"},
		{"count trial_hearing by court", 23, "court is short public text"},
		{"count police_case where verdict = convicted", 24, "verdict is an indicator of judgment, not of police_case"},
		{"count judgment by sentence_months", 18, "cannot group by sentence_months"},
		{"count judgment by international_law_cited", 18, "cannot group by international_law_cited"},
		{"count judgment by country, country", 27, "country is already a group"},
		{"count judgment where verdict = guilty", 31, "guilty is not a value of verdict: allowed are convicted, acquitted, dismissed, plea_agreement"},
		{"count judgment where verdict < convicted", 21, "verdict takes one of convicted, acquitted, dismissed, plea_agreement: compare it with =, !=, in or not in, not <"},
		{"count judgment where verdict = 3", 31, "3 is not a value of verdict"},
		{"count judgment where sentence_months > convicted", 39, "sentence_months is compared with numbers"},
		{"count judgment where sentence_months > 12.5", 39, "sentence_months is a whole number of months 0..600, got 12.5"},
		{"count judgment where sentence_months > 601", 39, "sentence_months is at most 600, got 601"},
		{"count judgment where compensation_awarded_eur > 1.234", 48, "1.234 has 3 decimals; at most 2 are allowed"},
		{"count judgment where compensation_claimed = yes", 44, "compensation_claimed is true or false, got yes"},
		{"count judgment where compensation_claimed in (true)", 21, "compare it with = or !="},
		{"count judgment where decision_date > 2020-02-30", 37, "2020-02-30 is not a calendar date"},
		{"count judgment where decision_date > 1899-12-31", 37, "before 1900-01-01"},
		{"count judgment where decision_date > 2020-1-1", 37, "a date is written YYYY-MM-DD"},
		{"count judgment where country = rs", 31, "rs is not a value of country, which takes a country code such as RS"},
		{"count judgment where sub_jurisdiction = rs_entity", 40, "rs_entity is not a value of sub_jurisdiction"},
		{"count judgment where year = 20", 28, "year is compared with a year 1900..9999"},
		{"count judgment where verdict in (convicted, convicted)", 44, "convicted is listed twice"},
		{"count judgment where verdict = 'convicted'", 31, "values are written without quotes"},
		{"count judgment where verdict == convicted", 30, "expected a value"},
		{"count judgment where verdict ! convicted", 29, `"!" must be followed by "="`},
		{"count judgment where verdict", 28, "expected an operator after verdict"},
		{"count judgment where verdict not convicted", 33, "expected in after verdict not"},
		{"count judgment where (verdict = convicted", 41, `expected ")" to close the parenthesis opened at byte 21`},
		{"count judgment where verdict = convicted and", 44, "expected a condition"},
		{"count judgment where and", 21, "expected a condition"},
		{"count judgment where verdict = convicted AND victims > 1", 41, "keywords are written in lower case: and, not AND"},
		{"count judgment between 2016-01-01 and 2015-01-01", 15, "the first date must not be after the second"},
		{"count judgment between 2016-01-01 2017-01-01", 34, "expected and between the two dates"},
		{"count judgment where verdict = convicted by country", 41, "after the kind come, in this order and each at most once, by GROUPS, where CONDITION, between DATE and DATE"},
		{"count judgment between 2015-01-01 and 2016-01-01 where verdict = convicted", 49, "in this order"},
		{"count judgment €", 15, "unexpected character '€': allowed are letters"},
		{"quantile(sentence_months; 1.5) judgment", 26, "p of quantile must be a number strictly between 0 and 1"},
		{"quantile(sentence_months; 0) judgment", 26, "p of quantile must be a number strictly between 0 and 1"},
		{"quantile(sentence_months; 0.9999) judgment", 26, "at most three decimals"},
		{"quantile(sentence_months) judgment", 24, `expected ";" after the indicator of quantile`},
		{"histogram(sentence_months; 12, 12) judgment", 31, "histogram edges must increase: 12 does not come after 12"},
		{"histogram(sentence_months; 0, 700) judgment", 30, "sentence_months is at most 600, got 700"},
		{"histogram(sentence_months) judgment", 25, `expected ";" after the indicator of histogram`},
		{"count judgment where victims > 2x", 31, `"2x" is neither a number nor a name`},
		{"count judgment where victims > 2.", 31, "a number needs digits after its decimal point"},
		{"count judgment where victims > 1234567890123456", 31, "is too large"},
		{"count judgment by where", 18, "expected a group (country, year, sub_jurisdiction or an enum or bool indicator), got the keyword where"},
	} {
		_, err := Parse(c.in, Options{Private: private})
		var qe *Error
		if !errors.As(err, &qe) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: err = %v, want a *query.Error", c.in, err)
			continue
		}
		if qe.Offset != c.offset || !strings.Contains(qe.Msg, c.msg) {
			t.Errorf("%q:\n got at byte %d: %s\nwant at byte %d: …%s…", c.in, qe.Offset, qe.Msg, c.offset, c.msg)
		}
		if !strings.HasPrefix(err.Error(), "query: at byte ") {
			t.Errorf("%q: message %q does not start with the offset", c.in, err)
		}
	}
}

// TestLimits: each limit refuses a query one over it and accepts one at it.
func TestLimits(t *testing.T) {
	t.Parallel()
	lim := Limits{MaxBytes: 200, MaxGroups: 2, MaxNesting: 2, MaxComparisons: 3, MaxInList: 2, MaxEdges: 3}
	for _, c := range []struct {
		ok, bad, msg string
	}{
		{"count judgment by country, year", "count judgment by country, year, verdict", "at most 2 groups"},
		{"count judgment where verdict in (convicted, acquitted)", "count judgment where verdict in (convicted, acquitted, dismissed)", "holds at most 2 values"},
		{"histogram(victims; 1, 2, 3) judgment", "histogram(victims; 1, 2, 3, 4) judgment", "at most 3 edges"},
		{"count judgment where victims > 1 and victims > 2 and victims > 3", "count judgment where victims > 1 and victims > 2 and victims > 3 and victims > 4", "at most 3 comparisons"},
		{"count judgment where not (victims > 1 and victims > 2)", "count judgment where not (not (victims > 1 and victims > 2))", "nests more than 2 levels"},
		{"count judgment where ((victims > 1))", "count judgment where (((victims > 1)))", "nests more than 2 levels"},
		{"count judgment" + strings.Repeat(" ", 186), "count judgment" + strings.Repeat(" ", 187), "201 bytes long; at most 200"},
	} {
		if _, err := Parse(c.ok, Options{Limits: lim}); err != nil {
			t.Errorf("at the limit %q: %v", c.ok, err)
		}
		if _, err := Parse(c.bad, Options{Limits: lim}); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("over the limit %q: %v, want …%s…", c.bad, err, c.msg)
		}
	}
	if DefaultLimits != (Limits{}).withDefaults() {
		t.Errorf("zero limits do not take the defaults")
	}
}

// TestParseJSONStrict: the JSON form refuses unknown members, trailing
// data, oversized input, ill-formed conditions and values, naming the path.
func TestParseJSONStrict(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, msg string }{
		{`{"aggregate":"count","kind":"judgment","extra":1}`, `unknown field "extra"`},
		{`{"aggregate":"count","kind":"judgment"} {}`, "data after its object"},
		{`{"aggregate":"count","kind":"judgment"`, "does not decode"},
		{`{"aggregate":"count","kind":"judgment","where":{"field":"verdict","op":"=","value":"convicted","and":[]}}`, "at where: a condition is exactly one of"},
		{`{"aggregate":"count","kind":"judgment","where":{"and":[{"field":"victims","op":">","value":1e3},{"field":"victims","op":">","value":1}]}}`, "at where.and[0].value: \"1e3\" is not a number"},
		{`{"aggregate":"count","kind":"judgment","where":{"field":"verdict","op":"in","value":"convicted"}}`, `in takes "values"`},
		{`{"aggregate":"count","kind":"judgment","where":{"field":"verdict","op":"=","values":["convicted"]}}`, `op "=" takes one "value"`},
		{`{"aggregate":"count","kind":"judgment","where":{"field":"verdict","op":"=","value":"convicted; drop"}}`, "neither a value of a closed list"},
		{`{"aggregate":"count","kind":"judgment","where":{"field":"verdict","op":"=","value":null}}`, `at where: op "=" takes one "value"`},
		{`{"aggregate":"count","kind":"judgment","where":{"field":"verdict","op":"=","value":["x"]}}`, "a value is a string, a number or true/false"},
		{`{"aggregate":"count","kind":"judgment","where":{"and":[{"field":"verdict","op":"=","value":"convicted"}]}}`, "and needs at least two conditions"},
		{`{"aggregate":"count","kind":"judgment","where":{"field":"notes","op":"=","value":"x"}}`, "at where.field: notes is a free-text field"},
		{`{"aggregate":"quantile","indicator":"victims","kind":"judgment"}`, "quantile needs p"},
		{`{"aggregate":"mean","indicator":"victims","p":0.5,"kind":"judgment"}`, "only quantile takes p"},
		{`{"aggregate":"histogram","indicator":"victims","edges":[3,1],"kind":"judgment"}`, "at edges[1]: histogram edges must increase"},
		{`{"aggregate":"count","kind":"judgment","by":["verdict","verdict"]}`, "at by[1]: verdict is already a group"},
		{`{"aggregate":"count","kind":"judgment","between":{"from":"2020-01-01","to":"2019-01-01"}}`, "at between: between 2020-01-01 and 2019-01-01"},
		{`{"aggregate":"count","kind":"judgment","where":` + strings.Repeat(`{"not":`, 8) + `{"field":"victims","op":">","value":1}` + strings.Repeat("}", 8) + `}`, "nests more than 6 levels"},
		{`{"aggregate":"count","kind":"judgment","by":["` + strings.Repeat("x", 17000) + `"]}`, "at most 16384 are allowed"},
	} {
		_, err := ParseJSON([]byte(c.in), Options{Private: map[string]string{"notes": "a free-text field of rs.judgment"}})
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%.80s: %v, want …%s…", c.in, err, c.msg)
		}
	}
}

// TestPrivateFields: the personal and free-text fields of the built-in
// forms are named, and a query naming one gets the message.
func TestPrivateFields(t *testing.T) {
	t.Parallel()
	priv := PrivateFields(plugins(t).Forms())
	for _, name := range []string{"notes", "case_number", "defendant_initials"} {
		if priv[name] == "" {
			t.Errorf("%s is not among the private fields: %v", name, priv)
		}
	}
	if _, ok := priv["verdict"]; ok {
		t.Error("verdict, an indicator, is listed as private")
	}
	_, err := Parse("count judgment by case_number", Options{Private: priv})
	if err == nil || !strings.Contains(err.Error(), "case_number is a personal field of") {
		t.Errorf("query naming case_number: %v", err)
	}
}

// fuzzSeeds are the seed queries of the fuzz targets: testdata/queries.txt,
// one per line.
func fuzzSeeds(f *testing.F) []string {
	b, err := os.ReadFile(filepath.Join("testdata", "queries.txt"))
	if err != nil {
		f.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		f.Fatal("no seed queries in testdata/queries.txt")
	}
	return out
}

// FuzzParse: any text is parsed or refused with an *Error, never a panic;
// a parsed query's canonical text parses to itself, and its JSON form to
// the same query.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := Parse(text, Options{})
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("%q: error %T %v is not a *query.Error", text, err, err)
			}
			return
		}
		c := q.String()
		again, err := Parse(c, Options{})
		if err != nil || again.String() != c {
			t.Fatalf("%q: canonical %q does not parse to itself: %v", text, c, err)
		}
		j, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		fromJSON, err := ParseJSON(j, Options{})
		if err != nil || fromJSON.String() != c {
			t.Fatalf("%q: JSON %s gives %v, %v", text, j, fromJSON, err)
		}
	})
}

// FuzzParseJSON: any bytes are decoded or refused with an *Error; a
// decoded query round-trips through its JSON and its canonical text.
func FuzzParseJSON(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		q, err := Parse(s, Options{})
		if err != nil {
			continue
		}
		j, _ := json.Marshal(q)
		f.Add(j)
	}
	f.Add([]byte(`{"aggregate":"count","kind":"judgment","where":{"not":{"field":"verdict","op":"!=","value":"convicted"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := ParseJSON(data, Options{})
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error %T %v is not a *query.Error", err, err)
			}
			return
		}
		j, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseJSON(j, Options{})
		if err != nil || !reflect.DeepEqual(stripPos(again), stripPos(q)) {
			t.Fatalf("JSON %s does not round-trip: %v", j, err)
		}
		if fromText, err := Parse(q.String(), Options{}); err != nil || fromText.String() != q.String() {
			t.Fatalf("canonical %q: %v", q.String(), err)
		}
	})
}

// stripPos is q's canonical text and JSON, which ignore positions.
func stripPos(q *Query) string {
	j, _ := json.Marshal(q)
	return q.String() + "\n" + string(j)
}
