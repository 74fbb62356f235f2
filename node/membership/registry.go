package membership

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// MaxClockSkew is how far in the future a signed time or date may lie
// before it is refused: the clocks of two offices disagree a little.
const MaxClockSkew = 5 * time.Minute

// Errors a Registry wraps, so callers can tell refusals apart.
var (
	ErrNoNetwork    = errors.New("this node belongs to no network yet (create one with `kolo network create` or join with `kolo join`)")
	ErrWrongNetwork = errors.New("belongs to another network")
	ErrNotMember    = errors.New("not a member of the network")
	ErrRevoked      = errors.New("membership revoked")
	ErrNotAllowed   = errors.New("not allowed")
	ErrFuture       = errors.New("dated in the future")
)

// Keys in the KV.
var (
	keyNetwork = []byte("network")
	prefixCert = []byte("cert/")
	prefixMRev = []byte("mrev/")
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
	Revoked     string // time of the earliest valid revocation, "" while a member
}

// Active reports whether m is a member now (not revoked).
func (m Member) Active() bool { return m.Revoked == "" }

// Registry holds the network file, the certificates and member revocations
// of a network, and the invites this node issued. It is safe for
// concurrent use.
type Registry struct {
	kv   KV
	key  crypto.PrivKey
	self peer.ID
	now  func() time.Time
	log  *slog.Logger

	mu       sync.RWMutex
	network  *protocol.Network
	netHash  protocol.Hash
	founders map[protocol.Hash]bool
	certs    map[protocol.Hash]protocol.Certificate // every stored certificate, founders' included
	byPeer   map[peer.ID][]protocol.Hash
	mrevs    map[protocol.Hash]protocol.MemberRevocation
	revoked  map[peer.ID]string // earliest valid revocation time per peer
	invites  map[string]*Invite
	members  map[peer.ID]*Member // derived by rebuild
}

// Open loads a registry from kv (nil: memory only).
func Open(ctx context.Context, kv KV, opts Options) (*Registry, error) {
	r := &Registry{
		kv:       kv,
		key:      opts.Key,
		now:      opts.Now,
		log:      opts.Logger,
		founders: map[protocol.Hash]bool{},
		certs:    map[protocol.Hash]protocol.Certificate{},
		byPeer:   map[peer.ID][]protocol.Hash{},
		mrevs:    map[protocol.Hash]protocol.MemberRevocation{},
		revoked:  map[peer.ID]string{},
		invites:  map[string]*Invite{},
		members:  map[peer.ID]*Member{},
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
	return r.kv.Put(key, b)
}

func (r *Registry) insertCert(h protocol.Hash, c protocol.Certificate) {
	if _, ok := r.certs[h]; ok {
		return
	}
	r.certs[h] = c
	r.byPeer[c.Peer] = append(r.byPeer[c.Peer], h)
}

func (r *Registry) insertMRev(h protocol.Hash, m protocol.MemberRevocation) {
	r.mrevs[h] = m
	if t, ok := r.revoked[m.Member]; !ok || m.Revoked < t {
		r.revoked[m.Member] = m.Revoked
	}
}

// rebuild derives the members from the stored records: for every peer, the
// earliest valid certificate, and its revocation time if any. Canonical
// times compare correctly as strings.
func (r *Registry) rebuild() {
	const (
		visiting = iota + 1
		valid
		invalid
	)
	state := map[protocol.Hash]int{}
	var effective func(p peer.ID) (protocol.Hash, bool)
	var isValid func(h protocol.Hash) bool
	isValid = func(h protocol.Hash) bool {
		switch state[h] {
		case visiting, invalid:
			return false
		case valid:
			return true
		}
		state[h] = visiting
		c := r.certs[h]
		ok := false
		if c.Founder() {
			ok = r.founders[h]
		} else if ih, found := effective(c.AdmittedBy); found {
			ic := r.certs[ih]
			t, revoked := r.revoked[c.AdmittedBy]
			ok = protocol.HasRole(ic.Roles, protocol.RolePartner) && ic.Issued <= c.Issued && (!revoked || c.Issued < t)
		}
		state[h] = invalid
		if ok {
			state[h] = valid
		}
		return ok
	}
	effective = func(p peer.ID) (protocol.Hash, bool) {
		for _, h := range r.sortedCerts(p) {
			if isValid(h) {
				return h, true
			}
		}
		return protocol.Hash{}, false
	}
	members := make(map[peer.ID]*Member, len(r.byPeer))
	for p := range r.byPeer {
		h, ok := effective(p)
		if !ok {
			continue
		}
		c := r.certs[h]
		pub, err := protocol.RawPublicKey(p)
		if err != nil {
			continue // cannot happen: the certificate verified
		}
		members[p] = &Member{Certificate: c, Hash: h, PublicKey: pub, Founder: r.founders[h], Revoked: r.revoked[p]}
	}
	r.members = members
}

// sortedCerts returns p's certificates, earliest issued first (ties by hash).
func (r *Registry) sortedCerts(p peer.ID) []protocol.Hash {
	hs := r.byPeer[p]
	sort.Slice(hs, func(i, j int) bool {
		a, b := r.certs[hs[i]], r.certs[hs[j]]
		if a.Issued != b.Issued {
			return a.Issued < b.Issued
		}
		return bytes.Compare(hs[i][:], hs[j][:]) < 0
	})
	return hs
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

// checkNetwork checks that a record is for this node's network. r.mu held.
func (r *Registry) checkNetwork(what, network string) error {
	if r.network == nil {
		return fmt.Errorf("%s: %w", what, ErrNoNetwork)
	}
	if network != r.network.ID {
		return fmt.Errorf("%s is for network %s, this node is in %s: %w", what, network, r.network.ID, ErrWrongNetwork)
	}
	return nil
}

// checkNotFuture refuses a canonical time later than now plus the skew.
func (r *Registry) checkNotFuture(what, ts string) error {
	t, err := protocol.ParseTime(ts)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if limit := r.now().Add(MaxClockSkew); t.After(limit) {
		return fmt.Errorf("%s at %s, later than now (%s): %w", what, ts, protocol.FormatTime(r.now()), ErrFuture)
	}
	return nil
}

// CheckCertificate verifies c completely (fields, signature, network,
// admitter, age recipient, time) without storing it.
func (r *Registry) CheckCertificate(c protocol.Certificate) error {
	_, err := r.checkCertificate(c)
	return err
}

func (r *Registry) checkCertificate(c protocol.Certificate) (protocol.Hash, error) {
	what := "certificate for " + c.Peer.String()
	if err := c.Verify(); err != nil {
		return protocol.Hash{}, err
	}
	h, err := c.Hash()
	if err != nil {
		return h, err
	}
	if err := CheckAgeRecipient(c.Age); err != nil {
		return h, fmt.Errorf("%s: %w", what, err)
	}
	if err := r.checkNotFuture(what+": issued", c.Issued); err != nil {
		return h, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if err := r.checkNetwork(what, c.Network); err != nil {
		return h, err
	}
	if _, ok := r.certs[h]; ok {
		return h, nil
	}
	if t, ok := r.revoked[c.Peer]; ok {
		return h, fmt.Errorf("%s: the peer was revoked at %s and cannot be admitted again with the same key: %w", what, t, ErrRevoked)
	}
	if c.Founder() {
		if !r.founders[h] {
			return h, fmt.Errorf("%s: self-signed, but not a founder certificate of the network file: %w", what, ErrNotAllowed)
		}
		return h, nil
	}
	admitter, ok := r.members[c.AdmittedBy]
	switch {
	case !ok:
		return h, fmt.Errorf("%s: admitted by %s: %w", what, c.AdmittedBy, ErrNotMember)
	case !protocol.HasRole(admitter.Certificate.Roles, protocol.RolePartner):
		return h, fmt.Errorf("%s: admitted by %s, whose roles are %s; only partners may admit members: %w", what, c.AdmittedBy, protocol.JoinRoles(admitter.Certificate.Roles), ErrNotAllowed)
	case admitter.Certificate.Issued > c.Issued:
		return h, fmt.Errorf("%s: issued at %s, before its admitter's own certificate (%s): %w", what, c.Issued, admitter.Certificate.Issued, ErrNotAllowed)
	case admitter.Revoked != "" && c.Issued >= admitter.Revoked:
		return h, fmt.Errorf("%s: issued at %s by %s, revoked at %s: %w", what, c.Issued, c.AdmittedBy, admitter.Revoked, ErrRevoked)
	}
	return h, nil
}

// AddCertificate verifies c and stores it. It reports false for a
// certificate already held (adding again is harmless).
func (r *Registry) AddCertificate(ctx context.Context, c protocol.Certificate) (bool, error) {
	h, err := r.checkCertificate(c)
	if err != nil {
		return false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.certs[h]; ok {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := r.put(append(append([]byte{}, prefixCert...), h.String()...), c); err != nil {
		return false, fmt.Errorf("store certificate for %s: %w", c.Peer, err)
	}
	r.insertCert(h, c)
	r.rebuild()
	r.log.Info("member certificate stored", "member", c.Peer, "org", c.Org, "country", c.Country, "admitted_by", c.AdmittedBy)
	return true, nil
}

// CheckMemberRevocation verifies m (fields, signature, network, the
// signer's right to revoke, time) without storing it.
func (r *Registry) CheckMemberRevocation(m protocol.MemberRevocation) error {
	_, err := r.checkMemberRevocation(m)
	return err
}

func (r *Registry) checkMemberRevocation(m protocol.MemberRevocation) (protocol.Hash, error) {
	what := "revocation of member " + m.Member.String()
	if err := m.Verify(); err != nil {
		return protocol.Hash{}, err
	}
	h, err := m.Hash()
	if err != nil {
		return h, err
	}
	if err := r.checkNotFuture(what, m.Revoked); err != nil {
		return h, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if err := r.checkNetwork(what, m.Network); err != nil {
		return h, err
	}
	if _, ok := r.mrevs[h]; ok {
		return h, nil
	}
	target, ok := r.members[m.Member]
	if !ok {
		return h, fmt.Errorf("%s: %w", what, ErrNotMember)
	}
	if m.Signer == m.Member {
		return h, nil // a member may always leave
	}
	signer, ok := r.members[m.Signer]
	if !ok {
		return h, fmt.Errorf("%s: signer %s: %w", what, m.Signer, ErrNotMember)
	}
	if signer.Revoked != "" && m.Revoked >= signer.Revoked {
		return h, fmt.Errorf("%s: signer %s was itself revoked at %s: %w", what, m.Signer, signer.Revoked, ErrRevoked)
	}
	if !signer.Founder && target.Certificate.AdmittedBy != m.Signer {
		return h, fmt.Errorf("%s: signed by %s, who is neither a founder nor the member's admitter (%s): %w", what, m.Signer, target.Certificate.AdmittedBy, ErrNotAllowed)
	}
	return h, nil
}

// Revoke verifies m and stores it: from then on m.Member is not a member.
// It reports false for a revocation already held.
func (r *Registry) Revoke(ctx context.Context, m protocol.MemberRevocation) (bool, error) {
	h, err := r.checkMemberRevocation(m)
	if err != nil {
		return false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.mrevs[h]; ok {
		return false, nil
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := r.put(append(append([]byte{}, prefixMRev...), h.String()...), m); err != nil {
		return false, fmt.Errorf("store revocation of %s: %w", m.Member, err)
	}
	r.insertMRev(h, m)
	r.rebuild()
	r.log.Info("member revoked", "member", m.Member, "revoked", m.Revoked, "signer", m.Signer)
	return true, nil
}

// NewMemberRevocation signs a revocation of member by this node, dated now.
func (r *Registry) NewMemberRevocation(member peer.ID) (protocol.MemberRevocation, error) {
	n, ok := r.Network()
	if !ok {
		return protocol.MemberRevocation{}, ErrNoNetwork
	}
	if r.key == nil {
		return protocol.MemberRevocation{}, errors.New("revoke member: this registry has no node key")
	}
	m := protocol.MemberRevocation{Network: n.ID, Member: member, Revoked: protocol.FormatTime(r.now()), Signer: r.self}
	if err := m.Sign(r.key); err != nil {
		return m, fmt.Errorf("revoke member %s: %w", member, err)
	}
	return m, nil
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
// receiver can apply them in: certificates by issue time (an admitter's
// certificate is issued before those it signs), then member revocations.
func (r *Registry) Records(have map[protocol.Hash]struct{}) []protocol.Record {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var certs []protocol.Certificate
	for h, c := range r.certs {
		if _, ok := have[h]; !ok && !r.founders[h] {
			certs = append(certs, c)
		}
	}
	sort.Slice(certs, func(i, j int) bool {
		if certs[i].Issued != certs[j].Issued {
			return certs[i].Issued < certs[j].Issued
		}
		return certs[i].Peer < certs[j].Peer
	})
	out := make([]protocol.Record, 0, len(certs))
	for i := range certs {
		out = append(out, protocol.Record{Certificate: &certs[i]})
	}
	var mrevs []protocol.MemberRevocation
	for h, m := range r.mrevs {
		if _, ok := have[h]; !ok {
			mrevs = append(mrevs, m)
		}
	}
	sort.Slice(mrevs, func(i, j int) bool { return mrevs[i].Revoked < mrevs[j].Revoked })
	for i := range mrevs {
		out = append(out, protocol.Record{MemberRevocation: &mrevs[i]})
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
