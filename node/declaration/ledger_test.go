package declaration

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
)

func TestText(t *testing.T) {
	t.Parallel()
	cur := Current()
	if cur.Version != "v1" || cur.Language != "en" || cur.SHA256 != cur.Identity || len(cur.SHA256) != 64 {
		t.Fatalf("Current() = %+v", cur)
	}
	if err := protocol.CheckDeclaration(cur.Ref()); err != nil {
		t.Fatal(err)
	}
	if Title(cur.Markdown) != "Western Balkans Civil Society Declaration on Combating Trafficking in Human Beings" {
		t.Errorf("title %q", Title(cur.Markdown))
	}
	for _, want := range []string{"victims", "Prevention", "Protection and assistance", "crime must not pay", "public bodies", "twenty"} {
		if !strings.Contains(cur.Markdown, want) {
			t.Errorf("the Declaration does not mention %q", want)
		}
	}
	if _, err := Lookup("v1", "xx"); err == nil || !strings.Contains(err.Error(), "languages: en") {
		t.Errorf("Lookup of a missing language: %v", err)
	}
	if got := Languages("v1"); len(got) == 0 || got[0] != "en" {
		t.Errorf("Languages = %v", got)
	}
}

// TestTextV1Pinned: the SHA-256 of the English v1 text is the identity
// every v1 network and endorsement names. Editing text/v1/en.md breaks
// them all: a new wording is a new version directory.
func TestTextV1Pinned(t *testing.T) {
	t.Parallel()
	const v1 = "4adc21f0feb56159872c3b909664f9444e16fb7eb4d361e492ba06b5fce3569e"
	got, err := Lookup("v1", "en")
	if err != nil || got.SHA256 != v1 {
		t.Fatalf("text/v1/en.md has SHA-256 %s, not %s (%v): do not edit a published version; add text/v2", got.SHA256, v1, err)
	}
}

func TestEndorse(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	m := w.admit(t, "La Strada", "MK")
	e := w.endorse(t, m)
	added, err := w.ledger.Add(ctx, e)
	if err != nil || !added {
		t.Fatalf("Add = %v, %v", added, err)
	}
	// Duplicates are idempotent.
	for range 3 {
		if added, err := w.ledger.Add(ctx, e); err != nil || added {
			t.Fatalf("Add again = %v, %v", added, err)
		}
	}
	if list := w.ledger.List(); len(list) != 1 || list[0].State != StateCounted {
		t.Fatalf("List = %+v", list)
	}
	st := w.ledger.Status()
	if st.Count != 1 || st.Threshold != 20 || st.Viable || len(st.ByCountry) != 1 || st.ByCountry[0] != (CountryCount{"MK", 1}) {
		t.Fatalf("Status = %+v", st)
	}
	// Reloading from the store gives the same ledger.
	again, err := Open(ctx, w.ledKV, w.reg, Options{Now: w.clk.Now, Logger: quiet})
	if err != nil || again.Status().Count != 1 {
		t.Fatalf("reload: %v, %+v", err, again.Status())
	}
}

// TestRefusals: every invalid endorsement is refused with a clear error
// and nothing is stored.
func TestRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	m := w.admit(t, "Centar za žrtve", "RS")
	revoked := w.admit(t, "Gone", "HR")
	rev, err := w.reg.NewMemberRevocation(revoked.id, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.reg.Revoke(ctx, rev); err != nil {
		t.Fatal(err)
	}
	stranger := member{}
	stranger.key, stranger.id, _ = newKey(t)
	stranger.cert = m.cert
	stranger.cert.Peer = stranger.id

	forged := w.endorse(t, m)
	forged.Signature[0] ^= 0xff
	otherKey := w.endorse(t, m)
	if err := otherKey.Sign(w.founder.key); err == nil {
		t.Fatal("signing in another member's name succeeded")
	}
	otherKey.Signature, _ = w.founder.key.Sign([]byte("something else"))
	replayed := w.endorse(t, m)
	replayed.Declaration = strings.Repeat("0", 64) // same signature, other text
	resigned := w.endorse(t, m)                    // properly signed, but for another text
	resigned.Declaration = strings.Repeat("1", 64)
	if err := resigned.Sign(m.key); err != nil {
		t.Fatal(err)
	}
	nonMember := w.endorse(t, stranger)
	byRevoked := w.endorse(t, revoked)
	future, err := NewEndorsement(m.key, w.net, m.cert, w.clk.Now().Add(4*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	otherNet := w.endorse(t, m)
	otherNet.Network = "aaaaaaaaaaaaaaaaaaaaaaaaaa"
	if err := otherNet.Sign(m.key); err != nil {
		t.Fatal(err)
	}
	wrongOrg := w.endorse(t, m)
	wrongOrg.Org = "Someone Else"
	if err := wrongOrg.Sign(m.key); err != nil {
		t.Fatal(err)
	}
	malformed := w.endorse(t, m)
	malformed.Country = "Serbia"

	cases := []struct {
		name string
		e    protocol.Endorsement
		want error
		text string
	}{
		{"forged signature", forged, protocol.ErrBadSignature, "signature does not verify"},
		{"signed by another key", otherKey, protocol.ErrBadSignature, ""},
		{"replayed for another declaration", replayed, ErrWrongDeclaration, "network's Declaration is " + w.net.Declaration.SHA256},
		{"signed for another declaration", resigned, ErrWrongDeclaration, ""},
		{"non-member signer", nonMember, membership.ErrNotMember, ""},
		{"revoked member", byRevoked, membership.ErrRevoked, "revoked at"},
		{"future date", future, membership.ErrFuture, "after today"},
		{"another network", otherNet, membership.ErrWrongNetwork, ""},
		{"org not the certificate's", wrongOrg, ErrMismatch, "Someone Else"},
		{"malformed country", malformed, nil, "ISO 3166-1"},
	}
	for _, c := range cases {
		_, err := w.ledger.Add(ctx, c.e)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: Add = %v; want %v containing %q", c.name, err, c.want, c.text)
		}
		if err := w.ledger.Check(c.e); err == nil {
			t.Errorf("%s: Check accepts", c.name)
		}
	}
	if w.ledKV.Len() != 0 || len(w.ledger.List()) != 0 || len(w.ledger.Hashes()) != 0 {
		t.Fatalf("refused endorsements were stored: %d keys", w.ledKV.Len())
	}
	// Clock skew: just after midnight UTC on the signer's side is fine.
	w.clk.Add(13*time.Hour + 56*time.Minute) // 23:56 UTC
	tomorrow, _ := NewEndorsement(m.key, w.net, m.cert, w.clk.Now().Add(10*time.Minute))
	if _, err := w.ledger.Add(ctx, tomorrow); err != nil {
		t.Errorf("endorsement dated tomorrow, 4 minutes before midnight: %v", err)
	}
}

func TestRevocationWins(t *testing.T) {
	t.Parallel()
	for _, order := range []string{"endorsement first", "revocation first"} {
		t.Run(order, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			m := w.admit(t, "NGO Atina", "RS")
			e := w.endorse(t, m)
			w.clk.Add(24 * time.Hour)
			r, err := NewRevocation(m.key, e, w.clk.Now())
			if err != nil {
				t.Fatal(err)
			}
			batch := []protocol.Record{{Endorsement: &e}, {Revocation: &r}}
			if order == "revocation first" {
				// Alone, a revocation of an endorsement not held is refused
				// and nothing is stored; in a batch (a sync) order does not
				// matter.
				if _, err := w.ledger.Revoke(ctx, r); !errors.Is(err, ErrUnknownEndorsement) || w.ledKV.Len() != 0 {
					t.Fatalf("revocation before its endorsement: %v", err)
				}
				batch[0], batch[1] = batch[1], batch[0]
			}
			if added, fails := w.ledger.Apply(ctx, batch); len(added) != 2 || len(fails) != 0 {
				t.Fatalf("apply: %d added, failures %v", len(added), fails)
			}
			list := w.ledger.List()
			if len(list) != 1 || list[0].State != StateRevoked || list[0].RevokedOn != r.Date || w.ledger.Status().Count != 0 {
				t.Fatalf("after %s: %+v, status %+v", order, list, w.ledger.Status())
			}
			// Signing again (a new endorsement, a later day) counts again.
			w.clk.Add(24 * time.Hour)
			if _, err := w.ledger.Add(ctx, w.endorse(t, m)); err != nil {
				t.Fatal(err)
			}
			if w.ledger.Status().Count != 1 {
				t.Fatalf("re-endorsement not counted: %+v", w.ledger.Status())
			}
		})
	}
}

func TestRevocationOnlyBySigner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.admit(t, "A", "BA"), w.admit(t, "B", "BA")
	e := w.endorse(t, a)
	if _, err := w.ledger.Add(ctx, e); err != nil {
		t.Fatal(err)
	}
	h, _ := e.Hash()
	r := protocol.Revocation{Network: w.net.ID, Endorsement: h.String(), Date: protocol.FormatDate(w.clk.Now()), Signer: b.id}
	if err := r.Sign(b.key); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ledger.Revoke(ctx, r); !errors.Is(err, ErrNotSigner) {
		t.Fatalf("revocation by another member: %v", err)
	}
	if w.ledger.Status().Count != 1 {
		t.Fatal("another member's revocation removed the endorsement")
	}
	// The same revocation arriving first, in a batch, is refused too.
	fresh, err := Open(ctx, nil, w.reg, Options{Now: w.clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if _, fails := fresh.Apply(ctx, []protocol.Record{{Revocation: &r}, {Endorsement: &e}}); len(fails) != 1 || !errors.Is(fails[0].Err, ErrNotSigner) {
		t.Fatalf("apply: failures %v", fails)
	}
	if fresh.Status().Count != 1 {
		t.Fatal("a revocation by another member, arriving first, removed the endorsement")
	}
}

func TestStatusCounting(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	countries := []string{"RS", "RS", "HR", "BA", "MK", "XK"}
	var ms []member
	for i, c := range countries {
		m := w.admit(t, "Org "+string(rune('A'+i)), c)
		ms = append(ms, m)
		if _, err := w.ledger.Add(ctx, w.endorse(t, m)); err != nil {
			t.Fatal(err)
		}
	}
	// A second endorsement by the same organisation counts once.
	w.clk.Add(24 * time.Hour)
	if _, err := w.ledger.Add(ctx, w.endorse(t, ms[0])); err != nil {
		t.Fatal(err)
	}
	// An organisation whose membership is revoked no longer counts.
	rev, _ := w.reg.NewMemberRevocation(ms[2].id, false)
	if _, err := w.reg.Revoke(ctx, rev); err != nil {
		t.Fatal(err)
	}
	st := w.ledger.Status()
	want := []CountryCount{{"BA", 1}, {"MK", 1}, {"RS", 2}, {"XK", 1}}
	if st.Count != 5 || len(st.ByCountry) != len(want) {
		t.Fatalf("Status = %+v", st)
	}
	for i := range want {
		if st.ByCountry[i] != want[i] {
			t.Fatalf("by country = %+v, want %+v", st.ByCountry, want)
		}
	}
	states := map[string]int{}
	for _, e := range w.ledger.List() {
		states[e.State]++
	}
	if states[StateCounted] != 5 || states[StateRepeated] != 1 || states[StateMemberRevoked] != 1 {
		t.Fatalf("states = %v", states)
	}
}

func TestSignAndWithdraw(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.ledger.Withdraw(ctx); err == nil {
		t.Fatal("withdraw with nothing signed succeeded")
	}
	e, err := w.ledger.Sign(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Org != "ASTRA" || e.Date != "2026-05-04" || w.ledger.Status().Count != 1 {
		t.Fatalf("Sign = %+v", e)
	}
	rs, err := w.ledger.Withdraw(ctx)
	if err != nil || len(rs) != 1 || w.ledger.Status().Count != 0 {
		t.Fatalf("Withdraw = %v, %v; status %+v", rs, err, w.ledger.Status())
	}
}
