package hr

import (
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

// TestArticles holds every option of the article question of every
// judgment version to the Criminal Code: art. 106(2) (trafficking in
// children) and art. 106(3) committed against a child count as thb_child,
// the rest of art. 106 as thb. The form knows no statutory minimum for
// Croatia and leaves below_statutory_minimum to the monitor. A new article
// fails here until its row is added.
func TestArticles(t *testing.T) {
	t.Parallel()
	suite().Articles(t, "article", map[string]plugintest.Article{
		"art_106":         {Offence: "thb"},
		"art_106_2":       {Offence: "thb_child"},
		"art_106_3_child": {Offence: "thb_child"},
		"art_106_3":       {Offence: "thb"},
		"art_105":         {Offence: "slavery"},
		"art_157":         {Offence: "mediation_prostitution"},
		"art_326":         {Offence: "smuggling"},
		"other":           {Offence: "other"},
	})
}
