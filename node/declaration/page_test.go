package declaration

import (
	"bytes"
	"strings"
	"testing"
)

// TestPageLanguages: the page in each language of the network shows the
// translation, says it is one, carries the signed English text, and
// writes the count, the countries and the headings in that language.
func TestPageLanguages(t *testing.T) {
	t.Parallel()
	w, _ := exportedWorld(t)
	exp, err := w.ledger.Export()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"sr-Latn": {"Deklaraciju su podržale 2 organizacije.", "Postaje delotvorna kada je podrži najmanje 20 organizacija: potrebno je još 18.", "<td>Srbija</td>", "<td>Bosna i Hercegovina</td>", "Po zemljama", "Provera", "mreži „"},
		"sr-Cyrl": {"Декларацију су подржале 2 организације.", "Постаје делотворна када је подржи најмање 20 организација: потребно је још 18.", "<td>Србија</td>", "По земљама"},
		"hr":      {"Deklaraciju su poduprle 2 organizacije.", "Postaje djelotvorna kada je podupre najmanje 20 organizacija: potrebno je još 18.", "<td>Srbija</td>", "Provjera"},
		"bs":      {"Deklaraciju su podržale 2 organizacije.", "Postaje djelotvorna kada je podrži najmanje 20 organizacija: potrebno je još 18.", "<td>Bosna i Hercegovina</td>"},
		"mk":      {"Декларацијата ја поддржаа 2 организации.", "Станува делотворна кога ќе ја поддржат најмалку 20 организации: потребни се уште 18.", "<td>Србија</td>", "<td>Босна и Херцеговина</td>", "По земји"},
	}
	for lang, wants := range want {
		var buf bytes.Buffer
		if err := WritePage(&buf, exp, lang); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		html := buf.String()
		tr, _ := Lookup("v1", lang)
		wants = append(wants, `<html lang="`+lang+`">`, "<title>"+Title(tr.Markdown)+"</title>", notice[lang][1],
			"<details>", "<h1>Western Balkans Civil Society Declaration", "ASTRA &lt;Anti Trafficking Action&gt;")
		for _, s := range wants {
			if !strings.Contains(html, s) {
				t.Errorf("%s page lacks %q", lang, s)
			}
		}
		translated, _, _ := strings.Cut(html, "<details>") // the original follows
		for _, s := range []string{"have endorsed", "By country", "<td>Serbia</td>", "<td>RS</td>"} {
			if strings.Contains(translated, s) {
				t.Errorf("%s page has the English or the code %q", lang, s)
			}
		}
	}
	var buf bytes.Buffer
	if err := WritePage(&buf, exp, "de"); err == nil || !strings.Contains(err.Error(), "languages: en, bs, hr, mk, sr-Cyrl, sr-Latn") {
		t.Errorf("page in de: %v", err)
	}
	// A network whose Declaration is not the text this kolo translated
	// gets no translation: it would not be the text its members signed.
	other := exp
	other.Network.Declaration.SHA256 = strings.Repeat("0", 64)
	if err := WritePage(&buf, other, "mk"); err == nil || !strings.Contains(err.Error(), "write the page in en") {
		t.Errorf("page in mk of another text: %v", err)
	}
}

// TestPageCounts: the count reads as each language writes numbers: the
// noun and verb follow the plural category of the number.
func TestPageCounts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang             string
		count, threshold int
		want             string
	}{
		{"en", 0, 20, "No organisation has endorsed this Declaration yet. It becomes viable once 20 organisations have endorsed it: 20 more are needed."},
		{"en", 1, 20, "1 organisation has endorsed this Declaration. It becomes viable once 20 organisations have endorsed it: 19 more are needed."},
		{"en", 19, 20, "19 organisations have endorsed this Declaration. It becomes viable once 20 organisations have endorsed it: 1 more is needed."},
		{"en", 23, 20, "23 organisations have endorsed this Declaration. It has reached the 20 endorsements it needed and is viable."},
		{"sr-Latn", 1, 20, "Deklaraciju je podržala 1 organizacija. Postaje delotvorna kada je podrži najmanje 20 organizacija: potrebno je još 19."},
		{"sr-Latn", 5, 20, "Deklaraciju je podržalo 5 organizacija. Postaje delotvorna kada je podrži najmanje 20 organizacija: potrebno je još 15."},
		{"sr-Latn", 17, 20, "Deklaraciju je podržalo 17 organizacija. Postaje delotvorna kada je podrži najmanje 20 organizacija: potrebne su još 3."},
		{"sr-Latn", 21, 24, "Deklaraciju je podržala 21 organizacija. Postaje delotvorna kada je podrže najmanje 24 organizacije: potrebne su još 3."},
		{"sr-Latn", 19, 20, "Deklaraciju je podržalo 19 organizacija. Postaje delotvorna kada je podrži najmanje 20 organizacija: potrebna je još 1."},
		{"hr", 12, 20, "Deklaraciju je poduprlo 12 organizacija. Postaje djelotvorna kada je podupre najmanje 20 organizacija: potrebno je još 8."},
		{"hr", 22, 20, "Deklaraciju su poduprle 22 organizacije. Time je dosegnut potreban prag (20) i Deklaracija je djelotvorna."},
		{"mk", 0, 20, "Декларацијата сè уште не ја поддржала ниту една организација. Станува делотворна кога ќе ја поддржат најмалку 20 организации: потребни се уште 20."},
		{"mk", 1, 20, "Декларацијата ја поддржа 1 организација. Станува делотворна кога ќе ја поддржат најмалку 20 организации: потребни се уште 19."},
		{"mk", 11, 20, "Декларацијата ја поддржаа 11 организации. Станува делотворна кога ќе ја поддржат најмалку 20 организации: потребни се уште 9."},
		{"mk", 21, 20, "Декларацијата ја поддржа 21 организација. Со тоа е достигнат потребниот праг (20) и Декларацијата е делотворна."},
		{"bs", 3, 20, "Deklaraciju su podržale 3 organizacije. Postaje djelotvorna kada je podrži najmanje 20 organizacija: potrebno je još 17."},
		{"sr-Cyrl", 2, 20, "Декларацију су подржале 2 организације. Постаје делотворна када је подржи најмање 20 организација: потребно је још 18."},
	}
	for _, c := range cases {
		st := Status{Count: c.count, Threshold: c.threshold, Viable: c.count >= c.threshold}
		if got := strings.Join(pageLanguages[c.lang].statusLines(c.lang, st), " "); got != c.want {
			t.Errorf("%s, %d of %d:\n got %s\nwant %s", c.lang, c.count, c.threshold, got, c.want)
		}
	}
	for _, c := range []struct{ lang, cc, want string }{
		{"en", "MK", "North Macedonia"}, {"mk", "MK", "Северна Македонија"}, {"hr", "ME", "Crna Gora"},
		{"sr-Cyrl", "XK", "Косово"}, {"bs", "AL", "Albanija"}, {"en", "QQ", "QQ"},
	} {
		if got := countryName(c.lang, c.cc); got != c.want {
			t.Errorf("countryName(%s, %s) = %q, want %q", c.lang, c.cc, got, c.want)
		}
	}
}

// TestPageMarkdownSafe: the Declaration's text comes from the network
// file, which a peer wrote: raw HTML and script links in it do not reach
// the page.
func TestPageMarkdownSafe(t *testing.T) {
	t.Parallel()
	w, _ := exportedWorld(t)
	exp, err := w.ledger.Export()
	if err != nil {
		t.Fatal(err)
	}
	exp.Network.Declaration.Text = "# Title <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) <b onclick=x>bold</b>\n"
	var buf bytes.Buffer
	if err := WriteHTML(&buf, exp); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, bad := range []string{"<script>alert", "<img", "javascript:", "<b onclick"} {
		if strings.Contains(html, bad) {
			t.Errorf("page carries %q from the network's text:\n%s", bad, html)
		}
	}
	if !strings.Contains(html, ">click</a>") {
		t.Errorf("the link's text is gone")
	}
}
