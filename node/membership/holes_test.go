package membership

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Hole 1: a partner admitted early writes a certificate for a member
// admitted later, dated earlier, with another organisation, roles and age
// recipient. It must not replace the member's certificate.
func TestCertificateCannotBeReplaced(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	p, b, c, d := newNode(t, clk), newNode(t, clk), newNode(t, clk), newNode(t, clk)
	t0 := clk.Now()
	join(t, a, p) // the attacker, a partner since t0
	join(t, a, b)
	clk.Add(24 * time.Hour)
	certC := join(t, b, c) // c, admitted by b a day later
	for _, rec := range b.reg.Records(nil) {
		a.reg.AddCertificate(ctx, *rec.Certificate)
	}
	cRecs := c.reg.Records(nil)
	mustAdd(t, a.reg, issue(t, c, d, n.ID, clk.Now())) // c admits d
	for _, rec := range cRecs {
		a.reg.AddCertificate(ctx, *rec.Certificate)
	}

	forged := offer(t, p, c, n.ID, t0, protocol.RoleAnalyst)
	forged.Org, forged.Age = "Not the real org", p.age
	if err := forged.Sign(p.key); err != nil {
		t.Fatal(err)
	}
	_, err := a.reg.AddCertificate(ctx, forged)
	if !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("a certificate for c written by p alone: %v", err)
	}
	// Nor can p borrow c's signature from c's real certificate.
	forged.PeerSignature = certC.PeerSignature
	if _, err := a.reg.AddCertificate(ctx, forged); !errors.Is(err, protocol.ErrBadSignature) {
		t.Fatalf("with c's signature of its real certificate: %v", err)
	}
	m, ok := a.reg.Member(c.id)
	if !ok || !m.Active() || m.Certificate.AdmittedBy != b.id || m.Certificate.Age != c.age || m.Certificate.Org != certC.Org {
		t.Fatalf("c's membership changed: %+v", m)
	}
	if !a.reg.IsMember(d.id) {
		t.Fatal("d, admitted by c, dropped out")
	}
	byP, _ := p.reg.NewMemberRevocation(c.id, false)
	if _, err := a.reg.Revoke(ctx, byP); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("p revokes c: %v", err)
	}
}

// A peer that signs two certificates is excluded, whatever the order in
// which a node learns them; only the peer itself can cause this.
func TestTwoCertificatesExclude(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	b, c, d := newNode(t, clk), newNode(t, clk), newNode(t, clk)
	join(t, a, b)
	first := issue(t, a, c, n.ID, clk.Now())
	second := issue(t, b, c, n.ID, clk.Now().Add(-time.Hour), protocol.RoleAnalyst)
	byC := issue(t, c, d, n.ID, clk.Now())
	bCert := a.reg.Chain(b.id)[0]
	for _, order := range [][]protocol.Certificate{{first, byC, second}, {second, first}} {
		r := verifier(t, clk, n, bCert)
		for _, cert := range order {
			r.AddCertificate(ctx, cert)
		}
		if r.IsMember(c.id) || r.IsMember(d.id) || !slices.Contains(r.Equivocal(), c.id) {
			t.Fatalf("a peer holding two certificates is a member (order %d certs)", len(order))
		}
		if _, err := r.AddCertificate(ctx, issue(t, a, c, n.ID, clk.Now().Add(-2*time.Hour))); !errors.Is(err, ErrNotAllowed) {
			t.Fatalf("a third certificate: %v", err)
		}
	}
}

// Hole 2: a revoked partner writes a certificate dated before its
// revocation. It must not count, in whatever order the records arrive.
func TestBackdatedCertificateOfRevokedPartner(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	r, x, y := newNode(t, clk), newNode(t, clk), newNode(t, clk)
	join(t, a, r)
	certX := issue(t, r, x, n.ID, clk.Now()) // admitted before the revocation: kept
	mustAdd(t, a.reg, certX)
	clk.Add(30 * 24 * time.Hour)
	rev, err := a.reg.NewMemberRevocation(r.id, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rev.Keeps(mustHash(t, certX)) || len(rev.Keep) != 1 {
		t.Fatalf("the revocation keeps %v, want x's certificate", rev.Keep)
	}
	if _, err := a.reg.Revoke(ctx, rev); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	backdated := issue(t, r, y, n.ID, clk.Now().Add(-40*24*time.Hour))
	if _, err := a.reg.AddCertificate(ctx, backdated); !errors.Is(err, ErrRevoked) {
		t.Fatalf("backdated certificate of a revoked partner: %v", err)
	}
	rCert := a.reg.Chain(r.id)[0]
	// A node that learns the backdated certificate before the revocation
	// drops it when the revocation arrives.
	early := verifier(t, clk, n, rCert, certX, backdated)
	if !early.IsMember(y.id) {
		t.Fatal("setup: y should count before the revocation is known")
	}
	if _, err := early.Revoke(ctx, rev); err != nil {
		t.Fatal(err)
	}
	for _, reg := range []*Registry{a.reg, early} {
		if reg.IsMember(y.id) || reg.IsMember(r.id) || !reg.IsMember(x.id) {
			t.Fatalf("after the revocation: y %v, r %v, x %v", reg.IsMember(y.id), reg.IsMember(r.id), reg.IsMember(x.id))
		}
		if _, ok := reg.Member(y.id); ok {
			t.Fatal("y's certificate still counts")
		}
	}
	// What no longer counts is deleted, not kept forever.
	if certs, _ := early.Certificates(); slices.ContainsFunc(certs, func(c protocol.Certificate) bool { return c.Peer == y.id }) {
		t.Fatal("the dropped certificate is still stored")
	}
	// The revoked partner cannot revoke the member it admitted either.
	byR, _ := r.reg.NewMemberRevocation(x.id, false)
	byR.Network = n.ID
	byR.Revoked = protocol.FormatTime(clk.Now().Add(-40 * 24 * time.Hour))
	if err := byR.Sign(r.key); err != nil {
		t.Fatal(err)
	}
	if _, err := a.reg.Revoke(ctx, byR); !errors.Is(err, ErrRevoked) {
		t.Fatalf("backdated revocation by a revoked partner: %v", err)
	}
}

func TestRevokeDroppingAdmitted(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	r, x, z := newNode(t, clk), newNode(t, clk), newNode(t, clk)
	join(t, a, r)
	mustAdd(t, a.reg, issue(t, r, x, n.ID, clk.Now()))
	mustAdd(t, a.reg, issue(t, x, z, n.ID, clk.Now()))
	rev, err := a.reg.NewMemberRevocation(r.id, true)
	if err != nil || len(rev.Keep) != 0 {
		t.Fatalf("drop admitted: keep %v, %v", rev.Keep, err)
	}
	if _, err := a.reg.Revoke(ctx, rev); err != nil {
		t.Fatal(err)
	}
	if a.reg.IsMember(x.id) || a.reg.IsMember(z.id) {
		t.Fatal("members admitted by a revoked partner (not kept) still count")
	}
	// x was not revoked: another partner may admit it again.
	mustAdd(t, a.reg, issue(t, a, x, n.ID, clk.Now()))
	if !a.reg.IsMember(x.id) {
		t.Fatal("x could not be admitted again")
	}
}

// Founders check one another: a revocation of a founder by a founder
// counts both ways.
func TestFoundersRevokeEachOther(t *testing.T) {
	t.Parallel()
	clk := newClock()
	f1, f2 := newNode(t, clk), newNode(t, clk)
	n, err := CreateNetwork(f1.key, Founding{Name: "N", Org: "One", Country: "RS", Age: f1.age, Declaration: testDeclaration()}, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	c2, err := FounderCertificate(f2.key, n.ID, Founding{Org: "Two", Country: "HR", Age: f2.age}, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n, err = AddFounder(f1.key, n, c2); err != nil {
		t.Fatal(err)
	}
	for _, f := range []*node{f1, f2} {
		if err := f.reg.Init(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	v1, _ := f1.reg.NewMemberRevocation(f2.id, false)
	v2, _ := f2.reg.NewMemberRevocation(f1.id, false)
	for _, order := range [][]protocol.MemberRevocation{{v1, v2}, {v2, v1}} {
		r := verifier(t, clk, n)
		for _, v := range order {
			if _, err := r.Revoke(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		if r.IsMember(f1.id) || r.IsMember(f2.id) {
			t.Fatal("a founder revoked by the other founder is still a member")
		}
	}
}

// Hole 4 (certificates): a flood of certificates from one partner costs
// one derivation at most, not one per certificate, and is capped.
func TestCertificateFloodIsLinearAndCapped(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	p := newNode(t, clk)
	join(t, a, p)
	before := a.reg.Stats().Rebuilds
	for i := range MaxAdmissions {
		s := newNode(t, clk)
		if _, err := a.reg.AddCertificate(ctx, issue(t, p, s, n.ID, clk.Now())); err != nil {
			t.Fatalf("certificate %d: %v", i+1, err)
		}
	}
	if got := a.reg.Stats().Rebuilds - before; got > 1 {
		t.Fatalf("%d certificates caused %d whole-membership derivations", MaxAdmissions, got)
	}
	over := issue(t, p, newNode(t, clk), n.ID, clk.Now())
	if _, err := a.reg.AddCertificate(ctx, over); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("certificate %d of one partner: %v", MaxAdmissions+1, err)
	}
}

// Apply stores a batch listed in any order with one signature check per
// record (hole 8's cause, and the sync's).
func TestApplyReverseChainIsLinear(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	const depth = 300
	var recs []protocol.Record
	prev := a
	for range depth {
		next := newNode(t, clk)
		c := issue(t, prev, next, n.ID, clk.Now())
		recs = append(recs, protocol.Record{Certificate: &c})
		prev = next
	}
	slices.Reverse(recs)
	r := verifier(t, clk, n)
	before := r.Stats().Verifications
	added, fails := r.Apply(ctx, recs)
	if len(added) != depth || len(fails) != 0 {
		t.Fatalf("applied %d of %d; failures %v", len(added), depth, fails)
	}
	if got := r.Stats().Verifications - before; got > depth {
		t.Fatalf("%d records needed %d signature checks", depth, got)
	}
	if !r.IsMember(prev.id) {
		t.Fatal("the end of the chain is not a member")
	}
}

// TestOrderIndependent builds a network with admissions, a kept and a
// dropped admission, backdated certificates of a revoked partner, a member
// leaving and an equivocating peer, then applies all its records to fresh
// registries in random orders: the members, revoked ones and excluded ones
// must be the same every time.
func TestOrderIndependent(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	var recs []protocol.Record
	addCert := func(c protocol.Certificate) { recs = append(recs, protocol.Record{Certificate: &c}) }
	addRev := func(v protocol.MemberRevocation) { recs = append(recs, protocol.Record{MemberRevocation: &v}) }
	nodes := map[string]*node{}
	for _, name := range []string{"p", "q", "x", "y", "z", "w", "e", "l"} {
		nodes[name] = newNode(t, clk)
	}
	full := verifier(t, clk, n)
	do := func(c protocol.Certificate) {
		t.Helper()
		if _, err := full.AddCertificate(ctx, c); err != nil {
			t.Fatal(err)
		}
		addCert(c)
	}
	do(issue(t, a, nodes["p"], n.ID, clk.Now()))
	do(issue(t, a, nodes["q"], n.ID, clk.Now()))
	do(issue(t, nodes["p"], nodes["x"], n.ID, clk.Now()))
	do(issue(t, nodes["x"], nodes["y"], n.ID, clk.Now()))
	do(issue(t, nodes["q"], nodes["l"], n.ID, clk.Now()))
	do(issue(t, nodes["q"], nodes["e"], n.ID, clk.Now()))
	addCert(issue(t, a, nodes["e"], n.ID, clk.Now())) // e equivocates, but revQ drops one
	addCert(issue(t, a, nodes["w"], n.ID, clk.Now())) // w equivocates for good
	addCert(issue(t, nodes["x"], nodes["w"], n.ID, clk.Now()))
	clk.Add(time.Hour)
	revP, _ := a.reg.NewMemberRevocation(nodes["p"].id, false)
	revP = resign(t, a, revP, full) // keeps x
	addRev(revP)
	addCert(issue(t, nodes["p"], nodes["z"], n.ID, clk.Now().Add(-2*time.Hour))) // backdated
	leave := protocol.MemberRevocation{Network: n.ID, Member: nodes["l"].id, Revoked: protocol.FormatTime(clk.Now()), Signer: nodes["l"].id}
	if err := leave.Sign(nodes["l"].key); err != nil {
		t.Fatal(err)
	}
	addRev(leave)
	revQ, _ := a.reg.NewMemberRevocation(nodes["q"].id, true) // drops l and e
	revQ.Network = n.ID
	if err := revQ.Sign(a.key); err != nil {
		t.Fatal(err)
	}
	addRev(revQ)

	summary := func(r *Registry) string {
		var s []string
		for name, nd := range nodes {
			m, ok := r.Member(nd.id)
			switch {
			case slices.Contains(r.Equivocal(), nd.id):
				s = append(s, name+"=excluded")
			case !ok:
				s = append(s, name+"=out")
			case m.Active():
				s = append(s, name+"=member")
			default:
				s = append(s, name+"=revoked")
			}
		}
		slices.Sort(s)
		return stringsJoin(s)
	}
	want := ""
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range 40 {
		order := slices.Clone(recs)
		rnd.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		r := verifier(t, clk, n)
		for progress := true; progress; {
			progress = false
			for _, rec := range order {
				var ok bool
				if rec.Certificate != nil {
					ok, _ = r.AddCertificate(ctx, *rec.Certificate)
				} else {
					ok, _ = r.Revoke(ctx, *rec.MemberRevocation)
				}
				progress = progress || ok
			}
		}
		got := summary(r)
		if i == 0 {
			want = got
			const expect = "e=member l=out p=revoked q=revoked w=excluded x=member y=member z=out"
			if got != expect {
				t.Fatalf("first order: %s\nwant %s", got, expect)
			}
		} else if got != want {
			t.Fatalf("order %d: %s\nfirst order: %s", i, got, want)
		}
	}
}

// resign makes rev keep what reg (a registry holding everything) says the
// revoked member signed that counts, as NewMemberRevocation would on a
// node that holds it all.
func resign(t *testing.T, signer *node, rev protocol.MemberRevocation, reg *Registry) protocol.MemberRevocation {
	t.Helper()
	n, _ := reg.Network()
	rev.Network = n.ID
	rev.Keep = nil
	for _, m := range reg.Members() {
		if m.Certificate.AdmittedBy == rev.Member && !m.Founder {
			rev.Keep = append(rev.Keep, m.Hash.String())
		}
	}
	slices.Sort(rev.Keep)
	if err := rev.Sign(signer.key); err != nil {
		t.Fatal(err)
	}
	return rev
}

func stringsJoin(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// verifier is a memory-only registry of network n holding certs.
func verifier(t *testing.T, clk *clock, n protocol.Network, certs ...protocol.Certificate) *Registry {
	t.Helper()
	r, err := Open(ctx, nil, Options{Now: clk.Now, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Init(ctx, n); err != nil {
		t.Fatal(err)
	}
	for _, c := range certs {
		mustAdd(t, r, c)
	}
	return r
}

func mustHash(t *testing.T, c protocol.Certificate) protocol.Hash {
	t.Helper()
	h, err := c.Hash()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var _ = peer.ID("")

// TestHeldCertificateNotVerifiedAgain: gossip and sync bring each
// certificate many times; a copy of one held, signatures and all, costs no
// signature check, and a copy with another signature is checked and
// refused.
func TestHeldCertificateNotVerifiedAgain(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, n := founded(t, clk)
	p := newNode(t, clk)
	c := issue(t, a, p, n.ID, clk.Now())
	if added, err := a.reg.AddCertificate(ctx, c); !added || err != nil {
		t.Fatalf("first copy: added %v, %v", added, err)
	}
	before := a.reg.Stats().Verifications
	for range 3 {
		if added, err := a.reg.AddCertificate(ctx, c); added || err != nil {
			t.Fatalf("a copy: added %v, %v; want a no-op", added, err)
		}
	}
	if got := a.reg.Stats().Verifications - before; got != 0 {
		t.Errorf("3 copies of a held certificate cost %d signature checks, want 0", got)
	}
	forged := c
	forged.Signature = append([]byte{}, c.Signature...)
	forged.Signature[0] ^= 1
	if _, err := a.reg.AddCertificate(ctx, forged); err == nil {
		t.Error("a copy with a changed signature was taken")
	}
	if got := a.reg.Stats().Verifications - before; got != 1 {
		t.Errorf("a copy with a changed signature cost %d checks, want 1", got)
	}
}
