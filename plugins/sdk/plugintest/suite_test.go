package plugintest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// record runs f against a recorder and returns what it reported.
func record(f func(t tb)) *recorder {
	var r recorder
	func() {
		defer func() {
			if v := recover(); v != nil && v != (fatal{}) {
				panic(v)
			}
		}()
		f(&r)
	}()
	return &r
}

// montenegro is a made-up country with a form of every kind, labelled in
// English and Macedonian (a Cyrillic language the catalogue carries).
func montenegro() Suite {
	var forms []sdk.Form
	for _, k := range sdk.Kinds {
		fields := sdk.IndicatorFields(k, sdk.Indicators(k)[0].Name)
		if k == sdk.KindJudgment {
			fields = append(fields,
				sdk.Field{ID: "case_number", Type: sdk.TypeString, MaxLen: 40, Personal: true,
					Label: sdk.Label{"en": "Case number", "mk": "Број на предмет"}},
				sdk.NotesField("notes"))
		}
		forms = append(forms, sdk.Spec{Info: sdk.FormInfo{ID: "me." + string(k), Version: 1, Kind: k, Country: "ME",
			CodeVersion: "KZ CG", Title: sdk.Label{"en": string(k), "mk": "Образец"}, Fields: fields}})
	}
	return Suite{Country: "ME", CodeVersion: "KZ CG", Languages: []string{"en", "mk"}, Forms: forms,
		Now: time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)}
}

// withGolden writes a valid record of every form of s into a new
// directory, then the golden files made from them (Update), and returns s
// reading from that directory.
func withGolden(t *testing.T, s Suite) Suite {
	t.Helper()
	s.Dir = t.TempDir()
	s.Update = true
	for _, sp := range s.Specs(t) {
		b, err := json.Marshal(madeUp(sp.Info)[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(s.goldenPath(sp.Info, ".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if r := record(func(t tb) { s.golden(t, sp) }); len(r.errors) > 0 {
			t.Fatalf("update %s: %s", sp.Info.Ref(), r)
		}
	}
	s.Update = false
	return s
}

// goldenAll runs Golden's check of every form version of s.
func goldenAll(s Suite) func(t tb) {
	return func(t tb) {
		for _, sp := range s.specs(t) {
			s.golden(t, sp)
		}
	}
}

func TestSuitePasses(t *testing.T) {
	t.Parallel()
	s := withGolden(t, montenegro())
	s.WellMade(t)
	s.Golden(t)
	s.Invalid(t, []Invalid{{Name: "notes a number", Form: "me.judgment@1", Set: map[string]any{"court_level": nil, "notes": 3.0},
		Want: []string{`notes: must be text, got "3"`}}})
	for _, name := range []string{"judgment.v1.json", "judgment.v1.common.json", "judgment.v1.schema.json", "engagement.v1.schema.json"} {
		if _, err := os.Stat(filepath.Join(s.Dir, name)); err != nil {
			t.Errorf("Update did not write %s: %v", name, err)
		}
	}
}

func TestSuiteReports(t *testing.T) {
	t.Parallel()
	// edit changes the judgment form of a fresh suite.
	edit := func(f func(fi *sdk.FormInfo)) Suite {
		s := montenegro()
		sp := s.Forms[0].(sdk.Spec)
		fi := sp.Info
		fi.Title = sdk.Label{"en": fi.Title["en"], "mk": fi.Title["mk"]}
		fi.Fields = slices.Clone(fi.Fields)
		f(&fi)
		sp.Info = fi
		s.Forms = append([]sdk.Form{sp}, s.Forms[1:]...)
		return s
	}
	field := func(fi *sdk.FormInfo, id string) *sdk.Field {
		for i := range fi.Fields {
			if fi.Fields[i].ID == id {
				return &fi.Fields[i]
			}
		}
		t.Fatalf("no field %s", id)
		return nil
	}
	for _, tc := range []struct {
		name  string
		suite Suite
		want  string
	}{
		{"missing language", func() Suite { s := montenegro(); s.Languages = append(s.Languages, "sq"); return s }(),
			"me.judgment@1 title: no sq label"},
		{"Latin in a Cyrillic label", edit(func(fi *sdk.FormInfo) { fi.Title["mk"] = "Presuda" }),
			`me.judgment@1 title: mk label "Presuda" has Latin letters`},
		{"Latin in an option", edit(func(fi *sdk.FormInfo) {
			f := field(fi, "court_level")
			f.Options = slices.Clone(f.Options)
			f.Options[0].Label = sdk.Label{"en": "First instance", "mk": "Прв степен (first)"}
		}), `me.judgment@1 court_level=first_instance: mk label "Прв степен (first)" has Latin letters`},
		{"missing help text", edit(func(fi *sdk.FormInfo) { field(fi, "notes").Help = sdk.Label{"en": "Stays here."} }),
			"me.judgment@1 notes help: no mk label"},
		{"wrong code version", func() Suite { s := montenegro(); s.CodeVersion = "KZ CG 2024"; return s }(),
			`me.engagement@1: country "ME", code version "KZ CG"; want "ME", "KZ CG 2024"`},
		{"wrong id", edit(func(fi *sdk.FormInfo) { fi.ID = "me.verdicts" }), "me.verdicts@1: id must be me.judgment"},
		{"personal field not marked", edit(func(fi *sdk.FormInfo) { field(fi, "case_number").Personal = false }),
			"me.judgment@1: case_number is not marked personal"},
		{"notes not free text", edit(func(fi *sdk.FormInfo) { field(fi, "notes").FreeText = false }),
			"me.judgment@1: notes is not free text"},
		{"missing kind", func() Suite { s := montenegro(); s.Forms = s.Forms[:5]; return s }(), "no form of kind engagement"},
		{"not well made", edit(func(fi *sdk.FormInfo) { fi.Version = 2 }), "forms are not well made"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if r := record(tc.suite.wellMade); !r.has(tc.want) {
				t.Errorf("want a report containing %q, got:\n%s", tc.want, r)
			}
		})
	}
	t.Run("Cyrillic abbreviations", func(t *testing.T) {
		t.Parallel()
		s := edit(func(fi *sdk.FormInfo) { fi.Title["mk"] = "Пресуда (EUR, EU, UN, GRETA)" })
		if r := record(s.wellMade); len(r.errors) > 0 {
			t.Errorf("kept abbreviations reported: %s", r)
		}
	})
}

func TestGoldenReports(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, s *Suite) // after the golden files are written
		want   string
	}{
		{"indicators changed", func(t *testing.T, s *Suite) {
			write(t, filepath.Join(s.Dir, "judgment.v1.common.json"), `{"court_level": "appeal"}`)
		}, "judgment.v1.common.json differs"},
		{"schema changed", func(t *testing.T, s *Suite) {
			sp := s.Forms[1].(sdk.Spec)
			sp.Info.Fields = slices.Clone(sp.Info.Fields)
			sp.Info.Fields[0].Label = sdk.Label{"en": "Changed", "mk": "Изменето"}
			s.Forms[1] = sp
		}, "trial_hearing.v1.schema.json differs"},
		{"record missing", func(t *testing.T, s *Suite) {
			if err := os.Remove(filepath.Join(s.Dir, "police_case.v1.json")); err != nil {
				t.Fatal(err)
			}
		}, "every form version needs a valid record"},
		{"record invalid", func(t *testing.T, s *Suite) {
			write(t, filepath.Join(s.Dir, "judgment.v1.json"), `{"court_level": "guilty"}`)
		}, "the golden record"},
		{"golden file missing", func(t *testing.T, s *Suite) {
			if err := os.Remove(filepath.Join(s.Dir, "engagement.v1.schema.json")); err != nil {
				t.Fatal(err)
			}
		}, "run go test -update to write it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := withGolden(t, montenegro())
			s.Forms = slices.Clone(s.Forms)
			tc.change(t, &s)
			if r := record(goldenAll(s)); !r.has(tc.want) {
				t.Errorf("want a report containing %q, got:\n%s", tc.want, r)
			}
		})
	}
}

func TestInvalidReports(t *testing.T) {
	t.Parallel()
	s := withGolden(t, montenegro())
	specs := s.Specs(t)
	for _, tc := range []struct {
		name string
		c    Invalid
		want string
	}{
		{"other errors", Invalid{Form: "me.judgment@1", Set: map[string]any{"court_level": "guilty"}, Want: []string{"court_level: is required"}},
			"errors:\ncourt_level: must be one of first_instance, appeal, supreme, got \"guilty\"\nwant:\ncourt_level: is required"},
		{"valid record", Invalid{Form: "me.judgment@1", Set: map[string]any{"notes": "fine"}, Want: []string{"notes: is wrong"}},
			"Normalize accepted the invalid record"},
		{"unknown form", Invalid{Form: "me.judgment@9"}, "no form me.judgment@9 (the forms are me.engagement@1, "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if r := record(func(t tb) { s.invalid(t, specs, tc.c) }); !r.has(tc.want) {
				t.Errorf("want a report containing %q, got:\n%s", tc.want, r)
			}
		})
	}
}

func TestCyrillic(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]bool{"mk": true, "sr-Cyrl": true, "bs-Cyrl": true, "sr": false,
		"sr-Latn": false, "en": false, "hr": false, "bs": false, "sq": false} {
		if got := cyrillic(lang); got != want {
			t.Errorf("cyrillic(%q) = %v, want %v", lang, got, want)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
