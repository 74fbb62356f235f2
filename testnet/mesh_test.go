package testnet

import (
	"context"
	"flag"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// partition cuts a test network in two while cut is set: every
// connection between a node of one half and a node of the other is
// refused, as when the link between two groups of offices goes down.
type partition struct {
	cut   atomic.Bool
	ring  atomic.Int32 // > 0: only ring neighbours up to this distance may connect
	mu    sync.Mutex
	index map[peer.ID]int // node index of each peer, once known
	size  int
}

// half is node i's half: the first size/2 nodes, then the rest; a node
// beyond size (one added later) is in the first half.
func (p *partition) half(i int) int {
	if i >= p.size {
		return 0
	}
	return i * 2 / p.size
}

// gater is node i's view of the partition.
func (p *partition) gater(i int) side { return side{p, i} }

type side struct {
	p *partition
	i int
}

func (s side) ok(q peer.ID) bool {
	s.p.mu.Lock()
	j, known := s.p.index[q]
	s.p.mu.Unlock()
	if !known {
		return true
	}
	if k := int(s.p.ring.Load()); k > 0 {
		d := (j - s.i + s.p.size) % s.p.size
		if d > k && d < s.p.size-k {
			return false
		}
	}
	return !s.p.cut.Load() || s.p.half(s.i) == s.p.half(j)
}

func (s side) InterceptPeerDial(q peer.ID) bool                 { return s.ok(q) }
func (s side) InterceptAddrDial(q peer.ID, _ ma.Multiaddr) bool { return s.ok(q) }
func (s side) InterceptAccept(network.ConnMultiaddrs) bool      { return true }
func (s side) InterceptSecured(_ network.Direction, q peer.ID, _ network.ConnMultiaddrs) bool {
	return s.ok(q)
}
func (s side) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

// meshNodes sizes TestMeshRecovery: 16 in CI; docs/RELIABILITY.md quotes
// a run with -mesh-nodes 50.
var meshNodes = flag.Int("mesh-nodes", 16, "nodes of TestMeshRecovery's network")

// within waits for cond for at most d (the test's claim) and logs how long
// it took.
func within(ctx context.Context, t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := WaitFor(wctx, what, cond); err != nil {
		t.Fatalf("not within %s: %v", d, err)
	}
	t.Logf("%s: %s", what, time.Since(start).Round(10*time.Millisecond))
}

// meshConnected reports whether the running nodes' meshes connect them all.
func meshConnected(ctx context.Context, net *Net) bool {
	c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	return net.WaitMesh(c) == nil
}

// TestMeshRecovery claims, with deadlines, how fast GossipSub's meshes
// connect a network again: after the connections of a fully connected
// network are cut down to a ring (each node keeps 4 neighbours, as in a
// sparse network of offices), after a member restarts, and after a
// partition of the network into two halves heals; records published on
// either side during the partition reach every node. Before kolo tuned
// GossipSub (node/gossip, PubSubOptions) the ring took over a minute: the
// one-minute backoff after the PRUNEs sent while every node was connected
// to every other kept neighbours from grafting one another.
func TestMeshRecovery(t *testing.T) {
	t.Parallel()
	size, k := *meshNodes, 2
	if size >= 32 {
		k = 4
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	part := &partition{index: map[peer.ID]int{}, size: size}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	net, err := Start(ctx, Options{N: size, Dir: t.TempDir(), Logger: log, Node: node.Options{BuiltInForms: []string{}},
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
	for i := range size {
		part.index[net.Node(i).PeerID()] = i
	}
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	// Offices keep a few connections: the gater now holds each node to its
	// ring neighbours (else the nodes would dial the members they
	// remember again).
	part.ring.Store(int32(k))
	start := time.Now()
	if err := ring(ctx, net, k); err != nil { // ring() waits for the meshes
		t.Fatal(err)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("the ring's meshes took %s to connect every node", d)
	} else {
		t.Logf("the ring's meshes connected every node in %s", d.Round(10*time.Millisecond))
	}

	// A member restarts (new ports): it dials the members it remembers.
	if err := net.StopNode(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if err := net.StartNode(ctx, 5); err != nil {
		t.Fatal(err)
	}
	// Its neighbours are among the members it remembers; the ring's gater
	// would refuse the others it tries first, so connect it to them, as a
	// bootstrap list would.
	for d := 1; d <= k; d++ {
		for _, j := range []int{(5 + d) % size, (5 - d + size) % size} {
			if err := net.Connect(ctx, 5, j); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer func() {
		if t.Failed() {
			for _, i := range []int{5, 4, 6, 3, 7} {
				var names []int
				for _, p := range net.Node(i).MeshPeers() {
					names = append(names, part.index[p])
				}
				t.Logf("node %d: mesh %v, topic peers %d, connected %d", i, names, len(net.Node(i).Gossip().TopicPeers()), len(net.Node(i).Host().Network().Peers()))
			}
		}
	}()
	within(ctx, t, 10*time.Second, "a restarted member back in the meshes", func() bool { return meshConnected(ctx, net) })

	// The network splits in two; each half endorses meanwhile.
	part.cut.Store(true)
	for i := range size {
		for j := range size {
			if part.half(i) != part.half(j) {
				net.Node(i).Host().Network().ClosePeer(net.Node(j).PeerID())
			}
		}
	}
	a, err := net.Endorse(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := net.Endorse(ctx, size-1)
	if err != nil {
		t.Fatal(err)
	}
	within(ctx, t, 10*time.Second, "each half holds its own endorsement", func() bool {
		for i := range size {
			mine, theirs := a, b
			if part.half(i) == 1 {
				mine, theirs = b, a
			}
			if !net.Node(i).Ledger().Has(mine) || net.Node(i).Ledger().Has(theirs) {
				return false
			}
		}
		return true
	})
	// The link comes back; the nodes at the seams reconnect.
	part.cut.Store(false)
	for i := range size {
		for d := 1; d <= k; d++ {
			if j := (i + d) % size; part.half(i) != part.half(j) {
				if err := net.Connect(ctx, i, j); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	within(ctx, t, 10*time.Second, "after the partition heals, every node holds both endorsements", func() bool {
		return net.Holds(a) && net.Holds(b)
	})
	within(ctx, t, 10*time.Second, "after the partition heals, the meshes connect all nodes", func() bool { return meshConnected(ctx, net) })
}
