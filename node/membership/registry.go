package membership

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// MaxClockSkew is how far in the future a signed time or date may lie
// before it is refused. The clocks of two offices disagree, sometimes by a
// whole day (a machine set to the wrong date, a time zone taken for UTC),
// and such nodes must not split the network: what one signs, and what it
// receives, is taken by every node alike, even between one a day ahead
// and one a day behind. No signer's time decides anything (this package's
// rules), so the leeway gives nothing away; a record dated further ahead
// is refused.
const MaxClockSkew = 49 * time.Hour

// Errors a Registry wraps, so callers can tell refusals apart.
var (
	ErrNoNetwork    = errors.New("this node belongs to no network yet (create one with `kolo network create` or join with `kolo join`)")
	ErrWrongNetwork = errors.New("belongs to another network")
	ErrNotMember    = errors.New("not a member of the network")
	ErrRevoked      = errors.New("membership revoked")
	ErrNotAllowed   = errors.New("not allowed")
	ErrFuture       = errors.New("dated in the future")
	// ErrStore wraps a failure of this node's own store (a full disk, an
	// I/O error): the record was not refused, only not kept, and a later
	// sync brings it again.
	ErrStore = errors.New("could not store the record on this node")
)

// Keys in the KV.
var (
	keyNetwork = []byte("network")
	prefixCert = []byte("cert/")
	prefixMRev = []byte("mrev/")
)

// Bounds on what one signer can make every node store (docs/SECURITY.md).
const (
	// MaxAdmissions caps the certificates one partner may issue.
	MaxAdmissions = 1000
	// maxCertsPerPeer: a peer holds one certificate; a second one, which it
	// must have signed too, is kept as the evidence that excludes it.
	maxCertsPerPeer = 2
)

// Options configure a Registry.
type Options struct {
	// Key is the node's libp2p Ed25519 key: it signs the certificates of
	// the members this node admits. Nil for a registry that only verifies.
	Key crypto.PrivKey
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// Logger receives one line per stored or refused record (slog.Default if nil).
	Logger *slog.Logger
}

// Member is a peer with a valid certificate, revoked or not.
type Member struct {
	Certificate protocol.Certificate
	Hash        protocol.Hash     // of the certificate
	PublicKey   ed25519.PublicKey // raw, from the peer ID
	Founder     bool
	// Revoked is the time given by the earliest revocation that counts, ""
	// while a member. It is shown, never compared: see doc.go.
	Revoked string
}

// Active reports whether m is a member now (not revoked).
func (m Member) Active() bool { return m.Revoked == "" }

// Stats counts the registry's costly work, for benchmarks and the tests
// that keep it linear.
type Stats struct {
	Rebuilds      int64 // whole-membership derivations
	Verifications int64 // records whose signatures were checked
}

// Registry holds the network file, the certificates and member revocations
// of a network, and the invites this node issued. It is safe for
// concurrent use.
type Registry struct {
	kv   KV
	key  crypto.PrivKey
	self peer.ID
	now  func() time.Time
	log  *slog.Logger

	rebuilds      atomic.Int64
	verifications atomic.Int64

	mu         sync.RWMutex
	network    *protocol.Network
	netHash    protocol.Hash
	founders   map[protocol.Hash]bool
	certs      map[protocol.Hash]protocol.Certificate // every stored certificate, founders' included
	byPeer     map[peer.ID][]protocol.Hash
	byAdmitter map[peer.ID]int // certificates stored per admitter
	mrevs      map[protocol.Hash]protocol.MemberRevocation
	revsOf     map[peer.ID][]protocol.Hash // member revocations per revoked peer
	invites    map[string]*Invite
	state      map[peer.ID]*standing // derived
	members    map[peer.ID]*Member   // derived
}

// Open loads a registry from kv (nil: memory only).
func Open(ctx context.Context, kv KV, opts Options) (*Registry, error) {
	r := &Registry{
		kv:         kv,
		key:        opts.Key,
		now:        opts.Now,
		log:        opts.Logger,
		founders:   map[protocol.Hash]bool{},
		certs:      map[protocol.Hash]protocol.Certificate{},
		byPeer:     map[peer.ID][]protocol.Hash{},
		byAdmitter: map[peer.ID]int{},
		mrevs:      map[protocol.Hash]protocol.MemberRevocation{},
		revsOf:     map[peer.ID][]protocol.Hash{},
		invites:    map[string]*Invite{},
		state:      map[peer.ID]*standing{},
		members:    map[peer.ID]*Member{},
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.log == nil {
		r.log = slog.Default()
	}
	if r.key != nil {
		id, err := peer.IDFromPrivateKey(r.key)
		if err != nil {
			return nil, fmt.Errorf("open registry: node key: %w", err)
		}
		r.self = id
	}
	if kv == nil {
		return r, nil
	}
	if err := r.load(ctx); err != nil {
		return nil, fmt.Errorf("open registry: %w", err)
	}
	return r, nil
}

// load reads what the KV holds. Records were verified before they were
// stored; they are decoded strictly and membership is derived again.
func (r *Registry) load(ctx context.Context) error {
	err := r.kv.Scan(ctx, keyNetwork, func(key, val []byte) error {
		if !bytes.Equal(key, keyNetwork) {
			return nil
		}
		var n protocol.Network
		if err := protocol.Decode(val, protocol.MaxMessageSize, &n); err != nil {
			return fmt.Errorf("network file: %w", err)
		}
		return r.setNetwork(n)
	})
	if err != nil {
		return err
	}
	err = r.kv.Scan(ctx, prefixCert, func(key, val []byte) error {
		var c protocol.Certificate
		if err := protocol.Decode(val, protocol.MaxMessageSize, &c); err != nil {
			return fmt.Errorf("certificate %s: %w", key, err)
		}
		h, err := c.Hash()
		if err != nil {
			return fmt.Errorf("certificate %s: %w", key, err)
		}
		r.insertCert(h, c)
		return nil
	})
	if err != nil {
		return err
	}
	err = r.kv.Scan(ctx, prefixMRev, func(key, val []byte) error {
		var m protocol.MemberRevocation
		if err := protocol.Decode(val, protocol.MaxMessageSize, &m); err != nil {
			return fmt.Errorf("member revocation %s: %w", key, err)
		}
		h, err := m.Hash()
		if err != nil {
			return fmt.Errorf("member revocation %s: %w", key, err)
		}
		r.insertMRev(h, m)
		return nil
	})
	if err != nil {
		return err
	}
	if err := r.loadInvites(ctx); err != nil {
		return err
	}
	r.rebuild()
	return nil
}

// Self returns this node's peer ID ("" without a key).
func (r *Registry) Self() peer.ID { return r.self }

// Network returns the network file, if this node belongs to a network.
func (r *Registry) Network() (protocol.Network, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.network == nil {
		return protocol.Network{}, false
	}
	return *r.network, true
}

// NetworkHash returns the SHA-256 of the network file's canonical string.
func (r *Registry) NetworkHash() (protocol.Hash, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.netHash, r.network != nil
}

// Init makes n this node's network: a founder after `kolo network create`,
// a joiner after its join was accepted. n is verified completely. Init
// with the same network again is a no-op; with another one an error.
func (r *Registry) Init(ctx context.Context, n protocol.Network) error {
	if err := n.Verify(); err != nil {
		return fmt.Errorf("network file: %w", err)
	}
	h, err := n.Hash()
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.network != nil {
		if r.netHash == h {
			return nil
		}
		return fmt.Errorf("this node already belongs to network %s (%s); it cannot take network %s (%s)", r.network.ID, r.network.Name, n.ID, n.Name)
	}
	if err := r.put(keyNetwork, n); err != nil {
		return fmt.Errorf("store network file: %w", err)
	}
	if err := r.setNetwork(n); err != nil {
		return err
	}
	r.rebuild()
	r.log.Info("network set", "network", n.ID, "name", n.Name, "founders", len(n.Founders), "hash", h.String())
	return nil
}

func (r *Registry) setNetwork(n protocol.Network) error {
	h, err := n.Hash()
	if err != nil {
		return err
	}
	r.network, r.netHash = &n, h
	for _, f := range n.Founders {
		fh, err := f.Hash()
		if err != nil {
			return err
		}
		r.founders[fh] = true
		r.insertCert(fh, f)
	}
	return nil
}

// put stores v as JSON under key, unless the registry is memory-only.
func (r *Registry) put(key []byte, v any) error {
	if r.kv == nil {
		return nil
	}
	b, err := protocol.Encode(v)
	if err != nil {
		return err
	}
	if err := r.kv.Put(key, b); err != nil {
		return fmt.Errorf("%w: %w", ErrStore, err)
	}
	return nil
}

func (r *Registry) insertCert(h protocol.Hash, c protocol.Certificate) {
	if _, ok := r.certs[h]; ok {
		return
	}
	r.certs[h] = c
	r.byPeer[c.Peer] = append(r.byPeer[c.Peer], h)
	if !c.Founder() {
		r.byAdmitter[c.AdmittedBy]++
	}
}

func (r *Registry) removeCert(h protocol.Hash) {
	c, ok := r.certs[h]
	if !ok {
		return
	}
	delete(r.certs, h)
	r.byPeer[c.Peer] = slices.DeleteFunc(r.byPeer[c.Peer], func(x protocol.Hash) bool { return x == h })
	if len(r.byPeer[c.Peer]) == 0 {
		delete(r.byPeer, c.Peer)
	}
	if !c.Founder() {
		if r.byAdmitter[c.AdmittedBy]--; r.byAdmitter[c.AdmittedBy] <= 0 {
			delete(r.byAdmitter, c.AdmittedBy)
		}
	}
}

func (r *Registry) insertMRev(h protocol.Hash, m protocol.MemberRevocation) {
	if _, ok := r.mrevs[h]; ok {
		return
	}
	r.mrevs[h] = m
	r.revsOf[m.Member] = append(r.revsOf[m.Member], h)
}

func (r *Registry) removeMRev(h protocol.Hash) {
	m, ok := r.mrevs[h]
	if !ok {
		return
	}
	delete(r.mrevs, h)
	r.revsOf[m.Member] = slices.DeleteFunc(r.revsOf[m.Member], func(x protocol.Hash) bool { return x == h })
	if len(r.revsOf[m.Member]) == 0 {
		delete(r.revsOf, m.Member)
	}
}

// rebuild derives every peer's standing from the stored records (derive.go)
// and the member list from it. r.mu held (or the registry not shared yet).
func (r *Registry) rebuild() {
	r.rebuilds.Add(1)
	r.state = r.derive()
	members := make(map[peer.ID]*Member, len(r.state))
	for p, st := range r.state {
		if st.admitted {
			r.setMember(p, st)
			members[p] = r.members[p]
		}
	}
	r.members = members
}

// setMember writes p's entry in the member list from its standing.
func (r *Registry) setMember(p peer.ID, st *standing) {
	pub, err := protocol.RawPublicKey(p)
	if err != nil {
		return // cannot happen: the certificate verified
	}
	r.members[p] = &Member{Certificate: r.certs[st.cert], Hash: st.cert, PublicKey: pub, Founder: r.founders[st.cert], Revoked: st.revokedAt}
}

// purge deletes the records that no longer count after a revocation: the
// certificates no longer valid (and so those their peers issued) and the
// revocations that no longer count. Such a record can never count again
// (revocations are permanent), so it has no reason to be kept. A peer with
// two valid certificates keeps both: they are the evidence that excludes
// it. r.mu held.
func (r *Registry) purge() {
	for h, c := range r.certs {
		st := r.state[c.Peer]
		if r.founders[h] || (st != nil && slices.Contains(st.valid, h)) {
			continue
		}
		if err := r.delete(prefixCert, h); err != nil {
			r.log.Warn("could not delete a certificate that no longer counts", "member", c.Peer, "err", err)
			continue
		}
		r.removeCert(h)
		r.log.Info("certificate no longer counts: its admitter was revoked without keeping it", "member", c.Peer, "admitted_by", c.AdmittedBy)
	}
	for h, m := range r.mrevs {
		st := r.state[m.Member]
		if st != nil && slices.Contains(st.revocation, h) {
			continue
		}
		if err := r.delete(prefixMRev, h); err != nil {
			r.log.Warn("could not delete a member revocation that no longer counts", "member", m.Member, "err", err)
			continue
		}
		r.removeMRev(h)
	}
}

func (r *Registry) delete(prefix []byte, h protocol.Hash) error {
	if r.kv == nil {
		return nil
	}
	return r.kv.Delete(append(append([]byte{}, prefix...), h.String()...))
}

// Stats reports the registry's work counters.
func (r *Registry) Stats() Stats {
	return Stats{Rebuilds: r.rebuilds.Load(), Verifications: r.verifications.Load()}
}

// IsMember reports whether id is a member now: a valid certificate and no
// revocation.
func (r *Registry) IsMember(id peer.ID) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	m, ok := r.members[id]
	return ok && m.Revoked == ""
}

// Member returns id's membership, revoked or not.
func (r *Registry) Member(id peer.ID) (Member, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	m, ok := r.members[id]
	if !ok {
		return Member{}, false
	}
	return *m, true
}

// Keeps reports whether record h, signed by member, still stands: member
// is not revoked, or every revocation that counts against it keeps h.
// Nothing else a revoked member signed stands, whatever its date.
func (r *Registry) Keeps(member peer.ID, h protocol.Hash) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	st, ok := r.state[member]
	if !ok {
		return false
	}
	return r.keptByAll(st, h)
}

// Members lists every peer with a valid certificate, revoked ones
// included, founders first, then in the order they were admitted.
func (r *Registry) Members() []Member {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Member, 0, len(r.members))
	for _, m := range r.members {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Founder != out[j].Founder {
			return out[i].Founder
		}
		if out[i].Certificate.Issued != out[j].Certificate.Issued {
			return out[i].Certificate.Issued < out[j].Certificate.Issued
		}
		return out[i].Certificate.Peer < out[j].Certificate.Peer
	})
	return out
}

// Equivocal lists the peers excluded because they accepted two
// certificates.
func (r *Registry) Equivocal() []peer.ID {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []peer.ID
	for p, st := range r.state {
		if st.equivocal {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// Hashes returns the hashes of the records a peer may lack: non-founder
// certificates and member revocations.
func (r *Registry) Hashes() []protocol.Hash {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]protocol.Hash, 0, len(r.certs)+len(r.mrevs))
	for h := range r.certs {
		if !r.founders[h] {
			out = append(out, h)
		}
	}
	for h := range r.mrevs {
		out = append(out, h)
	}
	return out
}

// Records returns the records whose hashes are not in have, in an order a
// receiver can apply them in: certificates down the admission chains (an
// admitter's before those it signed), then member revocations.
func (r *Registry) Records(have map[protocol.Hash]struct{}) []protocol.Record {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []protocol.Record
	for _, h := range r.chainOrder() {
		if _, ok := have[h]; !ok && !r.founders[h] {
			c := r.certs[h]
			out = append(out, protocol.Record{Certificate: &c})
		}
	}
	mrevs := make([]protocol.Hash, 0, len(r.mrevs))
	for h := range r.mrevs {
		if _, ok := have[h]; !ok {
			mrevs = append(mrevs, h)
		}
	}
	slices.SortFunc(mrevs, func(a, b protocol.Hash) int { return bytes.Compare(a[:], b[:]) })
	for _, h := range mrevs {
		m := r.mrevs[h]
		out = append(out, protocol.Record{MemberRevocation: &m})
	}
	return out
}

// chainOrder lists every stored certificate so that each comes after its
// admitter's: breadth first from the founders, each level by hash.
// Certificates whose admitter holds none (cannot happen for stored ones)
// come last. r.mu held.
func (r *Registry) chainOrder() []protocol.Hash {
	children := map[peer.ID][]protocol.Hash{}
	var level []protocol.Hash
	for h, c := range r.certs {
		if c.Founder() {
			level = append(level, h)
		} else {
			children[c.AdmittedBy] = append(children[c.AdmittedBy], h)
		}
	}
	byHash := func(a, b protocol.Hash) int { return bytes.Compare(a[:], b[:]) }
	out := make([]protocol.Hash, 0, len(r.certs))
	seen := map[peer.ID]bool{}
	for len(level) > 0 {
		slices.SortFunc(level, byHash)
		out = append(out, level...)
		var next []protocol.Hash
		for _, h := range level {
			p := r.certs[h].Peer
			if !seen[p] {
				seen[p] = true
				next = append(next, children[p]...)
			}
		}
		level = next
	}
	if len(out) < len(r.certs) {
		in := make(map[protocol.Hash]bool, len(out))
		for _, h := range out {
			in[h] = true
		}
		var rest []protocol.Hash
		for h := range r.certs {
			if !in[h] {
				rest = append(rest, h)
			}
		}
		slices.SortFunc(rest, byHash)
		out = append(out, rest...)
	}
	return out
}

// Certificates returns every stored certificate (founders' included) and
// every member revocation: the evidence an export carries.
func (r *Registry) Certificates() ([]protocol.Certificate, []protocol.MemberRevocation) {
	recs := r.Records(nil)
	n, _ := r.Network()
	certs := append([]protocol.Certificate{}, n.Founders...)
	var mrevs []protocol.MemberRevocation
	for _, rec := range recs {
		if rec.Certificate != nil {
			certs = append(certs, *rec.Certificate)
		} else {
			mrevs = append(mrevs, *rec.MemberRevocation)
		}
	}
	return certs, mrevs
}

// Chain returns the certificates from id's admitter up to, not including,
// a founder: what a joining node needs to verify its own certificate.
func (r *Registry) Chain(id peer.ID) []protocol.Certificate {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var chain []protocol.Certificate
	seen := map[peer.ID]bool{}
	for p := id; !seen[p]; {
		seen[p] = true
		m, ok := r.members[p]
		if !ok || m.Founder {
			break
		}
		chain = append(chain, m.Certificate)
		p = m.Certificate.AdmittedBy
	}
	return chain
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
