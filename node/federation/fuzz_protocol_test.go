package federation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Test identities of the query protocol fuzz target: fixed age keys (made
// for this test only, protecting nothing), so that answers sealed in one
// run open in every run.
const (
	testAgeSelf     = "AGE-SECRET-KEY-12DJP2G7D9PS4WY8Z37Z5UCFK8280HWSM8MDGKLWPFV2AX9D89Z6Q2DN96J"
	testAgeMember   = "AGE-SECRET-KEY-1URU7K3WND4XM7TVYE4A02F2LEMGCUUUX0WST940ESEFAX9N2LPDQKKYHV8"
	fuzzNetworkID   = "kolofuzzqueryprotocol23456"
	fuzzQueryID     = "kolofuzzqueryidaaaaaaaaaaa"
	fuzzQueryText   = "count judgment by country"
	fuzzAnswerFrame = 0 // kinds of input
	fuzzQueryFrame  = 1
)

var fuzzT0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// noRecords stands in for the node's records (records.Book): this node
// holds none. The target is about what peers send (queries, answers), not
// about evaluation, which node/query's tests cover over real records.
type noRecords struct{}

func (noRecords) ScanIndicators(context.Context, records.IndicatorRange, func(*records.IndicatorView) error) error {
	return nil
}

// queryWorld is a node (self, the network's founder) with a real store,
// registry and libp2p host, a member it admitted, a stranger, and a query
// the node asked.
type queryWorld struct {
	fed                  *Federation
	st                   *store.Store
	keys                 []crypto.PrivKey // self, member, stranger
	ids                  []peer.ID
	ages                 []*age.X25519Identity // self, member
	asked                protocol.Query
	askedHash            string
	now                  time.Time
	memberOrg, memberCty string
}

func newQueryWorld(tb testing.TB) *queryWorld {
	tb.Helper()
	ctx := context.Background()
	w := &queryWorld{now: fuzzT0.Add(time.Hour), memberOrg: "Fuzz member", memberCty: "HR"}
	for i := range 3 {
		k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{byte(0x61 + i)}, ed25519.SeedSize)))
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := peer.IDFromPrivateKey(k)
		w.keys, w.ids = append(w.keys, k), append(w.ids, id)
	}
	for _, s := range []string{testAgeSelf, testAgeMember} {
		id, err := age.ParseX25519Identity(s)
		if err != nil {
			tb.Fatal(err)
		}
		w.ages = append(w.ages, id)
	}
	clock := func() time.Time { return w.now }
	founder, err := membership.FounderCertificate(w.keys[0], fuzzNetworkID, membership.Founding{Org: "Fuzz founder", Country: "RS",
		Roles: []protocol.Role{protocol.RoleAnalyst}, Age: w.ages[0].Recipient().String()}, fuzzT0)
	if err != nil {
		tb.Fatal(err)
	}
	n := protocol.Network{ID: fuzzNetworkID, Name: "Fuzz network", Declaration: declaration.Current().Ref(), Policy: protocol.DefaultPolicy(),
		Founders: []protocol.Certificate{founder}, CreatedBy: w.ids[0]}
	if err := n.Sign(w.keys[0]); err != nil {
		tb.Fatal(err)
	}
	reg, err := membership.Open(ctx, nil, membership.Options{Key: w.keys[0], Now: clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	if err := reg.Init(ctx, n); err != nil {
		tb.Fatal(err)
	}
	cert := protocol.Certificate{Network: fuzzNetworkID, Peer: w.ids[1], Age: w.ages[1].Recipient().String(), Org: w.memberOrg, Country: w.memberCty,
		Roles: []protocol.Role{protocol.RoleAnalyst, protocol.RolePartner}, Issued: protocol.FormatTime(fuzzT0), AdmittedBy: w.ids[0]}
	if err := cert.Sign(w.keys[0]); err != nil {
		tb.Fatal(err)
	}
	if err := cert.Accept(w.keys[1]); err != nil {
		tb.Fatal(err)
	}
	if _, err := reg.AddCertificate(ctx, cert); err != nil {
		tb.Fatal(err)
	}
	w.st, err = store.Open(store.Options{Dir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.st.Close() })
	prot, err := query.NewProtector(w.st, query.Policy{}, query.ProtectorOptions{Now: clock})
	if err != nil {
		tb.Fatal(err)
	}
	h, err := libp2p.New(libp2p.Identity(w.keys[0]), libp2p.NoListenAddrs, libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { h.Close() })
	w.fed, err = New(ctx, Config{Store: w.st, Registry: reg, Key: w.keys[0], Identity: w.ages[0], Host: h, Records: noRecords{},
		Protector: prot, Now: clock, Retry: time.Hour})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { w.fed.Close() })
	// The query this node asked, with a fixed id (Ask draws a random one).
	w.asked = w.query(tb, 0, fuzzQueryID, fuzzT0, fuzzT0.Add(24*time.Hour))
	qh, _ := w.asked.Hash()
	w.askedHash = qh.String()
	v, err := protocol.Encode(asked{Query: w.asked, Hash: w.askedHash})
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.st.Put(spaceMine, []byte(w.askedHash), v); err != nil {
		tb.Fatal(err)
	}
	return w
}

// query signs a query of fuzzQueryText by peer i.
func (w *queryWorld) query(tb testing.TB, i int, id string, issued, expires time.Time) protocol.Query {
	q := protocol.Query{Network: fuzzNetworkID, ID: id, Requester: w.ids[i], Text: fuzzQueryText,
		Issued: protocol.FormatTime(issued), Expires: protocol.FormatTime(expires)}
	if err := q.Sign(w.keys[i]); err != nil {
		tb.Fatal(err)
	}
	return q
}

// answer is member i's answer to the asked query, sealed to recipient,
// signed by signer.
func (w *queryWorld) answer(tb testing.TB, i int, recipient age.Recipient, signer int) protocol.Answer {
	var ans query.Answer
	if err := json.Unmarshal([]byte(`{"format":1,"query":"`+fuzzQueryText+`","cells":[{"group":["HR"],"n":7}],"coverage":{"cells":1,"released":1,"suppressed":0},"k":5}`), &ans); err != nil {
		tb.Fatal(err)
	}
	payload, err := protocol.Encode(Sealed{Format: SealedFormat, Query: w.askedHash, ID: fuzzQueryID, Answerer: w.ids[i], Org: w.memberOrg, Country: w.memberCty, Answer: &ans})
	if err != nil {
		tb.Fatal(err)
	}
	var sealed bytes.Buffer
	enc, err := age.Encrypt(&sealed, recipient)
	if err != nil {
		tb.Fatal(err)
	}
	enc.Write(payload)
	enc.Close()
	a := protocol.Answer{Network: fuzzNetworkID, Query: w.askedHash, Answerer: w.ids[i], Requester: w.ids[0],
		Answered: protocol.FormatTime(fuzzT0.Add(time.Minute)), Sealed: sealed.Bytes()}
	if err := a.Sign(w.keys[i]); err != nil {
		tb.Fatal(err)
	}
	if signer != i { // the same envelope, signed by another key
		msg, err := a.SigningBytes()
		if err != nil {
			tb.Fatal(err)
		}
		if a.Signature, err = w.keys[signer].Sign(msg); err != nil {
			tb.Fatal(err)
		}
	}
	return a
}

func framed(tb testing.TB, v any) []byte {
	b, err := protocol.Encode(v)
	if err != nil {
		tb.Fatal(err)
	}
	return append(binary.AppendUvarint(nil, uint64(len(b))), b...)
}

type rwPair struct {
	io.Reader
	out bytes.Buffer
}

func (p *rwPair) Write(b []byte) (int, error) { return p.out.Write(b) }

// FuzzQueryProtocol gives a node what peers send about queries, with
// arbitrary bytes.
//
// An answer stream on /kolo/answer from a member (ServeAnswer, then the
// node's checks): the node acknowledges it, and keeps an answer only if it
// is the member's own, signed by it, for the query this node asked, to this
// node, sealed to this node's age key and naming the same query and
// answerer inside; what it keeps is exactly the envelope received.
//
// A query record, as gossip carries it (Accept): kept only if it verifies,
// its requester is a current member, it is not dated in the future and not
// expired; never more than MaxOpenPerRequester open per requester.
func FuzzQueryProtocol(f *testing.F) {
	w := newQueryWorld(f)
	self := w.ages[0].Recipient()
	f.Add(uint8(fuzzAnswerFrame), framed(f, w.answer(f, 1, self, 1)))
	f.Add(uint8(fuzzAnswerFrame), framed(f, w.answer(f, 1, w.ages[1].Recipient(), 1))) // sealed to another node
	f.Add(uint8(fuzzAnswerFrame), framed(f, w.answer(f, 2, self, 2)))                  // from a stranger
	f.Add(uint8(fuzzAnswerFrame), framed(f, w.answer(f, 1, self, 0)))                  // signed by another
	f.Add(uint8(fuzzQueryFrame), mustEncode(f, protocol.Record{Query: ptr(w.query(f, 1, "kolofuzzqueryidbbbbbbbbbbb", fuzzT0, fuzzT0.Add(time.Hour*2)))}))
	f.Add(uint8(fuzzQueryFrame), mustEncode(f, protocol.Record{Query: ptr(w.query(f, 1, "kolofuzzqueryidccccccccccc", fuzzT0.Add(-48*time.Hour), fuzzT0.Add(-47*time.Hour)))}))
	f.Add(uint8(fuzzQueryFrame), mustEncode(f, protocol.Record{Query: ptr(w.query(f, 1, "kolofuzzqueryidddddddddddd", fuzzT0.Add(48*time.Hour), fuzzT0.Add(50*time.Hour)))}))
	f.Add(uint8(fuzzQueryFrame), mustEncode(f, protocol.Record{Query: ptr(w.query(f, 2, "kolofuzzqueryideeeeeeeeeee", fuzzT0, fuzzT0.Add(time.Hour*2)))}))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		if kind%2 == fuzzQueryFrame {
			var rec protocol.Record
			if protocol.Decode(data, protocol.MaxMessageSize, &rec) != nil || rec.Query == nil {
				return
			}
			q := *rec.Query
			kept, err := w.fed.Accept(ctx, q)
			if kept {
				issued, _ := protocol.ParseTime(q.Issued)
				expires, _ := protocol.ParseTime(q.Expires)
				m, member := w.fed.cfg.Registry.Member(q.Requester)
				switch {
				case err != nil:
					t.Fatalf("kept with an error: %v", err)
				case q.Verify() != nil:
					t.Fatalf("kept a query that does not verify: %v", q.Verify())
				case !member || !m.Active():
					t.Fatalf("kept a query of %s, not a current member", q.Requester)
				case issued.After(w.now.Add(membership.MaxClockSkew)) || !w.now.Before(expires):
					t.Fatalf("kept a query open from %s to %s at %s", q.Issued, q.Expires, w.now)
				}
			}
			w.fed.mu.Lock()
			per := map[peer.ID]int{}
			for _, o := range w.fed.open {
				per[o.Requester]++
			}
			w.fed.mu.Unlock()
			for p, k := range per {
				if k > MaxOpenPerRequester {
					t.Fatalf("%s has %d open queries kept; at most %d", p, k, MaxOpenPerRequester)
				}
			}
			return
		}
		s := &rwPair{Reader: bytes.NewReader(data)}
		serr := protocol.ServeAnswer(ctx, s, w.ids[1], answerHandler{w.fed})
		key := receivedKey(w.askedHash, w.ids[1])
		stored, gerr := w.st.Get(spaceReceived, key)
		defer w.st.Delete(spaceReceived, key) // the next input meets a node without the member's answer
		var a protocol.Answer
		decoded := protocol.NewConnSize(bytes.NewBuffer(data), protocol.MaxAnswerSize).Receive(&a) == nil
		var ack protocol.AnswerAck
		acked := protocol.NewConn(bytes.NewBuffer(s.out.Bytes())).Receive(&ack) == nil
		if decoded && !acked {
			t.Fatalf("an answer that decodes got no acknowledgement (%v)", serr)
		}
		if gerr != nil {
			if decoded && ack.Error == "" {
				t.Fatal("acknowledged an answer without keeping it")
			}
			return
		}
		if !decoded || ack.Error != "" || serr != nil {
			t.Fatalf("kept an answer that was refused: ack %q, %v", ack.Error, serr)
		}
		var r received
		if err := protocol.Decode(stored, protocol.MaxAnswerSize*2, &r); err != nil {
			t.Fatal(err)
		}
		env := r.Envelope
		switch {
		case env.Answerer != w.ids[1] || env.Requester != w.ids[0] || env.Query != w.askedHash || env.Network != fuzzNetworkID:
			t.Fatalf("kept an answer by %s to %s for %s", env.Answerer, env.Requester, env.Query)
		case env.Verify() != nil:
			t.Fatalf("kept an answer whose signature fails: %v", env.Verify())
		case r.Opened.Query != w.askedHash || r.Opened.ID != fuzzQueryID || r.Opened.Answerer != w.ids[1] || r.Opened.Answer == nil:
			t.Fatalf("kept an answer whose sealed figures name %s/%s by %s", r.Opened.Query, r.Opened.ID, r.Opened.Answerer)
		case !bytes.Equal(mustEncode(t, env), mustEncode(t, a)):
			t.Fatal("what was kept is not the envelope received")
		}
		if _, err := age.Decrypt(bytes.NewReader(env.Sealed), w.ages[0]); err != nil {
			t.Fatalf("kept an answer this node's age key does not open: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func mustEncode(tb testing.TB, v any) []byte {
	b, err := protocol.Encode(v)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// TestQueryProtocolSeeds: the honest seeds of FuzzQueryProtocol are taken
// (an answer of the member to the query asked, a member's open query), the
// others refused, so the fuzzer starts from both sides.
func TestQueryProtocolSeeds(t *testing.T) {
	t.Parallel()
	w := newQueryWorld(t)
	ctx := context.Background()
	self := w.ages[0].Recipient()
	for _, tc := range []struct {
		name string
		a    protocol.Answer
		ok   bool
	}{
		{"honest", w.answer(t, 1, self, 1), true},
		{"sealed to another node", w.answer(t, 1, w.ages[1].Recipient(), 1), false},
		{"signed by another", w.answer(t, 1, self, 0), false},
	} {
		s := &rwPair{Reader: bytes.NewReader(framed(t, tc.a))}
		err := protocol.ServeAnswer(ctx, s, w.ids[1], answerHandler{w.fed})
		_, gerr := w.st.Get(spaceReceived, receivedKey(w.askedHash, w.ids[1]))
		if (err == nil) != tc.ok || (gerr == nil) != tc.ok {
			t.Errorf("%s: served %v, kept %v; want taken %v", tc.name, err, gerr == nil, tc.ok)
		}
		w.st.Delete(spaceReceived, receivedKey(w.askedHash, w.ids[1]))
	}
	if kept, err := w.fed.Accept(ctx, w.query(t, 1, "kolofuzzqueryidbbbbbbbbbbb", fuzzT0, fuzzT0.Add(2*time.Hour))); !kept || err != nil {
		t.Errorf("a member's open query: kept %v, %v", kept, err)
	}
	if kept, err := w.fed.Accept(ctx, w.query(t, 2, "kolofuzzqueryideeeeeeeeeee", fuzzT0, fuzzT0.Add(2*time.Hour))); kept || err == nil {
		t.Errorf("a stranger's query: kept %v, %v", kept, err)
	}
}
