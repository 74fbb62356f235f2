package ba

import (
	"math"

	"github.com/kolo-net/kolo/plugins/sdk"
)

const kJ = sdk.KindJudgment

// kmField asks for an amount in convertible marks; the form maps it onto
// the EUR indicator named eur.
func kmField(id string, label sdk.Label) sdk.Field {
	return sdk.Field{ID: id, Type: sdk.TypeNumber, Min: ptr(0), Max: ptr(1e10 * BAMPerEUR), Label: label,
		Help: lbl("In convertible marks (KM); kolo converts at the fixed rate of 1.95583 KM to the euro.",
			"U konvertibilnim markama (KM); kolo preračunava u eure po fiksnom kursu 1,95583 KM za 1 euro.")}
}

// judgmentV1 is the court-judgment form as first shipped.
var judgmentV1 = judgment(1, articlesV1)

// judgmentV2 lists the child-trafficking paragraphs of the state, FBiH and
// Brčko codes apart (articlesV2), so that a judgment under one of them
// counts as trafficking in children. Version 1 stays served for the
// records entered on it.
var judgmentV2 = judgment(2, articlesV2)

// judgment is version v of the court-judgment form, asking for an article
// of list.
func judgment(v int, list []articleOption) sdk.Spec {
	s := sdk.Spec{
		Info: info("ba.judgment", kJ, lbl("Court judgment in a trafficking case", "Presuda u predmetu trgovine ljudima"),
			caseNumber(),
			sdk.Field{ID: "court", Type: sdk.TypeString, Required: true, MaxLen: 120,
				Label: lbl("Court", "Sud"), Help: lbl("E.g. Sud Bosne i Hercegovine, Okružni sud u Banjoj Luci", "Npr. Sud Bosne i Hercegovine, Okružni sud u Banjoj Luci")},
			sdk.IndicatorField(kJ, "court_level").Require(),
			article(list, true),
			sdk.IndicatorField(kJ, "exploitation"),
			sdk.IndicatorField(kJ, "indictment_date"),
			sdk.IndicatorField(kJ, "decision_date").Require(),
			sdk.Field{ID: "defendant_initials", Type: sdk.TypeString, MaxLen: 20, Personal: true,
				Label: lbl("Defendants' initials", "Inicijali optuženih"),
				Help:  lbl("For your own reference. Stays on this node.", "Za vašu evidenciju. Ostaje na ovom čvoru.")},
			sdk.IndicatorField(kJ, "defendants").Require(),
			sdk.IndicatorField(kJ, "victims").Require(),
			sdk.IndicatorField(kJ, "child_victims"),
			sdk.IndicatorField(kJ, "verdict").Require(),
			sdk.IndicatorField(kJ, "sentence_months"),
			sdk.IndicatorField(kJ, "below_statutory_minimum"),
			sdk.IndicatorField(kJ, "compensation_claimed"),
			sdk.IndicatorField(kJ, "compensation_decision"),
			kmField("compensation_awarded_km", lbl("Compensation awarded (KM)", "Dosuđena naknada (KM)")),
			sdk.IndicatorField(kJ, "compensation_paid"),
			sdk.IndicatorField(kJ, "assets_frozen"),
			kmField("assets_confiscated_km", lbl("Proceeds of crime confiscated (KM)", "Oduzeta imovinska korist (KM)")),
			sdk.IndicatorField(kJ, "victim_testimonies"),
			sdk.IndicatorField(kJ, "victim_confronted_with_defendant"),
			sdk.IndicatorField(kJ, "victim_questioning"),
			sdk.IndicatorField(kJ, "victim_legal_representative"),
			sdk.IndicatorField(kJ, "victim_prosecuted"),
			sdk.IndicatorField(kJ, "international_law_cited"),
			sdk.NotesField("notes"),
		),
		Rules: []sdk.Rule{
			articleOfJurisdiction(list),
			sdk.DateNotBefore("decision_date", "indictment_date"),
			sdk.NotMoreThan("child_victims", "victims"),
			sdk.OnlyWhen("sentence_months", "verdict", "convicted", "plea_agreement"),
		},
		Map: mapJudgment,
	}
	s.Info.Version = v
	return s
}

// mapJudgment maps a judgment onto the common indicators: the fields named
// after indicators as they are, the article onto offence, amounts in KM
// onto euros (rounded to the cent).
//
// Version 1 names no paragraph, so a child-trafficking case under state
// art. 186, FBiH art. 210a or Brčko art. 207a could only be entered under
// the article. Under these codes trafficking a child falls under the
// article's paragraph 2 whatever the means used, so a version 1 judgment
// under one of them with a child victim maps onto thb_child (a fix of the
// version's mapping, which sdk.Spec allows); version 2 asks for the
// paragraph.
func mapJudgment(fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error) {
	c := sdk.MapByName(fi, a)
	art, _ := a["article"].(string)
	if fi.Version == 1 {
		c["offence"] = offenceOf(articlesV1, art)
		if n, ok := c["child_victims"].(int64); ok && n > 0 && childParagraph[art] != "" {
			c["offence"] = "thb_child"
		}
	} else {
		c["offence"] = offenceOf(articlesV2, art)
	}
	for km, eur := range map[string]string{
		"compensation_awarded_km": "compensation_awarded_eur",
		"assets_confiscated_km":   "assets_confiscated_eur",
	} {
		if v, ok := sdk.Number(a[km]); ok {
			c[eur] = math.Round(v/BAMPerEUR*100) / 100
		}
	}
	return c, nil
}
