package sdk

// IndicatorType is the type of a common indicator's values.
type IndicatorType string

// Indicator types, with the Go type of their values in Common.
const (
	IndicatorCount  IndicatorType = "count"  // whole number ≥ 0, int64
	IndicatorBool   IndicatorType = "bool"   // bool
	IndicatorEnum   IndicatorType = "enum"   // one value of Options, string
	IndicatorSet    IndicatorType = "set"    // distinct values of Options, []string
	IndicatorDate   IndicatorType = "date"   // "2006-01-02", string
	IndicatorDays   IndicatorType = "days"   // whole number of days ≥ 0, int64
	IndicatorMonths IndicatorType = "months" // whole number of months ≥ 0, int64
	IndicatorEUR    IndicatorType = "eur"    // amount in euros ≥ 0, float64
	IndicatorString IndicatorType = "string" // short public text (a court, a law's title), string
)

// Indicator is one common indicator: a value every country's form of a
// kind maps onto, so that records from different countries can be counted
// together. The catalogue (Indicators) is closed: a plugin cannot add to
// it, and the host refuses indicators outside it (CheckCommon).
type Indicator struct {
	Name  string        `json:"name"` // snake_case, unique within its kind
	Kind  Kind          `json:"kind"`
	Type  IndicatorType `json:"type"`
	Label Label         `json:"label"`
	// Options is the closed list of an enum or set indicator.
	Options []Option `json:"options,omitempty"`
	// Max is the largest value a count, days, months or eur indicator
	// accepts. It catches typing errors (a sentence of 1,200 years) and
	// caps what a misbehaving plugin can inject.
	Max float64 `json:"max,omitempty"`
	// Derived marks an indicator computed from others by
	// DeriveIndicators (proceedings_days); forms need not map it.
	Derived bool `json:"derived,omitempty"`
}

// Indicators returns the common indicators of kind k in a stable order, or
// nil for an unknown kind. The result is a copy: changing it changes
// nothing else.
func Indicators(k Kind) []Indicator {
	list, ok := catalogue[k]
	if !ok {
		return nil
	}
	out := make([]Indicator, len(list))
	for i, ind := range list {
		out[i] = ind.clone()
	}
	return out
}

// LookupIndicator returns the indicator called name of kind k.
func LookupIndicator(k Kind, name string) (Indicator, bool) {
	ind, ok := catalogueIndex[k][name]
	if !ok {
		return Indicator{}, false
	}
	return ind.clone(), true
}

// OptionValues returns the values of an enum or set indicator's closed
// list, in order.
func (ind Indicator) OptionValues() []string {
	vals := make([]string, len(ind.Options))
	for i, o := range ind.Options {
		vals[i] = o.Value
	}
	return vals
}

// OptionIndex returns the place of value in an enum or set indicator's
// closed list, from 0, or -1 when the list does not hold it. Unlike
// slices.Index(ind.OptionValues(), value) it allocates nothing.
func (ind Indicator) OptionIndex(value string) int {
	for i, o := range ind.Options {
		if o.Value == value {
			return i
		}
	}
	return -1
}

func (ind Indicator) clone() Indicator {
	c := ind
	c.Label = ind.Label.clone()
	if ind.Options != nil {
		c.Options = make([]Option, len(ind.Options))
		for i, o := range ind.Options {
			c.Options[i] = Option{Value: o.Value, Label: o.Label.clone()}
		}
	}
	return c
}

// Caps on indicator values (see Indicator.Max).
const (
	maxCount   = 100_000 // people, testimonies, requests in one record
	maxDays    = 36_500  // a hundred years
	maxMonths  = 600     // fifty years: longer than any term the four codes allow
	maxEUR     = 1e10    // ten billion euros
	maxMinutes = 24 * 60 // one hearing day
)

var (
	catalogue      map[Kind][]Indicator
	catalogueIndex map[Kind]map[string]Indicator
)

func init() {
	catalogue = map[Kind][]Indicator{
		KindJudgment:      judgmentIndicators(),
		KindTrialHearing:  trialHearingIndicators(),
		KindPoliceCase:    policeCaseIndicators(),
		KindVictimSupport: victimSupportIndicators(),
		KindLegislation:   legislationIndicators(),
		KindEngagement:    engagementIndicators(),
	}
	catalogueIndex = make(map[Kind]map[string]Indicator, len(catalogue))
	for k, list := range catalogue {
		idx := make(map[string]Indicator, len(list))
		for i := range list {
			list[i].Kind = k
			idx[list[i].Name] = list[i]
		}
		catalogueIndex[k] = idx
	}
}

// ind builds an indicator; Kind is filled in by init.
func ind(name string, t IndicatorType, label Label, opts ...Option) Indicator {
	i := Indicator{Name: name, Type: t, Label: label, Options: opts}
	switch t {
	case IndicatorCount:
		i.Max = maxCount
	case IndicatorDays:
		i.Max = maxDays
	case IndicatorMonths:
		i.Max = maxMonths
	case IndicatorEUR:
		i.Max = maxEUR
	}
	return i
}

func opt(value string, label Label) Option { return Option{Value: value, Label: label} }

// Labels shared by several closed lists.
var (
	lOther         = l6("Other", "Drugo", "Drugo", "Drugo", "Друго")
	lPolice        = l6("Police", "Policija", "Policija", "Policija", "Полиција")
	lSocialWelfare = l6("Social welfare centre", "Centar za socijalni rad", "Centar za socijalnu skrb", "Centar za socijalni rad", "Центар за социјална работа")
	lProsecution   = l6("Prosecutor's office", "Tužilaštvo", "Državno odvjetništvo", "Tužilaštvo", "Јавно обвинителство")
	lCourt         = l6("Court", "Sud", "Sud", "Sud", "Суд")
	lCSO           = l6("Civil-society organisation", "Organizacija civilnog društva", "Organizacija civilnoga društva", "Organizacija civilnog društva", "Граѓанска организација")
)

func judgmentIndicators() []Indicator {
	return []Indicator{
		ind("court_level", IndicatorEnum, l6("Court level", "Stepen suda", "Stupanj suda", "Stepen suda", "Степен на судот"),
			opt("first_instance", l6("First instance", "Prvostepeni sud", "Prvostupanjski sud", "Prvostepeni sud", "Првостепен суд")),
			opt("appeal", l6("Appeal (second instance)", "Drugostepeni (žalbeni) sud", "Drugostupanjski (žalbeni) sud", "Drugostepeni (žalbeni) sud", "Второстепен (апелационен) суд")),
			opt("supreme", l6("Supreme court", "Vrhovni sud", "Vrhovni sud", "Vrhovni sud", "Врховен суд")),
		),
		ind("indictment_date", IndicatorDate, l6("Date of the indictment", "Datum optužnice", "Datum optužnice", "Datum optužnice", "Датум на обвинителниот акт")),
		ind("decision_date", IndicatorDate, l6("Date of the decision", "Datum presude", "Datum presude", "Datum presude", "Датум на пресудата")),
		func() Indicator {
			i := ind("proceedings_days", IndicatorDays, l6("Length of proceedings (days from indictment to decision)",
				"Trajanje postupka (dana od optužnice do presude)", "Trajanje postupka (dana od optužnice do presude)",
				"Trajanje postupka (dana od optužnice do presude)", "Траење на постапката (денови од обвинителниот акт до пресудата)"))
			i.Derived = true
			return i
		}(),
		ind("offence", IndicatorEnum, l6("Offence", "Krivično delo", "Kazneno djelo", "Krivično djelo", "Кривично дело"),
			opt("thb", l6("Trafficking in human beings", "Trgovina ljudima", "Trgovanje ljudima", "Trgovina ljudima", "Трговија со луѓе")),
			opt("thb_child", l6("Trafficking in children", "Trgovina decom", "Trgovanje djecom", "Trgovina djecom", "Трговија со деца")),
			opt("slavery", l6("Slavery", "Ropstvo", "Ropstvo", "Ropstvo", "Ропство")),
			opt("mediation_prostitution", l6("Mediation in prostitution", "Posredovanje u vršenju prostitucije", "Podvođenje", "Navođenje na prostituciju", "Посредување во вршење проституција")),
			opt("smuggling", l6("Smuggling of migrants", "Krijumčarenje ljudi", "Krijumčarenje ljudi", "Krijumčarenje osoba", "Криумчарење мигранти")),
			opt("other", l6("Other offence", "Drugo krivično delo", "Drugo kazneno djelo", "Drugo krivično djelo", "Друго кривично дело")),
		),
		ind("exploitation", IndicatorEnum, l6("Form of exploitation", "Oblik eksploatacije", "Oblik iskorištavanja", "Oblik eksploatacije", "Форма на експлоатација"),
			opt("sexual", l6("Sexual exploitation", "Seksualna eksploatacija", "Seksualno iskorištavanje", "Seksualna eksploatacija", "Сексуална експлоатација")),
			opt("labour", l6("Labour exploitation", "Radna eksploatacija", "Radno iskorištavanje", "Radna eksploatacija", "Трудова експлоатација")),
			opt("begging", l6("Forced begging", "Prinudno prosjačenje", "Prisilno prosjačenje", "Prisilno prosjačenje", "Принудно питачење")),
			opt("criminality", l6("Forced criminality", "Prinuda na vršenje krivičnih dela", "Prisila na činjenje kaznenih djela", "Prisiljavanje na vršenje krivičnih djela", "Принуда на вршење кривични дела")),
			opt("forced_marriage", l6("Forced marriage", "Prinudni brak", "Prisilni brak", "Prisilni brak", "Принуден брак")),
			opt("organ", l6("Removal of organs", "Uzimanje organa", "Uzimanje dijelova ljudskog tijela", "Uzimanje organa", "Отстранување органи")),
			opt("adoption", l6("Illegal adoption", "Nezakonito usvojenje", "Nezakonito posvojenje", "Nezakonito usvojenje", "Незаконско посвојување")),
			opt("multiple", l6("Several forms", "Više oblika", "Više oblika", "Više oblika", "Повеќе форми")),
		),
		ind("defendants", IndicatorCount, l6("Number of defendants", "Broj okrivljenih", "Broj okrivljenika", "Broj optuženih", "Број на обвинети")),
		ind("victims", IndicatorCount, l6("Number of victims", "Broj žrtava", "Broj žrtava", "Broj žrtava", "Број на жртви")),
		ind("child_victims", IndicatorCount, l6("Number of child victims", "Broj maloletnih žrtava", "Broj djece žrtava", "Broj djece žrtava", "Број на малолетни жртви")),
		ind("verdict", IndicatorEnum, l6("Verdict", "Vrsta presude", "Vrsta presude", "Vrsta presude", "Вид на пресуда"),
			opt("convicted", l6("Conviction", "Osuđujuća presuda", "Osuđujuća presuda", "Osuđujuća presuda", "Осудителна пресуда")),
			opt("acquitted", l6("Acquittal", "Oslobađajuća presuda", "Oslobađajuća presuda", "Oslobađajuća presuda", "Ослободителна пресуда")),
			opt("dismissed", l6("Charges dismissed", "Odbijajuća presuda", "Odbijajuća presuda", "Odbijajuća presuda", "Одбивателна пресуда")),
			opt("plea_agreement", l6("Judgment on a plea agreement", "Presuda na osnovu sporazuma o priznanju krivičnog dela",
				"Presuda na temelju sporazuma stranaka", "Presuda na osnovu sporazuma o priznanju krivnje", "Пресуда врз основа на спогодба")),
		),
		ind("sentence_months", IndicatorMonths, l6("Prison sentence (months)", "Kazna zatvora (meseci)", "Kazna zatvora (mjeseci)", "Kazna zatvora (mjeseci)", "Казна затвор (месеци)")),
		ind("below_statutory_minimum", IndicatorBool, l6("Sentence below the statutory minimum", "Kazna ispod zakonskog minimuma", "Kazna ispod zakonskog minimuma", "Kazna ispod zakonskog minimuma", "Казна под законскиот минимум")),
		ind("compensation_claimed", IndicatorBool, l6("The victim claimed compensation", "Žrtva je podnela imovinskopravni zahtev", "Žrtva je postavila imovinskopravni zahtjev", "Žrtva je podnijela imovinskopravni zahtjev", "Жртвата поднела имотно-правно барање")),
		ind("compensation_decision", IndicatorEnum, l6("Decision on the compensation claim", "Odluka o imovinskopravnom zahtevu", "Odluka o imovinskopravnom zahtjevu", "Odluka o imovinskopravnom zahtjevu", "Одлука за имотно-правното барање"),
			opt("awarded", l6("Awarded in full", "Usvojen u celosti", "Usvojen u cijelosti", "Usvojen u cijelosti", "Целосно усвоено")),
			opt("partial", l6("Partly awarded", "Delimično usvojen", "Djelomično usvojen", "Djelimično usvojen", "Делумно усвоено")),
			opt("referred_to_civil", l6("Referred to civil proceedings", "Upućen na parnicu", "Upućen u parnicu", "Upućen na parnični postupak", "Упатено на парница")),
			opt("rejected", l6("Rejected", "Odbijen", "Odbijen", "Odbijen", "Одбиено")),
			opt("undecided", l6("Not decided", "Nije odlučeno", "Nije odlučeno", "Nije odlučeno", "Не е одлучено")),
		),
		ind("compensation_awarded_eur", IndicatorEUR, l6("Compensation awarded (EUR)", "Dosuđena naknada (u evrima)", "Dosuđena naknada (EUR)", "Dosuđena naknada (EUR)", "Досуден надомест (EUR)")),
		ind("compensation_paid", IndicatorBool, l6("Compensation paid", "Naknada je isplaćena", "Naknada je isplaćena", "Naknada je isplaćena", "Надоместот е исплатен")),
		ind("assets_frozen", IndicatorBool, l6("Assets frozen or seized", "Imovina privremeno oduzeta", "Imovina privremeno oduzeta", "Imovina privremeno oduzeta", "Имотот привремено одземен")),
		ind("assets_confiscated_eur", IndicatorEUR, l6("Assets confiscated (EUR)", "Trajno oduzeta imovina (u evrima)", "Oduzeta imovinska korist (EUR)", "Oduzeta imovinska korist (EUR)", "Конфискуван имот (EUR)")),
		ind("victim_testimonies", IndicatorCount, l6("Times the victim was heard", "Broj saslušanja žrtve", "Broj ispitivanja žrtve", "Broj saslušanja žrtve", "Број на сослушувања на жртвата")),
		ind("victim_confronted_with_defendant", IndicatorBool, l6("Victim confronted with the defendant", "Žrtva suočena sa okrivljenim", "Žrtva suočena s okrivljenikom", "Žrtva suočena s optuženim", "Жртвата соочена со обвинетиот")),
		ind("victim_questioning", IndicatorEnum, l6("How the victim was heard", "Način saslušanja žrtve", "Način ispitivanja žrtve", "Način saslušanja žrtve", "Начин на сослушување на жртвата"),
			opt("in_court", l6("In the courtroom", "U sudnici", "U sudnici", "U sudnici", "Во судницата")),
			opt("video_link", l6("By video link", "Putem video-linka", "Putem video-veze", "Putem video-linka", "Преку видео-врска")),
			opt("prior_recorded", l6("Recording of an earlier statement played", "Reprodukovan snimak ranijeg iskaza", "Reproducirana snimka ranijeg iskaza", "Reprodukovan snimak ranijeg iskaza", "Прикажан претходно снимен исказ")),
			opt("separate_room", l6("From a separate room", "Iz posebne prostorije", "Iz posebne prostorije", "Iz posebne prostorije", "Од посебна просторија")),
			opt("not_heard", l6("Not heard", "Nije saslušana", "Nije ispitana", "Nije saslušana", "Не е сослушана")),
		),
		ind("victim_legal_representative", IndicatorBool, l6("Victim had a legal representative", "Žrtva je imala punomoćnika", "Žrtva je imala opunomoćenika", "Žrtva je imala punomoćnika", "Жртвата имала полномошник")),
		ind("victim_prosecuted", IndicatorBool, l6("Victim prosecuted for an offence committed as a trafficking victim",
			"Žrtva krivično gonjena za delo učinjeno kao žrtva trgovine ljudima", "Žrtva kazneno progonjena za djelo počinjeno kao žrtva trgovanja ljudima",
			"Žrtva krivično gonjena za djelo počinjeno kao žrtva trgovine ljudima", "Жртвата кривично гонета за дело сторено како жртва на трговија со луѓе")),
		ind("international_law_cited", IndicatorSet, l6("International law cited", "Pozivanje na međunarodno pravo", "Pozivanje na međunarodno pravo", "Pozivanje na međunarodno pravo", "Повикување на меѓународното право"),
			opt("palermo", l6("Palermo Protocol (UN)", "Protokol iz Palerma (UN)", "Protokol iz Palerma (UN)", "Protokol iz Palerma (UN)", "Протокол од Палермо (ОН)")),
			opt("coe_convention", l6("Council of Europe Convention on Action against Trafficking in Human Beings",
				"Konvencija Saveta Evrope o borbi protiv trgovine ljudima", "Konvencija Vijeća Europe o suzbijanju trgovanja ljudima",
				"Konvencija Vijeća Evrope o borbi protiv trgovine ljudima", "Конвенција на Советот на Европа за борба против трговијата со луѓе")),
			opt("echr_art4", l6("European Convention on Human Rights, Article 4", "Evropska konvencija o ljudskim pravima, član 4",
				"Europska konvencija o ljudskim pravima, članak 4.", "Evropska konvencija o ljudskim pravima, član 4", "Европска конвенција за човековите права, член 4")),
			opt("eu_directive_2011_36", l6("EU Directive 2011/36/EU", "Direktiva EU 2011/36/EU", "Direktiva 2011/36/EU", "Direktiva 2011/36/EU", "Директива 2011/36/ЕУ")),
		),
	}
}

func trialHearingIndicators() []Indicator {
	duration := ind("duration_minutes", IndicatorCount, l6("Duration (minutes)", "Trajanje (minuta)", "Trajanje (minuta)", "Trajanje (minuta)", "Траење (минути)"))
	duration.Max = maxMinutes
	return []Indicator{
		ind("date", IndicatorDate, l6("Date of the hearing", "Datum ročišta", "Datum rasprave", "Datum ročišta", "Датум на рочиштето")),
		ind("court", IndicatorString, lCourt),
		ind("hearing_held", IndicatorBool, l6("The hearing was held", "Ročište je održano", "Rasprava je održana", "Ročište je održano", "Рочиштето е одржано")),
		ind("public", IndicatorBool, l6("The hearing was public", "Ročište je bilo javno", "Rasprava je bila javna", "Ročište je bilo javno", "Рочиштето беше јавно")),
		ind("interpreter_needed", IndicatorBool, l6("An interpreter was needed", "Bio je potreban tumač", "Bio je potreban tumač", "Bio je potreban prevodilac", "Беше потребен преведувач")),
		ind("interpreter_provided", IndicatorBool, l6("An interpreter was provided", "Tumač je obezbeđen", "Tumač je osiguran", "Prevodilac je osiguran", "Обезбеден е преведувач")),
		ind("victim_present", IndicatorBool, l6("The victim was present", "Žrtva je bila prisutna", "Žrtva je bila prisutna", "Žrtva je bila prisutna", "Жртвата беше присутна")),
		ind("victim_protective_measures", IndicatorBool, l6("Protective measures for the victim were applied", "Primenjene su mere zaštite žrtve", "Primijenjene su mjere zaštite žrtve", "Primijenjene su mjere zaštite žrtve", "Применети се мерки за заштита на жртвата")),
		duration,
		ind("adjourned_reason", IndicatorEnum, l6("Reason for adjournment", "Razlog odlaganja", "Razlog odgode", "Razlog odgađanja", "Причина за одложување"),
			opt("defendant_absent", l6("Defendant absent", "Izostanak okrivljenog", "Izostanak okrivljenika", "Izostanak optuženog", "Отсуство на обвинетиот")),
			opt("defence_absent", l6("Defence counsel absent", "Izostanak branioca", "Izostanak branitelja", "Izostanak branioca", "Отсуство на бранителот")),
			opt("victim_absent", l6("Victim absent", "Izostanak žrtve", "Izostanak žrtve", "Izostanak žrtve", "Отсуство на жртвата")),
			opt("witness_absent", l6("Witness absent", "Izostanak svedoka", "Izostanak svjedoka", "Izostanak svjedoka", "Отсуство на сведок")),
			opt("interpreter_absent", l6("No interpreter", "Nije obezbeđen tumač", "Nije osiguran tumač", "Nije osiguran prevodilac", "Не е обезбеден преведувач")),
			opt("court_reasons", l6("Reasons on the court's side", "Razlozi na strani suda", "Razlozi na strani suda", "Razlozi na strani suda", "Причини на страната на судот")),
			opt("evidence_pending", l6("Evidence pending (expert opinion, documents)", "Čeka se dokaz (veštačenje, isprave)", "Čeka se dokaz (vještačenje, isprave)", "Čeka se dokaz (vještačenje, isprave)", "Се чека доказ (вештачење, исправи)")),
			opt("other", lOther),
		),
	}
}

func policeCaseIndicators() []Indicator {
	return []Indicator{
		ind("opened_date", IndicatorDate, l6("Date the case was opened", "Datum otvaranja predmeta", "Datum otvaranja predmeta", "Datum otvaranja predmeta", "Датум на отворање на предметот")),
		ind("referral_source", IndicatorEnum, l6("Who reported the case", "Ko je prijavio slučaj", "Tko je prijavio slučaj", "Ko je prijavio slučaj", "Кој го пријавил случајот"),
			opt("police", l6("Police, on its own initiative", "Policija, po službenoj dužnosti", "Policija, po službenoj dužnosti", "Policija, po službenoj dužnosti", "Полиција, по службена должност")),
			opt("social_welfare", lSocialWelfare),
			opt("ngo", lCSO),
			opt("self", l6("The victim", "Sama žrtva", "Sama žrtva", "Sama žrtva", "Самата жртва")),
			opt("other", lOther),
		),
		ind("stage", IndicatorEnum, l6("Stage", "Faza postupka", "Faza postupka", "Faza postupka", "Фаза на постапката"),
			opt("report", l6("Criminal complaint", "Krivična prijava", "Kaznena prijava", "Krivična prijava", "Кривична пријава")),
			opt("investigation", l6("Investigation", "Istraga", "Istraga", "Istraga", "Истрага")),
			opt("indictment", l6("Indictment filed", "Podignuta optužnica", "Podignuta optužnica", "Podignuta optužnica", "Поднесен обвинителен акт")),
			opt("closed_no_charge", l6("Closed without charges", "Okončano bez optužnice", "Okončano bez optužnice", "Okončano bez optužnice", "Завршено без обвинение")),
		),
		ind("suspects", IndicatorCount, l6("Number of suspects", "Broj osumnjičenih", "Broj osumnjičenika", "Broj osumnjičenih", "Број на осомничени")),
		ind("victims_identified", IndicatorCount, l6("Number of victims identified", "Broj identifikovanih žrtava", "Broj identificiranih žrtava", "Broj identifikovanih žrtava", "Број на идентификувани жртви")),
		ind("cross_border", IndicatorBool, l6("Cross-border case", "Prekogranični slučaj", "Prekogranični slučaj", "Prekogranični slučaj", "Прекуграничен случај")),
		ind("information_requests_sent", IndicatorCount, l6("Requests for information sent", "Poslati zahtevi za informacije", "Poslani zahtjevi za informacije", "Poslani zahtjevi za informacije", "Испратени барања за информации")),
		ind("information_requests_answered", IndicatorCount, l6("Requests for information answered", "Odgovoreni zahtevi za informacije", "Odgovoreni zahtjevi za informacije", "Odgovoreni zahtjevi za informacije", "Одговорени барања за информации")),
	}
}

func victimSupportIndicators() []Indicator {
	return []Indicator{
		ind("victim_status", IndicatorEnum, l6("Victim status", "Status žrtve", "Status žrtve", "Status žrtve", "Статус на жртвата"),
			opt("potential", l6("Potential victim", "Potencijalna žrtva", "Potencijalna žrtva", "Potencijalna žrtva", "Потенцијална жртва")),
			opt("identified", l6("Formally identified victim", "Formalno identifikovana žrtva", "Formalno identificirana žrtva", "Formalno identifikovana žrtva", "Формално идентификувана жртва")),
			opt("not_identified", l6("Not identified as a victim", "Nije identifikovana kao žrtva", "Nije identificirana kao žrtva", "Nije identifikovana kao žrtva", "Не е идентификувана како жртва")),
		),
		ind("identified_by", IndicatorEnum, l6("Identified by", "Žrtvu je identifikovao", "Žrtvu je identificirao", "Žrtvu je identifikovao", "Жртвата ја идентификувал"),
			opt("specialised_body", l6("Specialised state body for trafficking victims", "Specijalizovana državna služba za žrtve trgovine ljudima",
				"Specijalizirano državno tijelo za žrtve trgovanja ljudima", "Specijalizovano državno tijelo za žrtve trgovine ljudima",
				"Специјализирано државно тело за жртви на трговија со луѓе")),
			opt("social_welfare", lSocialWelfare),
			opt("police", lPolice),
			opt("prosecution", lProsecution),
			opt("referral_team", l6("Multi-agency team (referral mechanism, mobile team)", "Multidisciplinarni tim (mehanizam upućivanja, mobilni tim)",
				"Multidisciplinarni tim (sustav upućivanja, mobilni tim)", "Multidisciplinarni tim (mehanizam upućivanja, mobilni tim)",
				"Мултидисциплинарен тим (механизам за упатување, мобилен тим)")),
			opt("ngo", lCSO),
			opt("other", lOther),
		),
		ind("age_group", IndicatorEnum, l6("Age group", "Starosna grupa", "Dobna skupina", "Starosna grupa", "Возрасна група"),
			opt("child", l6("Child (under 18)", "Dete (mlađe od 18 godina)", "Dijete (mlađe od 18 godina)", "Dijete (mlađe od 18 godina)", "Дете (помладо од 18 години)")),
			opt("adult", l6("Adult", "Odrasla osoba", "Odrasla osoba", "Odrasla osoba", "Возрасно лице")),
		),
		ind("sex", IndicatorEnum, l6("Sex", "Pol", "Spol", "Spol", "Пол"),
			opt("female", l6("Female", "Ženski", "Ženski", "Ženski", "Женски")),
			opt("male", l6("Male", "Muški", "Muški", "Muški", "Машки")),
			opt("other", lOther),
		),
		ind("services", IndicatorSet, l6("Services provided", "Pružene usluge", "Pružene usluge", "Pružene usluge", "Обезбедени услуги"),
			opt("shelter", l6("Shelter", "Sklonište", "Sklonište", "Sklonište", "Засолниште")),
			opt("medical", l6("Medical care", "Zdravstvena zaštita", "Zdravstvena zaštita", "Zdravstvena zaštita", "Здравствена заштита")),
			opt("psychological", l6("Psychological support", "Psihološka podrška", "Psihološka podrška", "Psihološka podrška", "Психолошка поддршка")),
			opt("legal_aid", l6("Legal aid", "Pravna pomoć", "Pravna pomoć", "Pravna pomoć", "Правна помош")),
			opt("education", l6("Education and training", "Obrazovanje i obuka", "Obrazovanje i osposobljavanje", "Obrazovanje i obuka", "Образование и обука")),
			opt("financial", l6("Financial support", "Finansijska pomoć", "Financijska pomoć", "Finansijska pomoć", "Финансиска помош")),
			opt("repatriation", l6("Assisted return", "Pomoć pri povratku", "Pomoć pri povratku", "Pomoć pri povratku", "Помош при враќање")),
		),
		ind("individual_plan", IndicatorBool, l6("An individual support plan was made", "Izrađen je individualni plan podrške", "Izrađen je individualni plan podrške", "Izrađen je individualni plan podrške", "Изработен е индивидуален план за поддршка")),
		ind("outcome", IndicatorEnum, l6("Outcome", "Ishod", "Ishod", "Ishod", "Исход"),
			opt("reintegrated", l6("(Re)integrated", "(Re)integrisana", "(Re)integrirana", "(Re)integrisana", "(Ре)интегрирана")),
			opt("repatriated", l6("Returned to the country of origin", "Vraćena u zemlju porekla", "Vraćena u zemlju podrijetla", "Vraćena u zemlju porijekla", "Вратена во земјата на потекло")),
			opt("lost_contact", l6("Contact lost", "Kontakt izgubljen", "Kontakt izgubljen", "Kontakt izgubljen", "Изгубен контакт")),
			opt("re_trafficked", l6("Trafficked again", "Ponovo žrtva trgovine ljudima", "Ponovno žrtva trgovanja ljudima", "Ponovo žrtva trgovine ljudima", "Повторно жртва на трговија со луѓе")),
			opt("ongoing", l6("Support ongoing", "Podrška je u toku", "Podrška je u tijeku", "Podrška je u toku", "Поддршката е во тек")),
		),
	}
}

func legislationIndicators() []Indicator {
	return []Indicator{
		ind("identifier", IndicatorString, l6("Act or bill", "Propis ili predlog zakona", "Propis ili prijedlog zakona", "Propis ili prijedlog zakona", "Пропис или предлог-закон")),
		ind("type", IndicatorEnum, l6("Type of act", "Vrsta propisa", "Vrsta propisa", "Vrsta propisa", "Вид на пропис"),
			opt("criminal_code", l6("Criminal code", "Krivični zakonik", "Kazneni zakon", "Krivični zakon", "Кривичен законик")),
			opt("criminal_procedure", l6("Criminal procedure code", "Zakonik o krivičnom postupku", "Zakon o kaznenom postupku", "Zakon o krivičnom postupku", "Закон за кривичната постапка")),
			opt("victim_compensation", l6("Victim compensation law", "Zakon o naknadi štete žrtvama", "Zakon o novčanoj naknadi žrtvama kaznenih djela", "Zakon o naknadi štete žrtvama", "Закон за надомест на штета на жртвите")),
			opt("bylaw", l6("Bylaw", "Podzakonski akt", "Podzakonski propis", "Podzakonski akt", "Подзаконски акт")),
			opt("strategy", l6("Strategy or action plan", "Strategija ili akcioni plan", "Strategija ili akcijski plan", "Strategija ili akcioni plan", "Стратегија или акциски план")),
		),
		ind("stage", IndicatorEnum, l6("Stage", "Faza", "Faza", "Faza", "Фаза"),
			opt("draft", l6("Draft", "Nacrt", "Nacrt", "Nacrt", "Нацрт")),
			opt("consultation", l6("Public consultation", "Javna rasprava", "Javno savjetovanje", "Javne konsultacije", "Јавна расправа")),
			opt("parliament", l6("In parliament", "U skupštinskoj proceduri", "U saborskoj proceduri", "U parlamentarnoj proceduri", "Во собраниска постапка")),
			opt("adopted", l6("Adopted", "Usvojen", "Donesen", "Usvojen", "Донесен")),
			opt("in_force", l6("In force", "Na snazi", "Na snazi", "Na snazi", "Во сила")),
			opt("repealed", l6("Repealed", "Stavljen van snage", "Stavljen izvan snage", "Stavljen van snage", "Ставен вон сила")),
		),
		ind("stage_date", IndicatorDate, l6("Date of the stage", "Datum faze", "Datum faze", "Datum faze", "Датум на фазата")),
		ind("greta_recommendation", IndicatorBool, l6("Follows a GRETA recommendation", "Sprovodi preporuku GRETA", "Provodi preporuku GRETA-e", "Provodi preporuku GRETA-e", "Спроведува препорака на ГРЕТА")),
	}
}

func engagementIndicators() []Indicator {
	return []Indicator{
		ind("date", IndicatorDate, l6("Date of the meeting", "Datum sastanka", "Datum sastanka", "Datum sastanka", "Датум на средбата")),
		ind("body", IndicatorEnum, l6("Body met", "Institucija", "Institucija", "Institucija", "Институција"),
			opt("ministry_interior", l6("Ministry of the Interior", "Ministarstvo unutrašnjih poslova", "Ministarstvo unutarnjih poslova", "Ministarstvo unutrašnjih poslova", "Министерство за внатрешни работи")),
			opt("ministry_justice", l6("Ministry of Justice", "Ministarstvo pravde", "Ministarstvo pravosuđa", "Ministarstvo pravde", "Министерство за правда")),
			opt("parliament", l6("Parliament", "Skupština", "Sabor", "Parlament", "Собрание")),
			opt("prosecution", lProsecution),
			opt("court", lCourt),
			opt("social_welfare", lSocialWelfare),
			opt("other", lOther),
		),
		ind("purpose", IndicatorEnum, l6("Purpose", "Svrha", "Svrha", "Svrha", "Цел"),
			opt("findings", l6("Presenting monitoring findings", "Predstavljanje nalaza praćenja", "Predstavljanje nalaza praćenja", "Predstavljanje nalaza monitoringa", "Презентирање на наодите од мониторингот")),
			opt("recommendations", l6("Advocating recommendations", "Zagovaranje preporuka", "Zagovaranje preporuka", "Zagovaranje preporuka", "Застапување препораки")),
			opt("training", l6("Training", "Obuka", "Edukacija", "Obuka", "Обука")),
			opt("other", lOther),
		),
	}
}
