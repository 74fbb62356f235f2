package declaration

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
)

// Hole 4 (Declaration records): what a member can make every node store is
// bounded, and each stored record has a reason to exist.
func TestLedgerStoresOnlyWhatHasAReason(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	m, gone := w.admit(t, "NGO Atina", "RS"), w.admit(t, "Gone", "HR")
	// 1,000 revocations naming endorsements nobody signed: none stored.
	for range 1000 {
		var h [32]byte
		rand.Read(h[:])
		r := protocol.Revocation{Network: w.net.ID, Endorsement: hex.EncodeToString(h[:]), Date: protocol.FormatDate(w.clk.Now()), Signer: m.id}
		if err := r.Sign(m.key); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ledger.Revoke(ctx, r); !errors.Is(err, ErrUnknownEndorsement) {
			t.Fatalf("revocation of an unknown endorsement: %v", err)
		}
	}
	if w.ledKV.Len() != 0 {
		t.Fatalf("%d records stored", w.ledKV.Len())
	}
	// A revoked member's revocation is refused.
	e := w.endorse(t, gone)
	if _, err := w.ledger.Add(ctx, e); err != nil {
		t.Fatal(err)
	}
	mr, _ := w.reg.NewMemberRevocation(gone.id, false)
	if _, err := w.reg.Revoke(ctx, mr); err != nil {
		t.Fatal(err)
	}
	r, _ := NewRevocation(gone.key, e, w.clk.Now())
	if _, err := w.ledger.Revoke(ctx, r); !errors.Is(err, membership.ErrRevoked) {
		t.Fatalf("revocation by a revoked member: %v", err)
	}
	// One withdrawal per endorsement.
	e = w.endorse(t, m)
	if _, err := w.ledger.Add(ctx, e); err != nil {
		t.Fatal(err)
	}
	r1, _ := NewRevocation(m.key, e, w.clk.Now())
	r2, _ := NewRevocation(m.key, e, w.clk.Now().Add(24*time.Hour))
	if _, err := w.ledger.Revoke(ctx, r1); err != nil {
		t.Fatal(err)
	}
	w.clk.Add(24 * time.Hour)
	if _, err := w.ledger.Revoke(ctx, r2); !errors.Is(err, ErrLimit) {
		t.Fatalf("a second withdrawal of one endorsement: %v", err)
	}
	// At most MaxEndorsementsPerSigner endorsements per member, whatever
	// the dates.
	for i := 1; i < MaxEndorsementsPerSigner; i++ {
		w.clk.Add(24 * time.Hour)
		if _, err := w.ledger.Add(ctx, w.endorse(t, m)); err != nil {
			t.Fatalf("endorsement %d: %v", i+1, err)
		}
	}
	w.clk.Add(24 * time.Hour)
	if _, err := w.ledger.Add(ctx, w.endorse(t, m)); !errors.Is(err, ErrLimit) {
		t.Fatalf("endorsement %d of one member: %v", MaxEndorsementsPerSigner+1, err)
	}
}

// Hole 5: the threshold counts organisations, not peer IDs, and shows who
// admitted the organisations counted.
func TestThresholdCountsOrganisations(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.admit(t, "ASTRA – Anti Trafficking Action", "RS")
	b := w.admit(t, "astra - anti-trafficking  ACTION", "RS") // the same organisation, another node
	c := w.admit(t, "ASTRA – Anti Trafficking Action", "HR")  // another country: another organisation
	d := w.admit(t, "Open Gate", "MK")
	for _, m := range []member{a, b, c, d} {
		if _, err := w.ledger.Add(ctx, w.endorse(t, m)); err != nil {
			t.Fatal(err)
		}
	}
	st := w.ledger.Status()
	if st.Count != 3 {
		t.Fatalf("count %d, want 3 organisations (two nodes of one organisation count once): %+v", st.Count, st)
	}
	repeated := 0
	for _, e := range w.ledger.List() {
		if e.State == StateRepeated {
			repeated++
		}
	}
	if repeated != 1 {
		t.Fatalf("%d endorsements marked repeated, want 1", repeated)
	}
	if len(st.AdmittedBy) != 1 || st.AdmittedBy[0].Peer != w.founder.id || st.AdmittedBy[0].Count != 3 || st.AdmittedBy[0].Org != "ASTRA" {
		t.Fatalf("admitted by: %+v", st.AdmittedBy)
	}
	if !strings.Contains(st.Concentration, "3 of the 3 organisations counted were admitted to the network by one member, ASTRA") {
		t.Fatalf("concentration: %q", st.Concentration)
	}
	// The export carries who admitted whom, and verifies.
	var buf bytes.Buffer
	exp, err := w.ledger.Export()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&buf, exp); err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyExport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status.Concentration != st.Concentration || !slices.Equal(rep.Status.AdmittedBy, st.AdmittedBy) {
		t.Fatalf("verified status %+v, node status %+v", rep.Status, st)
	}
	for _, e := range exp.Endorsements {
		if e.AdmittedBy != w.founder.id {
			t.Fatalf("export: endorsement by %s admitted by %q", e.Org, e.AdmittedBy)
		}
	}
}

// Hole 8: an export listing 1,000 certificates in reverse chain order
// verifies with one signature check per record, not one per pass.
func TestVerifyExportIsLinear(t *testing.T) {
	t.Parallel()
	const n = 1000
	rep, err := VerifyExport(bytes.NewReader(chainExport(t, n)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Members != n+1 {
		t.Fatalf("%d members verified, want %d", rep.Members, n+1)
	}
	if rep.Signatures > n+1 {
		t.Fatalf("%d records needed %d signature checks", n, rep.Signatures)
	}
}

// chainExport is the JSON export of a network whose n members each admit
// the next, listed in reverse: every certificate before its admitter's.
func chainExport(tb testing.TB, n int) []byte {
	tb.Helper()
	w := newWorld(tb)
	prev := w.founder
	for range n {
		k, id, ageRcpt := newKey(tb)
		c := protocol.Certificate{Network: w.net.ID, Peer: id, Age: ageRcpt, Org: "Org " + id.String()[40:], Country: "RS",
			Roles: []protocol.Role{protocol.RolePartner}, Issued: protocol.FormatTime(w.clk.Now()), AdmittedBy: prev.id}
		if err := c.Sign(prev.key); err != nil {
			tb.Fatal(err)
		}
		if err := c.Accept(k); err != nil {
			tb.Fatal(err)
		}
		if _, err := w.reg.AddCertificate(ctx, c); err != nil {
			tb.Fatal(err)
		}
		prev = member{key: k, id: id, cert: c}
	}
	exp, err := w.ledger.Export()
	if err != nil {
		tb.Fatal(err)
	}
	slices.Reverse(exp.Members)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, exp); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
