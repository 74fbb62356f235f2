package plugintest

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/language"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Suite checks the forms of one country against what its authors wrote
// down beside them: the languages every label carries, a valid record of
// each form version in testdata, the indicators and the schema that
// record and version must keep, and broken records with the exact errors
// they must produce. The forms shipped with kolo (plugins/forms/rs, hr,
// ba, mk) use it; a plugin author may too, next to Run:
//
//	var update = flag.Bool("update", false, "rewrite the golden files in testdata from the forms")
//
//	func suite() plugintest.Suite {
//		return plugintest.Suite{Country: Country, CodeVersion: CodeVersion,
//			Languages: []string{"en", "sq"}, Forms: Forms(),
//			Now: time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC), Update: *update}
//	}
//
//	func TestFormsAreWellMade(t *testing.T) { suite().WellMade(t) }
//	func TestGolden(t *testing.T)          { suite().Golden(t) }
//
// Every form must be an sdk.Spec (the Suite fixes its clock).
type Suite struct {
	// Country is the ISO 3166-1 code every form carries, "RS".
	Country string
	// CodeVersion is the text of the criminal code every form names.
	CodeVersion string
	// Languages are the BCP 47 tags every title, label, help text and
	// option label carries, "en" first.
	Languages []string
	// Forms are every version of every form of the country.
	Forms []sdk.Form
	// Now is the fixed "today" the forms validate dates against; the zero
	// time leaves each form's own clock.
	Now time.Time
	// Dir holds the golden files; "testdata" when empty.
	Dir string
	// Update makes Golden rewrite the golden files from the forms instead
	// of comparing them. Tie it to a -update flag of the test package.
	Update bool
}

// Invalid is a broken record: the valid golden record of Form with
// changes, and the exact errors the form must report for it.
type Invalid struct {
	// Name says what is broken; it names the subtest.
	Name string
	// Form is the reference of the form version, "rs.judgment@1".
	Form string
	// Set replaces answers of the golden record; a nil value deletes the
	// answer.
	Set map[string]any
	// Want are the errors, in order, as sdk.FieldError.Error writes them:
	// `court: is required`.
	Want []string
}

// personalFields are the field ids that name or point at a person
// wherever they appear; notesField is the monitor's free text.
var personalFields = []string{"case_number", "defendant_initials", "victim_code"}

const notesField = "notes"

// latinKept are the Latin abbreviations a Cyrillic label may keep.
var latinKept = []string{"EUR", "EU", "UN", "GRETA"}

// Specs returns the forms by reference ("rs.judgment@1"), each with its
// clock set to s.Now. It fails the test if a form is not an sdk.Spec.
func (s Suite) Specs(t testing.TB) map[string]sdk.Spec {
	t.Helper()
	return s.specs(t)
}

func (s Suite) specs(t tb) map[string]sdk.Spec {
	t.Helper()
	out := map[string]sdk.Spec{}
	for _, f := range s.Forms {
		sp, ok := f.(sdk.Spec)
		if !ok {
			t.Fatalf("form %T is not an sdk.Spec", f)
		}
		if now := s.Now; !now.IsZero() {
			sp.Now = func() time.Time { return now }
		}
		out[sp.Info.Ref()] = sp
	}
	return out
}

// WellMade checks that the forms are well made (sdk.CheckVersions), that
// there is a form of every kind, and that every form version
//
//   - has the id "<country>.<kind>", s.Country and s.CodeVersion;
//   - carries every language of s.Languages in its title and in every
//     label, help text and option label, and that text in a Cyrillic
//     language (mk, sr-Cyrl, …) has no Latin letters but the
//     abbreviations EUR, EU, UN and GRETA;
//   - marks case_number, defendant_initials and victim_code personal and
//     notes free text of type text, wherever these fields appear.
func (s Suite) WellMade(t *testing.T) {
	t.Helper()
	s.wellMade(t)
}

func (s Suite) wellMade(t tb) {
	t.Helper()
	specs := s.specs(t)
	var infos []sdk.FormInfo
	kinds := map[sdk.Kind]bool{}
	for _, ref := range slices.Sorted(maps.Keys(specs)) {
		fi := specs[ref].Info
		infos = append(infos, fi)
		kinds[fi.Kind] = true
		if want := strings.ToLower(s.Country) + "." + string(fi.Kind); fi.ID != want {
			t.Errorf("%s: id must be %s", ref, want)
		}
		if fi.Country != s.Country || fi.CodeVersion != s.CodeVersion {
			t.Errorf("%s: country %q, code version %q; want %q, %q", ref, fi.Country, fi.CodeVersion, s.Country, s.CodeVersion)
		}
		s.checkLabel(t, ref+" title", fi.Title)
		for _, f := range fi.Fields {
			s.checkLabel(t, ref+" "+f.ID, f.Label)
			if f.Help != nil {
				s.checkLabel(t, ref+" "+f.ID+" help", f.Help)
			}
			for _, o := range f.Options {
				s.checkLabel(t, ref+" "+f.ID+"="+o.Value, o.Label)
			}
			if slices.Contains(personalFields, f.ID) && !f.Personal {
				t.Errorf("%s: %s is not marked personal", ref, f.ID)
			}
			if f.ID == notesField && (!f.FreeText || f.Type != sdk.TypeText) {
				t.Errorf("%s: %s is not free text", ref, f.ID)
			}
		}
	}
	if err := sdk.CheckVersions(infos); err != nil {
		t.Fatalf("forms are not well made:\n%v", err)
	}
	for _, k := range sdk.Kinds {
		if !kinds[k] {
			t.Errorf("no form of kind %s", k)
		}
	}
}

// checkLabel checks that l has a text in every language of the suite, and
// no Latin letters in a text of a Cyrillic language.
func (s Suite) checkLabel(t tb, what string, l sdk.Label) {
	t.Helper()
	for _, lang := range s.Languages {
		text := l[lang]
		if strings.TrimSpace(text) == "" {
			t.Errorf("%s: no %s label", what, lang)
			continue
		}
		if !cyrillic(lang) {
			continue
		}
		for _, keep := range latinKept {
			text = strings.ReplaceAll(text, keep, "")
		}
		if strings.IndexFunc(text, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) >= 0 {
			t.Errorf("%s: %s label %q has Latin letters", what, lang, l[lang])
		}
	}
}

// cyrillic reports whether the language tag is written in Cyrillic: named
// so (sr-Cyrl), or a language hardly written otherwise (mk). Plain "sr",
// written in both scripts, is not.
func cyrillic(lang string) bool {
	script, conf := language.Make(lang).Script()
	return script.String() == "Cyrl" && conf >= language.High
}

// Golden checks each form version against its files in s.Dir, in a
// subtest per version:
//
//   - <kind>.v<N>.json is a valid record of the version: it must validate
//     without errors and normalise without leaking a personal or
//     free-text field into the indicators;
//   - <kind>.v<N>.common.json holds the indicators it normalises to;
//   - <kind>.v<N>.schema.json holds the version's sdk.FormInfo, so that a
//     shipped version does not change unnoticed (a change is a new
//     version; see sdk.Spec).
//
// With s.Update set, the .common.json and .schema.json files are
// rewritten instead; read the diff before committing it.
func (s Suite) Golden(t *testing.T) {
	t.Helper()
	specs := s.Specs(t)
	for _, ref := range slices.Sorted(maps.Keys(specs)) {
		sp := specs[ref]
		t.Run(ref, func(t *testing.T) {
			t.Parallel()
			s.golden(t, sp)
		})
	}
}

func (s Suite) golden(t tb, sp sdk.Spec) {
	t.Helper()
	f, err := os.Open(s.goldenPath(sp.Info, ".json"))
	if err != nil {
		t.Fatalf("every form version needs a valid record: %v", err)
	}
	defer f.Close()
	a, err := sdk.DecodeAnswers(f)
	if err != nil {
		t.Fatalf("%s: %v", f.Name(), err)
	}
	ctx := context.Background()
	if errs, err := sp.Validate(ctx, a); errs != nil || err != nil {
		t.Fatalf("the golden record %s is invalid: %v %v", f.Name(), errs, err)
	}
	c, err := sp.Normalize(ctx, a)
	if err != nil {
		t.Fatalf("normalise %s: %v", f.Name(), err)
	}
	for _, fld := range sp.Info.Fields {
		if _, leaked := c[fld.ID]; leaked && fld.Private() {
			t.Errorf("private field %s became an indicator", fld.ID)
		}
	}
	s.compareGolden(t, s.goldenPath(sp.Info, ".common.json"), c)
	s.compareGolden(t, s.goldenPath(sp.Info, ".schema.json"), sp.Info)
}

// goldenPath names a golden file of form version fi: "testdata/judgment.v1.json".
func (s Suite) goldenPath(fi sdk.FormInfo, suffix string) string {
	dir := s.Dir
	if dir == "" {
		dir = "testdata"
	}
	return filepath.Join(dir, string(fi.Kind)+".v"+strconv.Itoa(fi.Version)+suffix)
}

// compareGolden compares v, as indented JSON, with the file at path, or
// writes it there when s.Update is set.
func (s Suite) compareGolden(t tb, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	got = append(got, '\n')
	if s.Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update after a deliberate change, and read the diff); got:\n%s", path, got)
	}
}

// Invalid checks each broken record, in a parallel subtest named for it:
// Validate must report exactly its Want errors, and Normalize must refuse
// it.
func (s Suite) Invalid(t *testing.T, cases []Invalid) {
	t.Helper()
	specs := s.Specs(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			s.invalid(t, specs, c)
		})
	}
}

func (s Suite) invalid(t tb, specs map[string]sdk.Spec, c Invalid) {
	t.Helper()
	sp, ok := specs[c.Form]
	if !ok {
		t.Fatalf("no form %s (the forms are %s)", c.Form, strings.Join(slices.Sorted(maps.Keys(specs)), ", "))
	}
	path := s.goldenPath(sp.Info, ".json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the golden record: %v", err)
	}
	a, err := sdk.ParseAnswers(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for k, v := range c.Set {
		if v == nil {
			delete(a, k)
		} else {
			a[k] = v
		}
	}
	ctx := context.Background()
	errs, err := sp.Validate(ctx, a)
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	got := make([]string, len(errs))
	for i, e := range errs {
		got[i] = e.Error()
	}
	if g, w := strings.Join(got, "\n"), strings.Join(c.Want, "\n"); g != w {
		t.Errorf("errors:\n%s\nwant:\n%s", g, w)
	}
	if _, err := sp.Normalize(ctx, a); err == nil {
		t.Errorf("Normalize accepted the invalid record")
	}
}
