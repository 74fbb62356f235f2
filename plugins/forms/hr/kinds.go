package hr

import (
	"github.com/kolo-net/kolo/plugins/sdk"
)

const (
	kT = sdk.KindTrialHearing
	kP = sdk.KindPoliceCase
	kV = sdk.KindVictimSupport
	kL = sdk.KindLegislation
	kE = sdk.KindEngagement
)

// trialHearingV1 is a monitor's visit to a trial hearing.
var trialHearingV1 = sdk.Spec{
	Info: info("hr.trial_hearing", kT, lbl("Visit to a trial hearing", "Praćenje rasprave"),
		caseNumber(),
		sdk.IndicatorField(kT, "court").Require(),
		article(articlesV1, false),
		sdk.IndicatorField(kT, "date").Require(),
		sdk.IndicatorField(kT, "hearing_held").Require(),
		sdk.IndicatorField(kT, "public"),
		sdk.IndicatorField(kT, "interpreter_needed"),
		sdk.IndicatorField(kT, "interpreter_provided"),
		sdk.IndicatorField(kT, "victim_present"),
		sdk.IndicatorField(kT, "victim_protective_measures"),
		sdk.IndicatorField(kT, "duration_minutes"),
		sdk.IndicatorField(kT, "adjourned_reason"),
		sdk.NotesField("notes"),
	),
}

// policeCaseV1 is a case reported to the police that the monitor follows.
var policeCaseV1 = sdk.Spec{
	Info: info("hr.police_case", kP, lbl("Police case", "Policijski predmet"),
		caseNumber(),
		sdk.Field{ID: "police_unit", Type: sdk.TypeString, MaxLen: 120,
			Label: lbl("Police administration", "Policijska uprava"), Help: lbl("E.g. PU zagrebačka", "Npr. PU zagrebačka")},
		article(articlesV1, false),
		sdk.IndicatorField(kP, "opened_date").Require(),
		sdk.IndicatorField(kP, "referral_source"),
		sdk.IndicatorField(kP, "stage").Require(),
		sdk.IndicatorField(kP, "suspects"),
		sdk.IndicatorField(kP, "victims_identified"),
		sdk.IndicatorField(kP, "cross_border"),
		sdk.IndicatorField(kP, "information_requests_sent"),
		sdk.IndicatorField(kP, "information_requests_answered"),
		sdk.NotesField("notes"),
	),
	Rules: []sdk.Rule{sdk.NotMoreThan("information_requests_answered", "information_requests_sent")},
}

// identifiers are the bodies of Croatia's national referral system that
// take part in identifying a victim; the formal identification is the
// police's.
var identifiers = []struct {
	value, common string
	label         sdk.Label
}{
	{"police", "police", lbl("Police (Ministry of the Interior)", "Policija (Ministarstvo unutarnjih poslova)")},
	{"social_work", "social_welfare", lbl("Croatian Institute for Social Work", "Hrvatski zavod za socijalni rad")},
	{"mobile_team", "referral_team", lbl("Mobile team of the national referral system", "Mobilni tim nacionalnog sustava upućivanja")},
	{"prosecution", "prosecution", lbl("State Attorney's Office", "Državno odvjetništvo")},
	{"ngo", "ngo", lbl("Civil-society organisation", "Organizacija civilnoga društva")},
	{"other", "other", lbl("Other", "Drugo")},
}

func identifiedBy() sdk.Field {
	f := sdk.Field{ID: "identifying_body", Type: sdk.TypeChoice,
		Label: lbl("Body that identified the victim", "Tijelo koje je identificiralo žrtvu")}
	for _, id := range identifiers {
		f.Options = append(f.Options, sdk.Option{Value: id.value, Label: id.label})
	}
	return f
}

// victimSupportV1 is support given to one victim, from identification to
// (re)integration.
var victimSupportV1 = sdk.Spec{
	Info: info("hr.victim_support", kV, lbl("Support to a victim", "Podrška žrtvi"),
		sdk.Field{ID: "victim_code", Type: sdk.TypeString, MaxLen: 40, Personal: true,
			Label: lbl("Victim's code in your records", "Šifra žrtve u vašoj evidenciji"),
			Help:  lbl("Never a name. Stays on this node.", "Nikada ime. Ostaje na ovom čvoru.")},
		sdk.IndicatorField(kV, "victim_status").Require(),
		identifiedBy(),
		sdk.Field{ID: "identification_date", Type: sdk.TypeDate, Label: lbl("Date of identification", "Datum identifikacije")},
		sdk.IndicatorField(kV, "age_group").Require(),
		sdk.IndicatorField(kV, "sex"),
		sdk.IndicatorField(kV, "services"),
		sdk.IndicatorField(kV, "individual_plan"),
		sdk.IndicatorField(kV, "outcome"),
		sdk.NotesField("notes"),
	),
	Rules: []sdk.Rule{sdk.OnlyWhen("identifying_body", "victim_status", "identified", "not_identified")},
	Map:   mapVictimSupport,
}

func mapVictimSupport(fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error) {
	c := sdk.MapByName(fi, a)
	body, _ := a["identifying_body"].(string)
	for _, id := range identifiers {
		if id.value == body {
			c["identified_by"] = id.common
		}
	}
	return c, nil
}

// legislationV1 is a bill, law or bylaw touching trafficking.
var legislationV1 = sdk.Spec{
	Info: info("hr.legislation", kL, lbl("Legislation", "Propisi"),
		sdk.IndicatorField(kL, "identifier").Require().
			WithHelp(lbl("Title of the act, e.g. Zakon o izmjenama i dopunama Kaznenog zakona", "Naziv akta, npr. Zakon o izmjenama i dopunama Kaznenog zakona")),
		sdk.IndicatorField(kL, "type").Require(),
		sdk.IndicatorField(kL, "stage").Require(),
		sdk.IndicatorField(kL, "stage_date").Require(),
		sdk.Field{ID: "gazette", Type: sdk.TypeString, MaxLen: 60,
			Label: lbl("Narodne novine number", "Broj Narodnih novina"), Help: lbl("E.g. 36/24", "Npr. 36/24")},
		sdk.IndicatorField(kL, "greta_recommendation"),
		sdk.NotesField("notes"),
	),
}

// engagementV1 is a meeting with a ministry, parliament or another body.
var engagementV1 = sdk.Spec{
	Info: info("hr.engagement", kE, lbl("Meeting with a public body", "Sastanak s institucijom"),
		sdk.IndicatorField(kE, "date").Require(),
		sdk.IndicatorField(kE, "body").Require(),
		sdk.Field{ID: "institution", Type: sdk.TypeString, MaxLen: 160,
			Label: lbl("Name of the institution", "Naziv institucije"), Help: lbl("E.g. Ured za ljudska prava i prava nacionalnih manjina", "Npr. Ured za ljudska prava i prava nacionalnih manjina")},
		sdk.IndicatorField(kE, "purpose").Require(),
		sdk.Field{ID: "participants", Type: sdk.TypeInt, Min: ptr(1), Max: ptr(500),
			Label: lbl("Number of participants", "Broj sudionika")},
		sdk.NotesField("notes"),
	),
}
