package rs

import (
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

// TestArticles holds every option of the article question of every
// judgment version to the Criminal Code: the offence it counts as and the
// statutory minimum the form computes below_statutory_minimum from.
// Art. 388(1): three to twelve years; art. 388(3), against a minor: at
// least five years (Krivični zakonik, as amended by 72/2009). A new
// article fails here until its row is added.
func TestArticles(t *testing.T) {
	t.Parallel()
	suite().Articles(t, "article", map[string]plugintest.Article{
		"art_388":   {Offence: "thb", MinMonths: 36},
		"art_388_3": {Offence: "thb_child", MinMonths: 60},
		"art_389":   {Offence: "thb_child"},
		"art_390":   {Offence: "slavery"},
		"art_184":   {Offence: "mediation_prostitution"},
		"art_350":   {Offence: "smuggling"},
		"other":     {Offence: "other"},
	})
}
