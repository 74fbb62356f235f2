package testnet

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
)

// TestMembersFindOneAnother: two organisations admitted by the founder,
// and never told of each other, connect directly (each member hands the
// others the signed peer records of the members it knows); with the
// founder's node offline they still exchange records, and one that
// restarts (on new ports) finds the other again from what it remembers.
// Before the peer exchange, every member reached the network through its
// inviter alone: with the founder offline, nobody reached anybody.
func TestMembersFindOneAnother(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net, err := Start(ctx, Options{N: 3, Dir: t.TempDir(), Node: node.Options{BuiltInForms: []string{}},
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the nodes' logs:\n%s", logs.String())
		}
		net.Close(context.Background())
	})
	if err := net.Found(ctx, 0); err != nil {
		t.Fatal(err)
	}
	for _, j := range []int{1, 2} {
		tok, err := net.Invite(ctx, 0, j, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := net.Join(ctx, j, tok); err != nil {
			t.Fatal(err)
		}
	}
	within(ctx, t, 20*time.Second, "nodes 1 and 2, admitted by node 0, connect directly", func() bool { return net.Connected(1, 2) })
	if err := net.StopNode(ctx, 0); err != nil {
		t.Fatal(err)
	}
	h, err := net.Endorse(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	within(ctx, t, 20*time.Second, "with the founder offline, node 2 holds node 1's endorsement", func() bool { return net.Holds(h) })
	if err := net.StopNode(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := net.StartNode(ctx, 2); err != nil {
		t.Fatal(err)
	}
	within(ctx, t, 20*time.Second, "node 2, restarted on new ports, finds node 1 again", func() bool { return net.Connected(2, 1) })
}

// TestRedialAfterLongOutage: after a long outage, libp2p's dial backoff
// for a member's addresses has grown to its five-minute cap (5 s + 1 s ×
// the square of the failed dials); the member book's paced redial (every
// 30 s) clears it, so that the nodes connect again at the first redial
// after the link is back, not minutes later. The test gives both nodes
// that backoff, as some twenty failed dials would, while a partition
// refuses their dials.
func TestRedialAfterLongOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a paced redial (up to 30 s)")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	part := &partition{index: map[peer.ID]int{}, size: 2}
	net, err := Start(ctx, Options{N: 2, Dir: t.TempDir(), Node: node.Options{BuiltInForms: []string{}},
		Logger:      slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
		NodeOptions: func(i int, o *node.Options) { o.Gater = part.gater(i) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the nodes' logs:\n%s", logs.String())
		}
		net.Close(context.Background())
	})
	for i := range 2 {
		part.index[net.Node(i).PeerID()] = i
	}
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	part.cut.Store(true)
	net.Node(0).Host().Network().ClosePeer(net.Node(1).PeerID())
	net.Node(1).Host().Network().ClosePeer(net.Node(0).PeerID())
	for i, j := range []int{1, 0} {
		sw, ok := net.Node(i).Host().Network().(*swarm.Swarm)
		if !ok {
			t.Fatalf("node %d's network is a %T, not libp2p's swarm", i, net.Node(i).Host().Network())
		}
		for _, a := range net.Node(j).Host().Addrs() {
			for range 20 {
				sw.Backoff().AddBackoff(net.Node(j).PeerID(), a)
			}
		}
		if !sw.Backoff().Backoff(net.Node(j).PeerID(), net.Node(j).Host().Addrs()[0]) {
			t.Fatalf("node %d is not backing off from node %d", i, j)
		}
	}
	part.cut.Store(false)
	within(ctx, t, 45*time.Second, "after the outage, the nodes connect again", func() bool { return net.Connected(0, 1) })
}
