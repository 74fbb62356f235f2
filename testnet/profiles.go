package testnet

// Profile is how the realistic synthetic records of one country are
// distributed (SeedRealistic). The figures are illustrative: chosen to be
// plausible beside what public sources describe (GRETA's country
// evaluations, ASTRA's analyses of Serbian judgments, the US TIP
// reports), and to differ between countries the way those sources say
// they do (plea agreements common in Bosnia and Herzegovina and Croatia,
// long proceedings in Serbia, high minimum terms in North Macedonia).
// They are not statistics of any country: never cite them.
//
// Categorical indicators are allocated by quota (largest remainder over
// the records, then shuffled with the seed), so that a category's count
// depends on the number of records and not on luck: at the default 100
// judgments per country every category of 5 % or more has at least 5
// records, and the report's main cells are above k = 5. Numbers are
// drawn from log-normal distributions given by their median and the
// spread σ of their logarithm, rounded and clamped.
//
// Per partner node, for --records N judgments: N trial hearings, N/2
// police cases, N/2 victim-support records, N/6 legislative events and
// N/12 meetings with public authorities (at least 1 of each). Dates are
// uniform over the period (Options.From..To, 2015-01-01..2016-12-31 by
// default); victim-support records have no event date.
type Profile struct {
	Country string

	// Judgments.
	CourtLevel   Weights // first_instance, appeal, supreme
	Offence      Weights // among the offences the country's form can express
	Exploitation Weights
	Verdict      Weights
	// SentenceMonths is a conviction's prison term; a plea agreement's is
	// PleaFactor of it. MinimumMonths is the statutory minimum the
	// below_statutory_minimum indicator compares with.
	SentenceMonths LogNormal
	PleaFactor     float64
	MinimumMonths  int
	// ProceedingsDays is from the indictment to the decision.
	ProceedingsDays      LogNormal
	CompensationClaimed  float64 // share of judgments
	CompensationDecision Weights // among the claims
	AwardEUR             LogNormal
	CompensationPaid     float64 // share of the awards (full or partial)
	AssetsFrozen         float64
	Confiscated          float64 // share of convictions and plea agreements with assets confiscated
	ConfiscatedEUR       LogNormal
	Questioning          Weights
	Confronted           float64
	Representative       float64
	Prosecuted           float64
	CitesInternational   float64
	SubJurisdiction      Weights // Bosnia and Herzegovina's four codes; empty elsewhere

	// Trial hearings.
	HearingHeld     float64
	Adjourned       Weights // reasons, among the hearings not held
	Protective      float64
	HearingMinutes  LogNormal
	InterpreterNeed float64

	// Police cases.
	PoliceStage Weights
	Referral    Weights
	CrossBorder float64

	// Victim support.
	VictimStatus Weights
	IdentifiedBy Weights // common values; the form's own body is found by probing
	ChildVictim  float64
	Shelter      float64

	// Legislation and meetings.
	LegislationStage Weights
	LegislationType  Weights
	Body             Weights
	Purpose          Weights

	// Courts and Acts are public names the synthetic records carry (the
	// court of a hearing, the act a legislative event concerns).
	Courts []string
	Acts   []string
}

// Weights are the relative frequencies of an enum's values.
type Weights []Weight

// Weight is one value's relative frequency.
type Weight struct {
	Value  string
	Weight float64
}

// LogNormal is a log-normal distribution: its median and the standard
// deviation σ of its logarithm; values are clamped to Min..Max.
type LogNormal struct {
	Median, Sigma, Min, Max float64
}

// baseProfile holds what the four countries share.
func baseProfile() Profile {
	return Profile{
		CourtLevel:           Weights{{"first_instance", .75}, {"appeal", .25}},
		Offence:              Weights{{"thb", .70}, {"thb_child", .15}, {"mediation_prostitution", .10}, {"slavery", .05}},
		Exploitation:         Weights{{"sexual", .55}, {"labour", .20}, {"begging", .10}, {"multiple", .10}, {"forced_marriage", .05}},
		SentenceMonths:       LogNormal{Median: 48, Sigma: .45, Min: 3, Max: 240},
		PleaFactor:           .75,
		MinimumMonths:        36,
		ProceedingsDays:      LogNormal{Median: 600, Sigma: .5, Min: 30, Max: 2500},
		CompensationClaimed:  .35,
		CompensationDecision: Weights{{"awarded", .35}, {"partial", .15}, {"referred_to_civil", .35}, {"rejected", .10}, {"undecided", .05}},
		AwardEUR:             LogNormal{Median: 5000, Sigma: .8, Min: 200, Max: 200000},
		CompensationPaid:     .5,
		AssetsFrozen:         .25,
		Confiscated:          .4,
		ConfiscatedEUR:       LogNormal{Median: 15000, Sigma: 1, Min: 500, Max: 2000000},
		Questioning:          Weights{{"in_court", .40}, {"video_link", .20}, {"prior_recorded", .15}, {"separate_room", .15}, {"not_heard", .10}},
		Confronted:           .25,
		Representative:       .60,
		Prosecuted:           .10,
		CitesInternational:   .30,

		HearingHeld:     .65,
		Adjourned:       Weights{{"defendant_absent", .35}, {"witness_absent", .25}, {"victim_absent", .20}, {"evidence_pending", .20}},
		Protective:      .40,
		HearingMinutes:  LogNormal{Median: 60, Sigma: .5, Min: 10, Max: 480},
		InterpreterNeed: .15,

		PoliceStage: Weights{{"report", .30}, {"investigation", .30}, {"indictment", .25}, {"closed_no_charge", .15}},
		Referral:    Weights{{"police", .40}, {"ngo", .25}, {"social_welfare", .20}, {"self", .10}, {"other", .05}},
		CrossBorder: .35,

		VictimStatus: Weights{{"identified", .55}, {"potential", .30}, {"not_identified", .15}},
		IdentifiedBy: Weights{{"specialised_body", .45}, {"social_welfare", .25}, {"police", .20}, {"ngo", .10}},
		ChildVictim:  .30,
		Shelter:      .50,

		LegislationStage: Weights{{"in_force", .40}, {"parliament", .30}, {"draft", .10}, {"consultation", .10}, {"adopted", .10}},
		LegislationType:  Weights{{"criminal_code", .30}, {"bylaw", .30}, {"strategy", .20}, {"criminal_procedure", .10}, {"victim_compensation", .10}},
		Body:             Weights{{"ministry_justice", .30}, {"ministry_interior", .25}, {"parliament", .20}, {"prosecution", .10}, {"social_welfare", .10}, {"court", .05}},
		Purpose:          Weights{{"findings", .40}, {"recommendations", .40}, {"training", .20}},
	}
}

// Profiles are the four partner countries' distributions.
var Profiles = map[string]Profile{
	"RS": func() Profile {
		p := baseProfile()
		p.Country = "RS"
		p.Courts = []string{"Viši sud u Beogradu", "Viši sud u Novom Sadu", "Viši sud u Nišu", "Apelacioni sud u Beogradu"}
		p.Acts = []string{"Krivični zakonik", "Zakonik o krivičnom postupku", "Strategija prevencije i suzbijanja trgovine ljudima"}
		p.Verdict = Weights{{"convicted", .55}, {"plea_agreement", .20}, {"acquitted", .15}, {"dismissed", .10}}
		p.ProceedingsDays.Median = 900
		p.Confronted, p.Representative, p.Prosecuted, p.CitesInternational = .30, .55, .08, .25
		p.Protective, p.CrossBorder, p.HearingHeld, p.Shelter, p.ChildVictim = .35, .40, .55, .55, .35
		p.Offence = Weights{{"thb", .65}, {"thb_child", .15}, {"mediation_prostitution", .10}, {"slavery", .05}, {"smuggling", .05}}
		return p
	}(),
	"HR": func() Profile {
		p := baseProfile()
		p.Country = "HR"
		p.Courts = []string{"Županijski sud u Zagrebu", "Županijski sud u Splitu", "Županijski sud u Osijeku", "Visoki kazneni sud"}
		p.Acts = []string{"Kazneni zakon", "Zakon o kaznenom postupku", "Nacionalni plan za suzbijanje trgovanja ljudima"}
		p.Verdict = Weights{{"convicted", .50}, {"plea_agreement", .25}, {"acquitted", .15}, {"dismissed", .10}}
		p.SentenceMonths.Median, p.MinimumMonths = 36, 12 // art. 106: 1 to 10 years
		p.ProceedingsDays.Median = 600
		p.CompensationClaimed, p.AssetsFrozen = .45, .30
		p.Confronted, p.Representative, p.Prosecuted, p.CitesInternational = .15, .75, .05, .45
		p.Protective, p.CrossBorder, p.HearingHeld, p.Shelter, p.ChildVictim = .55, .30, .65, .45, .25
		p.Exploitation = Weights{{"sexual", .45}, {"labour", .30}, {"begging", .10}, {"multiple", .10}, {"forced_marriage", .05}}
		p.IdentifiedBy = Weights{{"police", .45}, {"referral_team", .25}, {"social_welfare", .20}, {"ngo", .10}}
		return p
	}(),
	"BA": func() Profile {
		p := baseProfile()
		p.Country = "BA"
		p.Courts = []string{"Sud Bosne i Hercegovine", "Kantonalni sud u Sarajevu", "Okružni sud u Banjoj Luci", "Osnovni sud Brčko distrikta"}
		p.Acts = []string{"Krivični zakon Bosne i Hercegovine", "Krivični zakon Federacije BiH", "Strategija suprotstavljanja trgovini ljudima"}
		p.Verdict = Weights{{"plea_agreement", .45}, {"convicted", .35}, {"acquitted", .10}, {"dismissed", .10}}
		p.SentenceMonths.Median = 40
		p.ProceedingsDays.Median = 420
		p.Offence = Weights{{"thb", .75}, {"thb_child", .20}, {"other", .05}} // what the four codes' articles map onto
		p.CompensationClaimed, p.AssetsFrozen = .30, .35
		p.Confronted, p.Representative, p.Prosecuted, p.CitesInternational = .35, .40, .12, .20
		p.Protective, p.CrossBorder, p.HearingHeld, p.Shelter, p.ChildVictim = .30, .45, .50, .60, .35
		p.Exploitation = Weights{{"sexual", .50}, {"begging", .20}, {"labour", .15}, {"forced_marriage", .10}, {"multiple", .05}}
		p.SubJurisdiction = Weights{{"state", .25}, {"fbih", .35}, {"rs", .30}, {"brcko", .10}}
		p.IdentifiedBy = Weights{{"police", .50}, {"prosecution", .30}, {"social_welfare", .20}}
		return p
	}(),
	"MK": func() Profile {
		p := baseProfile()
		p.Country = "MK"
		p.Courts = []string{"Основен кривичен суд Скопје", "Основен суд Битола", "Апелационен суд Скопје"}
		p.Acts = []string{"Кривичен законик", "Закон за кривичната постапка", "Национална стратегија за борба против трговијата со луѓе"}
		p.Verdict = Weights{{"convicted", .60}, {"acquitted", .15}, {"plea_agreement", .15}, {"dismissed", .10}}
		p.SentenceMonths.Median, p.MinimumMonths = 60, 48 // art. 418-a: at least 4 years
		p.ProceedingsDays.Median = 360
		p.Confronted, p.Representative, p.Prosecuted, p.CitesInternational = .20, .50, .10, .35
		p.Protective, p.CrossBorder, p.HearingHeld, p.Shelter, p.ChildVictim = .45, .50, .60, .50, .40
		p.Exploitation = Weights{{"sexual", .60}, {"labour", .15}, {"begging", .10}, {"forced_marriage", .10}, {"multiple", .05}}
		p.Offence = Weights{{"thb", .65}, {"thb_child", .20}, {"smuggling", .10}, {"mediation_prostitution", .05}}
		p.IdentifiedBy = Weights{{"referral_team", .50}, {"social_welfare", .25}, {"police", .15}, {"ngo", .10}}
		return p
	}(),
}
