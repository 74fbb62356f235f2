package membership

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// memKV is an in-memory KV for tests.
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
	keys := make([]string, 0, len(kv.m))
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

func (kv *memKV) Len() int {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	return len(kv.m)
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

const testText = "# Test Declaration\n\nWe endorse.\n"

func testDeclaration() protocol.Declaration {
	h := sha256.Sum256([]byte(testText))
	return protocol.Declaration{Version: "v1", Language: "en", SHA256: hex.EncodeToString(h[:]), Text: testText}
}

// node is one test participant: key, age recipient, registry.
type node struct {
	key crypto.PrivKey
	id  peer.ID
	age string
	kv  *memKV
	reg *Registry
}

func newNode(t testing.TB, clk *clock) *node {
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
	n := &node{key: k, id: id, age: ai.Recipient().String(), kv: newMemKV()}
	n.reg, err = Open(context.Background(), n.kv, Options{Key: k, Now: clk.Now, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// founded returns a founder node whose registry holds a new network.
func founded(t testing.TB, clk *clock) (*node, protocol.Network) {
	t.Helper()
	f := newNode(t, clk)
	n, err := CreateNetwork(f.key, Founding{Name: "Western Balkans anti-trafficking CSOs", Org: "ASTRA", Country: "RS",
		Age: f.age, Declaration: testDeclaration()}, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.reg.Init(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	return f, n
}

// join runs the whole invite/join exchange between inviter and joiner
// in memory: request, offer, the joiner's signature, admission, adoption.
func join(t testing.TB, inviter, joiner *node, roles ...protocol.Role) protocol.Certificate {
	t.Helper()
	if len(roles) == 0 {
		roles = []protocol.Role{protocol.RolePartner}
	}
	tok, err := inviter.reg.Invite(context.Background(), InviteSpec{Org: orgOf(joiner), Country: "BA", Roles: roles, Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := exchange(inviter, joiner, tok)
	if err != nil {
		t.Fatal(err)
	}
	return *resp.Certificate
}

// exchange is the join exchange for a token already issued.
func exchange(inviter, joiner *node, tok protocol.InviteToken) (protocol.JoinResponse, error) {
	ctx := context.Background()
	tok, err := protocol.ParseInviteToken(tok.String())
	if err != nil {
		return protocol.JoinResponse{}, err
	}
	req, err := protocol.NewJoinRequest(tok, joiner.id, joiner.age)
	if err != nil {
		return protocol.JoinResponse{}, err
	}
	resp, err := inviter.reg.Offer(ctx, joiner.id, req)
	if err != nil {
		return resp, err
	}
	sig, err := joiner.reg.AcceptOffer(ctx, tok, joiner.age, resp)
	if err != nil {
		return resp, err
	}
	cert := *resp.Certificate
	cert.PeerSignature = sig
	if cert, err = inviter.reg.Admit(ctx, joiner.id, req, cert); err != nil {
		return resp, err
	}
	resp.Certificate = &cert
	return resp, joiner.reg.Adopt(ctx, tok, resp)
}

// issue signs a certificate for subject by admitter directly (no invite),
// and has the subject accept it (sign it too), as a join would.
func issue(t testing.TB, admitter *node, subject *node, network string, issued time.Time, roles ...protocol.Role) protocol.Certificate {
	t.Helper()
	c := offer(t, admitter, subject, network, issued, roles...)
	if c.Founder() {
		return c
	}
	if err := c.Accept(subject.key); err != nil {
		t.Fatal(err)
	}
	return c
}

// offer is issue without the subject's signature: what one member alone
// can write about another peer.
func offer(t testing.TB, admitter *node, subject *node, network string, issued time.Time, roles ...protocol.Role) protocol.Certificate {
	t.Helper()
	if len(roles) == 0 {
		roles = []protocol.Role{protocol.RolePartner}
	}
	c := protocol.Certificate{Network: network, Peer: subject.id, Age: subject.age, Org: "Org", Country: "HR",
		Roles: roles, Issued: protocol.FormatTime(issued), AdmittedBy: admitter.id}
	if err := c.Sign(admitter.key); err != nil {
		t.Fatal(err)
	}
	return c
}

func orgOf(n *node) string { s := n.id.String(); return "Org " + s[len(s)-6:] }
