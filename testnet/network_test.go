package testnet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// testTimeout bounds each multi-node test; the conditions it waits on
// normally hold within a second or two.
const testTimeout = 90 * time.Second

// logBuffer collects the nodes' log lines for assertions.
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

// line returns the first logged line holding every one of parts, or "".
func (b *logBuffer) line(parts ...string) string {
	b.mu.Lock()
	text := b.buf.String()
	b.mu.Unlock()
	for _, l := range strings.Split(text, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return l
		}
	}
	return ""
}

// waitLog waits until a line holding every one of parts is logged, and
// returns it.
func waitLog(ctx context.Context, t *testing.T, logs *logBuffer, parts ...string) string {
	t.Helper()
	var l string
	if err := WaitFor(ctx, "log line with "+strings.Join(parts, " + "), func() bool {
		l = logs.line(parts...)
		return l != ""
	}); err != nil {
		t.Fatal(err)
	}
	return l
}

// clock is a test clock the nodes' signed records follow.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// startNet starts n nodes that log into logs, serve no forms and follow
// now (time.Now if nil), and stops them when the test ends.
func startNet(ctx context.Context, t *testing.T, n int, logs *logBuffer, now func() time.Time) *Net {
	t.Helper()
	return startNetOpts(ctx, t, n, logs, node.Options{BuiltInForms: []string{}, Now: now})
}

// startNetForms is startNet with the built-in forms, served by the test
// binary (TestMain), for nodes that hold records.
func startNetForms(ctx context.Context, t *testing.T, n int, logs *logBuffer) *Net {
	t.Helper()
	return startNetOpts(ctx, t, n, logs, node.Options{})
}

func startNetOpts(ctx context.Context, t *testing.T, n int, logs *logBuffer, opts node.Options) *Net {
	t.Helper()
	return startNetLevel(ctx, t, n, logs, opts, slog.LevelInfo)
}

// startNetLevel is startNetOpts with the nodes' logs kept from level on.
func startNetLevel(ctx context.Context, t *testing.T, n int, logs *logBuffer, opts node.Options, level slog.Level) *Net {
	t.Helper()
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: level}))
	net, err := Start(ctx, Options{N: n, Dir: t.TempDir(), Logger: log, Node: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the nodes' logs:\n%s", logs.String())
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := net.Close(ctx); err != nil {
			t.Errorf("close testnet: %v", err)
		}
	})
	return net
}

// TestInviteJoinSignCount: six nodes form a network; a seventh
// organisation is invited by a member that is not the founder, joins, and
// endorses the Declaration; every node counts it and knows who admitted
// whom.
func TestInviteJoinSignCount(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	logs := &logBuffer{}
	net := startNet(ctx, t, 7, logs, nil)
	if err := net.StopNode(ctx, 6); err != nil { // the newcomer comes later
		t.Fatal(err)
	}
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if got := len(net.Node(i).Members()); got != 6 {
			t.Fatalf("node %d lists %d members after Form, want 6", i, got)
		}
	}

	if err := net.StartNode(ctx, 6); err != nil {
		t.Fatal(err)
	}
	tok, err := net.Invite(ctx, 2, 6, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Join(ctx, 6, tok); err != nil {
		t.Fatal(err)
	}
	if err := net.WaitMembers(ctx); err != nil {
		t.Fatal(err)
	}
	h, err := net.Endorse(ctx, 6)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.WaitCounted(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		st, _ := net.Node(i).DeclarationStatus()
		if st.Threshold != protocol.DefaultThreshold || len(st.ByCountry) != 1 ||
			st.ByCountry[0].Country != Countries[6] || st.ByCountry[0].Count != 1 || st.Viable {
			t.Fatalf("node %d's status: %+v", i, st)
		}
		list := net.Node(i).Declarations()
		if len(list) != 1 || list[0].SHA256 != h.String() || list[0].Org != Org(6) || list[0].State != declaration.StateCounted {
			t.Fatalf("node %d lists %+v", i, list)
		}
	}
	// `kolo members` on the founder: the newcomer, admitted by node 2.
	newcomer := net.Node(6).PeerID()
	i := slices.IndexFunc(net.Node(0).Members(), func(m node.MemberInfo) bool { return m.PeerID == newcomer })
	if i < 0 {
		t.Fatal("the founder does not list the newcomer")
	}
	m := net.Node(0).Members()[i]
	if m.AdmittedBy != net.Node(2).PeerID() || m.AdmittedByOrg != Org(2) || m.Org != Org(6) || m.Founder {
		t.Fatalf("founder's view of the newcomer: %+v", m)
	}
}

// TestOfflineNodeCatchesUp: a node that was stopped while three
// organisations endorsed gets the three endorsements when it starts again:
// it dials the members it remembers and syncs.
func TestOfflineNodeCatchesUp(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	logs := &logBuffer{}
	net := startNet(ctx, t, 4, logs, nil)
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	if err := net.StopNode(ctx, 3); err != nil {
		t.Fatal(err)
	}
	var made []protocol.Hash
	for i := range 3 {
		h, err := net.Endorse(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, h)
	}
	if err := net.WaitCounted(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := net.StartNode(ctx, 3); err != nil {
		t.Fatal(err)
	}
	// Nobody dials node 3 (its ports changed); it finds the others itself.
	if err := WaitFor(ctx, "node 3 holds the 3 endorsements made while it was offline", func() bool {
		return net.Node(3).Ledger().Has(made[0]) && net.Node(3).Ledger().Has(made[1]) && net.Node(3).Ledger().Has(made[2])
	}); err != nil {
		t.Fatal(err)
	}
	if st, _ := net.Node(3).DeclarationStatus(); st.Count != 3 {
		t.Fatalf("node 3 counts %d after catching up, want 3", st.Count)
	}
	waitLog(ctx, t, logs, "node=3", "gossip: caught up")
}

// TestRefusals: a forged signature, an endorsement of another declaration,
// a non-member's connection, an expired and a reused invite token are each
// refused with a clear log line, and nothing is stored.
func TestRefusals(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	logs := &logBuffer{}
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	net := startNet(ctx, t, 4, logs, clk.Now)
	// Nodes 0, 1, 2 form the network; node 3 stays outside.
	if err := net.Found(ctx, 0); err != nil {
		t.Fatal(err)
	}
	tokens := map[int]string{}
	for _, j := range []int{1, 2} {
		tok, err := net.Invite(ctx, 0, j, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := net.Join(ctx, j, tok); err != nil {
			t.Fatal(err)
		}
		tokens[j] = tok
	}
	n0, n1 := net.Node(0), net.Node(1)
	if err := WaitFor(ctx, "nodes 0 and 1 know nodes 1 and 2", func() bool {
		return n0.IsMember(net.Node(2).PeerID()) && n1.IsMember(net.Node(2).PeerID()) && n1.IsMember(n1.PeerID())
	}); err != nil {
		t.Fatal(err)
	}
	if err := net.Connect(ctx, 1, 2); err != nil {
		t.Fatal(err)
	}

	t.Run("non-member connection", func(t *testing.T) {
		stranger := newHost(t, nil)
		_ = stranger.Connect(ctx, net.AddrInfo(0)) // the outcome on the dialling side depends on the transport
		waitLog(ctx, t, logs, "node=0", "gater: refused connection from a non-member", stranger.ID().String())
		if n0.IsMember(stranger.ID()) || slices.Contains(n0.Host().Network().Peers(), stranger.ID()) {
			t.Fatal("node 0 keeps a connection from a non-member")
		}
	})

	t.Run("forged and replayed endorsements", func(t *testing.T) {
		// Node 2 goes offline and a rogue process with its key, a member's,
		// publishes records the nodes must refuse.
		k2, err := keys.Read(ctx, net.HomeOf(2), "")
		if err != nil {
			t.Fatal(err)
		}
		id2 := net.Node(2).PeerID()
		if err := net.StopNode(ctx, 2); err != nil {
			t.Fatal(err)
		}
		rogue := newHost(t, k2.P2P)
		nw, _ := n0.Registry().Network()
		ps, err := pubsub.NewGossipSub(ctx, rogue, pubsub.WithFloodPublish(true))
		if err != nil {
			t.Fatal(err)
		}
		topic, err := ps.Join(protocol.RecordsTopic(nw.ID))
		if err != nil {
			t.Fatal(err)
		}
		sub, err := topic.Subscribe()
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Cancel()
		for _, i := range []int{0, 1} {
			if err := rogue.Connect(ctx, net.AddrInfo(i)); err != nil {
				t.Fatalf("rogue member connects to node %d: %v", i, err)
			}
		}
		if err := WaitFor(ctx, "nodes 0 and 1 and the rogue see each other on the records topic", func() bool {
			return slices.Contains(n0.Gossip().TopicPeers(), id2) && slices.Contains(n1.Gossip().TopicPeers(), id2) &&
				slices.Contains(topic.ListPeers(), n0.PeerID()) && slices.Contains(topic.ListPeers(), n1.PeerID())
		}); err != nil {
			t.Fatal(err)
		}
		cert, ok := n0.Registry().Member(id2)
		if !ok {
			t.Fatal("node 0 does not know node 2")
		}
		forged, err := declaration.NewEndorsement(k2.P2P, nw, cert.Certificate, clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		forged.Date = protocol.FormatDate(clk.Now().AddDate(0, 0, -1)) // altered after signing
		other := nw
		sum := sha256.Sum256([]byte("# Another declaration\n"))
		other.Declaration.SHA256 = hex.EncodeToString(sum[:])
		replayed, err := declaration.NewEndorsement(k2.P2P, other, cert.Certificate, clk.Now()) // validly signed, for another text
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []protocol.Endorsement{forged, replayed} {
			data, err := protocol.Encode(protocol.Record{Endorsement: &e})
			if err != nil {
				t.Fatal(err)
			}
			if err := topic.Publish(ctx, data); err != nil {
				t.Fatal(err)
			}
		}
		for _, node := range []string{"node=0", "node=1"} {
			waitLog(ctx, t, logs, node, "gossip: rejected record", "kind=endorsement", protocol.ErrBadSignature.Error())
			waitLog(ctx, t, logs, node, "gossip: rejected record", "kind=endorsement", declaration.ErrWrongDeclaration.Error())
		}
		for _, e := range []protocol.Endorsement{forged, replayed} {
			h, _ := e.Hash()
			for i, n := range []*node.Node{n0, n1} {
				if n.Ledger().Has(h) || len(n.Ledger().Hashes()) != 0 || len(n.Declarations()) != 0 {
					t.Fatalf("node %d stored a refused endorsement", i)
				}
			}
		}
		rogue.Close()
		if err := net.StartNode(ctx, 2); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("expired and reused invite tokens", func(t *testing.T) {
		n3 := net.Node(3)
		expiring, err := net.Invite(ctx, 0, 3, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		clk.Add(10 * time.Minute) // past the expiry and the 5 minutes of clock skew allowed
		// The joining node sees the expiry written in the token.
		if _, err := n3.Join(ctx, expiring); err == nil || !strings.Contains(err.Error(), "invite token expired") {
			t.Fatalf("join with an expired token: %v", err)
		}
		waitLog(ctx, t, logs, "node=3", "join failed", "invite token expired")
		// The inviter decides: present the token anyway. An open invite
		// (for someone else) lets node 3 connect at all.
		open, err := net.Invite(ctx, 0, 3, 0)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := protocol.ParseInviteToken(expiring)
		if err != nil {
			t.Fatal(err)
		}
		_, err = n3.Gossip().JoinNetwork(ctx, tok, n3.Status().AgeRecipient)
		if err == nil || !strings.Contains(err.Error(), "invite token expired") {
			t.Fatalf("inviter's answer to an expired token: %v", err)
		}
		waitLog(ctx, t, logs, "node=0", "gossip: join refused", n3.PeerID().String(), "invite token expired")

		// Node 1's token, used already.
		if _, err := n3.Join(ctx, tokens[1]); err == nil || !strings.Contains(err.Error(), "invite token already used") {
			t.Fatalf("join with a used token: %v", err)
		}
		waitLog(ctx, t, logs, "node=0", "gossip: join refused", n3.PeerID().String(), "invite token already used")

		// Nothing stored: node 3 is in no network, the founder still has
		// three members, and node 1's certificate is the one it had.
		if _, ok := n3.Network(); ok {
			t.Fatal("node 3 belongs to a network after refused joins")
		}
		if n0.IsMember(n3.PeerID()) || len(n0.Members()) != 3 {
			t.Fatalf("founder's members after refused joins: %+v", n0.Members())
		}
		// The refusals were the tokens' doing: the open invite works.
		if _, err := n3.Join(ctx, open); err != nil {
			t.Fatalf("join with a valid token after the refusals: %v", err)
		}
		if !n0.IsMember(n3.PeerID()) {
			t.Fatal("founder does not count node 3 after its valid join")
		}
	})
}

// newHost is a bare libp2p host on loopback with key (a fresh one if nil),
// closed when the test ends.
func newHost(t *testing.T, key crypto.PrivKey) host.Host {
	t.Helper()
	if key == nil {
		var err error
		if key, _, err = crypto.GenerateEd25519Key(nil); err != nil {
			t.Fatal(err)
		}
	}
	h, err := libp2p.New(libp2p.Identity(key), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
		libp2p.Transport(tcp.NewTCPTransport), libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// TestRevokedPartnerCannotAdmit: the founder revokes a partner; the member
// that partner admitted keeps its membership everywhere, the partner is cut
// off everywhere, and a certificate the revoked partner signs afterwards,
// dated before its revocation and accepted by a peer of its own, is refused
// by every node and lets that peer connect nowhere (membership holes 1-2).
func TestRevokedPartnerCannotAdmit(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	logs := &logBuffer{}
	net := startNet(ctx, t, 4, logs, nil)
	if err := net.Found(ctx, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]int{{0, 1}, {1, 2}, {0, 3}} {
		tok, err := net.Invite(ctx, p[0], p[1], 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := net.Join(ctx, p[1], tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := net.WaitMembers(ctx); err != nil {
		t.Fatal(err)
	}
	if err := net.ConnectAll(ctx); err != nil {
		t.Fatal(err)
	}
	id1, id2 := net.Node(1).PeerID(), net.Node(2).PeerID()
	before, _ := net.Node(0).Registry().Member(id1)
	k1, err := keys.Read(ctx, net.HomeOf(1), "")
	if err != nil {
		t.Fatal(err)
	}

	rev, err := net.Node(0).RevokeMember(ctx, id1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rev.Keep) != 1 {
		t.Fatalf("the revocation keeps %d records, want node 2's certificate", len(rev.Keep))
	}
	if err := WaitFor(ctx, "every node sees node 1 revoked and node 2 still a member", func() bool {
		for _, i := range []int{0, 2, 3} {
			n := net.Node(i)
			if n.IsMember(id1) || !n.IsMember(id2) || n.Host().Network().Connectedness(id1) == network.Connected {
				return false
			}
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if err := net.StopNode(ctx, 1); err != nil {
		t.Fatal(err)
	}

	// The revoked partner's key signs a certificate for a peer of its own,
	// dated a day before it was admitted, and the peer signs it too.
	puppet := newHost(t, nil)
	puppetKey := puppet.Peerstore().PrivKey(puppet.ID())
	nw, _ := net.Node(0).Registry().Network()
	issued, _ := protocol.ParseTime(before.Certificate.Issued)
	backdated := protocol.Certificate{Network: nw.ID, Peer: puppet.ID(), Age: before.Certificate.Age, Org: "Puppet", Country: "RS",
		Roles: []protocol.Role{protocol.RolePartner}, Issued: protocol.FormatTime(issued.Add(-24 * time.Hour)), AdmittedBy: id1}
	if err := backdated.Sign(k1.P2P); err != nil {
		t.Fatal(err)
	}
	if err := backdated.Accept(puppetKey); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2, 3} {
		if _, err := net.Node(i).Gossip().Accept(ctx, protocol.Record{Certificate: &backdated}); !errors.Is(err, membership.ErrRevoked) {
			t.Fatalf("node %d on the backdated certificate: %v", i, err)
		}
		if net.Node(i).IsMember(puppet.ID()) {
			t.Fatalf("node %d counts the puppet", i)
		}
	}
	_ = puppet.Connect(ctx, net.AddrInfo(3))
	waitLog(ctx, t, logs, "node=3", "gater: refused connection from a non-member", puppet.ID().String())
}
