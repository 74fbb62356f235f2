package testnet

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// recordSet is every signed record a node holds, as sorted hashes.
func recordSet(n *node.Node) []string {
	var out []string
	for _, h := range append(n.Registry().Hashes(), n.Ledger().Hashes()...) {
		out = append(out, h.String())
	}
	slices.Sort(out)
	return out
}

// TestConvergence: a network with one node whose clock runs a day ahead
// and one a day behind is cut in two; on each side members are revoked,
// admitted, endorse and withdraw; the partition heals while one node is
// stopped in the middle of its syncs and started again. Every node ends
// with the same certificates, revocations and endorsements.
func TestConvergence(t *testing.T) {
	t.Parallel()
	const size = 6
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	part := &partition{index: map[peer.ID]int{}, size: size}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	clocks := map[int]time.Duration{4: -24 * time.Hour, 5: 24 * time.Hour}
	net, err := Start(ctx, Options{N: size + 1, Dir: t.TempDir(), Logger: log, Node: node.Options{BuiltInForms: []string{}},
		NodeOptions: func(i int, o *node.Options) {
			o.Gater = part.gater(i)
			if d, ok := clocks[i]; ok {
				o.Now = func() time.Time { return time.Now().Add(d) }
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the nodes' logs:\n%s", logs.String())
		}
		net.Close(context.Background())
	})
	for i := range size + 1 {
		part.index[net.Node(i).PeerID()] = i
	}
	// Node 6 joins later, on one side of the partition.
	if err := net.StopNode(ctx, size); err != nil {
		t.Fatal(err)
	}
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 4, 5} { // the two nodes with wrong clocks endorse too
		if _, err := net.Endorse(ctx, i); err != nil {
			t.Fatal(err)
		}
	}
	// Halves {0, 1, 2} and {3, 4, 5} (and node 6, with node 0's half).
	part.cut.Store(true)
	for i := range size {
		for j := range size {
			if part.half(i) != part.half(j) {
				net.Node(i).Host().Network().ClosePeer(net.Node(j).PeerID())
			}
		}
	}
	// Side 0: the founder revokes node 1 and admits node 6; node 2 endorses.
	if _, err := net.Node(0).RevokeMember(ctx, net.Node(1).PeerID(), false); err != nil {
		t.Fatal(err)
	}
	if err := net.StartNode(ctx, size); err != nil {
		t.Fatal(err)
	}
	tok, err := net.Invite(ctx, 0, size, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Join(ctx, size, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Endorse(ctx, 2); err != nil {
		t.Fatal(err)
	}
	// Side 1: node 3 endorses; node 5 (a day ahead) withdraws its endorsement.
	if _, err := net.Endorse(ctx, 3); err != nil {
		t.Fatal(err)
	}
	rs, err := net.Node(5).Revoke(ctx)
	if err != nil || len(rs) != 1 {
		t.Fatalf("node 5 withdraws: %v %v", rs, err)
	}
	// The link comes back; node 3 is stopped in the middle of the syncs
	// that start, and started again.
	part.cut.Store(false)
	for _, pair := range [][2]int{{2, 3}, {0, 4}, {1, 5}, {size, 3}} {
		if err := net.Connect(ctx, pair[0], pair[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := net.StopNode(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := net.StartNode(ctx, 3); err != nil {
		t.Fatal(err)
	}
	// Everyone but node 1, now revoked, connects again. A node dials only
	// members it knows (its gater refuses the others): node 3, restarted,
	// learns of node 6, admitted while it was cut off, from the first
	// members it syncs with, so each dial waits until the dialer knows
	// whom it dials.
	for i := range size + 1 {
		for j := i + 1; j <= size; j++ {
			if i != 1 && j != 1 {
				if err := WaitFor(ctx, fmt.Sprintf("node %d knows node %d", i, j), func() bool {
					return net.Node(i).Registry().IsMember(net.Node(j).PeerID())
				}); err != nil {
					t.Fatal(err)
				}
				if err := net.Connect(ctx, i, j); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	current := []int{0, 2, 3, 4, 5, size}
	var sets [][]string
	if err := WaitFor(ctx, "every current member holds the same records", func() bool {
		sets = sets[:0]
		for _, i := range current {
			sets = append(sets, recordSet(net.Node(i)))
		}
		for _, s := range sets[1:] {
			if !slices.Equal(s, sets[0]) {
				return false
			}
		}
		return true
	}); err != nil {
		for i, s := range sets {
			t.Logf("node %d holds %d records", i, len(s))
		}
		t.Fatal(err)
	}
	// And they agree on what the records mean.
	for _, i := range current {
		n := net.Node(i)
		st, _ := n.DeclarationStatus()
		if n.IsMember(net.Node(1).PeerID()) || !n.IsMember(net.Node(size).PeerID()) || st.Count != 4 {
			t.Fatalf("node %d: node 1 member %v, node 6 member %v, %d endorsements counted (want 4: nodes 0, 2, 3, 4)",
				i, n.IsMember(net.Node(1).PeerID()), n.IsMember(net.Node(size).PeerID()), st.Count)
		}
	}
	t.Logf("%d records, the same on all %d current members", len(sets[0]), len(current))
	_ = protocol.KindEndorsement
}
