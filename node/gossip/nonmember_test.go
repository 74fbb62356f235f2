package gossip

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/network"
)

// Hole 3: while an invite is open a non-member may connect, but it speaks
// only the join protocol: it is told nothing by gossip (not even the topic
// names, which carry the network id), whatever it relays is dropped, a
// join refusal does not name the network, and it is disconnected when its
// join ends or when it lingers without joining.
func TestNonMemberDuringOpenInvite(t *testing.T) {
	t.Parallel()
	clk := newClock()
	a, b, stranger := newTestNode(t, "a", clk), newTestNode(t, "b", clk), newTestNode(t, "stranger", clk)
	net := a.found()
	b.join(a)
	waitFor(t, "a and b see each other on the topic", func() bool {
		return a.g.TopicPeersHas(b.id) && b.g.TopicPeersHas(a.id)
	})
	a.invite("ME", 0) // open: the gater lets the stranger in

	// The stranger knows the network id (say, from an old token) and
	// subscribes to the records topic.
	topic, err := stranger.ps.Join(protocol.RecordsTopic(net.ID))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()
	if err := stranger.connect(a); err != nil {
		t.Fatalf("with an invite open the stranger cannot connect: %v", err)
	}
	// A record b signs but only the stranger sends: relayed by a
	// non-member, it must not be taken.
	relayed := mustEndorse(t, b)
	data, err := protocol.Encode(protocol.Record{Endorsement: &relayed})
	if err != nil {
		t.Fatal(err)
	}
	// a publishes a record to the network while the stranger is connected.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	a.sign()
	go func() {
		for ctx.Err() == nil {
			topic.Publish(ctx, data)
			time.Sleep(100 * time.Millisecond) // a repeated send, not a wait for readiness
		}
	}()
	if msg, err := sub.Next(ctx); err == nil && msg.ReceivedFrom != stranger.id {
		t.Fatalf("the stranger received a record by gossip from %s", msg.ReceivedFrom)
	}
	if slices := topic.ListPeers(); len(slices) != 0 {
		t.Fatalf("the stranger learned that %v are on the records topic", slices)
	}
	h, _ := relayed.Hash()
	if a.ledger.Has(h) || b.ledger.Has(h) {
		t.Fatal("a record relayed by a non-member was stored")
	}
	// It did not join within the grace: it is disconnected.
	waitFor(t, "a drops the lingering stranger", func() bool {
		return a.host.Network().Connectedness(stranger.id) != network.Connected
	})
	if !a.logs.Has("non-member that did not join", stranger.id.String()) {
		t.Fatalf("a did not log why it dropped the stranger:\n%s", a.logs)
	}

	// A join with a token a never issued: refused without naming the
	// network, and the connection goes with the exchange.
	bogus := a.invite("ME", 0)
	bogus.Secret, _ = protocol.NewInviteSecret()
	jctx, jcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer jcancel()
	_, err = stranger.g.JoinNetwork(jctx, bogus, stranger.age)
	if !errors.Is(err, protocol.ErrRefused) || strings.Contains(err.Error(), net.ID) {
		t.Fatalf("join with an unknown token: %v", err)
	}
	start := time.Now()
	waitFor(t, "a drops the stranger after its join", func() bool {
		return a.host.Network().Connectedness(stranger.id) != network.Connected
	})
	if time.Since(start) > testJoinGrace {
		t.Fatalf("the stranger stayed %s after its join was refused, as long as the grace", time.Since(start))
	}
}
