package sdk

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestCatalogueMatchesDomain pins the catalogue to the common indicators
// of shared/domain/DOMAIN.md: names, types and closed lists.
func TestCatalogueMatchesDomain(t *testing.T) {
	t.Parallel()
	type spec struct {
		name string
		typ  IndicatorType
		opts string // closed list, space-separated
	}
	want := map[Kind][]spec{
		KindJudgment: {
			{"court_level", IndicatorEnum, "first_instance appeal supreme"},
			{"indictment_date", IndicatorDate, ""}, {"decision_date", IndicatorDate, ""},
			{"proceedings_days", IndicatorDays, ""},
			{"offence", IndicatorEnum, "thb thb_child slavery mediation_prostitution smuggling other"},
			{"exploitation", IndicatorEnum, "sexual labour begging criminality forced_marriage organ adoption multiple"},
			{"defendants", IndicatorCount, ""}, {"victims", IndicatorCount, ""}, {"child_victims", IndicatorCount, ""},
			{"verdict", IndicatorEnum, "convicted acquitted dismissed plea_agreement"},
			{"sentence_months", IndicatorMonths, ""}, {"below_statutory_minimum", IndicatorBool, ""},
			{"compensation_claimed", IndicatorBool, ""},
			{"compensation_decision", IndicatorEnum, "awarded partial referred_to_civil rejected undecided"},
			{"compensation_awarded_eur", IndicatorEUR, ""}, {"compensation_paid", IndicatorBool, ""},
			{"assets_frozen", IndicatorBool, ""}, {"assets_confiscated_eur", IndicatorEUR, ""},
			{"victim_testimonies", IndicatorCount, ""}, {"victim_confronted_with_defendant", IndicatorBool, ""},
			{"victim_questioning", IndicatorEnum, "in_court video_link prior_recorded separate_room not_heard"},
			{"victim_legal_representative", IndicatorBool, ""}, {"victim_prosecuted", IndicatorBool, ""},
			{"international_law_cited", IndicatorSet, "palermo coe_convention echr_art4 eu_directive_2011_36"},
		},
		KindTrialHearing: {
			{"date", IndicatorDate, ""}, {"court", IndicatorString, ""}, {"hearing_held", IndicatorBool, ""},
			{"public", IndicatorBool, ""}, {"interpreter_needed", IndicatorBool, ""}, {"interpreter_provided", IndicatorBool, ""},
			{"victim_present", IndicatorBool, ""}, {"victim_protective_measures", IndicatorBool, ""},
			{"duration_minutes", IndicatorCount, ""},
			{"adjourned_reason", IndicatorEnum, "defendant_absent defence_absent victim_absent witness_absent interpreter_absent court_reasons evidence_pending other"},
		},
		KindPoliceCase: {
			{"opened_date", IndicatorDate, ""},
			{"referral_source", IndicatorEnum, "police social_welfare ngo self other"},
			{"stage", IndicatorEnum, "report investigation indictment closed_no_charge"},
			{"suspects", IndicatorCount, ""}, {"victims_identified", IndicatorCount, ""}, {"cross_border", IndicatorBool, ""},
			{"information_requests_sent", IndicatorCount, ""}, {"information_requests_answered", IndicatorCount, ""},
		},
		KindVictimSupport: {
			{"victim_status", IndicatorEnum, "potential identified not_identified"},
			{"identified_by", IndicatorEnum, "specialised_body social_welfare police prosecution referral_team ngo other"},
			{"age_group", IndicatorEnum, "child adult"},
			{"sex", IndicatorEnum, "female male other"},
			{"services", IndicatorSet, "shelter medical psychological legal_aid education financial repatriation"},
			{"individual_plan", IndicatorBool, ""},
			{"outcome", IndicatorEnum, "reintegrated repatriated lost_contact re_trafficked ongoing"},
		},
		KindLegislation: {
			{"identifier", IndicatorString, ""},
			{"type", IndicatorEnum, "criminal_code criminal_procedure victim_compensation bylaw strategy"},
			{"stage", IndicatorEnum, "draft consultation parliament adopted in_force repealed"},
			{"stage_date", IndicatorDate, ""}, {"greta_recommendation", IndicatorBool, ""},
		},
		KindEngagement: {
			{"date", IndicatorDate, ""},
			{"body", IndicatorEnum, "ministry_interior ministry_justice parliament prosecution court social_welfare other"},
			{"purpose", IndicatorEnum, "findings recommendations training other"},
		},
	}
	for _, k := range Kinds {
		got := Indicators(k)
		if len(got) != len(want[k]) {
			t.Errorf("%s: %d indicators, want %d", k, len(got), len(want[k]))
			continue
		}
		for i, w := range want[k] {
			g := got[i]
			if g.Name != w.name || g.Type != w.typ || g.Kind != k || strings.Join(g.OptionValues(), " ") != w.opts {
				t.Errorf("%s #%d: got %s %s [%s], want %s %s [%s]", k, i, g.Name, g.Type, strings.Join(g.OptionValues(), " "), w.name, w.typ, w.opts)
			}
		}
	}
	if Indicators("trial") != nil {
		t.Error("Indicators of an unknown kind is not nil")
	}
}

// TestCatalogueLabels checks that every indicator and option is labelled
// in the six languages, Macedonian and Serbian Cyrillic in Cyrillic.
func TestCatalogueLabels(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds {
		for _, ind := range Indicators(k) {
			checkSixLanguages(t, string(k)+"."+ind.Name, ind.Label)
			for _, o := range ind.Options {
				checkSixLanguages(t, string(k)+"."+ind.Name+"="+o.Value, o.Label)
			}
			if (ind.Type == IndicatorEnum || ind.Type == IndicatorSet) != (len(ind.Options) > 0) {
				t.Errorf("%s.%s: type %s with %d options", k, ind.Name, ind.Type, len(ind.Options))
			}
			if n := ind.Type; (n == IndicatorCount || n == IndicatorDays || n == IndicatorMonths || n == IndicatorEUR) && ind.Max <= 0 {
				t.Errorf("%s.%s: no Max", k, ind.Name)
			}
		}
	}
	checkSixLanguages(t, "notes", NotesField("n").Label)
	checkSixLanguages(t, "sub_jurisdiction", SubJurisdictionField().Label)
}

// Latin abbreviations that Cyrillic labels keep as they are.
var latinKept = []string{"EUR"}

func checkSixLanguages(t *testing.T, what string, l Label) {
	t.Helper()
	for _, lang := range Languages {
		s := l[lang]
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s: no %s label", what, lang)
			continue
		}
		if lang == "mk" || lang == "sr-Cyrl" {
			for _, keep := range latinKept {
				s = strings.ReplaceAll(s, keep, "")
			}
			if i := strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Latin, r) }); i >= 0 {
				t.Errorf("%s: %s label %q has Latin letters", what, lang, l[lang])
			}
		}
	}
}

func TestLookupIndicator(t *testing.T) {
	t.Parallel()
	ind, ok := LookupIndicator(KindJudgment, "verdict")
	if !ok || ind.Type != IndicatorEnum || ind.Kind != KindJudgment {
		t.Fatalf("verdict: %v %v", ind, ok)
	}
	// The copy is the caller's: changing it leaves the catalogue alone.
	ind.Options[0].Value = "changed"
	ind.Label["en"] = "changed"
	again, _ := LookupIndicator(KindJudgment, "verdict")
	if again.Options[0].Value != "convicted" || again.Label["en"] != "Verdict" {
		t.Error("LookupIndicator returned the catalogue's own slices")
	}
	if _, ok := LookupIndicator(KindJudgment, "date"); ok {
		t.Error("judgment has no indicator date")
	}
	if _, ok := LookupIndicator(KindEngagement, "date"); !ok {
		t.Error("engagement has an indicator date")
	}
}

func TestSerbianCyrillic(t *testing.T) {
	t.Parallel()
	for latin, cyr := range map[string]string{
		"Trgovina ljudima":                         "Трговина људима",
		"Ljubljana, NJIVA, Njegoš, DŽEP, Džep":     "Љубљана, ЊИВА, Његош, ЏЕП, Џеп",
		"Čačak, Ćuprija, Đurđevdan, Šabac, Žabalj": "Чачак, Ћуприја, Ђурђевдан, Шабац, Жабаљ",
		"Čl. 388 st. 3 (EKLJP)":                    "Чл. 388 ст. 3 (ЕКЉП)",
		"":                                         "",
	} {
		if got := SerbianCyrillic(latin); got != cyr {
			t.Errorf("SerbianCyrillic(%q) = %q, want %q", latin, got, cyr)
		}
	}
}

func TestIndicatorField(t *testing.T) {
	t.Parallel()
	f := IndicatorField(KindJudgment, "sentence_months").Require()
	if f.ID != "sentence_months" || f.Type != TypeInt || !f.Required || *f.Min != 0 || *f.Max != 600 || f.Label["mk"] == "" {
		t.Errorf("sentence_months field: %+v", f)
	}
	f = IndicatorField(KindJudgment, "verdict").Only("convicted", "acquitted")
	if f.Type != TypeChoice || !slices.Equal([]string{f.Options[0].Value, f.Options[1].Value}, []string{"convicted", "acquitted"}) || len(f.Options) != 2 {
		t.Errorf("verdict field: %+v", f)
	}
	if f := IndicatorField(KindJudgment, "compensation_awarded_eur"); f.Type != TypeNumber {
		t.Errorf("eur field type %s", f.Type)
	}
	if f := IndicatorField(KindLegislation, "identifier"); f.Type != TypeString || f.MaxLen != MaxIndicatorStringLen {
		t.Errorf("identifier field %+v", f)
	}
	if got := len(IndicatorFields(KindJudgment)); got != len(Indicators(KindJudgment))-1 {
		t.Errorf("IndicatorFields(judgment) has %d fields; want every indicator but the derived one", got)
	}
	mustPanic(t, func() { IndicatorField(KindJudgment, "nope") })
	mustPanic(t, func() { IndicatorField(KindJudgment, "verdict").Only("guilty") })
}

func mustPanic(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	f()
}
