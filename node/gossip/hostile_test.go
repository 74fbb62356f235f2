package gossip

import (
	"context"
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// TestPlainGossipSubStrangerLearnsNothing: a non-member that does not run
// kolo (a plain go-libp2p host with GossipSub and none of kolo's filters)
// connects during an open invite, subscribes to the records topic whose
// id it learned elsewhere, and publishes a member's record. It must be
// told nothing: no subscription of the member (which would name the
// topic, and so the network), no record; and what it publishes is not
// taken. TestNonMemberDuringOpenInvite's stranger is a kolo node, whose
// own filters refuse everything from the member, so it cannot see a
// member that tells it too much: this one can.
func TestPlainGossipSubStrangerLearnsNothing(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b := newTestNode(t, "a", clk), newTestNode(t, "b", clk)
	net := a.found()
	b.join(a)
	onTopic(t, a, b)
	a.invite("ME", 0) // open: the gater lets any peer in

	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.Transport(tcp.NewTCPTransport),
		libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ps, err := pubsub.NewGossipSub(ctx, h, pubsub.WithFloodPublish(true))
	if err != nil {
		t.Fatal(err)
	}
	topic, err := ps.Join(protocol.RecordsTopic(net.ID))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()
	// What the stranger learns while connected: a member's subscription
	// (a PeerJoin on the topic) or a record.
	joined := make(chan string, 16)
	events, err := topic.EventHandler()
	if err != nil {
		t.Fatal(err)
	}
	defer events.Cancel()
	go func() {
		for {
			ev, err := events.NextPeerEvent(ctx)
			if err != nil {
				return
			}
			if ev.Type == pubsub.PeerJoin {
				joined <- ev.Peer.String()
			}
		}
	}()
	got := make(chan *pubsub.Message, 16)
	go func() {
		for {
			m, err := sub.Next(ctx)
			if err != nil {
				return
			}
			if m.ReceivedFrom != h.ID() {
				got <- m
			}
		}
	}()
	cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
	defer ccancel()
	if err := h.Connect(cctx, a.info()); err != nil {
		t.Fatalf("with an invite open the stranger cannot connect: %v", err)
	}
	// The stranger relays a record b signed, again and again while
	// connected; a publishes one of its own.
	relayed := mustEndorse(t, b)
	data, err := protocol.Encode(protocol.Record{Endorsement: &relayed})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for ctx.Err() == nil && h.Network().Connectedness(a.id) == network.Connected {
			topic.Publish(ctx, data)
			time.Sleep(50 * time.Millisecond) // a repeated send, not a wait for readiness
		}
	}()
	a.sign()
	// The stranger is connected for testJoinGrace (GossipSub exchanges
	// subscriptions within milliseconds of a connection); when a drops
	// it, nothing more can reach it.
	waitFor(t, "a drops the lingering stranger", func() bool {
		return a.host.Network().Connectedness(h.ID()) != network.Connected
	})
	select {
	case p := <-joined:
		t.Fatalf("%s told the stranger it is on the records topic %s", p, protocol.RecordsTopic(net.ID))
	default:
	}
	select {
	case m := <-got:
		t.Fatalf("the stranger received a record by gossip from %s", m.ReceivedFrom)
	default:
	}
	hash, _ := relayed.Hash()
	if a.ledger.Has(hash) || b.ledger.Has(hash) {
		t.Fatal("a record relayed by a non-member was stored")
	}
}

// TestNonMembersFilteredOut: GossipSub's blacklist holds exactly the peers
// that are not current members (a stranger, a revoked member), and the
// topic's peer filter admits exactly the members. The blacklist comes
// first in every GossipSub path, so a peer filter that admitted everyone
// would show in no exchange while the blacklist works: it is checked here
// on its own.
func TestNonMembersFilteredOut(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b, c, stranger := newTestNode(t, "a", clk), newTestNode(t, "b", clk), newTestNode(t, "c", clk), newTestNode(t, "stranger", clk)
	// Before the node belongs to a network, nobody is blacklisted (it can
	// only be joining) and nobody passes the filter.
	if (nonMembers{a.reg}).Contains(b.id) || PeerFilter(a.reg)(b.id, "t") {
		t.Fatal("before a network: blacklisted, or let through the filter")
	}
	net := a.found()
	b.join(a)
	c.join(a)
	rev, err := a.reg.NewMemberRevocation(c.id, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.reg.Revoke(context.Background(), rev); err != nil {
		t.Fatal(err)
	}
	topic := protocol.RecordsTopic(net.ID)
	for _, tc := range []struct {
		who    *testNode
		member bool
	}{{a, true}, {b, true}, {c, false}, {stranger, false}} {
		if got := (nonMembers{a.reg}).Contains(tc.who.id); got == tc.member {
			t.Errorf("blacklist holds %s: %v; member: %v", tc.who.name, got, tc.member)
		}
		if got := PeerFilter(a.reg)(tc.who.id, topic); got != tc.member {
			t.Errorf("peer filter lets %s through: %v; member: %v", tc.who.name, got, tc.member)
		}
	}
}
