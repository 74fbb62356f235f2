package declaration

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Refusals a Ledger wraps, besides membership's (ErrNotMember, ErrRevoked,
// ErrWrongNetwork, ErrFuture, ErrNoNetwork) and protocol.ErrBadSignature.
var (
	ErrWrongDeclaration   = errors.New("not the network's Declaration")
	ErrMismatch           = errors.New("does not match the signer's member certificate")
	ErrNotSigner          = errors.New("only the signer of an endorsement may revoke it")
	ErrUnknownEndorsement = errors.New("names an endorsement this node does not hold")
	ErrLimit              = errors.New("over the limit one member may make others store")
	ErrAlreadyEndorsed    = errors.New("this organisation already endorses the Declaration")
	ErrNoEndorsement      = errors.New("has no endorsement to revoke")
)

// MaxEndorsementsPerSigner bounds the endorsements one member can make
// every node store: a member endorses, may withdraw and endorse again, a
// few times in the network's life, not once a day.
const MaxEndorsementsPerSigner = 8

var (
	prefixEndorsement = []byte("end/")
	prefixRevocation  = []byte("rev/")
)

// Options configure a Ledger.
type Options struct {
	// Key is the node's libp2p key, for Sign and Withdraw (nil: verify only).
	Key crypto.PrivKey
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// Logger receives one line per stored record (slog.Default if nil).
	Logger *slog.Logger
}

// Ledger holds the endorsements and revocations of the network's
// Declaration. It is safe for concurrent use.
type Ledger struct {
	kv  membership.KV
	reg *membership.Registry
	key crypto.PrivKey
	now func() time.Time
	log *slog.Logger

	mu           sync.RWMutex
	endorsements map[protocol.Hash]protocol.Endorsement
	revocations  map[protocol.Hash]protocol.Revocation
	revokes      map[protocol.Hash][]protocol.Hash // endorsement hash -> revocations naming it
	bySigner     map[peer.ID]int                   // endorsements held per signer
}

// Open loads a ledger from kv (nil: memory only). reg answers who is a
// member.
func Open(ctx context.Context, kv membership.KV, reg *membership.Registry, opts Options) (*Ledger, error) {
	l := &Ledger{
		kv: kv, reg: reg, key: opts.Key, now: opts.Now, log: opts.Logger,
		endorsements: map[protocol.Hash]protocol.Endorsement{},
		revocations:  map[protocol.Hash]protocol.Revocation{},
		revokes:      map[protocol.Hash][]protocol.Hash{},
		bySigner:     map[peer.ID]int{},
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	if kv == nil {
		return l, nil
	}
	err := kv.Scan(ctx, prefixEndorsement, func(key, val []byte) error {
		var e protocol.Endorsement
		if err := protocol.Decode(val, protocol.MaxMessageSize, &e); err != nil {
			return fmt.Errorf("endorsement %s: %w", key, err)
		}
		h, err := e.Hash()
		if err != nil {
			return fmt.Errorf("endorsement %s: %w", key, err)
		}
		l.insertEndorsement(h, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	err = kv.Scan(ctx, prefixRevocation, func(key, val []byte) error {
		var r protocol.Revocation
		if err := protocol.Decode(val, protocol.MaxMessageSize, &r); err != nil {
			return fmt.Errorf("revocation %s: %w", key, err)
		}
		h, err := r.Hash()
		if err != nil {
			return fmt.Errorf("revocation %s: %w", key, err)
		}
		l.insertRevocation(h, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open ledger: %w", err)
	}
	return l, nil
}

// network returns the registry's network or ErrNoNetwork.
func (l *Ledger) network() (protocol.Network, error) {
	n, ok := l.reg.Network()
	if !ok {
		return n, membership.ErrNoNetwork
	}
	return n, nil
}

// checkDate refuses a date whose day starts later than now plus the skew.
func (l *Ledger) checkDate(what func() string, date string) error {
	d, err := protocol.ParseDate(date)
	if err != nil {
		return fmt.Errorf("%s: date %q: %w", what(), date, err)
	}
	now := l.now()
	if d.After(now.Add(membership.MaxClockSkew)) {
		return fmt.Errorf("%s dated %s, after today (%s UTC): %w", what(), date, protocol.FormatDate(now), membership.ErrFuture)
	}
	return nil
}

// Check verifies an endorsement completely without storing it: well
// formed, this network, this network's Declaration, not dated in the
// future, signed by a current member, signature valid, organisation and
// country those of the signer's certificate.
func (l *Ledger) Check(e protocol.Endorsement) error {
	return l.check(e, true)
}

func (l *Ledger) check(e protocol.Endorsement, active bool) error {
	msg, err := e.SigningBytes()
	if err != nil {
		return err
	}
	return l.checkSigned(e, msg, protocol.Hash(sha256.Sum256(msg)), active)
}

// checkSigned is check with the canonical string and its hash h already
// built.
func (l *Ledger) checkSigned(e protocol.Endorsement, msg []byte, h protocol.Hash, active bool) error {
	n, err := l.network()
	if err != nil {
		return fmt.Errorf("endorsement: %w", err)
	}
	// what names the endorsement in errors; built only on failure (a
	// peer ID's base58 form costs a few microseconds on the hot path).
	what := func() string { return "endorsement by " + e.Signer.String() }
	if e.Network != n.ID {
		return fmt.Errorf("%s is for network %s, this node is in %s: %w", what(), e.Network, n.ID, membership.ErrWrongNetwork)
	}
	if e.Declaration != n.Declaration.SHA256 {
		return fmt.Errorf("%s is for the text with SHA-256 %s; the network's Declaration is %s: %w", what(), e.Declaration, n.Declaration.SHA256, ErrWrongDeclaration)
	}
	if err := l.checkDate(what, e.Date); err != nil {
		return err
	}
	m, ok := l.reg.Member(e.Signer)
	if !ok {
		return fmt.Errorf("%s: %w", what(), membership.ErrNotMember)
	}
	if active && !m.Active() && !l.reg.Keeps(e.Signer, h) {
		return fmt.Errorf("%s: member revoked at %s, and its revocation did not keep this endorsement: %w", what(), m.Revoked, membership.ErrRevoked)
	}
	if err := protocol.VerifyBytes("endorsement", e.Signer, m.PublicKey, msg, e.Signature); err != nil {
		return err
	}
	if e.Org != m.Certificate.Org || e.Country != m.Certificate.Country {
		return fmt.Errorf("%s: names %q (%s), the certificate %q (%s): %w", what(), e.Org, e.Country, m.Certificate.Org, m.Certificate.Country, ErrMismatch)
	}
	return nil
}

// Add verifies e (see Check) and stores it. It reports false for an
// endorsement already held: adding again is harmless.
func (l *Ledger) Add(ctx context.Context, e protocol.Endorsement) (bool, error) {
	return l.add(ctx, e, true)
}

func (l *Ledger) add(ctx context.Context, e protocol.Endorsement, active bool) (bool, error) {
	msg, err := e.SigningBytes()
	if err != nil {
		return false, err
	}
	h := protocol.Hash(sha256.Sum256(msg))
	if l.Has(h) {
		return false, nil
	}
	if err := l.checkSigned(e, msg, h, active); err != nil {
		return false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.endorsements[h]; ok {
		return false, nil
	}
	if n := l.bySigner[e.Signer]; n >= MaxEndorsementsPerSigner {
		return false, fmt.Errorf("endorsement by %s: this member already signed %d endorsements, the most one member may: %w", e.Signer, n, ErrLimit)
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := l.put(prefixEndorsement, h, e); err != nil {
		return false, fmt.Errorf("store endorsement by %s: %w", e.Signer, err)
	}
	l.insertEndorsement(h, e)
	l.log.Info("endorsement stored", "org", e.Org, "country", e.Country, "date", e.Date, "signer", e.Signer)
	return true, nil
}

func (l *Ledger) insertEndorsement(h protocol.Hash, e protocol.Endorsement) {
	l.endorsements[h] = e
	l.bySigner[e.Signer]++
}

// CheckRevocation verifies a revocation without storing it: well formed,
// this network, not dated in the future, signed by a current member,
// signature valid, naming an endorsement this node holds, signed by the
// same member, and not withdrawn already. A revocation that arrives before
// its endorsement is refused (ErrUnknownEndorsement); sync brings both, in
// order. So every stored revocation has a reason to exist, and there is at
// most one per endorsement.
func (l *Ledger) CheckRevocation(r protocol.Revocation) error {
	return l.checkRevocation(r, true)
}

// checkRevocation is CheckRevocation; with active false, a revocation by a
// member revoked since is accepted too (an export's evidence).
func (l *Ledger) checkRevocation(r protocol.Revocation, active bool) error {
	if _, err := r.SigningBytes(); err != nil {
		return err
	}
	n, err := l.network()
	if err != nil {
		return fmt.Errorf("revocation: %w", err)
	}
	what := "revocation by " + r.Signer.String()
	if r.Network != n.ID {
		return fmt.Errorf("%s is for network %s, this node is in %s: %w", what, r.Network, n.ID, membership.ErrWrongNetwork)
	}
	if err := l.checkDate(func() string { return what }, r.Date); err != nil {
		return err
	}
	m, ok := l.reg.Member(r.Signer)
	if !ok {
		return fmt.Errorf("%s: %w", what, membership.ErrNotMember)
	}
	if rh, err := r.Hash(); err != nil {
		return err
	} else if active && !m.Active() && !l.reg.Keeps(r.Signer, rh) {
		return fmt.Errorf("%s: member revoked at %s, and its revocation did not keep this withdrawal: %w", what, m.Revoked, membership.ErrRevoked)
	}
	if err := r.VerifyWith(m.PublicKey); err != nil {
		return err
	}
	eh, _ := protocol.ParseHash(r.Endorsement)
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, known := l.endorsements[eh]
	switch {
	case !known:
		return fmt.Errorf("%s %s: %w", what, r.Endorsement, ErrUnknownEndorsement)
	case e.Signer != r.Signer:
		return fmt.Errorf("%s names an endorsement signed by %s: %w", what, e.Signer, ErrNotSigner)
	case len(l.revokes[eh]) > 0:
		return fmt.Errorf("%s: the endorsement %s is withdrawn already: %w", what, r.Endorsement, ErrLimit)
	}
	return nil
}

// Revoke verifies r (see CheckRevocation) and stores it. It reports false
// for a revocation already held.
func (l *Ledger) Revoke(ctx context.Context, r protocol.Revocation) (bool, error) {
	return l.revoke(ctx, r, true)
}

func (l *Ledger) revoke(ctx context.Context, r protocol.Revocation, active bool) (bool, error) {
	h, err := r.Hash()
	if err != nil {
		return false, err
	}
	if l.Has(h) {
		return false, nil
	}
	if err := l.checkRevocation(r, active); err != nil {
		return false, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.revocations[h]; ok {
		return false, nil
	}
	if eh, _ := protocol.ParseHash(r.Endorsement); len(l.revokes[eh]) > 0 {
		return false, fmt.Errorf("revocation by %s: the endorsement %s is withdrawn already: %w", r.Signer, r.Endorsement, ErrLimit)
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := l.put(prefixRevocation, h, r); err != nil {
		return false, fmt.Errorf("store revocation by %s: %w", r.Signer, err)
	}
	l.insertRevocation(h, r)
	l.log.Info("endorsement revoked", "endorsement", r.Endorsement, "date", r.Date, "signer", r.Signer)
	return true, nil
}

func (l *Ledger) insertRevocation(h protocol.Hash, r protocol.Revocation) {
	l.revocations[h] = r
	eh, _ := protocol.ParseHash(r.Endorsement)
	l.revokes[eh] = append(l.revokes[eh], h)
}

func (l *Ledger) put(prefix []byte, h protocol.Hash, v any) error {
	if l.kv == nil {
		return nil
	}
	b, err := protocol.Encode(v)
	if err != nil {
		return err
	}
	if err := l.kv.Put(append(append([]byte{}, prefix...), h.String()...), b); err != nil {
		return fmt.Errorf("%w: %w", membership.ErrStore, err)
	}
	return nil
}

// Has reports whether the ledger holds the endorsement or revocation h.
func (l *Ledger) Has(h protocol.Hash) bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	_, e := l.endorsements[h]
	_, r := l.revocations[h]
	return e || r
}

// revokedBy returns the revocation that withdraws endorsement h, if any:
// one signed by the endorsement's signer. l.mu held.
func (l *Ledger) revokedBy(h protocol.Hash, e protocol.Endorsement) (protocol.Revocation, bool) {
	for _, rh := range l.revokes[h] {
		if r := l.revocations[rh]; r.Signer == e.Signer {
			return r, true
		}
	}
	return protocol.Revocation{}, false
}

// Hashes returns the hashes of every endorsement and revocation held.
func (l *Ledger) Hashes() []protocol.Hash {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]protocol.Hash, 0, len(l.endorsements)+len(l.revocations))
	for h := range l.endorsements {
		out = append(out, h)
	}
	for h := range l.revocations {
		out = append(out, h)
	}
	return out
}

// Records returns the endorsements, then the revocations, whose hashes are
// not in have.
func (l *Ledger) Records(have map[protocol.Hash]struct{}) []protocol.Record {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []protocol.Record
	for _, h := range sortedKeys(l.endorsements) {
		if _, ok := have[h]; !ok {
			e := l.endorsements[h]
			out = append(out, protocol.Record{Endorsement: &e})
		}
	}
	for _, h := range sortedKeys(l.revocations) {
		if _, ok := have[h]; !ok {
			r := l.revocations[h]
			out = append(out, protocol.Record{Revocation: &r})
		}
	}
	return out
}

func sortedKeys[V any](m map[protocol.Hash]V) []protocol.Hash {
	out := make([]protocol.Hash, 0, len(m))
	for h := range m {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i][:], out[j][:]) < 0 })
	return out
}

// NewEndorsement signs an endorsement of n's Declaration by the member
// whose certificate is cert and whose key is key, dated date (UTC day).
func NewEndorsement(key crypto.PrivKey, n protocol.Network, cert protocol.Certificate, date time.Time) (protocol.Endorsement, error) {
	e := protocol.Endorsement{
		Network: n.ID, Declaration: n.Declaration.SHA256, Org: cert.Org, Country: cert.Country,
		Date: protocol.FormatDate(date), Signer: cert.Peer,
	}
	if err := e.Sign(key); err != nil {
		return e, fmt.Errorf("sign endorsement: %w", err)
	}
	return e, nil
}

// NewRevocation signs the withdrawal of e with key (e's signer's), dated
// date.
func NewRevocation(key crypto.PrivKey, e protocol.Endorsement, date time.Time) (protocol.Revocation, error) {
	h, err := e.Hash()
	if err != nil {
		return protocol.Revocation{}, err
	}
	r := protocol.Revocation{Network: e.Network, Endorsement: h.String(), Date: protocol.FormatDate(date), Signer: e.Signer}
	if err := r.Sign(key); err != nil {
		return r, fmt.Errorf("sign revocation: %w", err)
	}
	return r, nil
}

// Sign is `kolo declaration sign`: this node's organisation endorses the
// network's Declaration, dated date (today if zero). The endorsement is
// stored; publish it to the network.
func (l *Ledger) Sign(ctx context.Context, date time.Time) (protocol.Endorsement, error) {
	n, err := l.network()
	if err != nil {
		return protocol.Endorsement{}, err
	}
	if l.key == nil {
		return protocol.Endorsement{}, errors.New("sign: this ledger has no node key")
	}
	self, err := peer.IDFromPrivateKey(l.key)
	if err != nil {
		return protocol.Endorsement{}, err
	}
	m, ok := l.reg.Member(self)
	if !ok || !m.Active() {
		return protocol.Endorsement{}, fmt.Errorf("sign: this node (%s): %w", self, membership.ErrNotMember)
	}
	if e, ok := l.Endorsed(); ok {
		return e, fmt.Errorf("sign: %w (%s, signed on %s); withdraw it first to sign again", ErrAlreadyEndorsed, e.Org, e.Date)
	}
	if date.IsZero() {
		date = l.now()
	}
	e, err := NewEndorsement(l.key, n, m.Certificate, date)
	if err != nil {
		return e, err
	}
	if _, err := l.Add(ctx, e); err != nil {
		return e, err
	}
	return e, nil
}

// Endorsed returns the endorsement through which this node's organisation
// is counted, if it is.
func (l *Ledger) Endorsed() (protocol.Endorsement, bool) {
	if l.key == nil {
		return protocol.Endorsement{}, false
	}
	self, err := peer.IDFromPrivateKey(l.key)
	if err != nil {
		return protocol.Endorsement{}, false
	}
	for _, e := range l.List() {
		if e.Endorsement.Signer == self && e.State == StateCounted {
			return e.Endorsement, true
		}
	}
	return protocol.Endorsement{}, false
}

// Apply verifies and stores a batch of endorsements and revocations, in
// whatever order they were listed (endorsements first, so a revocation
// finds its endorsement), and returns those that were new and those that
// could not be stored.
func (l *Ledger) Apply(ctx context.Context, recs []protocol.Record) ([]protocol.Record, []membership.Failure) {
	return l.apply(ctx, recs, true)
}

// apply is Apply; with active false it accepts the records of members
// revoked since they signed (an export's evidence).
func (l *Ledger) apply(ctx context.Context, recs []protocol.Record, active bool) ([]protocol.Record, []membership.Failure) {
	var added []protocol.Record
	var fails []membership.Failure
	for _, kind := range []string{protocol.KindEndorsement, protocol.KindRevocation} {
		for _, rec := range recs {
			if rec.Kind() != kind {
				continue
			}
			var ok bool
			var err error
			if kind == protocol.KindEndorsement {
				ok, err = l.add(ctx, *rec.Endorsement, active)
			} else {
				ok, err = l.revoke(ctx, *rec.Revocation, active)
			}
			if err != nil {
				fails = append(fails, membership.Failure{Record: rec, Err: err})
			} else if ok {
				added = append(added, rec)
			}
		}
	}
	for _, rec := range recs {
		if k := rec.Kind(); k != protocol.KindEndorsement && k != protocol.KindRevocation {
			fails = append(fails, membership.Failure{Record: rec, Err: fmt.Errorf("not a Declaration record (%q)", k)})
		}
	}
	return added, fails
}

// Withdraw is `kolo declaration revoke`: it revokes every endorsement of
// this node not yet revoked, and returns the revocations to publish.
func (l *Ledger) Withdraw(ctx context.Context) ([]protocol.Revocation, error) {
	if l.key == nil {
		return nil, errors.New("revoke: this ledger has no node key")
	}
	self, err := peer.IDFromPrivateKey(l.key)
	if err != nil {
		return nil, err
	}
	var out []protocol.Revocation
	for _, entry := range l.List() {
		if entry.Endorsement.Signer != self || entry.State == StateRevoked {
			continue
		}
		r, err := NewRevocation(l.key, entry.Endorsement, l.now())
		if err != nil {
			return out, err
		}
		if _, err := l.Revoke(ctx, r); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("revoke: this node (%s) %w", self, ErrNoEndorsement)
	}
	return out, nil
}
