package ba

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
	Info: info("ba.trial_hearing", kT, lbl("Visit to a trial hearing", "Praćenje ročišta"),
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
	Rules: []sdk.Rule{articleOfJurisdiction(articlesV1)},
}

// policeCaseV1 is a case reported to the police that the monitor follows.
var policeCaseV1 = sdk.Spec{
	Info: info("ba.police_case", kP, lbl("Police case", "Policijski predmet"),
		caseNumber(),
		sdk.Field{ID: "police_unit", Type: sdk.TypeString, MaxLen: 120,
			Label: lbl("Police agency", "Policijska agencija"), Help: lbl("E.g. SIPA, MUP Kantona Sarajevo", "Npr. SIPA, MUP Kantona Sarajevo")},
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
	Rules: []sdk.Rule{
		articleOfJurisdiction(articlesV1),
		sdk.NotMoreThan("information_requests_answered", "information_requests_sent"),
	},
}

// identifiers are the bodies that identify victims in Bosnia and
// Herzegovina. A victim needs official recognition, by the police or the
// prosecutor, before the state's support is open to them; foreign victims
// are recognised through the Service for Foreigners' Affairs.
var identifiers = []struct {
	value, common string
	label         sdk.Label
}{
	{"police", "police", lbl("Police (SIPA, Border Police, entity and cantonal ministries of the interior)", "Policija (SIPA, Granična policija, entitetski i kantonalni MUP-ovi)")},
	{"prosecution", "prosecution", lbl("Prosecutor's office", "Tužilaštvo")},
	{"social_work", "social_welfare", lbl("Centre for social work", "Centar za socijalni rad")},
	{"monitoring_team", "referral_team", lbl("Regional monitoring team", "Regionalni monitoring tim")},
	{"foreigners_service", "other", lbl("Service for Foreigners' Affairs", "Služba za poslove sa strancima")},
	{"ngo", "ngo", lbl("Civil-society organisation", "Nevladina organizacija")},
	{"other", "other", lbl("Other", "Drugo")},
}

func identifiedBy() sdk.Field {
	f := sdk.Field{ID: "identifying_body", Type: sdk.TypeChoice,
		Label: lbl("Body that recognised the victim", "Organ koji je priznao status žrtve")}
	for _, id := range identifiers {
		f.Options = append(f.Options, sdk.Option{Value: id.value, Label: id.label})
	}
	return f
}

// victimSupportV1 is support given to one victim, from identification to
// (re)integration.
var victimSupportV1 = sdk.Spec{
	Info: info("ba.victim_support", kV, lbl("Support to a victim", "Podrška žrtvi"),
		sdk.Field{ID: "victim_code", Type: sdk.TypeString, MaxLen: 40, Personal: true,
			Label: lbl("Victim's code in your records", "Šifra žrtve u vašoj evidenciji"),
			Help:  lbl("Never a name. Stays on this node.", "Nikada ime. Ostaje na ovom čvoru.")},
		sdk.IndicatorField(kV, "victim_status").Require(),
		identifiedBy(),
		sdk.Field{ID: "identification_date", Type: sdk.TypeDate, Label: lbl("Date of recognition", "Datum priznavanja statusa")},
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

// legislationV1 is a bill, law or bylaw touching trafficking, at the level
// of the state, an entity or Brčko District.
var legislationV1 = sdk.Spec{
	Info: info("ba.legislation", kL, lbl("Legislation", "Propisi"),
		sdk.IndicatorField(kL, "identifier").Require().
			WithHelp(lbl("Title of the act, e.g. Zakon o izmjenama i dopunama Krivičnog zakona Federacije BiH", "Naziv akta, npr. Zakon o izmjenama i dopunama Krivičnog zakona Federacije BiH")),
		sdk.IndicatorField(kL, "type").Require(),
		sdk.IndicatorField(kL, "stage").Require(),
		sdk.IndicatorField(kL, "stage_date").Require(),
		sdk.Field{ID: "gazette", Type: sdk.TypeString, MaxLen: 60,
			Label: lbl("Official gazette number", "Broj službenog glasnika"), Help: lbl("E.g. Službene novine FBiH 46/16", "Npr. Službene novine FBiH 46/16")},
		sdk.IndicatorField(kL, "greta_recommendation"),
		sdk.NotesField("notes"),
	),
}

// engagementV1 is a meeting with a ministry, parliament or another body.
var engagementV1 = sdk.Spec{
	Info: info("ba.engagement", kE, lbl("Meeting with a public body", "Sastanak s institucijom"),
		sdk.IndicatorField(kE, "date").Require(),
		sdk.IndicatorField(kE, "body").Require(),
		sdk.Field{ID: "institution", Type: sdk.TypeString, MaxLen: 160,
			Label: lbl("Name of the institution", "Naziv institucije"), Help: lbl("E.g. Ministarstvo sigurnosti BiH", "Npr. Ministarstvo sigurnosti BiH")},
		sdk.IndicatorField(kE, "purpose").Require(),
		sdk.Field{ID: "participants", Type: sdk.TypeInt, Min: ptr(1), Max: ptr(500),
			Label: lbl("Number of participants", "Broj učesnika")},
		sdk.NotesField("notes"),
	),
}
