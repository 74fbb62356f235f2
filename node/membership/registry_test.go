package membership

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
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
	// Hole 11: the language of the signed text is covered by the signature.
	bad = n
	bad.Declaration.Language = "sr-Latn"
	if err := reg.Init(ctx, bad); !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("Init with a changed declaration language: %v", err)
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
	a, n := founded(t, clk)
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
	offerTo := func(from *node, tok protocol.InviteToken) error {
		req, err := protocol.NewJoinRequest(tok, from.id, from.age)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.reg.Offer(ctx, from.id, req)
		return err
	}
	// Unknown: a token this node never issued. The refusal names no
	// network: the asking peer has proved nothing yet.
	unknown := tok
	unknown.Secret, _ = protocol.NewInviteSecret()
	if err := offerTo(b, unknown); !errors.Is(err, ErrInviteUnknown) || strings.Contains(err.Error(), n.ID) {
		t.Errorf("unknown token: %v", err)
	}
	otherNet := tok
	otherNet.Network = "aaaaaaaaaaaaaaaaaaaaaaaaaa"
	if err := offerTo(b, otherNet); !errors.Is(err, ErrInviteUnknown) || strings.Contains(err.Error(), n.ID) {
		t.Errorf("token for another network: %v", err)
	}
	// A sniffed request replayed by another peer.
	req, _ := protocol.NewJoinRequest(tok, b.id, b.age)
	if _, err := a.reg.Offer(ctx, thief.id, req); !errors.Is(err, ErrBadProof) {
		t.Errorf("request replayed from another peer: %v", err)
	}
	req.Peer = thief.id // and rewritten to name the thief: the proof breaks
	if _, err := a.reg.Offer(ctx, thief.id, req); !errors.Is(err, ErrBadProof) {
		t.Errorf("request rewritten for another peer: %v", err)
	}
	if a.kv.Len() != stored || a.reg.IsMember(b.id) || a.reg.IsMember(thief.id) {
		t.Fatal("a refused join stored something")
	}
	// An offer alone stores nothing and admits nobody.
	if err := offerTo(b, tok); err != nil || a.kv.Len() != stored || a.reg.IsMember(b.id) {
		t.Fatalf("an offer stored something or admitted b: %v", err)
	}
	// The real use, then a reuse by another peer.
	if _, err := exchange(a, b, tok); err != nil {
		t.Fatal(err)
	}
	if err := offerTo(thief, tok); !errors.Is(err, ErrInviteUsed) {
		t.Errorf("reused token: %v", err)
	}
	if a.reg.IsMember(thief.id) || a.reg.OpenInvites() != 0 {
		t.Fatal("reuse admitted the thief")
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
	if err := offerTo(thief, late); !errors.Is(err, ErrInviteExpired) {
		t.Errorf("expired token: %v", err)
	}
	if a.reg.IsMember(thief.id) {
		t.Fatal("expired token admitted")
	}
}

// Hole 10: a used invite presented again by the same peer gets its stored
// certificate, never a new one, and nothing once the invite has expired.
func TestUsedInviteGivesNoNewCertificate(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, _ := founded(t, clk)
	b := newNode(t, clk)
	tok, err := a.reg.Invite(ctx, InviteSpec{Org: "La Strada", Country: "MK", Roles: []protocol.Role{protocol.RolePartner}, Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := exchange(a, b, tok)
	if err != nil {
		t.Fatal(err)
	}
	stored := a.kv.Len()
	certs, _ := a.reg.Certificates()
	clk.Add(time.Hour)
	again, err := exchange(a, b, tok)
	if err != nil {
		t.Fatalf("the same peer asking again (its answer lost): %v", err)
	}
	h1, _ := first.Certificate.Hash()
	h2, _ := again.Certificate.Hash()
	if h1 != h2 || !bytes.Equal(first.Certificate.Signature, again.Certificate.Signature) {
		t.Fatalf("asking again gave another certificate: issued %s, then %s", first.Certificate.Issued, again.Certificate.Issued)
	}
	if after, _ := a.reg.Certificates(); len(after) != len(certs) || a.kv.Len() != stored {
		t.Fatalf("asking again stored something: %d certificates, then %d", len(certs), len(after))
	}
	// With another age recipient the invite is used, not reissued.
	other := *b
	other.age = newNode(t, clk).age
	if _, err := exchange(a, &other, tok); !errors.Is(err, ErrInviteUsed) {
		t.Fatalf("asking again with another age recipient: %v", err)
	}
	clk.Add(8 * 24 * time.Hour)
	if _, err := exchange(a, b, tok); !errors.Is(err, ErrInviteUsed) {
		t.Fatalf("asking again after the invite expired: %v", err)
	}
}

func TestCancelInvite(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, _ := founded(t, clk)
	b := newNode(t, clk)
	tok, err := a.reg.Invite(ctx, InviteSpec{Org: "La Strada", Country: "MK", Roles: []protocol.Role{protocol.RolePartner}, Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}})
	if err != nil {
		t.Fatal(err)
	}
	invs := a.reg.Invites()
	if len(invs) != 1 || invs[0].State(clk.Now()) != "open" {
		t.Fatalf("invites: %+v", invs)
	}
	if _, err := a.reg.CancelInvite(ctx, "abc"); err == nil {
		t.Fatal("a 3-character invite ID was accepted")
	}
	if _, err := a.reg.CancelInvite(ctx, "ffffffffffffffff"); !errors.Is(err, ErrNoSuchInvite) {
		t.Fatalf("cancel an unknown invite: %v", err)
	}
	if _, err := a.reg.CancelInvite(ctx, invs[0].ID()); err != nil {
		t.Fatal(err)
	}
	if a.reg.OpenInvites() != 0 || a.reg.Invites()[0].State(clk.Now()) != "cancelled" {
		t.Fatal("a cancelled invite is still open")
	}
	if _, err := exchange(a, b, tok); !errors.Is(err, ErrInviteCancelled) || a.reg.IsMember(b.id) {
		t.Fatalf("join with a cancelled invite: %v", err)
	}
	again, err := Open(ctx, a.kv, Options{Key: a.key, Now: clk.Now, Logger: discardLogger()})
	if err != nil || again.OpenInvites() != 0 {
		t.Fatalf("after reload: %v, %d open", err, again.OpenInvites())
	}
	if _, err := a.reg.CancelInvite(ctx, invs[0].ID()); err == nil {
		t.Fatal("cancelled twice")
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
	resp, err := a.reg.Offer(ctx, b.id, req)
	if err != nil {
		t.Fatal(err)
	}
	// c cannot accept b's offer.
	if _, err := c.reg.AcceptOffer(ctx, tok, c.age, resp); err == nil || !strings.Contains(err.Error(), "certificate is for") {
		t.Fatalf("accept another's offer: %v", err)
	}
	// b refuses an offer with another age recipient than its own.
	if _, err := b.reg.AcceptOffer(ctx, tok, c.age, resp); err == nil || !strings.Contains(err.Error(), "age recipient") {
		t.Fatalf("accept an offer with a foreign age recipient: %v", err)
	}
	// An offer with a changed org does not verify.
	forged := *resp.Certificate
	forged.Org = "Someone else"
	bad := resp
	bad.Certificate = &forged
	if _, err := b.reg.AcceptOffer(ctx, tok, b.age, bad); !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("accept a forged offer: %v", err)
	}
	sig, err := b.reg.AcceptOffer(ctx, tok, b.age, resp)
	if err != nil {
		t.Fatal(err)
	}
	// Adopting the offer without b's own signature fails: nothing stored.
	if err := b.reg.Adopt(ctx, tok, resp); !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("adopt an unsigned offer: %v", err)
	}
	if _, ok := b.reg.Network(); ok || b.kv.Len() != 0 {
		t.Fatal("a refused answer stored something")
	}
	// The inviter refuses a certificate other than the one it offered.
	signed := *resp.Certificate
	signed.PeerSignature = sig
	changed := signed
	changed.Roles = []protocol.Role{protocol.RoleAnalyst}
	if _, err := a.reg.Admit(ctx, b.id, req, changed); err == nil {
		t.Fatal("the inviter admitted a certificate it did not sign")
	}
	if _, err := a.reg.Admit(ctx, b.id, req, signed); err != nil {
		t.Fatal(err)
	}
	done := resp
	done.Certificate = &signed
	if err := b.reg.Adopt(ctx, tok, done); err != nil {
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
	future := issue(t, a, c, n.ID, now.Add(3*24*time.Hour))
	otherNet := issue(t, a, c, "aaaaaaaaaaaaaaaaaaaaaaaaaa", now)
	badAge := issue(t, a, c, n.ID, now)
	badAge.Age = "age1" + strings.Repeat("q", 58)
	if err := badAge.Sign(a.key); err != nil {
		t.Fatal(err)
	}
	if err := badAge.Accept(c.key); err != nil {
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
	byD, err := d.reg.NewMemberRevocation(b.id, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.reg.Revoke(ctx, byD); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("revocation by an unrelated member: %v", err)
	}
	byA, err := a.reg.NewMemberRevocation(b.id, false)
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
	leave, _ := d.reg.NewMemberRevocation(d.id, false)
	if _, err := a.reg.Revoke(ctx, leave); err != nil || a.reg.IsMember(d.id) {
		t.Fatalf("d leaving: %v", err)
	}
	// A revoked member (b) cannot revoke the members it admitted any more.
	byB, _ := b.reg.NewMemberRevocation(c.id, false)
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

// TestMayRevoke: MayRevoke answers as the registry judges the revocation
// this node would sign (NewMemberRevocation, CheckMemberRevocation): a
// founder may revoke anyone, an admitter the members it admitted, a
// member itself (leaving); an unrelated member may not, nor may anyone
// revoke a peer that is no member, nor a revoked member revoke.
func TestMayRevoke(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	b, c, d := newNode(t, clk), newNode(t, clk), newNode(t, clk)
	bCert := join(t, a, b)
	cCert := issue(t, b, c, n.ID, clk.Now())
	mustAdd(t, a.reg, cCert)
	mustAdd(t, b.reg, cCert)
	dCert := join(t, a, d)
	mustAdd(t, d.reg, bCert)
	mustAdd(t, d.reg, cCert)
	mustAdd(t, b.reg, dCert)
	stranger := newNode(t, clk)
	clk.Add(time.Minute)

	cases := []struct {
		name   string
		by     *node
		member peer.ID
		want   error // nil: allowed
	}{
		{"founder revokes a member it admitted", a, b.id, nil},
		{"founder revokes a member another admitted", a, c.id, nil},
		{"admitter revokes the member it admitted", b, c.id, nil},
		{"member leaves", b, b.id, nil},
		{"founder leaves", a, a.id, nil},
		{"unrelated member", d, b.id, ErrNotAllowed},
		{"member revokes the founder", b, a.id, ErrNotAllowed},
		{"member revokes the member admitted with it", b, d.id, ErrNotAllowed},
		{"no member", a, stranger.id, ErrNotMember},
	}
	agree := func(t *testing.T, by *node, member peer.ID, want error) {
		t.Helper()
		got := by.reg.MayRevoke(member)
		if want == nil && got != nil || want != nil && !errors.Is(got, want) {
			t.Fatalf("MayRevoke(%s): %v, want %v", member, got, want)
		}
		rev, err := by.reg.NewMemberRevocation(member, false)
		if err != nil {
			t.Fatal(err)
		}
		check := by.reg.CheckMemberRevocation(rev)
		if (got == nil) != (check == nil) {
			t.Fatalf("MayRevoke says %v, the signed revocation's check %v", got, check)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { agree(t, tc.by, tc.member, tc.want) })
	}

	// Once a revoked b, a may not revoke it again (one revocation per
	// signer and member), and b may not revoke c.
	byA, err := a.reg.NewMemberRevocation(b.id, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, reg := range []*Registry{a.reg, b.reg} {
		if _, err := reg.Revoke(ctx, byA); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(time.Minute) // a revocation signed now is another record than byA
	agree(t, a, b.id, ErrNotAllowed)
	agree(t, b, c.id, ErrRevoked)

	if err := stranger.reg.MayRevoke(a.id); !errors.Is(err, ErrNoNetwork) {
		t.Fatalf("MayRevoke without a network: %v", err)
	}
}
