package mk

import (
	"flag"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk/plugintest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the forms")

// suite checks North Macedonia's forms against testdata (see plugintest.Suite),
// with "today" fixed at 2025-06-30.
func suite() plugintest.Suite {
	return plugintest.Suite{Country: Country, CodeVersion: CodeVersion, Languages: []string{"en", "mk"},
		Forms: Forms(), Now: time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC), Update: *update}
}

func TestFormsAreWellMade(t *testing.T) {
	t.Parallel()
	suite().WellMade(t)
}

// TestGolden checks each form version against testdata/<kind>.v<N>.json,
// .common.json and .schema.json. Run with -update to rewrite the golden
// files after a deliberate change, and read the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	suite().Golden(t)
}
