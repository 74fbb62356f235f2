package gossip

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
)

// The cast of the stateful fuzz targets: six fixed keys (0 and 1 found
// the network), a fixed network and a fixed clock, so that every record
// an input describes is signed the same way in every run and its
// signatures verify.
const (
	castSize     = 6
	castNetwork  = "kolofuzznetworkid234567abc"
	maxSeqOps    = 48
	castAgeEven  = "age18mxg3drm70syx0zqe8gthd0k0s0h8xmlawxcnz603afv0z44levq7xzqej"
	castAgeOdd   = "age1rzamxgylak8pxt07lrw6quecjwesu5995cca8aj5a66jcghatyrq2ndcns"
	castFounders = 2
)

var (
	castT0  = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) // the network's founding
	castNow = castT0.Add(30 * 24 * time.Hour)             // every node's clock
)

// cast holds the keys, the network file and a real libp2p host that the
// fuzz targets' Gossip values use (they dial nothing).
type cast struct {
	keys []crypto.PrivKey
	ids  []peer.ID
	net  protocol.Network
	host host.Host
}

func newCast(tb testing.TB) *cast {
	tb.Helper()
	c := &cast{}
	for i := range castSize {
		k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{byte(0x51 + i)}, ed25519.SeedSize)))
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := peer.IDFromPrivateKey(k)
		c.keys, c.ids = append(c.keys, k), append(c.ids, id)
	}
	var founders []protocol.Certificate
	for i := range castFounders {
		fc, err := membership.FounderCertificate(c.keys[i], castNetwork, membership.Founding{Org: c.org(i, 0), Country: c.country(i), Age: c.age(i)}, castT0)
		if err != nil {
			tb.Fatal(err)
		}
		founders = append(founders, fc)
	}
	c.net = protocol.Network{ID: castNetwork, Name: "Fuzz network", Declaration: declaration.Current().Ref(),
		Policy: protocol.DefaultPolicy(), Founders: founders, CreatedBy: c.ids[0]}
	if err := c.net.Sign(c.keys[0]); err != nil {
		tb.Fatal(err)
	}
	h, err := libp2p.New(libp2p.NoListenAddrs, libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { h.Close() })
	c.host = h
	return c
}

func (c *cast) org(i, variant int) string {
	if variant%2 == 1 {
		return fmt.Sprintf("Fuzz CSO %d bis", i) // another organisation for the same peer
	}
	return fmt.Sprintf("Fuzz CSO %d", i)
}

func (c *cast) country(i int) string { return []string{"RS", "HR", "BA", "MK", "AL", "ME"}[i%6] }

func (c *cast) age(i int) string {
	if i%2 == 1 {
		return castAgeOdd
	}
	return castAgeEven
}

// node is one node's view: registry and ledger in memory (or on kv), and
// a Gossip around them whose Accept and applyAll the records go through.
type fuzzNode struct {
	reg    *membership.Registry
	ledger *declaration.Ledger
	g      *Gossip
}

func (c *cast) node(tb testing.TB, kv *memKV) *fuzzNode { return c.nodeOf(tb, kv, nil, true) }

// nodeOf is node with the node key key (nil: verify only), in the
// network or not yet (a joining node).
func (c *cast) nodeOf(tb testing.TB, kv *memKV, key crypto.PrivKey, inNetwork bool) *fuzzNode {
	tb.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	now := func() time.Time { return castNow }
	var rkv, lkv membership.KV
	if kv != nil {
		rkv, lkv = prefixKV{kv, "reg/"}, prefixKV{kv, "led/"}
	}
	reg, err := membership.Open(ctx, rkv, membership.Options{Key: key, Now: now, Logger: quiet})
	if err != nil {
		tb.Fatal(err)
	}
	if _, ok := reg.Network(); !ok && inNetwork {
		if err := reg.Init(ctx, c.net); err != nil {
			tb.Fatal(err)
		}
	}
	led, err := declaration.Open(ctx, lkv, reg, declaration.Options{Now: now, Logger: quiet})
	if err != nil {
		tb.Fatal(err)
	}
	g := &Gossip{host: c.host, reg: reg, ledger: led, log: quiet, timeout: 10 * time.Second,
		syncing: map[peer.ID]bool{}, joining: map[peer.ID]int{}}
	g.ctx, g.cancel = context.WithCancel(ctx)
	tb.Cleanup(func() { g.cancel(); g.wg.Wait() })
	return &fuzzNode{reg: reg, ledger: led, g: g}
}

// prefixKV keeps two stores apart in one memKV.
type prefixKV struct {
	kv     *memKV
	prefix string
}

func (p prefixKV) Put(key, val []byte) error { return p.kv.Put(append([]byte(p.prefix), key...), val) }
func (p prefixKV) Delete(key []byte) error   { return p.kv.Delete(append([]byte(p.prefix), key...)) }
func (p prefixKV) Scan(ctx context.Context, prefix []byte, fn func(key, val []byte) error) error {
	return p.kv.Scan(ctx, append([]byte(p.prefix), prefix...), func(key, val []byte) error {
		return fn(key[len(p.prefix):], val)
	})
}

// script turns fuzz bytes into records, four bytes an operation:
//
//	op%8 0: a certificate (admitter, peer, organisation, roles, hour)
//	     1: a member revocation (signer, member; keeping what the
//	        member signed as the node holds it, or nothing)
//	     2: an endorsement (signer, days back, organisation right or wrong)
//	     3: an endorsement revocation (signer, one of the endorsements so far)
//	     4: deliver the records queued for a sync, as one batch
//	     5: the same record again
//	     6: a record of the script with a field changed after signing
//	     7: a member revoking itself (leaving)
//
// Bit 3 of op sends the record by gossip (Accept) at once; otherwise it
// waits for the next sync batch.
type script struct {
	c       *cast
	n       *fuzzNode
	made    []protocol.Record
	ends    []protocol.Endorsement
	batch   []protocol.Record
	ctx     context.Context
	batches int
}

func (s *script) deliver(rec protocol.Record, gossip bool) {
	s.made = append(s.made, rec)
	if gossip {
		s.n.g.Accept(s.ctx, rec) // refusals are expected: the invariants decide
		return
	}
	s.batch = append(s.batch, rec)
}

func (s *script) flush() {
	if len(s.batch) > 0 {
		s.n.g.applyAll(s.ctx, s.c.ids[0], s.batch)
		s.batch, s.batches = nil, s.batches+1
	}
}

func (s *script) run(tb testing.TB, data []byte) {
	c := s.c
	for i := 0; i+4 <= len(data) && i/4 < maxSeqOps; i += 4 {
		op, a, b, v := data[i], int(data[i+1])%castSize, int(data[i+2])%castSize, int(data[i+3])
		gossip := op&8 != 0
		switch op % 8 {
		case 0:
			roles := []protocol.Role{protocol.RolePartner}
			if v&2 != 0 {
				roles = []protocol.Role{protocol.RoleAssociate}
			}
			cert := protocol.Certificate{Network: castNetwork, Peer: c.ids[b], Age: c.age(b), Org: c.org(b, v), Country: c.country(b),
				Roles: roles, Issued: protocol.FormatTime(castT0.Add(time.Duration(v>>2) * time.Hour)), AdmittedBy: c.ids[a]}
			if err := cert.Sign(c.keys[a]); err != nil {
				tb.Fatal(err)
			}
			if a != b && v&0x80 == 0 { // without the peer's signature it must be refused
				if err := cert.Accept(c.keys[b]); err != nil {
					tb.Fatal(err)
				}
			}
			s.deliver(protocol.Record{Certificate: &cert}, gossip)
		case 1, 7:
			if op%8 == 7 {
				a = b
			}
			m := protocol.MemberRevocation{Network: castNetwork, Member: c.ids[b], Signer: c.ids[a],
				Revoked: protocol.FormatTime(castT0.Add(time.Duration(v) * time.Hour))}
			if v&1 == 0 {
				m.Keep = s.keeps(c.ids[b])
			}
			if err := m.Sign(c.keys[a]); err != nil {
				tb.Fatal(err)
			}
			s.deliver(protocol.Record{MemberRevocation: &m}, gossip)
		case 2:
			cert := protocol.Certificate{Peer: c.ids[a], Org: c.org(a, 0), Country: c.country(a)}
			if m, ok := s.n.reg.Member(c.ids[a]); ok {
				cert = m.Certificate
			}
			if v&1 == 1 {
				cert.Org += " other"
			}
			e, err := declaration.NewEndorsement(c.keys[a], c.net, cert, castNow.Add(-time.Duration(v>>1%24)*24*time.Hour))
			if err != nil {
				tb.Fatal(err)
			}
			s.ends = append(s.ends, e)
			s.deliver(protocol.Record{Endorsement: &e}, gossip)
		case 3:
			if len(s.ends) == 0 {
				continue
			}
			e := s.ends[v%len(s.ends)]
			r := protocol.Revocation{Network: castNetwork, Signer: c.ids[a], Date: protocol.FormatDate(castNow.Add(-time.Duration(b) * 24 * time.Hour))}
			h, _ := e.Hash()
			r.Endorsement = h.String()
			if err := r.Sign(c.keys[a]); err != nil {
				tb.Fatal(err)
			}
			s.deliver(protocol.Record{Revocation: &r}, gossip)
		case 4:
			s.flush()
		case 5:
			if len(s.made) > 0 {
				s.deliver(s.made[v%len(s.made)], gossip)
			}
		case 6:
			if len(s.made) > 0 {
				s.deliver(tamper(s.made[v%len(s.made)], b), gossip)
			}
		}
	}
	s.flush()
}

// keeps lists what member signed that counts at the node now, as
// `kolo members revoke` keeps it: its certificates of members and its
// revocations.
func (s *script) keeps(member peer.ID) []string {
	certs, mrevs := s.n.reg.Certificates()
	var out []string
	for _, c := range certs {
		if c.AdmittedBy == member && !c.Founder() {
			if m, ok := s.n.reg.Member(c.Peer); ok {
				out = append(out, m.Hash.String())
			}
		}
	}
	for _, m := range mrevs {
		if m.Signer == member && m.Member != member {
			h, _ := m.Hash()
			out = append(out, h.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// tamper returns a copy of rec with one field changed after signing.
func tamper(rec protocol.Record, which int) protocol.Record {
	switch {
	case rec.Certificate != nil:
		c := *rec.Certificate
		if which%2 == 0 {
			c.Org += " x"
		} else {
			c.Roles = []protocol.Role{protocol.RoleAnalyst, protocol.RolePartner}
		}
		return protocol.Record{Certificate: &c}
	case rec.MemberRevocation != nil:
		m := *rec.MemberRevocation
		m.Keep = nil
		m.Revoked = protocol.FormatTime(castT0)
		return protocol.Record{MemberRevocation: &m}
	case rec.Endorsement != nil:
		e := *rec.Endorsement
		e.Date = protocol.FormatDate(castT0)
		return protocol.Record{Endorsement: &e}
	case rec.Revocation != nil:
		r := *rec.Revocation
		r.Date = protocol.FormatDate(castT0)
		return protocol.Record{Revocation: &r}
	}
	return rec
}

// stored returns every record n holds that a peer may lack, as sync
// sends them.
func (n *fuzzNode) stored() []protocol.Record {
	return append(n.reg.Records(nil), n.ledger.Records(nil)...)
}

// view renders what n derives from its records: every member (certificate
// hash, founder, revoked or not), the excluded peers, and the Declaration's
// status.
func (n *fuzzNode) view() string {
	var b strings.Builder
	ms := n.reg.Members()
	sort.Slice(ms, func(i, j int) bool { return ms[i].Certificate.Peer < ms[j].Certificate.Peer })
	for _, m := range ms {
		fmt.Fprintf(&b, "member %s cert %s founder %v revoked %q active %v\n", m.Certificate.Peer, m.Hash, m.Founder, m.Revoked, n.reg.IsMember(m.Certificate.Peer))
	}
	eq := n.reg.Equivocal()
	slices.Sort(eq)
	fmt.Fprintf(&b, "equivocal %v\n", eq)
	st, _ := json.Marshal(n.ledger.Status())
	fmt.Fprintf(&b, "status %s\n", st)
	return b.String()
}

// checkBounds fails if n stores more than one signer may make it store,
// or a record without the record it depends on.
func checkBounds(t *testing.T, n *fuzzNode) {
	certs, mrevs := n.reg.Certificates()
	perPeer, perAdmitter := map[peer.ID]int{}, map[peer.ID]int{}
	holders := map[peer.ID]bool{}
	for _, c := range certs {
		perPeer[c.Peer]++
		if !c.Founder() {
			perAdmitter[c.AdmittedBy]++
		}
		holders[c.Peer] = true
	}
	for p, k := range perPeer {
		if k > 2 {
			t.Fatalf("%s holds %d certificates; at most 2 are kept", p, k)
		}
	}
	for a, k := range perAdmitter {
		if k > membership.MaxAdmissions {
			t.Fatalf("%s admitted %d; at most %d", a, k, membership.MaxAdmissions)
		}
	}
	for _, c := range certs {
		if !c.Founder() && !holders[c.AdmittedBy] {
			t.Fatalf("certificate of %s stored without any certificate of its admitter %s", c.Peer, c.AdmittedBy)
		}
	}
	pair := map[[2]peer.ID]int{}
	for _, m := range mrevs {
		pair[[2]peer.ID{m.Signer, m.Member}]++
		if pair[[2]peer.ID{m.Signer, m.Member}] > 1 {
			t.Fatalf("%s revoked %s more than once", m.Signer, m.Member)
		}
		if len(m.Keep) > protocol.MaxKeep {
			t.Fatalf("a revocation keeping %d records", len(m.Keep))
		}
	}
	bySigner := map[peer.ID]int{}
	endorsements := map[string]bool{}
	withdrawn := map[string]int{}
	for _, rec := range n.ledger.Records(nil) {
		switch {
		case rec.Endorsement != nil:
			bySigner[rec.Endorsement.Signer]++
			h, _ := rec.Endorsement.Hash()
			endorsements[h.String()] = true
		case rec.Revocation != nil:
			withdrawn[rec.Revocation.Endorsement]++
		}
	}
	for s, k := range bySigner {
		if k > declaration.MaxEndorsementsPerSigner {
			t.Fatalf("%s has %d endorsements stored; at most %d", s, k, declaration.MaxEndorsementsPerSigner)
		}
	}
	for e, k := range withdrawn {
		if !endorsements[e] || k > 1 {
			t.Fatalf("endorsement %s: %d revocations stored, endorsement held: %v", e, k, endorsements[e])
		}
	}
}

// syncFrom runs one real sync exchange (ServeSync on one end of an
// in-memory connection, PullRecords on the other) from src into dst and
// applies what came as the node does.
func syncFrom(t *testing.T, c *cast, src, dst *fuzzNode) {
	ctx := context.Background()
	a, b := net.Pipe()
	served := make(chan error, 1)
	go func() {
		err := protocol.ServeSync(ctx, a, c.ids[1], answerer{src.g})
		a.Close()
		served <- err
	}()
	recs, err := protocol.PullRecords(ctx, b, castNetwork, dst.g.hashes())
	b.Close()
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("serve sync: %v", err)
	}
	dst.g.applyAll(ctx, c.ids[1], recs)
}

// FuzzRecordSequence feeds a node a sequence of the network's records
// (certificates, member revocations, endorsements and their revocations,
// valid, replayed and tampered, by gossip or in sync batches, in the order
// the input gives) built from the cast's real keys, and checks:
//   - nothing over the per-signer bounds is stored, and nothing without
//     what it depends on;
//   - the same stored records, given to a fresh node in another order as
//     one batch, derive the same membership and the same Declaration
//     status;
//   - a fresh node synced from it over the real sync exchange derives the
//     same;
//   - reopening its stores derives the same.
func FuzzRecordSequence(f *testing.F) {
	c := newCast(f)
	for _, seed := range sequenceSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		kv := newMemKV()
		n := c.node(t, kv)
		s := &script{c: c, n: n, ctx: ctx}
		s.run(t, data)
		checkBounds(t, n)
		want := n.view()

		// The same records, another order, one batch.
		recs := n.stored()
		rng := rand.New(rand.NewPCG(uint64(len(data)), uint64(s.batches)))
		rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		fresh := c.node(t, nil)
		fresh.g.applyAll(ctx, c.ids[0], recs)
		if got := fresh.view(); got != want {
			t.Fatalf("the stored records in another order derive\n%s\nnot\n%s", got, want)
		}
		checkBounds(t, fresh)

		synced := c.node(t, nil)
		syncFrom(t, c, n, synced)
		if got := synced.view(); got != want {
			t.Fatalf("a node synced from it derives\n%s\nnot\n%s", got, want)
		}

		reopened := c.node(t, kv)
		if got := reopened.view(); got != want {
			t.Fatalf("reopened from its stores it derives\n%s\nnot\n%s", got, want)
		}
	})
}

// sequenceSeeds are FuzzRecordSequence's seeds: admit down a chain,
// endorse, withdraw, revoke and leave, by gossip and by sync; an
// equivocating peer; tampered and replayed records; a founder revoking a
// founder; one member endorsing ten times; six organisations endorsing.
func sequenceSeeds() [][]byte {
	ops := func(o ...[4]byte) []byte {
		var b []byte
		for _, x := range o {
			b = append(b, x[:]...)
		}
		return b
	}
	many := [][4]byte{{8, 0, 2, 0}}
	for d := range 10 {
		many = append(many, [4]byte{10, 2, 0, byte(2 * d)})
	}
	return [][]byte{
		ops([4]byte{8, 0, 2, 0}, [4]byte{8, 2, 3, 0}, [4]byte{10, 3, 0, 0}, [4]byte{10, 2, 0, 2}, [4]byte{11, 3, 0, 0}, [4]byte{9, 0, 2, 0}),
		ops([4]byte{0, 0, 2, 0}, [4]byte{0, 2, 3, 0}, [4]byte{2, 3, 0, 0}, [4]byte{1, 0, 2, 1}, [4]byte{4, 0, 0, 0}, [4]byte{2, 3, 0, 4}),
		ops([4]byte{8, 0, 2, 0}, [4]byte{8, 1, 2, 1}, [4]byte{10, 2, 0, 0}, [4]byte{13, 0, 0, 0}, [4]byte{14, 0, 0, 0}),
		ops([4]byte{8, 0, 4, 2}, [4]byte{8, 4, 5, 0}, [4]byte{8, 0, 5, 0x80}, [4]byte{9, 1, 0, 0}, [4]byte{15, 0, 1, 0}, [4]byte{10, 1, 0, 0}),
		ops([4]byte{8, 1, 3, 0}, [4]byte{8, 3, 2, 0}, [4]byte{8, 2, 4, 0}, [4]byte{9, 0, 3, 0}, [4]byte{9, 1, 3, 1}, [4]byte{10, 4, 0, 0}, [4]byte{10, 4, 0, 2}, [4]byte{10, 4, 0, 4}),
		ops(many...),
		ops([4]byte{8, 0, 2, 0}, [4]byte{0, 0, 3, 0}, [4]byte{8, 1, 4, 0}, [4]byte{0, 1, 5, 0}, [4]byte{4, 0, 0, 0},
			[4]byte{10, 0, 0, 0}, [4]byte{2, 1, 0, 2}, [4]byte{10, 2, 0, 4}, [4]byte{2, 3, 0, 6}, [4]byte{10, 4, 0, 8}, [4]byte{2, 5, 0, 10}),
	}
}

// TestRecordSequenceSeeds: the seeds' records verify (the script signs
// them right), so the fuzzer starts from networks that have members,
// revocations and endorsements, not from refusals.
func TestRecordSequenceSeeds(t *testing.T) {
	t.Parallel()
	c := newCast(t)
	var members, revoked, counted, endorsements int
	for _, seed := range sequenceSeeds() {
		n := c.node(t, nil)
		(&script{c: c, n: n, ctx: context.Background()}).run(t, seed)
		for _, m := range n.reg.Members() {
			members++
			if !m.Active() {
				revoked++
			}
		}
		counted += n.ledger.Status().Count
		endorsements += len(n.ledger.List())
	}
	if members < 20 || revoked < 3 || counted < 7 || endorsements < 12 {
		t.Fatalf("seeds give %d members (%d revoked), %d endorsements, %d counted: the script's records do not verify", members, revoked, endorsements, counted)
	}
}
