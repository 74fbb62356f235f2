package main

// skeletonTexts are the texts of the new plugin's own questions and form
// titles in the languages of the indicator catalogue, as kolo's built-in
// forms word them (the Serbian Cyrillic text is transliterated from the
// Latin one). The catalogue's questions bring their own texts.
var skeletonTexts = map[string]map[string]string{
	"title_judgment": {"en": "Court judgment in a trafficking case", "sr-Latn": "Presuda u predmetu trgovine ljudima",
		"hr": "Presuda u predmetu trgovanja ljudima", "bs": "Presuda u predmetu trgovine ljudima", "mk": "Пресуда во предмет за трговија со луѓе"},
	"title_trial_hearing": {"en": "Visit to a trial hearing", "sr-Latn": "Praćenje ročišta", "hr": "Praćenje rasprave",
		"bs": "Praćenje ročišta", "mk": "Следење на рочиште"},
	"title_police_case": {"en": "Police case", "sr-Latn": "Policijski predmet", "hr": "Policijski predmet",
		"bs": "Policijski predmet", "mk": "Полициски предмет"},
	"title_victim_support": {"en": "Support to a victim", "sr-Latn": "Podrška žrtvi", "hr": "Podrška žrtvi",
		"bs": "Podrška žrtvi", "mk": "Поддршка на жртва"},
	"title_legislation": {"en": "Legislation", "sr-Latn": "Propisi", "hr": "Propisi", "bs": "Propisi", "mk": "Прописи"},
	"title_engagement": {"en": "Meeting with a public body", "sr-Latn": "Sastanak sa institucijom", "hr": "Sastanak s institucijom",
		"bs": "Sastanak s institucijom", "mk": "Средба со институција"},
	"case_number": {"en": "Case number", "sr-Latn": "Broj predmeta", "hr": "Broj predmeta", "bs": "Broj predmeta", "mk": "Број на предметот"},
	"case_number_help": {"en": "As the court or police writes it. Stays on this node.",
		"sr-Latn": "Kako ga piše sud ili policija. Ostaje na ovom čvoru.", "hr": "Kako ga piše sud ili policija. Ostaje na ovom čvoru.",
		"bs": "Kako ga piše sud ili policija. Ostaje na ovom čvoru.", "mk": "Како што го пишува судот или полицијата. Останува на овој јазол."},
	"court": {"en": "Court", "sr-Latn": "Sud", "hr": "Sud", "bs": "Sud", "mk": "Суд"},
	"article": {"en": "Offence (article of the Criminal Code)", "sr-Latn": "Krivično delo (član Krivičnog zakonika)",
		"hr": "Kazneno djelo (članak Kaznenog zakona)", "bs": "Krivično djelo (član krivičnog zakona)", "mk": "Кривично дело (член од Кривичниот законик)"},
	"victim_code": {"en": "Victim's code in your records", "sr-Latn": "Šifra žrtve u vašoj evidenciji", "hr": "Šifra žrtve u vašoj evidenciji",
		"bs": "Šifra žrtve u vašoj evidenciji", "mk": "Шифра на жртвата во вашата евиденција"},
	"victim_code_help": {"en": "Never a name. Stays on this node.", "sr-Latn": "Nikada ime. Ostaje na ovom čvoru.",
		"hr": "Nikada ime. Ostaje na ovom čvoru.", "bs": "Nikada ime. Ostaje na ovom čvoru.", "mk": "Никогаш име. Останува на овој јазол."},
}
