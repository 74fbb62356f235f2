package gossip

import (
	"context"
	"errors"
	"github.com/libp2p/go-libp2p/core/network"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
)

func members(n *testNode) int {
	k := 0
	for _, m := range n.reg.Members() {
		if m.Active() {
			k++
		}
	}
	return k
}

func counted(n *testNode) int { return n.ledger.Status().Count }

// onTopic waits until n sees every one of others on the records topic.
func onTopic(t *testing.T, n *testNode, others ...*testNode) {
	t.Helper()
	waitFor(t, n.name+" sees its peers on the records topic", func() bool {
		ps := n.g.TopicPeers()
		for _, o := range others {
			if !slices.Contains(ps, o.id) {
				return false
			}
		}
		return true
	})
}

// TestJoinSignPropagate: a founder invites two organisations, they join
// over the network, one signs, and every node counts the endorsement.
func TestJoinSignPropagate(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b, c := newTestNode(t, "a", clk), newTestNode(t, "b", clk), newTestNode(t, "c", clk)
	a.found()
	b.join(a)
	c.join(a)
	for _, n := range []*testNode{a, b, c} {
		waitFor(t, n.name+" knows the 3 members", func() bool { return members(n) == 3 })
	}
	if err := b.connect(c); err != nil {
		t.Fatalf("members b and c cannot connect: %v", err)
	}
	onTopic(t, b, a, c)
	e := b.sign()
	for _, n := range []*testNode{a, b, c} {
		waitFor(t, n.name+" counts b's endorsement", func() bool { return counted(n) == 1 })
	}
	st := c.ledger.Status()
	if st.ByCountry[0].Country != "BA" || st.Threshold != 20 {
		t.Fatalf("status on c: %+v", st)
	}
	// Admitted-by is known everywhere: `kolo members`.
	m, ok := c.reg.Member(b.id)
	if !ok || m.Certificate.AdmittedBy != a.id || m.Certificate.Org != "Invited by a" {
		t.Fatalf("c's view of b: %+v", m)
	}
	// A revocation propagates and wins.
	rs, err := b.ledger.Withdraw(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.g.Publish(context.Background(), protocol.Record{Revocation: &rs[0]}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*testNode{a, c} {
		waitFor(t, n.name+" applies b's revocation", func() bool { return counted(n) == 0 })
	}
	h, _ := e.Hash()
	if !a.ledger.Has(h) {
		t.Fatal("the revoked endorsement was dropped instead of kept as revoked")
	}
}

// TestOfflineCatchUp: a node offline while three endorsements were made
// catches up through sync when it comes back.
func TestOfflineCatchUp(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b, c, d := newTestNode(t, "a", clk), newTestNode(t, "b", clk), newTestNode(t, "c", clk), newTestNode(t, "d", clk)
	a.found()
	b.join(a)
	c.join(a)
	d.join(a)
	for _, n := range []*testNode{b, d} {
		waitFor(t, n.name+" knows the 4 members", func() bool { return members(n) == 4 })
		if err := n.connect(a); err != nil {
			t.Fatal(err)
		}
	}
	c.stop()
	onTopic(t, a, b, d)
	onTopic(t, b, a)
	onTopic(t, d, a)
	for _, n := range []*testNode{a, b, d} {
		n.sign()
	}
	waitFor(t, "a counts 3", func() bool { return counted(a) == 3 })
	if counted(c) != 0 {
		t.Fatal("c counted while offline")
	}
	c.start()
	if err := c.connect(a); err != nil {
		t.Fatalf("c reconnects: %v", err)
	}
	waitFor(t, "c catches up with 3 endorsements", func() bool { return counted(c) == 3 })
	if !c.logs.Has("caught up", a.id.String()) {
		t.Errorf("c did not log its catch-up:\n%s", c.logs)
	}
}

// TestNonMemberRefused: an unknown peer cannot connect while no invite is
// open; while one is open it can connect but gets no sync answered.
func TestNonMemberRefused(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, stranger := newTestNode(t, "a", clk), newTestNode(t, "stranger", clk)
	a.found()
	// The dialer may finish its handshake before a's gater closes the
	// connection, so Connect can return nil: what counts is that a never
	// keeps the connection and says so.
	stranger.connect(a)
	waitFor(t, "a logs the refused connection", func() bool {
		return a.logs.Has("refused connection from a non-member", stranger.id.String())
	})
	waitFor(t, "the stranger is disconnected", func() bool {
		return len(stranger.host.Network().ConnsToPeer(a.id)) == 0 && len(a.host.Network().ConnsToPeer(stranger.id)) == 0
	})
	a.invite("ME", 0)
	if err := stranger.connect(a); err != nil {
		t.Fatalf("with an invite open, the stranger cannot connect to join: %v", err)
	}
	s, err := stranger.host.NewStream(context.Background(), a.id, protocol.SyncID)
	if err == nil {
		_, err = protocol.PullRecords(context.Background(), s, a.mustNetwork().ID, nil)
		s.Reset()
	}
	if err == nil {
		t.Fatal("a non-member pulled records")
	}
	waitFor(t, "a logs the refused sync", func() bool { return a.logs.Has("sync refused: not a member", stranger.id.String()) })
}

func (n *testNode) mustNetwork() protocol.Network {
	net, ok := n.reg.Network()
	if !ok {
		n.t.Fatal(n.name + " has no network")
	}
	return net
}

// TestTokenRefusals: a reused and an expired token are refused over the
// join protocol with a clear error on both ends, and nothing is stored.
func TestTokenRefusals(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b, e := newTestNode(t, "a", clk), newTestNode(t, "b", clk), newTestNode(t, "e", clk)
	a.found()
	short := a.invite("AL", time.Minute)
	used := a.invite("AL", 0)
	a.invite("AL", 0) // stays open, so the gater lets e in
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := b.g.JoinNetwork(ctx, used, b.age); err != nil {
		t.Fatal(err)
	}
	_, err := e.g.JoinNetwork(ctx, used, e.age)
	if !errors.Is(err, protocol.ErrRefused) || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("reused token: %v", err)
	}
	clk.Add(2 * time.Minute)
	_, err = e.g.JoinNetwork(ctx, short, e.age)
	if !errors.Is(err, protocol.ErrRefused) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired token: %v", err)
	}
	unknown := used
	unknown.Secret, _ = protocol.NewInviteSecret()
	_, err = e.g.JoinNetwork(ctx, unknown, e.age)
	if !errors.Is(err, protocol.ErrRefused) || !strings.Contains(err.Error(), "unknown invite token") {
		t.Fatalf("unknown token: %v", err)
	}
	if a.reg.IsMember(e.id) || members(a) != 2 {
		t.Fatal("a refused join admitted e")
	}
	if _, ok := e.reg.Network(); ok {
		t.Fatal("e stored a network after being refused")
	}
	// a logs each refusal when its side of the exchange ends, which may
	// be after e has read the refusal and gone on.
	for _, want := range []string{"already used", "expired", "unknown invite token"} {
		waitFor(t, "a logs the refusal "+want, func() bool { return a.logs.Has("join refused", e.id.String(), want) })
	}
}

// TestInvalidGossipRejected: a forged endorsement and one replayed for
// another declaration are rejected by the first node that sees them, logged,
// never forwarded and never stored; a valid one published after them
// reaches everyone.
func TestInvalidGossipRejected(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b, c := newTestNode(t, "a", clk), newTestNode(t, "b", clk), newTestNode(t, "c", clk)
	a.found()
	b.join(a)
	c.join(a) // b - a - c: b and c are not connected
	for _, n := range []*testNode{a, b, c} {
		waitFor(t, n.name+" knows the 3 members", func() bool { return members(n) == 3 })
	}
	inMesh(t, a, b, c) // a forwards to its mesh only
	onTopic(t, b, a)

	net := b.mustNetwork()
	m, _ := b.reg.Member(b.id)
	forged, err := newEndorsement(b, net, m.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	forged.Signature[10] ^= 1
	replayed, _ := newEndorsement(b, net, m.Certificate)
	replayed.Declaration = strings.Repeat("ab", 32)
	ctx := context.Background()
	// Publish refuses them on b itself...
	for _, e := range []protocol.Endorsement{forged, replayed} {
		if err := b.g.Publish(ctx, protocol.Record{Endorsement: &e}); err == nil {
			t.Fatal("Publish sent an invalid endorsement")
		}
	}
	// ...so b sends them raw, as a broken or malicious node would.
	for _, e := range []protocol.Endorsement{forged, replayed} {
		if err := b.g.publish(ctx, protocol.Record{Endorsement: &e}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "a rejects both", func() bool {
		return a.logs.Has("rejected record", "signature does not verify") && a.logs.Has("rejected record", "not the network's Declaration")
	})
	b.sign()
	waitFor(t, "c counts the valid endorsement", func() bool { return counted(c) == 1 })
	if c.logs.Has("rejected record") {
		t.Fatalf("a forwarded an invalid record to c:\n%s", c.logs)
	}
	for _, n := range []*testNode{a, c} {
		if len(n.ledger.List()) != 1 {
			t.Fatalf("%s stored %d endorsements, want only the valid one", n.name, len(n.ledger.List()))
		}
	}
}

// TestRevokedMemberDisconnected: revoking a member spreads, closes its
// connections, and its later endorsements are refused.
func TestRevokedMemberDisconnected(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b, c := newTestNode(t, "a", clk), newTestNode(t, "b", clk), newTestNode(t, "c", clk)
	a.found()
	b.join(a)
	c.join(a)
	waitFor(t, "b knows c", func() bool { return members(b) == 3 })
	if err := b.connect(c); err != nil {
		t.Fatal(err)
	}
	onTopic(t, a, b, c)
	rev, err := a.reg.NewMemberRevocation(c.id, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.g.Accept(context.Background(), protocol.Record{MemberRevocation: &rev}); err != nil {
		t.Fatal(err)
	}
	if err := a.g.Publish(context.Background(), protocol.Record{MemberRevocation: &rev}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "b learns c's revocation", func() bool { return !b.reg.IsMember(c.id) })
	waitFor(t, "a and b drop their connections to c", func() bool {
		return len(a.host.Network().ConnsToPeer(c.id)) == 0 && len(b.host.Network().ConnsToPeer(c.id)) == 0
	})
	c.connect(a) // may seem to succeed on c's side (see TestNonMemberRefused)
	waitFor(t, "a refuses c's reconnection", func() bool {
		return a.logs.Has("refused connection from a revoked member", c.id.String()) && len(a.host.Network().ConnsToPeer(c.id)) == 0
	})
	if _, err := a.ledger.Add(context.Background(), mustEndorse(t, c)); !errors.Is(err, membership.ErrRevoked) {
		t.Fatalf("endorsement by a revoked member: %v", err)
	}
	// A revoked node redials the members it remembers every 30 s: each
	// attempt is refused, and logged once an hour, not each time.
	logs := &logBuffer{}
	g := NewGater(a.reg, slog.New(slog.NewTextHandler(logs, nil)))
	at := time.Now()
	for _, l := range []*logLimiter{g.limit, g.revoked} {
		l.now = func() time.Time { return at }
	}
	for i := range 10 {
		at = at.Add(30 * time.Second)
		if g.InterceptSecured(network.DirInbound, c.id, nil) {
			t.Fatalf("attempt %d of the revoked member was let in", i+1)
		}
	}
	if n := strings.Count(logs.String(), "refused connection from a revoked member"); n != 1 {
		t.Fatalf("10 refused attempts logged %d lines, want 1:\n%s", n, logs)
	}
}

func newEndorsement(n *testNode, net protocol.Network, cert protocol.Certificate) (protocol.Endorsement, error) {
	e := protocol.Endorsement{Network: net.ID, Declaration: net.Declaration.SHA256, Org: cert.Org, Country: cert.Country,
		Date: protocol.FormatDate(n.clk.Now()), Signer: n.id}
	return e, e.Sign(n.key)
}

func mustEndorse(t *testing.T, n *testNode) protocol.Endorsement {
	m, _ := n.reg.Member(n.id)
	e, err := newEndorsement(n, n.mustNetwork(), m.Certificate)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestStoreFailureIgnored: a node whose store cannot keep a record that
// arrives by gossip (its disk is full) ignores it, which holds nothing
// against the honest sender, instead of rejecting it as invalid; it says
// so in its log, and a sync brings the record once the store works again.
func TestStoreFailureIgnored(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b := newTestNode(t, "a", clk), newTestNode(t, "b", clk)
	a.found()
	b.join(a)
	for _, n := range []*testNode{a, b} {
		waitFor(t, n.name+" knows the 2 members", func() bool { return members(n) == 2 })
	}
	onTopic(t, b, a)
	a.ledKV.full.Store(true)
	e := b.sign()
	h, _ := e.Hash()
	waitFor(t, "a logs that it could not keep b's endorsement", func() bool {
		return a.logs.Has("could not keep a record", "kind=endorsement", b.id.String(), "disk full")
	})
	if a.logs.Has("rejected record") || a.ledger.Has(h) {
		t.Fatalf("a rejected or kept the endorsement it could not store:\n%s", a.logs)
	}
	a.ledKV.full.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := a.g.Sync(ctx, b.id); err != nil {
		t.Fatal(err)
	}
	if !a.ledger.Has(h) || counted(a) != 1 {
		t.Fatal("after the store recovered, a sync did not bring b's endorsement")
	}
}
