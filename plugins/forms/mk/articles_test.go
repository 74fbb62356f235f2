package mk

import (
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

// TestArticles holds every option of the article question of every
// judgment version to the Criminal Code: art. 418-г (trafficking in a
// juvenile) counts as thb_child, art. 418-а as thb. The form knows no
// statutory minimum for North Macedonia and leaves below_statutory_minimum
// to the monitor. A new article fails here until its row is added.
func TestArticles(t *testing.T) {
	t.Parallel()
	suite().Articles(t, "article", map[string]plugintest.Article{
		"art_418a": {Offence: "thb"},
		"art_418d": {Offence: "thb_child"},
		"art_418b": {Offence: "smuggling"},
		"art_418c": {Offence: "other"},
		"art_418":  {Offence: "slavery"},
		"art_191":  {Offence: "mediation_prostitution"},
		"other":    {Offence: "other"},
	})
}
