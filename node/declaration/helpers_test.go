package declaration

import (
	"bytes"
	"context"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

var ctx = context.Background()

var quiet = slog.New(slog.DiscardHandler)

// memKV is an in-memory membership.KV for tests.
type memKV struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newMemKV() *memKV { return &memKV{m: map[string][]byte{}} }

func (kv *memKV) Put(key, val []byte) error {
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

func (kv *memKV) Len() int { kv.mu.Lock(); defer kv.mu.Unlock(); return len(kv.m) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// member is a network member: its key and certificate.
type member struct {
	key  crypto.PrivKey
	id   peer.ID
	cert protocol.Certificate
}

// world is a network as one node sees it: founder, members, registry,
// ledger over in-memory stores.
type world struct {
	clk     *clock
	net     protocol.Network
	founder member
	regKV   *memKV
	ledKV   *memKV
	reg     *membership.Registry
	ledger  *Ledger
}

func newKey(t testing.TB) (crypto.PrivKey, peer.ID, string) {
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
	return k, id, ai.Recipient().String()
}

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{clk: &clock{t: time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)}, regKV: newMemKV(), ledKV: newMemKV()}
	k, id, ageRcpt := newKey(t)
	n, err := membership.CreateNetwork(k, membership.Founding{Name: "WB anti-trafficking CSOs", Org: "ASTRA", Country: "RS",
		Age: ageRcpt, Declaration: Current().Ref()}, w.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.net = n
	w.founder = member{key: k, id: id, cert: n.Founders[0]}
	w.reg, err = membership.Open(ctx, w.regKV, membership.Options{Key: k, Now: w.clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.reg.Init(ctx, n); err != nil {
		t.Fatal(err)
	}
	w.ledger, err = Open(ctx, w.ledKV, w.reg, Options{Key: k, Now: w.clk.Now, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// admit adds a member admitted by the founder.
func (w *world) admit(t testing.TB, org, country string) member {
	t.Helper()
	k, id, ageRcpt := newKey(t)
	c := protocol.Certificate{Network: w.net.ID, Peer: id, Age: ageRcpt, Org: org, Country: country,
		Roles: []protocol.Role{protocol.RolePartner}, Issued: protocol.FormatTime(w.clk.Now()), AdmittedBy: w.founder.id}
	if err := c.Sign(w.founder.key); err != nil {
		t.Fatal(err)
	}
	if err := c.Accept(k); err != nil {
		t.Fatal(err)
	}
	if _, err := w.reg.AddCertificate(ctx, c); err != nil {
		t.Fatal(err)
	}
	return member{key: k, id: id, cert: c}
}

// endorse signs an endorsement by m, dated today.
func (w *world) endorse(t testing.TB, m member) protocol.Endorsement {
	t.Helper()
	e, err := NewEndorsement(m.key, w.net, m.cert, w.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e
}
