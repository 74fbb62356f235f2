package node_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/ui"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// joinVia has joiner join the network of inviter with an invite for org
// of country, as a partner.
func joinVia(t *testing.T, inviter, joiner *node.Node, org, country string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inv, err := inviter.Invite(ctx, org, country, []protocol.Role{protocol.RolePartner}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := joiner.Join(ctx, inv.Token); err != nil {
		t.Fatalf("%s joins: %v", org, err)
	}
}

// awaitMember waits until n holds p's membership.
func awaitMember(t *testing.T, n *node.Node, p peer.ID) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !n.IsMember(p) {
		if time.Now().After(deadline) {
			t.Fatalf("%s never learnt that %s is a member", n.PeerID(), p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// revokedOn is when n holds p's membership revoked ("" if it does not).
func revokedOn(n *node.Node, p peer.ID) string {
	for _, m := range n.Members() {
		if m.PeerID == p {
			return m.Revoked
		}
	}
	return ""
}

// memberRow is the members page's row of peer p.
func memberRow(t *testing.T, page string, p peer.ID) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr([^>]*) data-peer="` + p.String() + `">(.*?)</tr>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the members page has no row for %s", p)
	}
	return m[0]
}

func revokePath(p peer.ID) string { return "/ui/network/members/" + p.String() + "/revoke" }

// TestUIRevokeMember: on a network of five real nodes (founder A; B and C
// admitted by A; D admitted by B, E by C), A's members page links to the
// revocation of B and C and to leaving for itself; B's links only to
// leaving, since B may neither revoke C (neither founder nor its
// admitter) nor A (a founder). A revokes B through the confirmation page,
// which names B and the member it admitted: an unticked box, a missing or
// wrong CSRF token, a foreign Origin revoke nothing; ticked, with "also
// drop the members it admitted", B and D are revoked in A's registry and
// B's row shows it. B's post to revoke C is refused with the reason on
// the page, and C stays a member. A revokes C without dropping: E stays.
func TestUIRevokeMember(t *testing.T) {
	t.Parallel()
	a, b, c := startUINode(t, nil), startUINode(t, nil), startUINode(t, nil)
	if _, err := a.CreateNetwork(t.Context(), "Balkan monitors"); err != nil {
		t.Fatal(err)
	}
	joinVia(t, a, c, "NGO Sloga", "HR") // C first: B catches up with C's certificate
	joinVia(t, a, b, "Centar Atina", "BA")
	d, e := startUINode(t, nil), startUINode(t, nil)
	joinVia(t, b, d, "Open Gate", "MK") // admitted by B
	joinVia(t, c, e, "Vive Žene", "BA") // admitted by C
	awaitMember(t, b, c.PeerID())
	for _, p := range []peer.ID{b.PeerID(), c.PeerID(), d.PeerID(), e.PeerID()} {
		awaitMember(t, a, p)
	}

	sa, sb := logIn(t, a), logIn(t, b)
	csrfA, csrfB := csrfOf(t, a, sa), csrfOf(t, b, sb)
	revokeLink := func(p peer.ID) string { return `href="` + revokePath(p) + `"` }

	// Who is offered what.
	_, _, page := getPage(t, a, sa, "en", "/ui/network")
	for _, p := range []peer.ID{b.PeerID(), c.PeerID()} {
		if row := memberRow(t, page, p); !strings.Contains(row, revokeLink(p)) || !strings.Contains(row, ui.T("en", "ui.revoke.link")) {
			t.Errorf("the founder's page offers no revocation of %s:\n%s", p, row)
		}
	}
	if row := memberRow(t, page, a.PeerID()); !strings.Contains(row, revokeLink(a.PeerID())) || !strings.Contains(row, ui.T("en", "ui.revoke.leave_link")) {
		t.Errorf("the founder's own row offers no leaving:\n%s", row)
	}
	_, _, page = getPage(t, b, sb, "en", "/ui/network")
	for _, p := range []peer.ID{a.PeerID(), c.PeerID()} {
		if row := memberRow(t, page, p); strings.Contains(row, "/revoke") {
			t.Errorf("B's page offers to revoke %s, which B may not:\n%s", p, row)
		}
	}
	if row := memberRow(t, page, b.PeerID()); !strings.Contains(row, revokeLink(b.PeerID())) || !strings.Contains(row, ui.T("en", "ui.revoke.leave_link")) {
		t.Errorf("B's own row offers no leaving:\n%s", row)
	}

	// The confirmation page says who and what.
	code, _, page := getPage(t, a, sa, "en", revokePath(b.PeerID()))
	if code != http.StatusOK {
		t.Fatalf("the revocation page of B: %d\n%s", code, page)
	}
	for _, want := range []string{"Centar Atina", b.PeerID().String(), `id="confirm"`, `name="csrf" value="` + csrfA + `"`,
		html.EscapeString(ui.T("en", "ui.revoke.what")), html.EscapeString(ui.T("en", "ui.revoke.keeps")),
		`<dd id="revoke-admitted">1: Open Gate</dd>`, `name="drop_admitted"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the revocation page of B lacks %q", want)
		}
	}
	if _, _, page := getPage(t, a, sa, "en", revokePath(d.PeerID())); !strings.Contains(page, `<dd id="revoke-admitted">0</dd>`) || strings.Contains(page, `name="drop_admitted"`) {
		t.Error("the revocation page of D, which admitted no one, offers to drop the members it admitted")
	}
	_, _, page = getPage(t, a, sa, "en", revokePath(a.PeerID()))
	if !strings.Contains(page, html.EscapeString(ui.T("en", "ui.revoke.leave_what"))) {
		t.Error("the founder's own revocation page is not worded as leaving")
	}
	if code, _, _ := getPage(t, a, sa, "en", revokePath(peer.ID("12D3KooWNoSuchMember"))); code != http.StatusNotFound {
		t.Errorf("the revocation page of no member: %d, want 404", code)
	}

	// Refused posts revoke nothing.
	base := a.APIURL()
	unticked := post(t, base, revokePath(b.PeerID()), sa, base, url.Values{"csrf": {csrfA}})
	body := readAll(t, unticked)
	if unticked.StatusCode != http.StatusOK || !strings.Contains(body, `id="confirm-error"`) || !strings.Contains(body, ui.T("en", "ui.revoke.unticked")) {
		t.Errorf("an unticked box: %s, and the page has no problem beside the box:\n%s", unticked.Status, body)
	}
	for name, token := range map[string]string{"no csrf": "", "wrong csrf": csrfA[:len(csrfA)-3] + "abc"} {
		form := url.Values{"confirm": {"yes"}}
		if token != "" {
			form.Set("csrf", token)
		}
		if resp := post(t, base, revokePath(b.PeerID()), sa, base, form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("revocation with %s: %s, want 403", name, resp.Status)
		}
	}
	if resp := post(t, base, revokePath(b.PeerID()), sa, "http://evil.example", url.Values{"csrf": {csrfA}, "confirm": {"yes"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("revocation from a foreign origin: %s, want 403", resp.Status)
	}
	if !a.IsMember(b.PeerID()) || revokedOn(a, b.PeerID()) != "" {
		t.Fatal("a refused revocation revoked B")
	}

	// B may not revoke C: its page says why, and its post is refused.
	code, _, page = getPage(t, b, sb, "en", revokePath(c.PeerID()))
	if code != http.StatusForbidden || !strings.Contains(page, `id="revoke-refused"`) || strings.Contains(page, `id="confirm"`) {
		t.Errorf("B's revocation page of C: %d, want 403 with the refusal and no box to tick:\n%s", code, page)
	}
	resp := post(t, b.APIURL(), revokePath(c.PeerID()), sb, b.APIURL(), url.Values{"csrf": {csrfB}, "confirm": {"yes"}})
	body = readAll(t, resp)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, html.EscapeString(ui.T("en", "ui.revoke.refused"))) {
		t.Errorf("B revoking C: %s, want 403 with the refusal:\n%s", resp.Status, body)
	}
	if !b.IsMember(c.PeerID()) || revokedOn(b, c.PeerID()) != "" {
		t.Error("B's refused revocation revoked C")
	}

	// The founder revokes B, and the member B admitted with it.
	resp = post(t, base, revokePath(b.PeerID()), sa, base, url.Values{"csrf": {csrfA}, "confirm": {"yes"}, "drop_admitted": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/ui/network?done=revoked" {
		t.Fatalf("revocation of B: %s to %q, want 303 to /ui/network?done=revoked\n%s", resp.Status, resp.Header.Get("Location"), readAll(t, resp))
	}
	if a.IsMember(b.PeerID()) || revokedOn(a, b.PeerID()) == "" {
		t.Fatal("after the revocation A still holds B as a member")
	}
	if !a.IsMember(c.PeerID()) {
		t.Error("revoking B revoked C")
	}
	if a.IsMember(d.PeerID()) {
		t.Error("D, admitted by B, is still a member although the members B admitted were dropped with it")
	}
	_, _, page = getPage(t, a, sa, "en", "/ui/network?done=revoked")
	row := memberRow(t, page, b.PeerID())
	if !strings.Contains(row, `class="revoked"`) || !strings.Contains(row, ui.T("en", "ui.net.revoked")) || strings.Contains(row, "/revoke") {
		t.Errorf("B's row after its revocation:\n%s", row)
	}
	if !strings.Contains(page, ui.T("en", "ui.revoke.notice.revoked")) {
		t.Error("the members page shows no notice of the revocation")
	}
	// The founder revokes C without dropping the members C admitted: E stays.
	resp = post(t, base, revokePath(c.PeerID()), sa, base, url.Values{"csrf": {csrfA}, "confirm": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revocation of C: %s\n%s", resp.Status, readAll(t, resp))
	}
	if a.IsMember(c.PeerID()) || !a.IsMember(e.PeerID()) {
		t.Errorf("after C's revocation, without dropping: C a member %v, E (admitted by C) a member %v; want false, true",
			a.IsMember(c.PeerID()), a.IsMember(e.PeerID()))
	}
	// A revoked member's page refuses a second revocation.
	if code, _, page := getPage(t, a, sa, "en", revokePath(b.PeerID())); code != http.StatusForbidden || !strings.Contains(page, ui.T("en", "ui.revoke.already")) {
		t.Errorf("the revocation page of a revoked member: %d\n%s", code, page)
	}
}
