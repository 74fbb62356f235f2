package sdk

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestInLanguages(t *testing.T) {
	t.Parallel()
	f := IndicatorField(KindJudgment, "verdict").InLanguages("en", "sr-Latn", "sr-Cyrl")
	want := []string{"en", "sr-Cyrl", "sr-Latn"}
	if got := slices.Sorted(maps.Keys(f.Label)); !slices.Equal(got, want) {
		t.Fatalf("label languages %v, want %v", got, want)
	}
	if f.Label["sr-Latn"] != IndicatorField(KindJudgment, "verdict").Label["sr-Latn"] {
		t.Errorf("the catalogue's Serbian text was not kept: %q", f.Label["sr-Latn"])
	}
	for _, o := range f.Options {
		if got := slices.Sorted(maps.Keys(o.Label)); !slices.Equal(got, want) {
			t.Errorf("option %s: languages %v, want %v", o.Value, got, want)
		}
	}
	// The catalogue is untouched.
	if len(IndicatorField(KindJudgment, "verdict").Options[0].Label) != len(Languages) {
		t.Error("InLanguages changed the catalogue's option labels")
	}
	notes := NotesField("notes").InLanguages("en", "bs")
	if len(notes.Help) != 2 || notes.Help["bs"] == "" {
		t.Errorf("notes help: %v", notes.Help)
	}
}

func TestInLanguagesMissingText(t *testing.T) {
	t.Parallel()
	defer func() {
		v := recover()
		msg, _ := v.(string)
		if !strings.Contains(msg, `verdict has no "sq" text (it has bs, en, hr, mk, sr-Cyrl, sr-Latn)`) {
			t.Fatalf("panic %v", v)
		}
	}()
	IndicatorField(KindJudgment, "verdict").InLanguages("en", "sq")
}
