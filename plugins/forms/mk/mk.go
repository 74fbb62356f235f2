// Package mk holds North Macedonia's monitoring forms: one per record
// kind, labelled in Macedonian (Cyrillic) and English, with the
// trafficking offences of the Criminal Code (Кривичен законик). kolo serves
// them as a built-in plugin; see plugins/sdk for what a form is.
package mk

import (
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Country is the ISO 3166-1 code of the forms' country.
const Country = "MK"

// CodeVersion names the text of the Criminal Code that the list of
// offences follows. Art. 418-а (trafficking in human beings), 418-б
// (smuggling of migrants), 418-в (organising a group for those offences)
// and 418-г (trafficking in a juvenile) were checked against public
// summaries of the code when the list was written; art. 418 (slavery) and
// 191 (mediation in prostitution) follow the consolidated text as the
// author knows it and were not checked against the Службен весник: check
// them before relying on them. The Latin letters of the option values
// (418a, 418b, 418c, 418d) stand for the Cyrillic а, б, в, г.
const CodeVersion = "Кривичен законик, Службен весник на РМ 37/1996 … (пречистен текст): чл. 418-а, 418-б, 418-в, 418-г; чл. 418, 191"

// Forms returns every version of every form of North Macedonia.
func Forms() []sdk.Form {
	return []sdk.Form{judgmentV1, trialHearingV1, policeCaseV1, victimSupportV1, legislationV1, engagementV1}
}

func lbl(en, mk string) sdk.Label { return sdk.Label{"en": en, "mk": mk} }

func info(id string, kind sdk.Kind, title sdk.Label, fields ...sdk.Field) sdk.FormInfo {
	return sdk.FormInfo{ID: id, Version: 1, Kind: kind, Country: Country, CodeVersion: CodeVersion, Title: title, Fields: fields}
}

// caseNumber is the court's or police's case number. It is personal: with
// it anyone can find the parties in the court's registry.
func caseNumber() sdk.Field {
	return sdk.Field{ID: "case_number", Type: sdk.TypeString, MaxLen: 40, Personal: true,
		Label: lbl("Case number", "Број на предметот"),
		Help:  lbl("As the court or police writes it, e.g. КОК-12/23. Stays on this node.", "Како што го пишува судот или полицијата, на пр. КОК-12/23. Останува на овој јазол.")}
}

// article is the list of offences of the Criminal Code a case concerns.
func article(required bool) sdk.Field {
	return sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: required,
		Label: lbl("Offence (article of the Criminal Code)", "Кривично дело (член од Кривичниот законик)"),
		Options: []sdk.Option{
			{Value: "art_418a", Label: lbl("Art. 418-a – Trafficking in human beings", "Чл. 418-а – Трговија со луѓе")},
			{Value: "art_418d", Label: lbl("Art. 418-d – Trafficking in a juvenile", "Чл. 418-г – Трговија со малолетно лице")},
			{Value: "art_418b", Label: lbl("Art. 418-b – Smuggling of migrants", "Чл. 418-б – Криумчарење мигранти")},
			{Value: "art_418c", Label: lbl("Art. 418-c – Organising a group and inciting trafficking in human beings, in juveniles or smuggling of migrants",
				"Чл. 418-в – Организирање група и поттикнување на извршување на кривичните дела трговија со луѓе, трговија со малолетно лице и криумчарење мигранти")},
			{Value: "art_418", Label: lbl("Art. 418 – Establishing slavery and transporting persons in slavery", "Чл. 418 – Заснивање ропски однос и превоз на лица во ропски однос")},
			{Value: "art_191", Label: lbl("Art. 191 – Mediation in prostitution", "Чл. 191 – Посредување во вршење проституција")},
			{Value: "other", Label: lbl("Other offence", "Друго кривично дело")},
		}}
}

// offences maps each article onto the common offence indicator. Art.
// 418-в covers organising trafficking and smuggling alike, so it maps onto
// "other" rather than claim one of them.
var offences = map[string]string{
	"art_418a": "thb",
	"art_418d": "thb_child",
	"art_418b": "smuggling",
	"art_418c": "other",
	"art_418":  "slavery",
	"art_191":  "mediation_prostitution",
	"other":    "other",
}

var eurHelp = lbl("In euros, at the National Bank's middle rate on the date of the decision.",
	"Во евра, по средниот курс на Народната банка на денот на пресудата.")

func ptr(f float64) *float64 { return &f }
