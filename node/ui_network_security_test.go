package node_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// netActions are the state-changing routes of the network and analysis
// pages, each with a form that would do something if it were accepted.
var netActions = []struct {
	path string
	form url.Values
}{
	{"/ui/network/create", url.Values{"name": {"Balkan monitors"}}},
	{"/ui/network/join", url.Values{"token": {"kolo1mfrggzdfmztwq2lknnwg23tpobyxe43uov3ho6dzpi"}}},
	{"/ui/network/invites", url.Values{"org": {"NGO Sloga"}, "country": {"HR"}, "role": {"partner"}, "days": {"0"}}},
	{"/ui/network/invites/0123456789abcdef/cancel", url.Values{}},
	{"/ui/network/declaration/sign", url.Values{"confirm": {"yes"}}},
	{"/ui/network/declaration/withdraw", url.Values{"confirm": {"yes"}}},
	{"/ui/network/members/SELF/revoke", url.Values{"confirm": {"yes"}}}, // SELF: the node's peer ID (leaving)
	{"/ui/analysis/ask", url.Values{"text": {"count judgment by country"}, "wait": {"2m0s"}}},
	{"/ui/analysis/report", url.Values{"wait": {"2m0s"}}},
}

// TestUINetworkActionsRefuseBadCSRF: every state-changing route of the
// network and analysis pages refuses a POST without the session's CSRF
// token or with a wrong one (403), and changes nothing: no network is
// founded, no invite made, nothing signed, no member revoked (the node
// does not leave), no query asked. With the
// token, founding and signing go through, so the refusals are the
// check's and not the routes' own.
func TestUINetworkActionsRefuseBadCSRF(t *testing.T) {
	t.Parallel()
	n := startUINode(t, nil)
	base := n.APIURL()
	session := logIn(t, n)
	csrf := csrfOf(t, n, session)
	refused := func(stage string) {
		t.Helper()
		for _, a := range netActions {
			for name, token := range map[string]string{"no csrf": "", "wrong csrf": csrf[:len(csrf)-3] + "abc"} {
				form := url.Values{}
				for k, v := range a.form {
					form[k] = v
				}
				if token != "" {
					form.Set("csrf", token)
				}
				if a.path == "/ui/network/declaration/sign" {
					if info, ok := n.Network(); ok {
						form.Set("sha256", info.Declaration.SHA256)
					}
				}
				path := strings.Replace(a.path, "SELF", n.PeerID().String(), 1)
				resp := post(t, base, path, session, base, form)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s: POST %s with %s: %s, want 403", stage, path, name, resp.Status)
				}
			}
		}
	}
	refused("no network")
	if _, ok := n.Network(); ok {
		t.Fatal("a refused POST founded a network")
	}
	resp := post(t, base, "/ui/network/create", session, base, url.Values{"csrf": {csrf}, "name": {"Balkan monitors"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("found with the token: %s, want 303", resp.Status)
	}
	if _, ok := n.Network(); !ok {
		t.Fatal("founding with the token made no network")
	}
	refused("in a network")
	if invs := n.Invites(); len(invs) != 0 {
		t.Errorf("refused POSTs made %d invites", len(invs))
	}
	if es, _ := n.Endorsements(); len(es) != 0 {
		t.Errorf("refused POSTs signed: %d endorsements", len(es))
	}
	if !n.IsMember(n.PeerID()) {
		t.Error("refused POSTs made the node leave the network")
	}
	if qs, _ := n.Queries(t.Context()); len(qs) != 0 {
		t.Errorf("refused POSTs asked %d queries", len(qs))
	}
	info, _ := n.Network()
	resp = post(t, base, "/ui/network/declaration/sign", session, base, url.Values{"csrf": {csrf}, "confirm": {"yes"}, "sha256": {info.Declaration.SHA256}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign with the token: %s, want 303", resp.Status)
	}
	if es, _ := n.Endorsements(); len(es) != 1 {
		t.Errorf("signing with the token: %d endorsements, want 1", len(es))
	}
	// A foreign Origin is refused too, even with the token.
	resp = post(t, base, "/ui/network/declaration/withdraw", session, "http://evil.example", url.Values{"csrf": {csrf}, "confirm": {"yes"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("withdraw from a foreign origin: %s, want 403", resp.Status)
	}
	if st, _ := n.DeclarationStatus(); st.Count != 1 {
		t.Errorf("after a refused withdrawal %d organisations endorse, want 1", st.Count)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("the interface is served on %s, want 127.0.0.1", base)
	}
}
