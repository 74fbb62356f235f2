package node

import (
	"context"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/protocol"
)

// startPeersNode starts a real node (store, libp2p host on loopback, no
// form plugins) for the peer book's tests.
func startPeersNode(t *testing.T, org string) *Node {
	t.Helper()
	ctx := context.Background()
	home := t.TempDir()
	c := config.Defaults()
	c.Network.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	c.Network.NAT = config.NAT{}
	c.API.Port = 0
	c.Log.Level = "warn"
	c.Store = config.Store{IndexCacheMB: 4, BlockCacheMB: 4, MemTableMB: 4}
	if _, err := Init(InitOptions{Home: home, Org: org, Country: "RS", Config: &c}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Home: home, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	ks, err := keys.Read(ctx, home, "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := New(ctx, cfg, ks, Options{BuiltInForms: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(ctx); err != nil {
		n.Close(ctx)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := n.Close(ctx); err != nil {
			t.Errorf("close node: %v", err)
		}
	})
	return n
}

// TestPeerRecordHeldIsNotVerifiedAgain: members hand one another the same
// signed peer records over and over; a record the book holds, byte for
// byte, is not checked again (with 50 members, checking every copy was a
// third of each node's CPU), while a changed copy is checked, and refused.
func TestPeerRecordHeldIsNotVerifiedAgain(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, b := startPeersNode(t, "ASTRA"), startPeersNode(t, "Atina")
	if _, err := a.CreateNetwork(ctx, "Balkans"); err != nil {
		t.Fatal(err)
	}
	inv, err := a.Invite(ctx, "Atina", "RS", []protocol.Role{protocol.RolePartner}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Join(ctx, inv.Token); err != nil {
		t.Fatal(err)
	}
	// b keeps a's signed peer record once identify has run on a member.
	held := func() []byte {
		b.peers.mu.Lock()
		defer b.peers.mu.Unlock()
		if e := b.peers.entries[a.PeerID()]; e != nil {
			return e.record
		}
		return nil
	}
	var raw []byte
	for raw = held(); raw == nil; raw = held() {
		select {
		case <-ctx.Done():
			t.Fatal("b never kept a's signed peer record")
		case <-time.After(20 * time.Millisecond):
		}
	}
	before := b.peers.verified.Load()
	for range 3 {
		if kept, err := b.peers.learn(raw, true); kept || err != nil {
			t.Fatalf("learning the record b holds again: kept %v, %v", kept, err)
		}
	}
	if got := b.peers.verified.Load() - before; got != 0 {
		t.Errorf("a record held byte for byte was verified %d more times, want 0", got)
	}
	bad := append([]byte{}, raw...)
	bad[len(bad)-1] ^= 1 // the signature's last byte
	if kept, err := b.peers.learn(bad, true); kept || err == nil {
		t.Errorf("a copy with a changed signature: kept %v, %v; want refused", kept, err)
	}
	if got := b.peers.verified.Load() - before; got != 1 {
		t.Errorf("a changed copy was verified %d times, want 1", got)
	}
}
