// Package hr holds Croatia's monitoring forms: one per record kind,
// labelled in Croatian and English, with the trafficking offences of the
// Croatian Criminal Code of 2011 (Kazneni zakon). kolo serves them as a
// built-in plugin; see plugins/sdk for what a form is.
package hr

import (
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Country is the ISO 3166-1 code of the forms' country.
const Country = "HR"

// CodeVersion names the text of the Criminal Code that the lists of
// offences follow. Art. 106 is the one DOMAIN.md and the GRETA reports
// name; art. 105, 157 and 326 follow the consolidated text as the author
// knows it and were not checked against the current Narodne novine text
// when this list was written: check them before relying on them.
const CodeVersion = "Kazneni zakon, NN 125/11 … 36/24: čl. 106. (trgovanje ljudima), čl. 105. (ropstvo); čl. 157., 326. (srodna djela)"

// Forms returns every version of every form of Croatia.
func Forms() []sdk.Form {
	return []sdk.Form{judgmentV1, trialHearingV1, policeCaseV1, victimSupportV1, legislationV1, engagementV1}
}

func lbl(en, hr string) sdk.Label { return sdk.Label{"en": en, "hr": hr} }

func info(id string, kind sdk.Kind, title sdk.Label, fields ...sdk.Field) sdk.FormInfo {
	return sdk.FormInfo{ID: id, Version: 1, Kind: kind, Country: Country, CodeVersion: CodeVersion, Title: title, Fields: fields}
}

// caseNumber is the court's or police's case number. It is personal: with
// it anyone can find the parties in the court's registry.
func caseNumber() sdk.Field {
	return sdk.Field{ID: "case_number", Type: sdk.TypeString, MaxLen: 40, Personal: true,
		Label: lbl("Case number", "Broj predmeta"),
		Help:  lbl("As the court or police writes it, e.g. K-12/2023. Stays on this node.", "Kako ga piše sud ili policija, npr. K-12/2023. Ostaje na ovom čvoru.")}
}

// article is the list of offences of the Criminal Code a case concerns.
func article(required bool) sdk.Field {
	return sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: required,
		Label: lbl("Offence (article of the Criminal Code)", "Kazneno djelo (članak Kaznenog zakona)"),
		Options: []sdk.Option{
			{Value: "art_106", Label: lbl("Art. 106 – Trafficking in human beings", "Čl. 106. – Trgovanje ljudima")},
			{Value: "art_106_2", Label: lbl("Art. 106(2) – Trafficking in human beings, against a child", "Čl. 106. st. 2. – Trgovanje ljudima, prema djetetu")},
			{Value: "art_105", Label: lbl("Art. 105 – Slavery", "Čl. 105. – Ropstvo")},
			{Value: "art_157", Label: lbl("Art. 157 – Prostitution (procuring)", "Čl. 157. – Prostitucija (podvođenje)")},
			{Value: "art_326", Label: lbl("Art. 326 – Unlawful entry, movement and stay (smuggling)", "Čl. 326. – Protuzakonito ulaženje, kretanje i boravak (krijumčarenje)")},
			{Value: "other", Label: lbl("Other offence", "Drugo kazneno djelo")},
		}}
}

// offences maps each article onto the common offence indicator.
var offences = map[string]string{
	"art_106":   "thb",
	"art_106_2": "thb_child",
	"art_105":   "slavery",
	"art_157":   "mediation_prostitution",
	"art_326":   "smuggling",
	"other":     "other",
}

var eurHelp = lbl("In euros; convert amounts in kuna at the fixed rate of 7.53450 kuna to the euro.",
	"U eurima; iznose u kunama preračunajte po fiksnom tečaju od 7,53450 kuna za 1 euro.")

func ptr(f float64) *float64 { return &f }
