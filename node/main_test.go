package node_test

import (
	"os"
	"testing"

	"github.com/kolo-net/kolo/plugins/forms"
)

// TestMain lets this test binary serve the built-in forms as the kolo
// binary does ("<exe> plugin serve <cc>..."), for the nodes the tests
// start: without it a node's plugin host would start the test binary,
// which would run the tests again.
func TestMain(m *testing.M) {
	if forms.ServeIfAsked(os.Args) {
		os.Exit(0)
	}
	os.Exit(m.Run())
}
