package node

import (
	"context"
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
)

// TestPeerRecordHeldIsNotVerifiedAgain: members hand one another the same
// signed peer records over and over; a record the book holds, byte for
// byte, is not checked again (with 50 members, checking every copy was a
// third of each node's CPU), while a changed copy is checked, and refused.
func TestPeerRecordHeldIsNotVerifiedAgain(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, b := StartTestNode(t, "ASTRA", nil), StartTestNode(t, "Atina", nil)
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
