package hr

import (
	"github.com/kolo-net/kolo/plugins/sdk"
)

const kJ = sdk.KindJudgment

// judgmentV1 is the court-judgment form as first shipped.
var judgmentV1 = judgment(1, articlesV1)

// judgmentV2 adds art. 106(3) to the articles (articlesV2): a judgment
// under its child case counts as trafficking in children. Version 1 stays
// served for the records entered on it.
var judgmentV2 = judgment(2, articlesV2)

// judgment is version v of the court-judgment form, asking for an article
// of list.
func judgment(v int, list []sdk.Option) sdk.Spec {
	s := sdk.Spec{
		Info: info("hr.judgment", kJ, lbl("Court judgment in a trafficking case", "Presuda u predmetu trgovanja ljudima"),
			caseNumber(),
			sdk.Field{ID: "court", Type: sdk.TypeString, Required: true, MaxLen: 120,
				Label: lbl("Court", "Sud"), Help: lbl("E.g. Županijski sud u Zagrebu", "Npr. Županijski sud u Zagrebu")},
			sdk.IndicatorField(kJ, "court_level").Require(),
			article(list, true),
			sdk.IndicatorField(kJ, "exploitation"),
			sdk.IndicatorField(kJ, "indictment_date"),
			sdk.IndicatorField(kJ, "decision_date").Require(),
			sdk.Field{ID: "defendant_initials", Type: sdk.TypeString, MaxLen: 20, Personal: true,
				Label: lbl("Defendants' initials", "Inicijali okrivljenika"),
				Help:  lbl("For your own reference. Stays on this node.", "Za vašu evidenciju. Ostaje na ovom čvoru.")},
			sdk.IndicatorField(kJ, "defendants").Require(),
			sdk.IndicatorField(kJ, "victims").Require(),
			sdk.IndicatorField(kJ, "child_victims"),
			sdk.IndicatorField(kJ, "verdict").Require(),
			sdk.IndicatorField(kJ, "sentence_months"),
			sdk.IndicatorField(kJ, "below_statutory_minimum"),
			sdk.IndicatorField(kJ, "compensation_claimed"),
			sdk.IndicatorField(kJ, "compensation_decision"),
			sdk.IndicatorField(kJ, "compensation_awarded_eur").WithHelp(eurHelp),
			sdk.IndicatorField(kJ, "compensation_paid"),
			sdk.IndicatorField(kJ, "assets_frozen"),
			sdk.IndicatorField(kJ, "assets_confiscated_eur").WithHelp(eurHelp),
			sdk.IndicatorField(kJ, "victim_testimonies"),
			sdk.IndicatorField(kJ, "victim_confronted_with_defendant"),
			sdk.IndicatorField(kJ, "victim_questioning"),
			sdk.IndicatorField(kJ, "victim_legal_representative"),
			sdk.IndicatorField(kJ, "victim_prosecuted"),
			sdk.IndicatorField(kJ, "international_law_cited"),
			sdk.NotesField("notes"),
		),
		Rules: []sdk.Rule{
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
// after indicators as they are, the article onto offence.
func mapJudgment(fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error) {
	c := sdk.MapByName(fi, a)
	art, _ := a["article"].(string)
	c["offence"] = offences[art]
	return c, nil
}
