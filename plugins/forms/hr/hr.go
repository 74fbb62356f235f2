// Package hr holds Croatia's monitoring forms: one per record kind,
// labelled in Croatian and English, with the trafficking offences of the
// Croatian Criminal Code of 2011 (Kazneni zakon). kolo serves them as a
// built-in plugin; see plugins/sdk for what a form is.
package hr

import (
	"slices"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Country is the ISO 3166-1 code of the forms' country.
const Country = "HR"

// CodeVersion names the text of the Criminal Code that the lists of
// offences follow: the code of 2011 as last amended in 2024 (NN 36/24,
// the package on violence against women; a public consultation of 2025
// on a tenth amendment, transposing Directive (EU) 2024/1712 on
// trafficking, was not yet law in the sources read). Art. 106 is the one
// DOMAIN.md and the GRETA reports name, art. 105 was read in the Ministry
// of the Interior's quotation of the code; the paragraphs of art. 106
// (2: trafficking in children; 3: the heavier form, against a child among
// others) and art. 157 and 326 follow the consolidated text as the author
// knows it and were not checked against the Narodne novine text: check
// them before relying on them.
const CodeVersion = "Kazneni zakon, NN 125/11 … 36/24: čl. 106. (trgovanje ljudima), čl. 105. (ropstvo); čl. 157., 326. (srodna djela)"

// Forms returns every version of every form of Croatia.
func Forms() []sdk.Form {
	return []sdk.Form{judgmentV1, judgmentV2, trialHearingV1, policeCaseV1, victimSupportV1, legislationV1, engagementV1}
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

// articlesV1 are the offences of the Criminal Code as version 1 of the
// forms lists them. Shipped: never change it.
var articlesV1 = []sdk.Option{
	{Value: "art_106", Label: lbl("Art. 106 – Trafficking in human beings", "Čl. 106. – Trgovanje ljudima")},
	{Value: "art_106_2", Label: lbl("Art. 106(2) – Trafficking in human beings, against a child", "Čl. 106. st. 2. – Trgovanje ljudima, prema djetetu")},
	{Value: "art_105", Label: lbl("Art. 105 – Slavery", "Čl. 105. – Ropstvo")},
	{Value: "art_157", Label: lbl("Art. 157 – Prostitution (procuring)", "Čl. 157. – Prostitucija (podvođenje)")},
	{Value: "art_326", Label: lbl("Art. 326 – Unlawful entry, movement and stay (smuggling)", "Čl. 326. – Protuzakonito ulaženje, kretanje i boravak (krijumčarenje)")},
	{Value: "other", Label: lbl("Other offence", "Drugo kazneno djelo")},
}

// articlesV2 adds art. 106(3), the heavier form of trafficking (three to
// fifteen years), which version 1 could not name: committed against a
// child (the offence of paragraph 1, with force or deceit, against a
// child: trafficking in children), or by an official, against several
// persons or knowingly endangering life (trafficking).
var articlesV2 = []sdk.Option{
	articlesV1[0],
	articlesV1[1],
	{Value: "art_106_3_child", Label: lbl("Art. 106(3) – Trafficking in human beings under para. 1, against a child",
		"Čl. 106. st. 3. – Trgovanje ljudima iz st. 1., prema djetetu")},
	{Value: "art_106_3", Label: lbl("Art. 106(3) – Trafficking in human beings by an official, against several persons or endangering life",
		"Čl. 106. st. 3. – Trgovanje ljudima koje je počinila službena osoba, prema većem broju osoba ili uz dovođenje u opasnost života")},
	articlesV1[2],
	articlesV1[3],
	articlesV1[4],
	articlesV1[5],
}

// article is the question for the offence of the Criminal Code a case
// concerns, with the options of list.
func article(list []sdk.Option, required bool) sdk.Field {
	return sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: required,
		Label:   lbl("Offence (article of the Criminal Code)", "Kazneno djelo (članak Kaznenog zakona)"),
		Options: slices.Clone(list)}
}

// offences maps each article of every version onto the common offence
// indicator.
var offences = map[string]string{
	"art_106":         "thb",
	"art_106_2":       "thb_child",
	"art_106_3_child": "thb_child",
	"art_106_3":       "thb",
	"art_105":         "slavery",
	"art_157":         "mediation_prostitution",
	"art_326":         "smuggling",
	"other":           "other",
}

var eurHelp = lbl("In euros; convert amounts in kuna at the fixed rate of 7.53450 kuna to the euro.",
	"U eurima; iznose u kunama preračunajte po fiksnom tečaju od 7,53450 kuna za 1 euro.")

func ptr(f float64) *float64 { return &f }
