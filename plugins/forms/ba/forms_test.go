package ba

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/kolo-net/kolo/plugins/sdk"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the forms")

// testNow is the fixed "today" of these tests.
var testNow = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

// languages are the languages every label of these forms carries.
var languages = []string{"en", "bs"}

// specs returns the package's forms by reference ("ba.judgment@1"), with
// the clock fixed.
func specs(t *testing.T) map[string]sdk.Spec {
	t.Helper()
	out := map[string]sdk.Spec{}
	for _, f := range Forms() {
		s, ok := f.(sdk.Spec)
		if !ok {
			t.Fatalf("form %T is not an sdk.Spec", f)
		}
		s.Now = func() time.Time { return testNow }
		out[s.Info.Ref()] = s
	}
	return out
}

// golden names a file in testdata for form version fi: "judgment.v1.json".
func golden(fi sdk.FormInfo, suffix string) string {
	return filepath.Join("testdata", strings.TrimPrefix(fi.ID, "ba.")+".v"+strconv.Itoa(fi.Version)+suffix)
}

func TestFormsAreWellMade(t *testing.T) {
	t.Parallel()
	var infos []sdk.FormInfo
	kinds := map[sdk.Kind]bool{}
	for _, s := range specs(t) {
		infos = append(infos, s.Info)
		kinds[s.Info.Kind] = true
		if s.Info.Country != Country || s.Info.CodeVersion != CodeVersion {
			t.Errorf("%s: country %q, code version %q", s.Info.Ref(), s.Info.Country, s.Info.CodeVersion)
		}
		checkLabels(t, s.Info.Ref()+" title", s.Info.Title)
		for _, f := range s.Info.Fields {
			checkLabels(t, s.Info.Ref()+" "+f.ID, f.Label)
			if f.Help != nil {
				checkLabels(t, s.Info.Ref()+" "+f.ID+" help", f.Help)
			}
			for _, o := range f.Options {
				checkLabels(t, s.Info.Ref()+" "+f.ID+"="+o.Value, o.Label)
			}
			switch f.ID {
			case "case_number", "defendant_initials", "victim_code":
				if !f.Personal {
					t.Errorf("%s: %s is not marked personal", s.Info.Ref(), f.ID)
				}
			case "notes":
				if !f.FreeText || f.Type != sdk.TypeText {
					t.Errorf("%s: notes is not free text", s.Info.Ref())
				}
			}
		}
	}
	if err := sdk.CheckVersions(infos); err != nil {
		t.Fatal(err)
	}
	for _, k := range sdk.Kinds {
		if !kinds[k] {
			t.Errorf("no form of kind %s", k)
		}
	}
}

// Latin abbreviations that Cyrillic labels may keep.
var latinKept = []string{"EUR", "EU", "UN", "GRETA"}

func checkLabels(t *testing.T, what string, l sdk.Label) {
	t.Helper()
	for _, lang := range languages {
		s := l[lang]
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s: no %s label", what, lang)
			continue
		}
		if lang == "mk" || lang == "sr-Cyrl" {
			for _, keep := range latinKept {
				s = strings.ReplaceAll(s, keep, "")
			}
			if strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) >= 0 {
				t.Errorf("%s: %s label %q has Latin letters", what, lang, l[lang])
			}
		}
	}
}

// TestGolden normalises the valid record of each form version
// (testdata/<kind>.v<N>.json) and compares the indicators with
// <kind>.v<N>.common.json, and the form's schema with <kind>.v<N>.schema.json.
// The schema file keeps a shipped version from changing unnoticed (a
// change is a new version; see sdk.Spec). Run with -update to rewrite the
// golden files after a deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for ref, s := range specs(t) {
		t.Run(ref, func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(golden(s.Info, ".json"))
			if err != nil {
				t.Fatalf("every form version needs a valid record: %v", err)
			}
			defer f.Close()
			a, err := sdk.DecodeAnswers(f)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if errs, err := s.Validate(ctx, a); errs != nil || err != nil {
				t.Fatalf("the golden record is invalid: %v %v", errs, err)
			}
			c, err := s.Normalize(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			for _, fld := range s.Info.Fields {
				if _, leaked := c[fld.ID]; leaked && fld.Private() {
					t.Errorf("private field %s became an indicator", fld.ID)
				}
			}
			compareGolden(t, golden(s.Info, ".common.json"), c)
			compareGolden(t, golden(s.Info, ".schema.json"), s.Info)
		})
	}
}

func compareGolden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; got:\n%s", path, got)
	}
}

// invalid is a broken record: a valid golden record with changes (a nil
// value deletes the answer) and the exact errors expected.
type invalid struct {
	name string
	form string // reference, e.g. "ba.judgment@1"
	set  map[string]any
	want []string
}

func runInvalid(t *testing.T, tests []invalid) {
	t.Helper()
	all := specs(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ok := all[tt.form]
			if !ok {
				t.Fatalf("no form %s", tt.form)
			}
			b, err := os.ReadFile(golden(s.Info, ".json"))
			if err != nil {
				t.Fatal(err)
			}
			a, err := sdk.ParseAnswers(b)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.set {
				if v == nil {
					delete(a, k)
				} else {
					a[k] = v
				}
			}
			errs, err := s.Validate(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, len(errs))
			for i, e := range errs {
				got[i] = e.Error()
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if _, err := s.Normalize(context.Background(), a); err == nil {
				t.Error("Normalize accepted the invalid record")
			}
		})
	}
}
