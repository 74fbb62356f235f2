package node_test

import (
	"os"
	"testing"

	"github.com/kolo-net/kolo/plugins/forms"
)

// TestMain lets this test binary serve the built-in forms as the kolo
// binary does ("<exe> plugin serve <cc>..."): the plugin hosts the tests
// start find their form plugins in it, as real processes.
func TestMain(m *testing.M) {
	if forms.ServeIfAsked(os.Args) {
		os.Exit(0)
	}
	os.Exit(m.Run())
}
