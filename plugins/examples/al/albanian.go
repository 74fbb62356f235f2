package main

import (
	"fmt"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// lbl labels a form text in English and Albanian.
func lbl(en, sq string) sdk.Label { return sdk.Label{"en": en, "sq": sq} }

// ind returns the field that asks for a common indicator directly (see
// sdk.IndicatorField), labelled in English and Albanian. The catalogue
// carries the English text and the languages of the built-in countries;
// this form keeps English and adds Albanian from the tables below. It
// panics on an indicator or option without an Albanian text: forms are
// built when the program starts, so a gap fails every test at once.
func ind(k sdk.Kind, name string) sdk.Field {
	f := sdk.IndicatorField(k, name)
	sq, ok := sqFields[k][name]
	if !ok {
		panic(fmt.Sprintf("no Albanian label for indicator %s.%s", k, name))
	}
	f.Label = lbl(f.Label["en"], sq)
	f.Help = nil
	for i, o := range f.Options {
		sq, ok := sqOptions[k][name][o.Value]
		if !ok {
			panic(fmt.Sprintf("no Albanian label for option %s of indicator %s.%s", o.Value, k, name))
		}
		f.Options[i].Label = lbl(o.Label["en"], sq)
	}
	return f
}

var sqFields = map[sdk.Kind]map[string]string{
	sdk.KindJudgment: {
		"court_level":                      "Shkalla e gjykatës",
		"indictment_date":                  "Data e aktakuzës",
		"decision_date":                    "Data e vendimit",
		"exploitation":                     "Forma e shfrytëzimit",
		"defendants":                       "Numri i të pandehurve",
		"victims":                          "Numri i viktimave",
		"child_victims":                    "Numri i viktimave të mitura",
		"verdict":                          "Lloji i vendimit",
		"sentence_months":                  "Dënimi me burgim (muaj)",
		"below_statutory_minimum":          "Dënim nën minimumin ligjor",
		"compensation_claimed":             "Viktima kërkoi dëmshpërblim",
		"compensation_decision":            "Vendimi për kërkesën për dëmshpërblim",
		"compensation_awarded_eur":         "Dëmshpërblimi i caktuar (EUR)",
		"compensation_paid":                "Dëmshpërblimi u pagua",
		"assets_frozen":                    "Pasuri e sekuestruar ose e ngrirë",
		"assets_confiscated_eur":           "Pasuri e konfiskuar (EUR)",
		"victim_testimonies":               "Sa herë u dëgjua viktima",
		"victim_confronted_with_defendant": "Viktima u ballafaqua me të pandehurin",
		"victim_questioning":               "Si u dëgjua viktima",
		"victim_legal_representative":      "Viktima kishte përfaqësues ligjor",
		"victim_prosecuted":                "Viktima u ndoq penalisht për një vepër të kryer si viktimë trafikimi",
		"international_law_cited":          "E drejta ndërkombëtare e cituar",
	},
	sdk.KindTrialHearing: {
		"date":                       "Data e seancës",
		"court":                      "Gjykata",
		"hearing_held":               "Seanca u zhvillua",
		"public":                     "Seanca ishte publike",
		"interpreter_needed":         "Nevojitej përkthyes",
		"interpreter_provided":       "U sigurua përkthyes",
		"victim_present":             "Viktima ishte e pranishme",
		"victim_protective_measures": "U zbatuan masa mbrojtëse për viktimën",
		"duration_minutes":           "Kohëzgjatja (minuta)",
		"adjourned_reason":           "Arsyeja e shtyrjes",
	},
	sdk.KindPoliceCase: {
		"opened_date":                   "Data e hapjes së çështjes",
		"referral_source":               "Kush e raportoi çështjen",
		"stage":                         "Faza",
		"suspects":                      "Numri i të dyshuarve",
		"victims_identified":            "Numri i viktimave të identifikuara",
		"cross_border":                  "Çështje ndërkufitare",
		"information_requests_sent":     "Kërkesa për informacion të dërguara",
		"information_requests_answered": "Kërkesa për informacion që morën përgjigje",
	},
	sdk.KindVictimSupport: {
		"victim_status":   "Statusi i viktimës",
		"identified_by":   "Identifikuar nga",
		"age_group":       "Grupmosha",
		"sex":             "Gjinia",
		"services":        "Shërbimet e ofruara",
		"individual_plan": "U hartua një plan individual mbështetjeje",
		"outcome":         "Rezultati",
	},
	sdk.KindLegislation: {
		"identifier":           "Akti ose projektligji",
		"type":                 "Lloji i aktit",
		"stage":                "Faza",
		"stage_date":           "Data e fazës",
		"greta_recommendation": "Zbaton një rekomandim të GRETA-s",
	},
	sdk.KindEngagement: {
		"date":    "Data e takimit",
		"body":    "Institucioni i takuar",
		"purpose": "Qëllimi",
	},
}

var sqOptions = map[sdk.Kind]map[string]map[string]string{
	sdk.KindJudgment: {
		"court_level": {"first_instance": "Shkalla e parë", "appeal": "Apel (shkalla e dytë)", "supreme": "Gjykata e Lartë"},
		"exploitation": {"sexual": "Shfrytëzim seksual", "labour": "Shfrytëzim për punë", "begging": "Lypje e detyruar",
			"criminality": "Kryerje e detyruar veprash penale", "forced_marriage": "Martesë e detyruar", "organ": "Heqje organesh",
			"adoption": "Birësim i paligjshëm", "multiple": "Disa forma"},
		"verdict": {"convicted": "Dënim", "acquitted": "Pafajësi", "dismissed": "Pushim i akuzës",
			"plea_agreement": "Vendim mbi marrëveshjen me prokurorin"},
		"compensation_decision": {"awarded": "U pranua plotësisht", "partial": "U pranua pjesërisht",
			"referred_to_civil": "U dërgua në gjykim civil", "rejected": "U rrëzua", "undecided": "Nuk u vendos"},
		"victim_questioning": {"in_court": "Në sallën e gjyqit", "video_link": "Me video-lidhje",
			"prior_recorded": "U luajt regjistrimi i një deklarate të mëparshme", "separate_room": "Nga një dhomë e veçantë",
			"not_heard": "Nuk u dëgjua"},
		"international_law_cited": {"palermo": "Protokolli i Palermos (OKB)",
			"coe_convention": "Konventa e Këshillit të Evropës për Veprimin kundër Trafikimit të Qenieve Njerëzore",
			"echr_art4":      "Konventa Evropiane e të Drejtave të Njeriut, neni 4", "eu_directive_2011_36": "Direktiva 2011/36/BE"},
	},
	sdk.KindTrialHearing: {
		"adjourned_reason": {"defendant_absent": "Mungesë e të pandehurit", "defence_absent": "Mungesë e mbrojtësit",
			"victim_absent": "Mungesë e viktimës", "witness_absent": "Mungesë e dëshmitarit", "interpreter_absent": "Mungesë e përkthyesit",
			"court_reasons": "Arsye nga ana e gjykatës", "evidence_pending": "Prova në pritje (ekspertizë, dokumente)", "other": "Tjetër"},
	},
	sdk.KindPoliceCase: {
		"referral_source": {"police": "Policia, me nismën e vet", "social_welfare": "Shërbimi social",
			"ngo": "Organizatë e shoqërisë civile", "self": "Viktima", "other": "Tjetër"},
		"stage": {"report": "Kallëzim penal", "investigation": "Hetim", "indictment": "Aktakuzë e paraqitur",
			"closed_no_charge": "Mbyllur pa akuzë"},
	},
	sdk.KindVictimSupport: {
		"victim_status": {"potential": "Viktimë e mundshme", "identified": "Viktimë e identifikuar zyrtarisht",
			"not_identified": "Nuk u identifikua si viktimë"},
		"identified_by": {"specialised_body": "Organ shtetëror i specializuar për viktimat e trafikimit",
			"social_welfare": "Shërbimi social", "police": "Policia", "prosecution": "Prokuroria",
			"referral_team": "Ekip shumë-institucional (mekanizmi i referimit, ekip i lëvizshëm)",
			"ngo":           "Organizatë e shoqërisë civile", "other": "Tjetër"},
		"age_group": {"child": "Fëmijë (nën 18 vjeç)", "adult": "I rritur"},
		"sex":       {"female": "Femër", "male": "Mashkull", "other": "Tjetër"},
		"services": {"shelter": "Strehim", "medical": "Kujdes mjekësor", "psychological": "Mbështetje psikologjike",
			"legal_aid": "Ndihmë juridike", "education": "Arsim dhe formim", "financial": "Mbështetje financiare",
			"repatriation": "Kthim i asistuar"},
		"outcome": {"reintegrated": "(Ri)integruar", "repatriated": "Kthyer në vendin e origjinës", "lost_contact": "Kontakti u humb",
			"re_trafficked": "Trafikuar sërish", "ongoing": "Mbështetja vazhdon"},
	},
	sdk.KindLegislation: {
		"type": {"criminal_code": "Kodi penal", "criminal_procedure": "Kodi i procedurës penale",
			"victim_compensation": "Ligj për dëmshpërblimin e viktimave", "bylaw": "Akt nënligjor", "strategy": "Strategji ose plan veprimi"},
		"stage": {"draft": "Projekt", "consultation": "Konsultim publik", "parliament": "Në Kuvend", "adopted": "Miratuar",
			"in_force": "Në fuqi", "repealed": "Shfuqizuar"},
	},
	sdk.KindEngagement: {
		"body": {"ministry_interior": "Ministria e Brendshme", "ministry_justice": "Ministria e Drejtësisë", "parliament": "Kuvendi",
			"prosecution": "Prokuroria", "court": "Gjykata", "social_welfare": "Shërbimi social", "other": "Tjetër"},
		"purpose": {"findings": "Paraqitje e gjetjeve të monitorimit", "recommendations": "Avokim për rekomandimet",
			"training": "Trajnim", "other": "Tjetër"},
	},
}
