package testnet

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolo-net/kolo/node"
)

// TestUINodePagesInChromium: the node's pages show what kolo status
// shows (its peer ID, organisation), the member connected now, the form
// plugin serving the country's forms as healthy, and the audit log's
// chain checked. No console error, no request off 127.0.0.1.
func TestUINodePagesInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two nodes and Chromium")
	}
	ctx := context.Background()
	net, err := Start(ctx, Options{N: 2, Dir: t.TempDir(), Countries: []string{"RS", "HR"},
		NodeOptions: func(i int, o *node.Options) {
			o.BuiltInForms = []string{}
			if i == 0 {
				o.BuiltInForms = []string{"rs"}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := net.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	n := net.Node(0)
	b := uiLogin(t, n)

	b.Do(chromedp.Navigate(b.URL("/ui/node")), chromedp.WaitVisible(chromedp.CSS("dl.status")))
	status := b.Text("dl.status")
	for _, want := range []string{n.PeerID().String(), Org(0), "RS", "1 of 1 healthy", "can be written"} {
		if !strings.Contains(status, want) {
			t.Errorf("the status page does not show %q:\n%s", want, status)
		}
	}
	b.Screenshot(uiShot(t, "node"))

	b.Do(chromedp.Navigate(b.URL("/ui/node/peers")), chromedp.WaitVisible(chromedp.CSS("main table")))
	if got := b.Text("main table tbody"); !strings.Contains(got, net.Node(1).PeerID().String()) || !strings.Contains(got, Org(1)) || !strings.Contains(got, "/ip4/127.0.0.1/") {
		t.Errorf("the peers page shows %q, want node 1, its organisation and its address", got)
	}

	b.Do(chromedp.Navigate(b.URL("/ui/node/plugins")), chromedp.WaitVisible(chromedp.CSS("main table")))
	if got := b.Text("main table tbody"); !strings.Contains(got, "rs.judgment@2") || strings.Contains(got, "failing") {
		t.Errorf("the plugins page shows %q, want rs serving rs.judgment@2, healthy", got)
	}

	b.Do(chromedp.Navigate(b.URL("/ui/node/audit")), chromedp.WaitVisible(chromedp.CSS(`button[name="verify"]`)),
		chromedp.Click(chromedp.CSS(`button[name="verify"]`)))
	waitFor(t, b, `location.search.includes('verify=1') && document.querySelector('.notice.good, .problem') !== null`)
	if got := b.Text(".notice.good"); !strings.Contains(got, "The chain is whole") {
		t.Errorf("verify says %q", got)
	}
}
