package gossip

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// memKV is an in-memory membership.KV for tests; it survives a node's
// restart like the node's store would.
type memKV struct {
	mu sync.Mutex
	m  map[string][]byte
	// full makes Put fail, as a store on a full disk does (an injected
	// fault: a real full disk is cmd/kolo's TestDiskFullDaemon).
	full atomic.Bool
}

func newMemKV() *memKV { return &memKV{m: map[string][]byte{}} }

func (kv *memKV) Put(key, val []byte) error {
	if kv.full.Load() {
		return errors.New("store: disk full (injected)")
	}
	kv.mu.Lock()
	defer kv.mu.Unlock()
	kv.m[string(key)] = append([]byte{}, val...)
	return nil
}

func (kv *memKV) Delete(key []byte) error {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	delete(kv.m, string(key))
	return nil
}

func (kv *memKV) Scan(ctx context.Context, prefix []byte, fn func(key, val []byte) error) error {
	kv.mu.Lock()
	var keys []string
	for k := range kv.m {
		if bytes.HasPrefix([]byte(k), prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	vals := make([][]byte, len(keys))
	for i, k := range keys {
		vals[i] = kv.m[k]
	}
	kv.mu.Unlock()
	for i, k := range keys {
		if err := fn([]byte(k), vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// logBuffer collects log lines for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// Has reports whether a logged line holds every one of parts.
func (b *logBuffer) Has(parts ...string) bool {
	for _, line := range strings.Split(b.String(), "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// testNode is one kolo node's network side on loopback: key, stores,
// registry, ledger, gater, libp2p host, GossipSub and Gossip.
type testNode struct {
	t      *testing.T
	name   string
	key    crypto.PrivKey
	id     peer.ID
	age    string
	clk    *clock
	regKV  *memKV
	ledKV  *memKV
	logs   *logBuffer
	reg    *membership.Registry
	ledger *declaration.Ledger
	host   host.Host
	g      *Gossip
	ps     *pubsub.PubSub
	mesh   *meshTracer
	cancel context.CancelFunc
	up     bool
	// invited counts the invites n issued.
	invited int
}

func newTestNode(t *testing.T, name string, clk *clock) *testNode {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(k)
	ai, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	n := &testNode{t: t, name: name, key: k, id: id, age: ai.Recipient().String(), clk: clk,
		regKV: newMemKV(), ledKV: newMemKV(), logs: &logBuffer{}}
	n.start()
	t.Cleanup(n.stop)
	return n
}

// start opens the stores and brings the node online (again).
func (n *testNode) start() {
	t := n.t
	t.Helper()
	log := slog.New(slog.NewTextHandler(n.logs, nil)).With("node", n.name)
	var err error
	n.reg, err = membership.Open(context.Background(), n.regKV, membership.Options{Key: n.key, Now: n.clk.Now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	n.ledger, err = declaration.Open(context.Background(), n.ledKV, n.reg, declaration.Options{Key: n.key, Now: n.clk.Now, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	n.host, err = libp2p.New(
		libp2p.Identity(n.key),
		libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.ConnectionGater(NewGater(n.reg, log)),
		libp2p.DisableRelay(),
		libp2p.DisableMetrics(),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.mesh = &meshTracer{peers: map[peer.ID]bool{}}
	ps, err := pubsub.NewGossipSub(ctx, n.host, append(PubSubOptions(n.reg), pubsub.WithRawTracer(n.mesh))...)
	if err != nil {
		t.Fatal(err)
	}
	n.ps = ps
	n.g, err = New(ctx, Config{Host: n.host, PubSub: ps, Registry: n.reg, Ledger: n.ledger, Logger: log,
		StreamTimeout: 10 * time.Second, SyncInterval: -1, JoinGrace: testJoinGrace})
	if err != nil {
		t.Fatal(err)
	}
	n.up = true
}

// stop takes the node offline; its stores survive.
func (n *testNode) stop() {
	if !n.up {
		return
	}
	n.up = false
	if err := n.g.Close(); err != nil {
		n.t.Errorf("%s: close gossip: %v", n.name, err)
	}
	n.cancel()
	n.host.Close()
}

func (n *testNode) info() peer.AddrInfo {
	return peer.AddrInfo{ID: n.id, Addrs: n.host.Addrs()}
}

func (n *testNode) addrs() []string {
	var out []string
	for _, a := range n.host.Addrs() {
		out = append(out, a.String())
	}
	return out
}

// found makes n the founder of a new network.
func (n *testNode) found() protocol.Network {
	n.t.Helper()
	net, err := membership.CreateNetwork(n.key, membership.Founding{Name: "WB CSO network", Org: "Org " + n.name,
		Country: "RS", Age: n.age, Declaration: declaration.Current().Ref()}, n.clk.Now())
	if err != nil {
		n.t.Fatal(err)
	}
	if err := n.reg.Init(context.Background(), net); err != nil {
		n.t.Fatal(err)
	}
	// The node was started before it had a network: join the topic now,
	// as the node does after `kolo network create`.
	if err := n.g.JoinTopic(); err != nil {
		n.t.Fatal(err)
	}
	return net
}

// invite issues a token from n.
func (n *testNode) invite(country string, ttl time.Duration) protocol.InviteToken {
	n.t.Helper()
	n.invited++ // each invited organisation its own name: one organisation counts once
	org := "Invited by " + n.name
	if n.invited > 1 {
		org += fmt.Sprintf(" (%d)", n.invited)
	}
	tok, err := n.reg.Invite(context.Background(), membership.InviteSpec{Org: org, Country: country,
		Roles: []protocol.Role{protocol.RolePartner}, Addrs: n.addrs(), TTL: ttl})
	if err != nil {
		n.t.Fatal(err)
	}
	return tok
}

// join makes n join through inviter, as `kolo join TOKEN` does.
func (n *testNode) join(inviter *testNode) {
	n.t.Helper()
	tok, err := protocol.ParseInviteToken(inviter.invite("BA", 0).String())
	if err != nil {
		n.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := n.g.JoinNetwork(ctx, tok, n.age); err != nil {
		n.t.Fatalf("%s joins through %s: %v", n.name, inviter.name, err)
	}
}

// sign endorses the Declaration and publishes the endorsement.
func (n *testNode) sign() protocol.Endorsement {
	n.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := n.ledger.Sign(ctx, time.Time{})
	if err != nil {
		n.t.Fatal(err)
	}
	if err := n.g.Publish(ctx, protocol.Record{Endorsement: &e}); err != nil {
		n.t.Fatal(err)
	}
	return e
}

// connect connects n to other.
func (n *testNode) connect(other *testNode) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return n.host.Connect(ctx, other.info())
}

// testJoinGrace is the JoinGrace of test nodes: short, so a test sees a
// lingering non-member dropped.
const testJoinGrace = 5 * time.Second

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

// meshTracer follows this node's GossipSub mesh (one topic per node), so
// a test can wait until the mesh has formed: GossipSub forwards a message
// only to the mesh, and a peer grafted later gets it only by sync.
type meshTracer struct {
	mu    sync.Mutex
	peers map[peer.ID]bool
}

func (m *meshTracer) Graft(p peer.ID, topic string) { m.mu.Lock(); m.peers[p] = true; m.mu.Unlock() }
func (m *meshTracer) Prune(p peer.ID, topic string) { m.mu.Lock(); delete(m.peers, p); m.mu.Unlock() }
func (m *meshTracer) has(p peer.ID) bool            { m.mu.Lock(); defer m.mu.Unlock(); return m.peers[p] }

func (m *meshTracer) OnNewOutboundStream(peer.ID, libp2pprotocol.ID)       {}
func (m *meshTracer) OnClosedOutboundStream(peer.ID)                       {}
func (m *meshTracer) Join(string)                                          {}
func (m *meshTracer) Leave(string)                                         {}
func (m *meshTracer) ValidateMessage(*pubsub.Message)                      {}
func (m *meshTracer) DeliverMessage(*pubsub.Message)                       {}
func (m *meshTracer) RejectMessage(*pubsub.Message, string)                {}
func (m *meshTracer) DuplicateMessage(*pubsub.Message)                     {}
func (m *meshTracer) ThrottlePeer(peer.ID)                                 {}
func (m *meshTracer) RecvRPC(*pubsub.RPC)                                  {}
func (m *meshTracer) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (m *meshTracer) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (m *meshTracer) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (m *meshTracer) UndeliverableMessage(*pubsub.Message)                 {}

// inMesh waits until n's mesh holds every one of others.
func inMesh(t *testing.T, n *testNode, others ...*testNode) {
	t.Helper()
	waitFor(t, n.name+"'s GossipSub mesh forms", func() bool {
		for _, o := range others {
			if !n.mesh.has(o.id) {
				return false
			}
		}
		return true
	})
}
