package ba

import (
	"context"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

// in sets the record's sub-jurisdiction to the article's code.
func in(sj string) map[string]any { return map[string]any{sdk.FieldSubJurisdiction: sj} }

// TestArticles holds every option of the article question of every
// judgment version to the four codes: trafficking in children (state art.
// 186(2), FBiH art. 210a(2), Brčko art. 207a(2), Republika Srpska art.
// 146) counts as thb_child, the rest of trafficking as thb. The form
// knows no statutory minimum for Bosnia and Herzegovina and leaves
// below_statutory_minimum to the monitor. A new article fails here until
// its row is added.
func TestArticles(t *testing.T) {
	t.Parallel()
	suite().Articles(t, "article", map[string]plugintest.Article{
		"state_186":    {Offence: "thb", Set: in("state")},
		"state_186_2":  {Offence: "thb_child", Set: in("state")},
		"state_186a":   {Offence: "thb", Set: in("state")},
		"fbih_210a":    {Offence: "thb", Set: in("fbih")},
		"fbih_210a_2":  {Offence: "thb_child", Set: in("fbih")},
		"fbih_210b":    {Offence: "thb", Set: in("fbih")},
		"rs_145":       {Offence: "thb", Set: in("rs")},
		"rs_146":       {Offence: "thb_child", Set: in("rs")},
		"brcko_207a":   {Offence: "thb", Set: in("brcko")},
		"brcko_207a_2": {Offence: "thb_child", Set: in("brcko")},
		"brcko_207b":   {Offence: "thb", Set: in("brcko")},
		"other":        {Offence: "other"},
	})
}

// TestChildVictimsOnVersion1: version 1 lists no child paragraph, so a
// judgment entered on it under state art. 186, FBiH art. 210a or Brčko
// art. 207a with a child victim counts as trafficking in children; with
// none, as trafficking. Version 2 maps the paragraph the monitor chose.
func TestChildVictimsOnVersion1(t *testing.T) {
	t.Parallel()
	specs := suite().Specs(t)
	for _, tc := range []struct {
		form, sj, article string
		childVictims      float64
		want              string
	}{
		{"ba.judgment@1", "state", "state_186", 1, "thb_child"},
		{"ba.judgment@1", "fbih", "fbih_210a", 2, "thb_child"},
		{"ba.judgment@1", "brcko", "brcko_207a", 1, "thb_child"},
		{"ba.judgment@1", "fbih", "fbih_210a", 0, "thb"},
		{"ba.judgment@1", "state", "state_186a", 1, "thb"}, // organised trafficking: no child paragraph listed
		{"ba.judgment@1", "rs", "rs_145", 1, "thb"},        // Republika Srpska: art. 146 is the child article
		{"ba.judgment@2", "fbih", "fbih_210a", 1, "thb"},
		{"ba.judgment@2", "fbih", "fbih_210a_2", 1, "thb_child"},
	} {
		a := sdk.Answers{sdk.FieldSubJurisdiction: tc.sj, "court": "Sud", "court_level": "first_instance", "article": tc.article,
			"decision_date": "2024-01-01", "defendants": 1.0, "victims": 3.0, "child_victims": tc.childVictims, "verdict": "acquitted"}
		c, err := specs[tc.form].Normalize(context.Background(), a)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.form, tc.article, err)
		}
		if c["offence"] != tc.want {
			t.Errorf("%s, %s, %v child victims: offence %v, want %s", tc.form, tc.article, tc.childVictims, c["offence"], tc.want)
		}
	}
}
