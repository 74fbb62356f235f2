// Package ba holds the monitoring forms of Bosnia and Herzegovina: one per
// record kind, labelled in Bosnian and English. The country has four
// criminal codes, of the state, the Federation of Bosnia and Herzegovina,
// Republika Srpska and Brčko District, so every form asks for the
// sub-jurisdiction (sdk.FieldSubJurisdiction) and the list of offences
// holds the trafficking articles of all four. kolo serves them as a
// built-in plugin; see plugins/sdk for what a form is.
package ba

import (
	"fmt"
	"strings"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Country is the ISO 3166-1 code of the forms' country.
const Country = "BA"

// CodeVersion names the texts of the four criminal codes that the list of
// offences follows, with the changes after the text each list was written
// from: the state code's 35/18 and 46/21, the FBiH code's 75/17, the
// Republika Srpska code's 104/18 (a Constitutional Court decision) and
// 15/21. None of these is known to have changed the trafficking articles;
// that was not checked against the gazettes. State art. 186, Republika
// Srpska art. 145 and Brčko art. 207a were checked against public
// summaries of the codes; state art. 186a, FBiH art. 210b and Brčko art.
// 207b were not confirmed from any source here, nor were the paragraph
// numbers of the child-trafficking paragraphs (186(2), 210a(2), 207a(2)),
// which come from the review in issue 10: check them before relying on
// them (docs/forms.md says the same).
const CodeVersion = "KZ BiH (Sl. glasnik BiH 3/03 … 40/15, 35/18, 46/21): čl. 186, 186a; KZ FBiH (Sl. novine FBiH 36/03 … 46/16, 75/17): čl. 210a, 210b; " +
	"KZ RS (Sl. glasnik RS 64/17, 104/18, 15/21): čl. 145, 146; KZ BD (Sl. glasnik BD 19/20, prečišćeni tekst): čl. 207a, 207b"

// BAMPerEUR is the fixed rate of the convertible mark to the euro, set by
// the Law on the Central Bank of Bosnia and Herzegovina. Amounts are asked
// in KM and mapped onto the EUR indicators at this rate.
const BAMPerEUR = 1.95583

// Forms returns every version of every form of Bosnia and Herzegovina.
func Forms() []sdk.Form {
	return []sdk.Form{judgmentV1, judgmentV2, trialHearingV1, policeCaseV1, victimSupportV1, legislationV1, engagementV1}
}

func lbl(en, bs string) sdk.Label { return sdk.Label{"en": en, "bs": bs} }

// info describes a form; every form of Bosnia and Herzegovina asks first
// for its sub-jurisdiction.
func info(id string, kind sdk.Kind, title sdk.Label, fields ...sdk.Field) sdk.FormInfo {
	return sdk.FormInfo{ID: id, Version: 1, Kind: kind, Country: Country, CodeVersion: CodeVersion, Title: title,
		Fields: append([]sdk.Field{sdk.SubJurisdictionField()}, fields...)}
}

// caseNumber is the court's or police's case number. It is personal: with
// it anyone can find the parties in the court's registry.
func caseNumber() sdk.Field {
	return sdk.Field{ID: "case_number", Type: sdk.TypeString, MaxLen: 40, Personal: true,
		Label: lbl("Case number", "Broj predmeta"),
		Help:  lbl("As the court or police writes it, e.g. S1 2 K 012345 23 K. Stays on this node.", "Kako ga piše sud ili policija, npr. S1 2 K 012345 23 K. Ostaje na ovom čvoru.")}
}

// articleOption is one article of the four codes: its value starts with
// its code's sub-jurisdiction.
type articleOption struct {
	value, offence string
	label          sdk.Label
}

// articlesV1 are the trafficking offences of the four codes as version 1
// of the forms lists them. It names articles, not paragraphs, so a
// judgment under the child-trafficking paragraph of state art. 186, FBiH
// art. 210a or Brčko art. 207a was entered under the article itself
// (see mapJudgment). Shipped: never change it.
var articlesV1 = []articleOption{
	{"state_186", "thb", lbl("CC of BiH art. 186 – Trafficking in persons", "KZ BiH čl. 186 – Trgovina ljudima")},
	{"state_186a", "thb", lbl("CC of BiH art. 186a – Organised trafficking in persons", "KZ BiH čl. 186a – Organizovana trgovina ljudima")},
	{"fbih_210a", "thb", lbl("CC of FBiH art. 210a – Trafficking in persons", "KZ FBiH čl. 210a – Trgovina ljudima")},
	{"fbih_210b", "thb", lbl("CC of FBiH art. 210b – Organised trafficking in persons", "KZ FBiH čl. 210b – Organizovana trgovina ljudima")},
	{"rs_145", "thb", lbl("CC of Republika Srpska art. 145 – Trafficking in persons", "KZ RS čl. 145 – Trgovina ljudima")},
	{"rs_146", "thb_child", lbl("CC of Republika Srpska art. 146 – Trafficking in children", "KZ RS čl. 146 – Trgovina djecom")},
	{"brcko_207a", "thb", lbl("CC of Brčko District art. 207a – Trafficking in persons", "KZ BD čl. 207a – Trgovina ljudima")},
	{"brcko_207b", "thb", lbl("CC of Brčko District art. 207b – Organised trafficking in persons", "KZ BD čl. 207b – Organizovana trgovina ljudima")},
	{"other", "other", lbl("Other offence", "Drugo krivično djelo")},
}

// articlesV2 adds the paragraphs on trafficking in children: state art.
// 186(2), FBiH art. 210a(2) and Brčko art. 207a(2), each right after its
// article. In Republika Srpska trafficking in children is an article of its
// own (146).
var articlesV2 = []articleOption{
	articlesV1[0],
	{"state_186_2", "thb_child", lbl("CC of BiH art. 186(2) – Trafficking in persons, of a child", "KZ BiH čl. 186 st. 2 – Trgovina ljudima, dijete")},
	articlesV1[1],
	articlesV1[2],
	{"fbih_210a_2", "thb_child", lbl("CC of FBiH art. 210a(2) – Trafficking in persons, of a child", "KZ FBiH čl. 210a st. 2 – Trgovina ljudima, dijete")},
	articlesV1[3],
	articlesV1[4],
	articlesV1[5],
	articlesV1[6],
	{"brcko_207a_2", "thb_child", lbl("CC of Brčko District art. 207a(2) – Trafficking in persons, of a child", "KZ BD čl. 207a st. 2 – Trgovina ljudima, dijete")},
	articlesV1[7],
	articlesV1[8],
}

// childParagraph names, for an article of version 1, the paragraph on
// trafficking in children that version 2 lists apart.
var childParagraph = map[string]string{"state_186": "state_186_2", "fbih_210a": "fbih_210a_2", "brcko_207a": "brcko_207a_2"}

// article is the list of offences of the four criminal codes.
func article(list []articleOption, required bool) sdk.Field {
	f := sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: required,
		Label: lbl("Offence (article of the criminal code)", "Krivično djelo (član krivičnog zakona)")}
	for _, a := range list {
		f.Options = append(f.Options, sdk.Option{Value: a.value, Label: a.label})
	}
	return f
}

// articleOfJurisdiction refuses an article of another code than the
// record's sub-jurisdiction: a case before a court of Republika Srpska is
// tried under the code of Republika Srpska.
func articleOfJurisdiction(list []articleOption) sdk.Rule {
	return func(a sdk.Answers) []sdk.FieldError {
		art, _ := a["article"].(string)
		sj, _ := a[sdk.FieldSubJurisdiction].(string)
		if art == "" || art == "other" || sj == "" || strings.HasPrefix(art, sj+"_") {
			return nil
		}
		var allowed []string
		for _, x := range list {
			if strings.HasPrefix(x.value, sj+"_") || x.value == "other" {
				allowed = append(allowed, x.value)
			}
		}
		// Coded as one_of with the articles allowed, so that the web
		// interface words it in the monitor's language, the articles by
		// their labels (which name their code).
		return []sdk.FieldError{{Field: "article",
			Rule: fmt.Sprintf("must be an article of the %s code (%s)", sj, strings.Join(allowed, ", ")), Got: art,
			Code: sdk.RuleOneOf, Args: allowed}}
	}
}

func offenceOf(list []articleOption, art string) string {
	for _, a := range list {
		if a.value == art {
			return a.offence
		}
	}
	return ""
}

func ptr(f float64) *float64 { return &f }
