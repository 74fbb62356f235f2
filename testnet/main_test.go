package testnet

import (
	"os"
	"testing"

	"github.com/kolo-net/kolo/plugins/forms/ba"
	"github.com/kolo-net/kolo/plugins/forms/hr"
	"github.com/kolo-net/kolo/plugins/forms/mk"
	"github.com/kolo-net/kolo/plugins/forms/rs"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// TestMain lets this test binary serve the built-in forms as the kolo
// binary does ("<exe> plugin serve <cc>"): nodes started by the tests find
// their form plugins in it. Without this, a node's plugin host would start
// the test binary, which would run the tests again.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "plugin" && os.Args[2] == "serve" {
		forms := map[string]func() []sdk.Form{"rs": rs.Forms, "hr": hr.Forms, "ba": ba.Forms, "mk": mk.Forms}[os.Args[3]]
		if forms == nil {
			os.Exit(2)
		}
		sdk.Serve(forms()...)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
