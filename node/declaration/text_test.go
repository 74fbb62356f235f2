package declaration

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// translated are the languages v1 must ship besides the English original:
// the languages of the network's countries.
var translated = []string{"sr-Latn", "sr-Cyrl", "hr", "bs", "mk"}

// notice is the first words of the note that opens each translation,
// saying, in its own language, that it is a translation and not the
// signed text.
var notice = map[string][]string{
	"sr-Latn": {"Prevod na srpski", "nije potpisani tekst"},
	"sr-Cyrl": {"Превод на српски", "није потписани текст"},
	"hr":      {"Prijevod na hrvatski", "nije potpisani tekst"},
	"bs":      {"Prijevod na bosanski", "nije potpisani tekst"},
	"mk":      {"Превод на македонски", "не е потпишаниот текст"},
}

// legalTerm is the offence's name as each country's criminal code has it.
var legalTerm = map[string]string{
	"sr-Latn": "trgovine ljudima", "sr-Cyrl": "трговине људима", "hr": "trgovanja ljudima",
	"bs": "trgovine ljudima", "mk": "трговијата со луѓе",
}

// TestTranslations: v1 ships in every language of the network; each
// translation opens with a note, in its language, that it is a
// translation and which original (by SHA-256) is signed; it keeps the
// original's structure; the Cyrillic texts hold no Latin words; and none
// of them changes the identity.
func TestTranslations(t *testing.T) {
	t.Parallel()
	orig := Current()
	langs := Languages("v1")
	if langs[0] != Original {
		t.Errorf("Languages = %v: the original first", langs)
	}
	for _, lang := range translated {
		if !slices.Contains(langs, lang) {
			t.Errorf("v1 is not shipped in %s (languages: %v)", lang, langs)
			continue
		}
		tr, err := Lookup("v1", lang)
		if err != nil {
			t.Fatal(err)
		}
		if !tr.IsTranslation() || tr.Identity != orig.SHA256 || tr.SHA256 == orig.SHA256 || tr.Ref().SHA256 == orig.SHA256 {
			t.Errorf("%s: translation %v, identity %s, sha256 %s", lang, tr.IsTranslation(), tr.Identity, tr.SHA256)
		}
		head, _, _ := strings.Cut(tr.Markdown, "\n\n")
		for _, w := range append(notice[lang], orig.SHA256) {
			if !strings.HasPrefix(head, "> ") || !strings.Contains(head, w) {
				t.Errorf("%s: the opening note %q lacks %q", lang, head, w)
			}
		}
		if !strings.Contains(tr.Markdown, legalTerm[lang]) {
			t.Errorf("%s: does not name the offence as %q", lang, legalTerm[lang])
		}
		if title := Title(tr.Markdown); title == Title(orig.Markdown) || title == "Declaration" {
			t.Errorf("%s: title %q", lang, title)
		}
		for _, re := range []string{`(?m)^## `, `(?m)^[0-9]\. \*\*`, `(?m)^\*\*`, `(?m)^# `} {
			if o, n := count(orig.Markdown, re), count(tr.Markdown, re); o != n {
				t.Errorf("%s: %d lines match %s, the original has %d", lang, n, re, o)
			}
		}
		if lang == "sr-Cyrl" || lang == "mk" {
			body := strings.ReplaceAll(strings.TrimPrefix(tr.Markdown, head), "v1", "")
			if i := strings.IndexFunc(body, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }); i >= 0 {
				t.Errorf("%s: a Latin letter in the Cyrillic text: %q", lang, body[max(i-20, 0):min(i+20, len(body))])
			}
		}
	}
	// Tags are read in any case.
	if tr, err := Lookup("v1", "SR-latn"); err != nil || tr.Language != "sr-Latn" {
		t.Errorf("Lookup(v1, SR-latn) = %s, %v", tr.Language, err)
	}
}

func count(s, re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(s, -1)) }
