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
// offences follows. State art. 186, Republika Srpska art. 145 (code of
// 2017) and Brčko art. 207a were checked against public summaries of the
// codes when the list was written; FBiH art. 210a/210b (added in 2016),
// state art. 186a, Republika Srpska art. 146 and Brčko art. 207b follow
// secondary sources and were not checked against the official gazettes:
// check them before relying on them.
const CodeVersion = "KZ BiH (Sl. glasnik BiH 3/03 … 40/15): čl. 186, 186a; KZ FBiH (Sl. novine FBiH 36/03 … 46/16): čl. 210a, 210b; " +
	"KZ RS (Sl. glasnik RS 64/17): čl. 145, 146; KZ BD (Sl. glasnik BD 19/20, prečišćeni tekst): čl. 207a, 207b"

// BAMPerEUR is the fixed rate of the convertible mark to the euro, set by
// the Law on the Central Bank of Bosnia and Herzegovina. Amounts are asked
// in KM and mapped onto the EUR indicators at this rate.
const BAMPerEUR = 1.95583

// Forms returns every version of every form of Bosnia and Herzegovina.
func Forms() []sdk.Form {
	return []sdk.Form{judgmentV1, trialHearingV1, policeCaseV1, victimSupportV1, legislationV1, engagementV1}
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

// articles are the trafficking offences of the four codes. Each value
// starts with its code's sub-jurisdiction.
var articles = []struct {
	value, offence string
	label          sdk.Label
}{
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

// article is the list of offences of the four criminal codes.
func article(required bool) sdk.Field {
	f := sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: required,
		Label: lbl("Offence (article of the criminal code)", "Krivično djelo (član krivičnog zakona)")}
	for _, a := range articles {
		f.Options = append(f.Options, sdk.Option{Value: a.value, Label: a.label})
	}
	return f
}

// articleOfJurisdiction refuses an article of another code than the
// record's sub-jurisdiction: a case before a court of Republika Srpska is
// tried under the code of Republika Srpska.
func articleOfJurisdiction(a sdk.Answers) []sdk.FieldError {
	art, _ := a["article"].(string)
	sj, _ := a[sdk.FieldSubJurisdiction].(string)
	if art == "" || art == "other" || sj == "" || strings.HasPrefix(art, sj+"_") {
		return nil
	}
	var allowed []string
	for _, x := range articles {
		if strings.HasPrefix(x.value, sj+"_") || x.value == "other" {
			allowed = append(allowed, x.value)
		}
	}
	return []sdk.FieldError{{Field: "article",
		Rule: fmt.Sprintf("must be an article of the %s code (%s)", sj, strings.Join(allowed, ", ")), Got: art}}
}

func offenceOf(art string) string {
	for _, a := range articles {
		if a.value == art {
			return a.offence
		}
	}
	return ""
}

func ptr(f float64) *float64 { return &f }
