package membership

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
)

var ctx = context.Background()

func TestCreateInitReload(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f, n := founded(t, clk)
	if !f.reg.IsMember(f.id) {
		t.Fatal("the founder is not a member of its own network")
	}
	if err := f.reg.Init(ctx, n); err != nil {
		t.Fatalf("Init with the same network again: %v", err)
	}
	_, other := founded(t, clk)
	if err := f.reg.Init(ctx, other); err == nil || !strings.Contains(err.Error(), "already belongs") {
		t.Fatalf("Init with another network: %v", err)
	}
	b := newNode(t, clk)
	join(t, f, b)

	again, err := Open(ctx, f.kv, Options{Key: f.key, Now: clk.Now, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := again.Network()
	if got.ID != n.ID || !again.IsMember(b.id) || !again.IsMember(f.id) || len(again.Members()) != 2 || len(again.Invites()) != 1 {
		t.Fatalf("after reload: network %s, members %d, invites %d", got.ID, len(again.Members()), len(again.Invites()))
	}
}

func TestNetworkFileTampered(t *testing.T) {
	t.Parallel()
	clk := newClock()
	_, n := founded(t, clk)
	reg, err := Open(ctx, nil, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	bad := n
	bad.Policy.Threshold = 2
	if err := reg.Init(ctx, bad); !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("Init with a changed threshold: %v", err)
	}
	bad = n
	bad.Declaration.Text += "And one more line.\n"
	if err := reg.Init(ctx, bad); err == nil || !strings.Contains(err.Error(), "not the SHA-256 of the text") {
		t.Fatalf("Init with a changed text: %v", err)
	}
	if _, ok := reg.Network(); ok {
		t.Fatal("a refused network file was kept")
	}
}

func TestJoin(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, _ := founded(t, clk)
	b, c := newNode(t, clk), newNode(t, clk)
	certB := join(t, a, b)
	clk.Add(time.Minute)
	join(t, b, c, protocol.RoleAnalyst, protocol.RoleAssociate) // b is a partner, so it may invite
	if certB.AdmittedBy != a.id || certB.Org != orgOf(b) {
		t.Fatalf("certificate of b: %+v", certB)
	}
	for _, reg := range []*Registry{a.reg, b.reg} {
		if !reg.IsMember(b.id) {
			t.Fatal("b is not a member")
		}
	}
	// c learned the whole chain with its answer: b and a.
	if !c.reg.IsMember(a.id) || !c.reg.IsMember(b.id) || !c.reg.IsMember(c.id) {
		t.Fatal("c does not know its chain")
	}
	// a learns of c's certificate from b (by gossip or sync in a node).
	for _, rec := range b.reg.Records(nil) {
		if _, err := a.reg.AddCertificate(ctx, *rec.Certificate); err != nil {
			t.Fatal(err)
		}
	}
	ms := a.reg.Members()
	if len(ms) != 3 || !ms[0].Founder || ms[2].Certificate.AdmittedBy != b.id {
		t.Fatalf("members of a: %+v", ms)
	}
	// c is an analyst: it may not invite.
	_, err := c.reg.Invite(ctx, InviteSpec{Org: "X", Country: "ME", Roles: []protocol.Role{protocol.RolePartner}, Addrs: []string{"/ip4/127.0.0.1/tcp/1"}})
	if !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("an analyst invites: %v", err)
	}
}

func TestInviteRefusals(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, _ := founded(t, clk)
	b, thief := newNode(t, clk), newNode(t, clk)
	spec := InviteSpec{Org: "La Strada", Country: "MK", Roles: []protocol.Role{protocol.RoleAssociate}, Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}}
	tok, err := a.reg.Invite(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if a.reg.OpenInvites() != 1 {
		t.Fatalf("open invites = %d", a.reg.OpenInvites())
	}
	stored := a.kv.Len()
	admit := func(from *node, tok protocol.InviteToken) error {
		req, err := protocol.NewJoinRequest(tok, from.id, from.age)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.reg.Admit(ctx, from.id, req)
		return err
	}
	// Unknown: a token this node never issued.
	unknown := tok
	unknown.Secret, _ = protocol.NewInviteSecret()
	if err := admit(b, unknown); !errors.Is(err, ErrInviteUnknown) {
		t.Errorf("unknown token: %v", err)
	}
	// A sniffed request replayed by another peer.
	req, _ := protocol.NewJoinRequest(tok, b.id, b.age)
	if _, err := a.reg.Admit(ctx, thief.id, req); !errors.Is(err, ErrBadProof) {
		t.Errorf("request replayed from another peer: %v", err)
	}
	req.Peer = thief.id // and rewritten to name the thief: the proof breaks
	if _, err := a.reg.Admit(ctx, thief.id, req); !errors.Is(err, ErrBadProof) {
		t.Errorf("request rewritten for another peer: %v", err)
	}
	if a.kv.Len() != stored || a.reg.IsMember(b.id) || a.reg.IsMember(thief.id) {
		t.Fatal("a refused join stored something")
	}
	// The real use, then a reuse by another peer.
	if err := admit(b, tok); err != nil {
		t.Fatal(err)
	}
	if err := admit(thief, tok); !errors.Is(err, ErrInviteUsed) {
		t.Errorf("reused token: %v", err)
	}
	if a.reg.IsMember(thief.id) || a.reg.OpenInvites() != 0 {
		t.Fatal("reuse admitted the thief")
	}
	// The same peer asking again gets the same certificate (lost answer).
	before := len(a.reg.Members())
	if err := admit(b, tok); err != nil {
		t.Errorf("same peer again: %v", err)
	}
	if len(a.reg.Members()) != before {
		t.Error("asking again added a member")
	}
	// Expired.
	late, err := a.reg.Invite(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(8 * 24 * time.Hour)
	if a.reg.OpenInvites() != 0 {
		t.Error("an expired invite counts as open")
	}
	if err := admit(thief, late); !errors.Is(err, ErrInviteExpired) {
		t.Errorf("expired token: %v", err)
	}
	if a.reg.IsMember(thief.id) {
		t.Fatal("expired token admitted")
	}
}

func TestAdoptRefusesBadAnswer(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, _ := founded(t, clk)
	b, c := newNode(t, clk), newNode(t, clk)
	tok, err := a.reg.Invite(ctx, InviteSpec{Org: "X", Country: "AL", Roles: []protocol.Role{protocol.RolePartner}, Addrs: []string{"/ip4/127.0.0.1/tcp/1"}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := protocol.NewJoinRequest(tok, b.id, b.age)
	resp, err := a.reg.Admit(ctx, b.id, req)
	if err != nil {
		t.Fatal(err)
	}
	// c cannot adopt b's answer.
	if err := c.reg.Adopt(ctx, tok, resp); err == nil || !strings.Contains(err.Error(), "certificate is for") {
		t.Fatalf("adopt another's answer: %v", err)
	}
	// A certificate with a changed org does not verify: nothing stored.
	forged := *resp.Certificate
	forged.Org = "Someone else"
	bad := resp
	bad.Certificate = &forged
	if err := b.reg.Adopt(ctx, tok, bad); !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("adopt a forged certificate: %v", err)
	}
	if _, ok := b.reg.Network(); ok || b.kv.Len() != 0 {
		t.Fatal("a refused answer stored something")
	}
	if err := b.reg.Adopt(ctx, tok, resp); err != nil {
		t.Fatal(err)
	}
}

func TestCertificateRefusals(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	b, c, d := newNode(t, clk), newNode(t, clk), newNode(t, clk)
	join(t, a, b, protocol.RoleAssociate)
	now := clk.Now()

	forged := issue(t, a, c, n.ID, now)
	forged.Country = "RS"
	selfSigned := issue(t, c, c, n.ID, now)
	byAssociate := issue(t, b, c, n.ID, now)
	byStranger := issue(t, d, c, n.ID, now)
	future := issue(t, a, c, n.ID, now.Add(time.Hour))
	otherNet := issue(t, a, c, "aaaaaaaaaaaaaaaaaaaaaaaaaa", now)
	badAge := issue(t, a, c, n.ID, now)
	badAge.Age = "age1" + strings.Repeat("q", 58)
	if err := badAge.Sign(a.key); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		cert protocol.Certificate
		want error
		text string
	}{
		{"forged signature", forged, protocol.ErrBadSignature, ""},
		{"self-signed non-founder", selfSigned, ErrNotAllowed, "not a founder"},
		{"admitted by an associate", byAssociate, ErrNotAllowed, "only partners"},
		{"admitted by a stranger", byStranger, ErrNotMember, ""},
		{"issued in the future", future, ErrFuture, ""},
		{"another network", otherNet, ErrWrongNetwork, ""},
		{"bad age recipient", badAge, nil, "age recipient"},
	}
	stored := a.kv.Len()
	for _, tc := range cases {
		_, err := a.reg.AddCertificate(ctx, tc.cert)
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %v, want %v %q", tc.name, err, tc.want, tc.text)
		}
	}
	if a.kv.Len() != stored || a.reg.IsMember(c.id) {
		t.Fatal("a refused certificate was stored")
	}
	good := issue(t, a, c, n.ID, now)
	for range 2 {
		if _, err := a.reg.AddCertificate(ctx, good); err != nil {
			t.Fatal(err)
		}
	}
	if added, _ := a.reg.AddCertificate(ctx, good); added || len(a.reg.Members()) != 3 {
		t.Fatal("a duplicate certificate was added twice")
	}
}

func TestRevokeMember(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	b, c, d, e := newNode(t, clk), newNode(t, clk), newNode(t, clk), newNode(t, clk)
	join(t, a, b)
	cBefore := issue(t, b, c, n.ID, clk.Now()) // admitted by b before b's revocation
	mustAdd(t, a.reg, cBefore)
	join(t, a, d)
	clk.Add(time.Hour)

	// d did not admit b and is no founder: it may not revoke b.
	byD, err := d.reg.NewMemberRevocation(b.id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.reg.Revoke(ctx, byD); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("revocation by an unrelated member: %v", err)
	}
	byA, err := a.reg.NewMemberRevocation(b.id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.reg.Revoke(ctx, byA); err != nil {
		t.Fatal(err)
	}
	if a.reg.IsMember(b.id) {
		t.Fatal("b is still a member after its revocation")
	}
	if m, _ := a.reg.Member(b.id); m.Active() || m.Revoked == "" {
		t.Fatalf("b's membership: %+v", m)
	}
	if !a.reg.IsMember(c.id) {
		t.Fatal("c, admitted by b before b's revocation, lost its membership")
	}
	clk.Add(time.Minute)
	cAfter := issue(t, b, e, n.ID, clk.Now())
	if _, err := a.reg.AddCertificate(ctx, cAfter); !errors.Is(err, ErrRevoked) {
		t.Fatalf("certificate issued by b after its revocation: %v", err)
	}
	// b cannot come back with the same key.
	again := issue(t, a, b, n.ID, clk.Now())
	if _, err := a.reg.AddCertificate(ctx, again); !errors.Is(err, ErrRevoked) {
		t.Fatalf("b admitted again: %v", err)
	}
	// A member may leave on its own.
	leave, _ := d.reg.NewMemberRevocation(d.id)
	if _, err := a.reg.Revoke(ctx, leave); err != nil || a.reg.IsMember(d.id) {
		t.Fatalf("d leaving: %v", err)
	}
	// A revoked member (b) cannot revoke the members it admitted any more.
	byB, _ := b.reg.NewMemberRevocation(c.id)
	if _, err := a.reg.Revoke(ctx, byB); !errors.Is(err, ErrRevoked) {
		t.Fatalf("revocation by a revoked member: %v", err)
	}
}

func mustAdd(t *testing.T, reg *Registry, c protocol.Certificate) {
	t.Helper()
	if _, err := reg.AddCertificate(ctx, c); err != nil {
		t.Fatal(err)
	}
}

// TestOrderIndependent applies the same records to two registries in
// opposite orders (where the checks allow) and compares the members.
func TestOrderIndependent(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	b, c := newNode(t, clk), newNode(t, clk)
	join(t, a, b)
	clk.Add(time.Minute)
	late := issue(t, b, c, n.ID, clk.Now().Add(time.Hour)) // issued after b's revocation below
	rev, _ := a.reg.NewMemberRevocation(b.id)
	clk.Add(2 * time.Hour)

	r1, _ := Open(ctx, nil, Options{Now: clk.Now, Logger: discardLogger()})
	r2, _ := Open(ctx, nil, Options{Now: clk.Now, Logger: discardLogger()})
	for _, r := range []*Registry{r1, r2} {
		if err := r.Init(ctx, n); err != nil {
			t.Fatal(err)
		}
		mustAdd(t, r, a.reg.Chain(b.id)[0])
	}
	// r1: certificate first (accepted), then the revocation (which voids it).
	mustAdd(t, r1, late)
	if _, err := r1.Revoke(ctx, rev); err != nil {
		t.Fatal(err)
	}
	// r2: revocation first, then the certificate (refused).
	if _, err := r2.Revoke(ctx, rev); err != nil {
		t.Fatal(err)
	}
	if _, err := r2.AddCertificate(ctx, late); !errors.Is(err, ErrRevoked) {
		t.Fatalf("r2: %v", err)
	}
	if r1.IsMember(c.id) || r2.IsMember(c.id) || r1.IsMember(b.id) || r2.IsMember(b.id) {
		t.Fatal("membership depends on arrival order")
	}
}
