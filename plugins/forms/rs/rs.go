// Package rs holds Serbia's monitoring forms: one per record kind, labelled
// in Serbian (Latin and Cyrillic script) and English, with the trafficking
// offences of the Serbian Criminal Code (Krivični zakonik). kolo serves
// them as a built-in plugin; see plugins/sdk for what a form is.
package rs

import (
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Country is the ISO 3166-1 code of the forms' country.
const Country = "RS"

// CodeVersion names the text of the Criminal Code that the lists of
// offences follow. Art. 388, 389 and 390 are the ones DOMAIN.md names;
// art. 184 (mediation in prostitution) and 350 (smuggling of people)
// follow the code as the author knows it and were not checked against the
// current Službeni glasnik text when this list was written (nor were
// amendments after 35/2019): check them before relying on them.
const CodeVersion = "Krivični zakonik, Sl. glasnik RS 85/2005 … 35/2019: čl. 388, 389, 390 (trgovina ljudima, ropstvo); čl. 184, 350 (srodna dela)"

// Forms returns every version of every form of Serbia, the oldest version
// of each form first. Versions once shipped stay in the list (see sdk.Spec).
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

// lbl labels a field in English and Serbian; the Cyrillic text is
// transliterated from the Latin one.
func lbl(en, sr string) sdk.Label {
	return sdk.Label{"en": en, "sr-Latn": sr, "sr-Cyrl": sdk.SerbianCyrillic(sr)}
}

func info(id string, kind sdk.Kind, title sdk.Label, fields ...sdk.Field) sdk.FormInfo {
	return sdk.FormInfo{ID: id, Version: 1, Kind: kind, Country: Country, CodeVersion: CodeVersion, Title: title, Fields: fields}
}

// caseNumber is the court's or police's case number. It is personal: with
// it anyone can find the parties in the court's registry.
func caseNumber() sdk.Field {
	return sdk.Field{ID: "case_number", Type: sdk.TypeString, MaxLen: 40, Personal: true,
		Label: lbl("Case number", "Broj predmeta"),
		Help:  lbl("As the court or police writes it, e.g. K 123/2023. Stays on this node.", "Kako ga piše sud ili policija, npr. K 123/2023. Ostaje na ovom čvoru.")}
}

// article is the list of offences of the Criminal Code a case concerns.
func article(required bool) sdk.Field {
	return sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: required,
		Label: lbl("Offence (article of the Criminal Code)", "Krivično delo (član Krivičnog zakonika)"),
		Options: []sdk.Option{
			{Value: "art_388", Label: lbl("Art. 388 – Trafficking in human beings", "Čl. 388 – Trgovina ljudima")},
			{Value: "art_388_3", Label: lbl("Art. 388(3) – Trafficking in human beings, against a minor", "Čl. 388 st. 3 – Trgovina ljudima prema maloletnom licu")},
			{Value: "art_389", Label: lbl("Art. 389 – Trafficking in minors for adoption", "Čl. 389 – Trgovina maloletnim licima radi usvojenja")},
			{Value: "art_390", Label: lbl("Art. 390 – Establishing slavery and transporting persons in slavery", "Čl. 390 – Zasnivanje ropskog odnosa i prevoz lica u ropskom odnosu")},
			{Value: "art_184", Label: lbl("Art. 184 – Mediation in prostitution", "Čl. 184 – Posredovanje u vršenju prostitucije")},
			{Value: "art_350", Label: lbl("Art. 350 – Illegal crossing of the state border and smuggling of people", "Čl. 350 – Nedozvoljen prelaz državne granice i krijumčarenje ljudi")},
			{Value: "other", Label: lbl("Other offence", "Drugo krivično delo")},
		}}
}

// offences maps each article onto the common offence indicator.
var offences = map[string]string{
	"art_388":   "thb",
	"art_388_3": "thb_child",
	"art_389":   "thb_child",
	"art_390":   "slavery",
	"art_184":   "mediation_prostitution",
	"art_350":   "smuggling",
	"other":     "other",
}

var eurHelp = lbl("In euros, at the National Bank of Serbia's middle rate on the date of the decision.",
	"U evrima, po srednjem kursu Narodne banke Srbije na dan presude.")

func ptr(f float64) *float64 { return &f }
