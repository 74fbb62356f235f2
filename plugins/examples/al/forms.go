package main

import (
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Country is the ISO 3166-1 code of the forms' country.
const Country = "AL"

// CodeVersion names the text of the Criminal Code the lists follow.
const CodeVersion = "Kodi Penal i Republikës së Shqipërisë, ligji nr. 7895, dt. 27.1.1995, i ndryshuar (nenet 110/a, 128/b sipas ligjit nr. 144/2013; neni 114)"

// Forms returns every version of every form, the oldest version of each
// first. A version once shipped stays in this list for good: records
// entered on it are read with it (see sdk.Spec, "Form evolution").
func Forms() []sdk.Form {
	return []sdk.Form{
		judgmentV1,
		judgmentV2,
		trialHearingV1,
		policeCaseV1,
		victimSupportV1,
		legislationV1,
		engagementV1,
	}
}

const (
	kJ = sdk.KindJudgment
	kT = sdk.KindTrialHearing
	kP = sdk.KindPoliceCase
	kV = sdk.KindVictimSupport
	kL = sdk.KindLegislation
	kE = sdk.KindEngagement
)

// info describes version 1 of the form of kind. Its id is
// "<country>.<kind>", made from Country, so that a copy of this example for
// another country changes Country alone.
func info(kind sdk.Kind, title sdk.Label, fields ...sdk.Field) sdk.FormInfo {
	return sdk.FormInfo{ID: strings.ToLower(Country) + "." + string(kind), Version: 1, Kind: kind, Country: Country,
		CodeVersion: CodeVersion, Title: title, Fields: fields}
}

// caseNumber is the court's or police's case number. It is personal: with
// it anyone can find the parties in the court's registry.
func caseNumber() sdk.Field {
	return sdk.Field{ID: "case_number", Type: sdk.TypeString, MaxLen: 40, Personal: true,
		Label: lbl("Case number", "Numri i çështjes"),
		Help:  lbl("As the court or police writes it. Stays on this node.", "Siç e shkruan gjykata ose policia. Mbetet në këtë nyje.")}
}

// notes is the monitor's free text. It never leaves the node.
func notes() sdk.Field {
	return sdk.Field{ID: "notes", Type: sdk.TypeText, FreeText: true,
		Label: lbl("Notes", "Shënime"),
		Help:  lbl("Never shared with other partners.", "Nuk ndahen kurrë me partnerët e tjerë.")}
}

// article is the offence of the Criminal Code a case concerns.
func article(required bool) sdk.Field {
	return sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: required,
		Label: lbl("Offence (article of the Criminal Code)", "Vepra penale (neni i Kodit Penal)"),
		Options: []sdk.Option{
			{Value: "art_110a", Label: lbl("Art. 110/a – Trafficking of adults", "Neni 110/a – Trafikimi i personave të rritur")},
			{Value: "art_128b", Label: lbl("Art. 128/b – Trafficking of minors", "Neni 128/b – Trafikimi i të miturve")},
			{Value: "art_114", Label: lbl("Art. 114 – Exploitation of prostitution", "Neni 114 – Shfrytëzimi i prostitucionit")},
			{Value: "other", Label: lbl("Other offence", "Vepër tjetër penale")},
		}}
}

// offences maps each article onto the common offence indicator.
var offences = map[string]string{
	"art_110a": "thb",
	"art_128b": "thb_child",
	"art_114":  "mediation_prostitution",
	"other":    "other",
}

// statutoryMinimumMonths is the least prison term an article allows.
var statutoryMinimumMonths = map[string]int64{"art_110a": 8 * 12, "art_128b": 10 * 12}

// judgmentV1 is the court-judgment form as first shipped. Fields named
// after a common indicator (sdk.IndicatorField) are mapped with no code;
// the article is Albania's own and mapJudgment maps it onto offence.
var judgmentV1 = sdk.Spec{
	Info: info(kJ, lbl("Court judgment in a trafficking case", "Vendim gjyqësor në një çështje trafikimi"),
		caseNumber(),
		sdk.Field{ID: "court", Type: sdk.TypeString, Required: true, MaxLen: 120,
			Label: lbl("Court", "Gjykata"), Help: lbl("E.g. Gjykata e Shkallës së Parë Tiranë", "P.sh. Gjykata e Shkallës së Parë Tiranë")},
		ind(kJ, "court_level").Require(),
		article(true),
		ind(kJ, "exploitation"),
		ind(kJ, "indictment_date"),
		ind(kJ, "decision_date").Require(),
		ind(kJ, "defendants").Require(),
		ind(kJ, "victims").Require(),
		ind(kJ, "child_victims"),
		ind(kJ, "verdict").Require(),
		ind(kJ, "sentence_months"),
		ind(kJ, "below_statutory_minimum"),
		ind(kJ, "compensation_claimed"),
		ind(kJ, "compensation_decision"),
		ind(kJ, "compensation_awarded_eur"),
		ind(kJ, "compensation_paid"),
		ind(kJ, "assets_frozen"),
		ind(kJ, "assets_confiscated_eur"),
		ind(kJ, "victim_testimonies"),
		ind(kJ, "victim_confronted_with_defendant"),
		ind(kJ, "victim_questioning"),
		ind(kJ, "victim_legal_representative"),
		ind(kJ, "victim_prosecuted"),
		notes(),
	),
	Rules: []sdk.Rule{
		sdk.DateNotBefore("decision_date", "indictment_date"),
		sdk.NotMoreThan("child_victims", "victims"),
		sdk.OnlyWhen("sentence_months", "verdict", "convicted", "plea_agreement"),
	},
	Map: mapJudgment,
}

// judgmentV2 adds the international law the court cited. Version 1 stays
// in Forms: a record entered on it is still validated and mapped by it.
var judgmentV2 = judgmentV1.Next(2, ind(kJ, "international_law_cited"))

// mapJudgment maps a judgment onto the common indicators: the indicator
// fields as they are (sdk.MapByName), the article onto offence, and
// below_statutory_minimum from the sentence when the monitor left it open.
func mapJudgment(fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error) {
	c := sdk.MapByName(fi, a)
	art, _ := a["article"].(string)
	c["offence"] = offences[art]
	if _, answered := c["below_statutory_minimum"]; !answered {
		if min, ok := statutoryMinimumMonths[art]; ok {
			if m, ok := c["sentence_months"].(int64); ok {
				c["below_statutory_minimum"] = m < min
			}
		}
	}
	return c, nil
}

// trialHearingV1 is a monitor's visit to a trial hearing.
var trialHearingV1 = sdk.Spec{
	Info: info(kT, lbl("Visit to a trial hearing", "Monitorim i një seance gjyqësore"),
		caseNumber(),
		ind(kT, "court").Require(),
		article(false),
		ind(kT, "date").Require(),
		ind(kT, "hearing_held").Require(),
		ind(kT, "public"),
		ind(kT, "interpreter_needed"),
		ind(kT, "interpreter_provided"),
		ind(kT, "victim_present"),
		ind(kT, "victim_protective_measures"),
		ind(kT, "duration_minutes"),
		ind(kT, "adjourned_reason"),
		notes(),
	),
}

// policeCaseV1 is a case reported to the police that the monitor follows.
var policeCaseV1 = sdk.Spec{
	Info: info(kP, lbl("Police case", "Çështje policore"),
		caseNumber(),
		article(false),
		ind(kP, "opened_date").Require(),
		ind(kP, "referral_source"),
		ind(kP, "stage").Require(),
		ind(kP, "suspects"),
		ind(kP, "victims_identified"),
		ind(kP, "cross_border"),
		ind(kP, "information_requests_sent"),
		ind(kP, "information_requests_answered"),
		notes(),
	),
	Rules: []sdk.Rule{sdk.NotMoreThan("information_requests_answered", "information_requests_sent")},
}

// victimSupportV1 is support given to one victim. In Albania the
// National Referral Mechanism's responsible authority identifies victims.
var victimSupportV1 = sdk.Spec{
	Info: info(kV, lbl("Support to a victim", "Mbështetje për një viktimë"),
		sdk.Field{ID: "victim_code", Type: sdk.TypeString, MaxLen: 40, Personal: true,
			Label: lbl("Victim's code in your records", "Kodi i viktimës në regjistrat tuaj"),
			Help:  lbl("Never a name. Stays on this node.", "Kurrë një emër. Mbetet në këtë nyje.")},
		ind(kV, "victim_status").Require(),
		ind(kV, "identified_by"),
		ind(kV, "age_group").Require(),
		ind(kV, "sex"),
		ind(kV, "services"),
		ind(kV, "individual_plan"),
		ind(kV, "outcome"),
		notes(),
	),
}

// legislationV1 is a bill, law or strategy the network follows.
var legislationV1 = sdk.Spec{
	Info: info(kL, lbl("Law, bill or strategy", "Ligj, projektligj ose strategji"),
		ind(kL, "identifier").Require(),
		ind(kL, "type").Require(),
		ind(kL, "stage").Require(),
		ind(kL, "stage_date").Require(),
		ind(kL, "greta_recommendation"),
		notes(),
	),
}

// engagementV1 is a meeting with a public body.
var engagementV1 = sdk.Spec{
	Info: info(kE, lbl("Meeting with a public body", "Takim me një institucion publik"),
		ind(kE, "date").Require(),
		ind(kE, "body").Require(),
		ind(kE, "purpose").Require(),
		notes(),
	),
}
