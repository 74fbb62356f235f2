package rs

import (
	"github.com/kolo-net/kolo/plugins/sdk"
)

const kJ = sdk.KindJudgment

// statutoryMinimumMonths is the least prison term an article allows:
// art. 388(1), three to twelve years; art. 388(3), against a minor, at
// least five years (both as amended by Sl. glasnik RS 72/2009). A sentence
// below it is answered below_statutory_minimum when the monitor left that
// open. Art. 389 and 390 have no minimum here: they were not checked.
var statutoryMinimumMonths = map[string]int64{"art_388": 36, "art_388_3": 60}

// judgmentV1 is the court-judgment form as first shipped.
var judgmentV1 = sdk.Spec{
	Info: info("rs.judgment", kJ, lbl("Court judgment in a trafficking case", "Presuda u predmetu trgovine ljudima"),
		caseNumber(),
		sdk.Field{ID: "court", Type: sdk.TypeString, Required: true, MaxLen: 120,
			Label: lbl("Court", "Sud"), Help: lbl("E.g. Viši sud u Beogradu", "Npr. Viši sud u Beogradu")},
		sdk.IndicatorField(kJ, "court_level").Require(),
		article(true),
		sdk.IndicatorField(kJ, "exploitation"),
		sdk.IndicatorField(kJ, "indictment_date"),
		sdk.IndicatorField(kJ, "decision_date").Require(),
		sdk.Field{ID: "defendant_initials", Type: sdk.TypeString, MaxLen: 20, Personal: true,
			Label: lbl("Defendants' initials", "Inicijali okrivljenih"),
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
		sdk.NotesField("notes"),
	),
	Rules: []sdk.Rule{
		sdk.DateNotBefore("decision_date", "indictment_date"),
		sdk.NotMoreThan("child_victims", "victims"),
		sdk.OnlyWhen("sentence_months", "verdict", "convicted", "plea_agreement"),
	},
	Map: mapJudgment,
}

// judgmentV2 adds the international law the court cited, and whether an
// appeal was lodged. Records entered on version 1 keep being read with
// judgmentV1, which Forms still lists.
var judgmentV2 = judgmentV1.Next(2,
	sdk.IndicatorField(kJ, "international_law_cited"),
	sdk.Field{ID: "appeal_filed", Type: sdk.TypeBool, Label: lbl("An appeal was lodged", "Izjavljena je žalba")},
)

// mapJudgment maps a judgment entered on form version fi onto the common
// indicators: the fields named after indicators as they are, the article
// onto offence.
func mapJudgment(fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error) {
	c := sdk.MapByName(fi, a)
	art, _ := a["article"].(string)
	c["offence"] = offences[art]
	if art == "art_389" {
		if _, ok := c["exploitation"]; !ok {
			c["exploitation"] = "adoption"
		}
	}
	if _, answered := c["below_statutory_minimum"]; !answered {
		if min, ok := statutoryMinimumMonths[art]; ok {
			if m, ok := c["sentence_months"].(int64); ok {
				c["below_statutory_minimum"] = m < min
			}
		}
	}
	return c, nil
}
