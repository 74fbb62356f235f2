package plugintest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// articleSuite is a judgment form whose article question has art_1 (thb,
// at least 36 months), art_2 (thb_child, no minimum known) and other,
// mapped by offences and minimum; its golden record is in a new testdata
// directory.
func articleSuite(t *testing.T, offences map[string]string, minimum map[string]int64) Suite {
	t.Helper()
	fields := sdk.IndicatorFields(sdk.KindJudgment, "verdict", "child_victims", "sentence_months", "below_statutory_minimum")
	fields = append(fields, sdk.Field{ID: "article", Type: sdk.TypeChoice, Required: true, Label: sdk.Label{"en": "Article"},
		Options: []sdk.Option{{Value: "art_1", Label: sdk.Label{"en": "1"}}, {Value: "art_2", Label: sdk.Label{"en": "2"}},
			{Value: "other", Label: sdk.Label{"en": "Other"}}}})
	spec := sdk.Spec{
		Info: sdk.FormInfo{ID: "me.judgment", Version: 1, Kind: sdk.KindJudgment, Country: "ME", Title: sdk.Label{"en": "Judgment"}, Fields: fields},
		Map: func(fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error) {
			c := sdk.MapByName(fi, a)
			art, _ := a["article"].(string)
			c["offence"] = offences[art]
			if min, ok := minimum[art]; ok {
				if _, answered := c["below_statutory_minimum"]; !answered {
					c["below_statutory_minimum"] = c["sentence_months"].(int64) < min
				}
			}
			return c, nil
		},
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "judgment.v1.json"), []byte(`{"article": "art_1", "verdict": "acquitted"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return Suite{Country: "ME", Forms: []sdk.Form{spec}, Dir: dir}
}

var articleTable = map[string]Article{
	"art_1": {Offence: "thb", MinMonths: 36},
	"art_2": {Offence: "thb_child"},
	"other": {Offence: "other"},
}

func TestArticlesPass(t *testing.T) {
	t.Parallel()
	articleSuite(t, map[string]string{"art_1": "thb", "art_2": "thb_child", "other": "other"}, map[string]int64{"art_1": 36}).
		Articles(t, "article", articleTable)
}

func TestArticlesReport(t *testing.T) {
	t.Parallel()
	right := map[string]string{"art_1": "thb", "art_2": "thb_child", "other": "other"}
	for _, tc := range []struct {
		name     string
		offences map[string]string
		minimum  map[string]int64
		table    map[string]Article
		want     string
	}{
		{"article without a row", right, map[string]int64{"art_1": 36}, map[string]Article{"art_1": articleTable["art_1"], "other": articleTable["other"]},
			`me.judgment@1: article "art_2" has no expected mapping: add it to the test's table`},
		{"child article mapped as adult", map[string]string{"art_1": "thb", "art_2": "thb", "other": "other"}, map[string]int64{"art_1": 36}, articleTable,
			"me.judgment@1 article art_2: offence thb, want thb_child"},
		{"minimum not known to the form", right, nil, articleTable,
			"me.judgment@1 article art_1: 35 months (minimum 36): below_statutory_minimum unanswered, want true"},
		{"wrong minimum", right, map[string]int64{"art_1": 24}, articleTable,
			"me.judgment@1 article art_1: 35 months (minimum 36): below_statutory_minimum false, want true"},
		{"minimum the code does not give", right, map[string]int64{"art_1": 36, "art_2": 60}, articleTable,
			"me.judgment@1 article art_2: below_statutory_minimum true for an article without a known minimum"},
		{"article unmapped", map[string]string{"art_1": "thb", "art_2": "thb_child"}, map[string]int64{"art_1": 36}, articleTable,
			"me.judgment@1 article other: a conviction of 1 months:"},
		{"no such question", right, nil, nil, "me.judgment@1: no field charge with options"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := articleSuite(t, tc.offences, tc.minimum)
			field := "article"
			if tc.table == nil {
				field = "charge"
			}
			r := record(func(t tb) { s.articles(t, field, tc.table) })
			if !r.has(tc.want) {
				t.Errorf("want a report containing %q, got:\n%s", tc.want, r)
			}
		})
	}
}
