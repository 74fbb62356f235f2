package declaration

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
)

// replica is another node of w's network: its own stores, the network
// file and the certificates given.
func (w *world) replica(t *testing.T, certs ...protocol.Certificate) (*membership.Registry, *Ledger) {
	t.Helper()
	reg, err := membership.Open(ctx, newMemKV(), membership.Options{Now: w.clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Init(ctx, w.net); err != nil {
		t.Fatal(err)
	}
	for _, c := range certs {
		if _, err := reg.AddCertificate(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	l, err := Open(ctx, newMemKV(), reg, Options{Now: w.clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return reg, l
}

func hashSet(l *Ledger) []string {
	var out []string
	for _, h := range l.Hashes() {
		out = append(out, h.String())
	}
	slices.Sort(out)
	return out
}

// TestRevokedMemberRecordsOrderIndependent: a member endorses, withdraws
// and endorses again; the founder revokes it holding all of that but one
// later endorsement (signed on the other side of a partition); the revoked
// member then signs once more. Three nodes learn these in different
// orders: the records, then the revocation (pruned after); the revocation
// first; the revoker's own order. All three end with the same records:
// those the revocation keeps (the endorsement marked "member revoked", the
// withdrawn one "revoked"), nothing else, and refuse the others again.
func TestRevokedMemberRecordsOrderIndependent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	m := w.admit(t, "Open Gate", "MK")
	day := func() { w.clk.Add(24 * time.Hour) }
	e0 := w.endorse(t, m)
	r0, err := NewRevocation(m.key, e0, w.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	day()
	e1 := w.endorse(t, m)
	day()
	e2 := w.endorse(t, m) // on the other side of a partition
	before := []protocol.Record{{Endorsement: &e0}, {Revocation: &r0}, {Endorsement: &e1}}
	all := append(slices.Clone(before), protocol.Record{Endorsement: &e2})

	// The revoker (w) holds e0, r0, e1 and revokes m.
	if _, fails := w.ledger.Apply(ctx, before); len(fails) > 0 {
		t.Fatal(fails[0].Err)
	}
	mr, err := w.reg.NewMemberRevocation(m.id, false, w.ledger.SignedBy(m.id)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(mr.Keep) != 3 {
		t.Fatalf("the revocation keeps %d records, want m's 3", len(mr.Keep))
	}
	if _, err := w.reg.Revoke(ctx, mr); err != nil {
		t.Fatal(err)
	}
	// Afterwards, whatever its date, m signs again: nobody takes it.
	late, err := NewEndorsement(m.key, w.net, m.cert, w.clk.Now().Add(-10*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, protocol.Record{Endorsement: &late})

	// Node A held everything (a member's records), then learns the revocation.
	regA, ledA := w.replica(t, m.cert)
	if _, fails := ledA.Apply(ctx, all[:4]); len(fails) > 0 {
		t.Fatal(fails[0].Err)
	}
	if _, err := regA.Revoke(ctx, mr); err != nil {
		t.Fatal(err)
	}
	if n, err := ledA.Prune(ctx); err != nil || n != 1 {
		t.Fatalf("node A pruned %d records (%v), want e2 alone", n, err)
	}
	// Node B learns the revocation first (it joined later), then all.
	regB, ledB := w.replica(t, m.cert)
	if _, err := regB.Revoke(ctx, mr); err != nil {
		t.Fatal(err)
	}
	if _, fails := ledB.Apply(ctx, all); len(fails) != 2 {
		t.Fatalf("node B refused %d records, want e2 and the late one", len(fails))
	}
	// The revoker gets e2 and the late one too.
	if _, fails := w.ledger.Apply(ctx, all); len(fails) != 2 {
		t.Fatalf("the revoker refused %d records, want e2 and the late one", len(fails))
	}
	want := hashSet(w.ledger)
	if len(want) != 3 {
		t.Fatalf("the revoker holds %d records, want e0, r0, e1", len(want))
	}
	for name, l := range map[string]*Ledger{"A": ledA, "B": ledB} {
		if got := hashSet(l); !slices.Equal(got, want) {
			t.Errorf("node %s holds %v, the revoker %v", name, got, want)
		}
		for _, rec := range all[3:] {
			if _, err := l.Add(ctx, *rec.Endorsement); !errors.Is(err, membership.ErrRevoked) {
				t.Errorf("node %s takes an endorsement the revocation did not keep: %v", name, err)
			}
		}
		states := map[string]int{}
		for _, e := range l.List() {
			states[e.State]++
		}
		if states[StateMemberRevoked] != 1 || states[StateRevoked] != 1 || l.Status().Count != 0 {
			t.Errorf("node %s: states %v, count %d; want e1 member revoked, e0 revoked, none counted", name, states, l.Status().Count)
		}
	}
}
