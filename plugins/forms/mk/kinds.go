package mk

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
	Info: info("mk.trial_hearing", kT, lbl("Visit to a trial hearing", "Следење на рочиште"),
		caseNumber(),
		sdk.IndicatorField(kT, "court").Require(),
		article(false),
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
	Info: info("mk.police_case", kP, lbl("Police case", "Полициски предмет"),
		caseNumber(),
		sdk.Field{ID: "police_unit", Type: sdk.TypeString, MaxLen: 120,
			Label: lbl("Police unit", "Полициска единица"), Help: lbl("E.g. СВР Скопје", "На пр. СВР Скопје")},
		article(false),
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

// identifiers are the bodies that identify victims in North Macedonia:
// the national operational team recognises a victim formally; mobile
// teams of social workers and civil-society organisations find and refer
// them.
var identifiers = []struct {
	value, common string
	label         sdk.Label
}{
	{"operational_team", "specialised_body", lbl("Operational team for identification of trafficking victims", "Оперативен тим за идентификација на жртви на трговија со луѓе")},
	{"mobile_team", "referral_team", lbl("Mobile team", "Мобилен тим")},
	{"police", "police", lbl("Police (Ministry of the Interior)", "Полиција (Министерство за внатрешни работи)")},
	{"social_work", "social_welfare", lbl("Centre for social work", "Центар за социјална работа")},
	{"prosecution", "prosecution", lbl("Public prosecutor's office", "Јавно обвинителство")},
	{"ngo", "ngo", lbl("Civil-society organisation", "Граѓанска организација")},
	{"other", "other", lbl("Other", "Друго")},
}

func identifiedBy() sdk.Field {
	f := sdk.Field{ID: "identifying_body", Type: sdk.TypeChoice,
		Label: lbl("Body that identified the victim", "Тело што ја идентификувало жртвата")}
	for _, id := range identifiers {
		f.Options = append(f.Options, sdk.Option{Value: id.value, Label: id.label})
	}
	return f
}

// victimSupportV1 is support given to one victim, from identification to
// (re)integration.
var victimSupportV1 = sdk.Spec{
	Info: info("mk.victim_support", kV, lbl("Support to a victim", "Поддршка на жртва"),
		sdk.Field{ID: "victim_code", Type: sdk.TypeString, MaxLen: 40, Personal: true,
			Label: lbl("Victim's code in your records", "Шифра на жртвата во вашата евиденција"),
			Help:  lbl("Never a name. Stays on this node.", "Никогаш име. Останува на овој јазол.")},
		sdk.IndicatorField(kV, "victim_status").Require(),
		identifiedBy(),
		sdk.Field{ID: "identification_date", Type: sdk.TypeDate, Label: lbl("Date of identification", "Датум на идентификација")},
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
	Info: info("mk.legislation", kL, lbl("Legislation", "Прописи"),
		sdk.IndicatorField(kL, "identifier").Require().
			WithHelp(lbl("Title of the act, e.g. Закон за изменување и дополнување на Кривичниот законик", "Назив на актот, на пр. Закон за изменување и дополнување на Кривичниот законик")),
		sdk.IndicatorField(kL, "type").Require(),
		sdk.IndicatorField(kL, "stage").Require(),
		sdk.IndicatorField(kL, "stage_date").Require(),
		sdk.Field{ID: "gazette", Type: sdk.TypeString, MaxLen: 60,
			Label: lbl("Official Gazette number", "Број на Службен весник"), Help: lbl("E.g. 248/2018", "На пр. 248/2018")},
		sdk.IndicatorField(kL, "greta_recommendation"),
		sdk.NotesField("notes"),
	),
}

// engagementV1 is a meeting with a ministry, parliament or another body.
var engagementV1 = sdk.Spec{
	Info: info("mk.engagement", kE, lbl("Meeting with a public body", "Средба со институција"),
		sdk.IndicatorField(kE, "date").Require(),
		sdk.IndicatorField(kE, "body").Require(),
		sdk.Field{ID: "institution", Type: sdk.TypeString, MaxLen: 160,
			Label: lbl("Name of the institution", "Назив на институцијата"), Help: lbl("E.g. Министерство за правда", "На пр. Министерство за правда")},
		sdk.IndicatorField(kE, "purpose").Require(),
		sdk.Field{ID: "participants", Type: sdk.TypeInt, Min: ptr(1), Max: ptr(500),
			Label: lbl("Number of participants", "Број на учесници")},
		sdk.NotesField("notes"),
	),
}
