package sdk

import "strings"

// UIKey names one text of kolo's own interface around a form: the words
// of a form's or a record's view that are not the form's labels. The
// command line uses them, and a web interface will use the same ones.
type UIKey string

// The interface's texts. Keys under "type." and "kind." are those of the
// field types and record kinds (UIText(lang, "type."+string(TypeInt))).
const (
	UIKind          UIKey = "kind"
	UICountry       UIKey = "country"
	UICriminalCode  UIKey = "criminal_code"
	UIField         UIKey = "field"
	UIType          UIKey = "type"
	UIRequired      UIKey = "required"
	UILabel         UIKey = "label"
	UIAllowed       UIKey = "allowed"
	UIYes           UIKey = "yes"
	UINo            UIKey = "no"
	UIStaysOnNode   UIKey = "stays_on_node"
	UIOneOf         UIKey = "one_of"
	UIAnyOf         UIKey = "any_of"
	UIDateFormat    UIKey = "date_format"
	UIID            UIKey = "id"
	UIForm          UIKey = "form"
	UIDate          UIKey = "date"
	UIVersion       UIKey = "version"
	UIVersionOf     UIKey = "version_of" // "%d of %d"
	UICreated       UIKey = "created"
	UIUpdated       UIKey = "updated"
	UIAuthor        UIKey = "author"
	UIImport        UIKey = "import"
	UIPurged        UIKey = "purged"
	UIAnswers       UIKey = "answers"
	UICommon        UIKey = "common_indicators"
	UIHistory       UIKey = "history"
	UIEntered       UIKey = "entered"
	UIImported      UIKey = "imported"
	UIEdited        UIKey = "edited"
	UIDeleted       UIKey = "deleted"
	UIDeletedRecord UIKey = "deleted_record"
)

// UIText returns the interface text key in lang (a BCP 47 tag such as
// "sr-Latn"), falling back to English; an unknown key is returned as it
// is, so a missing text shows up as its key rather than as nothing.
func UIText(lang string, key UIKey) string {
	l, ok := uiTexts[key]
	if !ok {
		return string(key)
	}
	return l.In(lang)
}

// UIKeys lists every key of the catalogue (for tests and translators).
func UIKeys() []UIKey {
	out := make([]UIKey, 0, len(uiTexts))
	for k := range uiTexts {
		out = append(out, k)
	}
	return out
}

// CodeVersionIn returns the form's criminal-code line for a view in lang.
// Plugins write it in the country's own language and, for Serbian, in
// Latin script (Krivični zakonik, Sl. glasnik RS ...); a form that offers
// Serbian Cyrillic labels gets it transliterated for a view in sr-Cyrl
// (Кривични законик, Сл. гласник РС ...), as a Serbian reader expects.
// Law gazette and article numbers are kept as they are.
func CodeVersionIn(fi FormInfo, lang string) string {
	if lang != "sr-Cyrl" || fi.CodeVersion == "" {
		return fi.CodeVersion
	}
	if _, ok := fi.Title["sr-Cyrl"]; !ok {
		return fi.CodeVersion
	}
	if strings.ContainsFunc(fi.CodeVersion, func(r rune) bool { return r >= 'а' && r <= 'я' }) {
		return fi.CodeVersion // already Cyrillic
	}
	return SerbianCyrillic(fi.CodeVersion)
}

// uiTexts is the catalogue. English keeps the identifiers the commands
// and the JSON use for types and kinds (int, trial_hearing). Serbian
// Cyrillic is transliterated from the Latin text (l6), or written by hand
// (l6c) where a text holds what is typed as it is (CSV, --version N).
var uiTexts = map[UIKey]Label{
	UIKind:          l6("kind", "vrsta", "vrsta", "vrsta", "вид"),
	UICountry:       l6("country", "zemlja", "zemlja", "zemlja", "земја"),
	UICriminalCode:  l6("criminal code", "krivični zakonik", "kazneni zakon", "krivični zakon", "кривичен законик"),
	UIField:         l6("FIELD", "POLJE", "POLJE", "POLJE", "ПОЛЕ"),
	UIType:          l6("TYPE", "TIP", "TIP", "TIP", "ТИП"),
	UIRequired:      l6("REQUIRED", "OBAVEZNO", "OBVEZNO", "OBAVEZNO", "ЗАДОЛЖИТЕЛНО"),
	UILabel:         l6("LABEL", "NAZIV", "NAZIV", "NAZIV", "НАЗИВ"),
	UIAllowed:       l6("ALLOWED", "DOZVOLJENO", "DOPUŠTENO", "DOZVOLJENO", "ДОЗВОЛЕНО"),
	UIYes:           l6("yes", "da", "da", "da", "да"),
	UINo:            l6("no", "ne", "ne", "ne", "не"),
	UIStaysOnNode:   l6("(stays on this node)", "(ostaje na ovom čvoru)", "(ostaje na ovom čvoru)", "(ostaje na ovom čvoru)", "(останува на овој јазол)"),
	UIOneOf:         l6("one of:", "jedno od:", "jedno od:", "jedno od:", "едно од:"),
	UIAnyOf:         l6c("any of (a;b in a CSV cell):", "bilo koje od (a;b u jednoj CSV ćeliji):", "било које од (a;b у једној CSV ћелији):", "bilo koje od (a;b u jednoj CSV ćeliji):", "bilo koje od (a;b u jednoj CSV ćeliji):", "кое било од (a;b во една CSV ќелија):"),
	UIDateFormat:    l6("YYYY-MM-DD", "GGGG-MM-DD", "GGGG-MM-DD", "GGGG-MM-DD", "ГГГГ-ММ-ДД"),
	UIID:            l6c("id", "id", "id", "id", "id", "id"), // the record's ID, as commands take it
	UIForm:          l6("form", "obrazac", "obrazac", "obrazac", "образец"),
	UIDate:          l6("date", "datum", "datum", "datum", "датум"),
	UIVersion:       l6("version", "verzija", "inačica", "verzija", "верзија"),
	UIVersionOf:     l6("%d of %d", "%d od %d", "%d od %d", "%d od %d", "%d од %d"),
	UICreated:       l6("created", "napravljen", "izrađen", "napravljen", "создаден"),
	UIUpdated:       l6("updated", "izmenjen", "izmijenjen", "izmijenjen", "изменет"),
	UIAuthor:        l6("author", "autor", "autor", "autor", "автор"),
	UIImport:        l6("import", "uvoz", "uvoz", "uvoz", "увоз"),
	UIPurged:        l6("purged", "obrisani lični podaci", "izbrisani osobni podaci", "izbrisani lični podaci", "избришани лични податоци"),
	UIAnswers:       l6("answers:", "odgovori:", "odgovori:", "odgovori:", "одговори:"),
	UICommon:        l6("common indicators:", "zajednički pokazatelji:", "zajednički pokazatelji:", "zajednički pokazatelji:", "заеднички показатели:"),
	UIHistory:       l6("history:", "istorija:", "povijest:", "historija:", "историја:"),
	UIEntered:       l6("entered", "uneto", "uneseno", "uneseno", "внесено"),
	UIImported:      l6("imported", "uvezeno", "uvezeno", "uvezeno", "увезено"),
	UIEdited:        l6("edited", "izmenjeno", "izmijenjeno", "izmijenjeno", "изменето"),
	UIDeleted:       l6("deleted", "obrisano", "obrisano", "obrisano", "избришано"),
	UIDeletedRecord: l6c("This version deletes the record; earlier versions keep its answers (--version N).", "Ova verzija briše zapis; ranije verzije čuvaju njegove odgovore (--version N).", "Ова верзија брише запис; раније верзије чувају његове одговоре (--version N).", "Ova inačica briše zapis; ranije inačice čuvaju njegove odgovore (--version N).", "Ova verzija briše zapis; ranije verzije čuvaju njegove odgovore (--version N).", "Оваа верзија го брише записот; претходните верзии ги чуваат неговите одговори (--version N)."),

	"type.string": l6("string", "kratak tekst", "kratki tekst", "kratki tekst", "краток текст"),
	"type.text":   l6("text", "slobodan tekst", "slobodni tekst", "slobodni tekst", "слободен текст"),
	"type.int":    l6("int", "ceo broj", "cijeli broj", "cijeli broj", "цел број"),
	"type.number": l6("number", "broj", "broj", "broj", "број"),
	"type.bool":   l6("bool", "da/ne", "da/ne", "da/ne", "да/не"),
	"type.date":   l6("date", "datum", "datum", "datum", "датум"),
	"type.choice": l6("choice", "jedno sa liste", "jedno s popisa", "jedno s liste", "едно од листа"),
	"type.set":    l6("set", "više sa liste", "više s popisa", "više s liste", "повеќе од листа"),

	"kind.judgment":       l6("judgment", "presuda", "presuda", "presuda", "пресуда"),
	"kind.trial_hearing":  l6("trial_hearing", "ročište", "rasprava", "ročište", "рочиште"),
	"kind.police_case":    l6("police_case", "policijski predmet", "policijski predmet", "policijski predmet", "полициски предмет"),
	"kind.victim_support": l6("victim_support", "podrška žrtvi", "potpora žrtvi", "podrška žrtvi", "поддршка на жртва"),
	"kind.legislation":    l6("legislation", "zakonodavstvo", "zakonodavstvo", "zakonodavstvo", "законодавство"),
	"kind.engagement":     l6("engagement", "saradnja sa institucijama", "suradnja s institucijama", "saradnja s institucijama", "соработка со институциите"),
}

// l6c is l6 with the Serbian Cyrillic text written by hand.
func l6c(en, srLatn, srCyrl, hr, bs, mk string) Label {
	l := l6(en, srLatn, hr, bs, mk)
	l["sr-Cyrl"] = srCyrl
	return l
}
