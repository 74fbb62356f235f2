package sdk

import (
	"strings"
	"testing"
	"unicode"
)

// TestUIText: every text of the catalogue is there in every language of
// the network, the Cyrillic ones hold no Latin words but what is typed as
// it is, and an unknown language falls back to English.
func TestUIText(t *testing.T) {
	t.Parallel()
	keys := UIKeys()
	if len(keys) < 40 {
		t.Fatalf("%d keys in the catalogue", len(keys))
	}
	for _, k := range keys {
		for _, lang := range Languages {
			s := uiTexts[k][lang]
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: no %s text", k, lang)
			}
			if lang == "sr-Cyrl" || lang == "mk" {
				rest := s
				for _, typed := range []string{"CSV", "JSONL", "XLSX", "JSON", "UTF-8", "Windows-1250", "Excel", "MiB", "SHA-256", "API", "UTC", "ID", "Age", "a;b", "--version N", "%d", "%s", "id", "docs/query.md", "OpenSSL", "Ed25519", "age", "kolo forms template", "kolo ui", "kolo"} {
					rest = strings.ReplaceAll(rest, typed, "")
				}
				if strings.ContainsFunc(rest, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) }) {
					t.Errorf("%s in %s has Latin letters: %q", k, lang, s)
				}
			}
		}
	}
	for _, ft := range []FieldType{TypeString, TypeText, TypeInt, TypeNumber, TypeBool, TypeDate, TypeChoice, TypeSet} {
		if got := UIText("en", UIKey("type."+string(ft))); got != string(ft) {
			t.Errorf("type %s in English is %q", ft, got)
		}
	}
	for _, k := range Kinds {
		if UIText("mk", UIKey("kind."+string(k))) == string(k) {
			t.Errorf("kind %s has no Macedonian name", k)
		}
	}
	if got := UIText("sq", UIStaysOnNode); got != "(stays on this node)" {
		t.Errorf("unknown language: %q", got)
	}
	if got := UIText("hr", "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key: %q", got)
	}
	if got := UIText("sr-Cyrl", "ui.import.bytes_read"); got != "прочитано %d од %d бајтова" {
		t.Errorf("sr-Cyrl keeps fmt verbs: %q", got)
	}
	if got := UIText("sr-Cyrl", "ui.import.file_help"); !strings.HasPrefix(got, "CSV, JSONL или XLSX (Excel), један запис по реду") || !strings.Contains(got, "(kolo forms template)") || !strings.Contains(got, "64 MiB") {
		t.Errorf("sr-Cyrl keeps what is typed: %q", got)
	}
	if got := UIText("sr-Cyrl", UIStaysOnNode); got != "(остаје на овом чвору)" {
		t.Errorf("sr-Cyrl: %q", got)
	}
}

// TestCodeVersionIn: the criminal-code line of a Serbian form reads in
// Cyrillic in an sr-Cyrl view; other views and forms keep it as written.
func TestCodeVersionIn(t *testing.T) {
	t.Parallel()
	rs := FormInfo{CodeVersion: "Krivični zakonik, Sl. glasnik RS 85/2005 … 35/2019: čl. 388", Title: l6("Judgment", "Presuda", "Presuda", "Presuda", "Пресуда")}
	if got := CodeVersionIn(rs, "sr-Cyrl"); got != "Кривични законик, Сл. гласник РС 85/2005 … 35/2019: чл. 388" {
		t.Errorf("sr-Cyrl: %q", got)
	}
	if got := CodeVersionIn(rs, "sr-Latn"); got != rs.CodeVersion {
		t.Errorf("sr-Latn: %q", got)
	}
	hr := FormInfo{CodeVersion: "Kazneni zakon, NN 125/11", Title: Label{"en": "Judgment", "hr": "Presuda"}}
	if got := CodeVersionIn(hr, "sr-Cyrl"); got != hr.CodeVersion {
		t.Errorf("a Croatian form in sr-Cyrl: %q", got)
	}
	mk := FormInfo{CodeVersion: "Кривичен законик, Службен весник на РМ 37/1996", Title: l6("Judgment", "Presuda", "Presuda", "Presuda", "Пресуда")}
	if got := CodeVersionIn(mk, "sr-Cyrl"); got != mk.CodeVersion {
		t.Errorf("a Cyrillic line: %q", got)
	}
}
