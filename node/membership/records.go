package membership

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// errHeld says that a record is already stored: adding it again is a no-op.
var errHeld = errors.New("already held")

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

// verifyCertificate checks what needs no registry state: fields, both
// signatures, the age recipient and the time.
func (r *Registry) verifyCertificate(c protocol.Certificate) (protocol.Hash, error) {
	r.verifications.Add(1)
	if err := c.Verify(); err != nil {
		return protocol.Hash{}, err
	}
	h, err := c.Hash()
	if err != nil {
		return h, err
	}
	what := "certificate for " + c.Peer.String()
	if err := CheckAgeRecipient(c.Age); err != nil {
		return h, fmt.Errorf("%s: %w", what, err)
	}
	if err := r.checkNotFuture(what+": issued", c.Issued); err != nil {
		return h, err
	}
	return h, nil
}

// admissible applies the certificate rules to a verified certificate
// against what the registry holds (errHeld if it is stored already). No
// time in the certificate decides anything. r.mu held.
func (r *Registry) admissible(h protocol.Hash, c protocol.Certificate) error {
	what := "certificate for " + c.Peer.String()
	if err := r.checkNetwork(what, c.Network); err != nil {
		return err
	}
	if _, ok := r.certs[h]; ok {
		return errHeld
	}
	if st := r.state[c.Peer]; st != nil && st.revoked() {
		return fmt.Errorf("%s: the peer was revoked (at %s) and cannot be admitted again with the same key: %w", what, st.revokedAt, ErrRevoked)
	}
	if c.Founder() {
		if !r.founders[h] {
			return fmt.Errorf("%s: self-signed, but not a founder certificate of the network file: %w", what, ErrNotAllowed)
		}
		return nil
	}
	a := r.state[c.AdmittedBy]
	switch {
	case a == nil || !a.admitted:
		return fmt.Errorf("%s: admitted by %s: %w", what, c.AdmittedBy, ErrNotMember)
	case !protocol.HasRole(r.certs[a.cert].Roles, protocol.RolePartner):
		return fmt.Errorf("%s: admitted by %s, whose roles are %s; only partners may admit members: %w", what, c.AdmittedBy, protocol.JoinRoles(r.certs[a.cert].Roles), ErrNotAllowed)
	case !r.keptByAll(a, h):
		return fmt.Errorf("%s: issued by %s, whose membership was revoked (at %s); a revoked member's certificates count only if its revocation kept them, whatever date they carry: %w", what, c.AdmittedBy, a.revokedAt, ErrRevoked)
	case r.byAdmitter[c.AdmittedBy] >= MaxAdmissions:
		return fmt.Errorf("%s: %s has admitted %d members, the most one partner may: %w", what, c.AdmittedBy, r.byAdmitter[c.AdmittedBy], ErrNotAllowed)
	case len(r.byPeer[c.Peer]) >= maxCertsPerPeer:
		return fmt.Errorf("%s: the peer already signed %d certificates and is excluded for it: %w", what, len(r.byPeer[c.Peer]), ErrNotAllowed)
	}
	return nil
}

// CheckCertificate verifies c completely (fields, both signatures,
// network, admitter, age recipient, time) without storing it.
func (r *Registry) CheckCertificate(c protocol.Certificate) error {
	h, err := r.verifyCertificate(c)
	if err != nil {
		return err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if err := r.admissible(h, c); err != nil && !errors.Is(err, errHeld) {
		return err
	}
	return nil
}

// AddCertificate verifies c and stores it. It reports false for a
// certificate already held (adding again is harmless).
func (r *Registry) AddCertificate(ctx context.Context, c protocol.Certificate) (bool, error) {
	if r.holdsCertificate(c) {
		return false, nil
	}
	h, err := r.verifyCertificate(c)
	if err != nil {
		return false, err
	}
	return r.storeCertificate(ctx, h, c)
}

// holdsCertificate reports whether c is stored already, signatures and
// all. Such a copy was verified when the first was stored, so it costs a
// hash, not two Ed25519 checks: gossip brings each certificate once from
// every member that passes it on after a sync, and with 50 members
// checking every copy again was most of the CPU of forming the network.
// A copy whose signatures differ is verified (and refused if they do not
// verify).
func (r *Registry) holdsCertificate(c protocol.Certificate) bool {
	h, err := c.Hash()
	if err != nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	held, ok := r.certs[h]
	return ok && bytes.Equal(held.Signature, c.Signature) && bytes.Equal(held.PeerSignature, c.PeerSignature)
}

// storeCertificate stores a verified certificate that the rules admit. The
// common case (a new peer admitted by a member in good standing) changes
// no other peer's standing and costs O(1); anything else derives the whole
// membership again.
func (r *Registry) storeCertificate(ctx context.Context, h protocol.Hash, c protocol.Certificate) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.admissible(h, c)
	if errors.Is(err, errHeld) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := r.put(append(append([]byte{}, prefixCert...), h.String()...), c); err != nil {
		return false, fmt.Errorf("store certificate for %s: %w", c.Peer, err)
	}
	first := len(r.byPeer[c.Peer]) == 0
	r.insertCert(h, c)
	if a := r.state[c.AdmittedBy]; first && !c.Founder() && a != nil && a.admitted && !a.revoked() {
		st := &standing{admitted: true, cert: h}
		r.state[c.Peer] = st
		r.setMember(c.Peer, st)
	} else {
		r.rebuild()
		r.purge()
	}
	if st := r.state[c.Peer]; st != nil && st.equivocal {
		r.log.Warn("a peer signed two certificates that count and is excluded from the network", "member", c.Peer, "admitted_by", c.AdmittedBy)
	} else {
		r.log.Info("member certificate stored", "member", c.Peer, "org", c.Org, "country", c.Country, "admitted_by", c.AdmittedBy)
	}
	return true, nil
}

// verifyMemberRevocation checks what needs no registry state.
func (r *Registry) verifyMemberRevocation(m protocol.MemberRevocation) (protocol.Hash, error) {
	r.verifications.Add(1)
	if err := m.Verify(); err != nil {
		return protocol.Hash{}, err
	}
	h, err := m.Hash()
	if err != nil {
		return h, err
	}
	if err := r.checkNotFuture("revocation of member "+m.Member.String(), m.Revoked); err != nil {
		return h, err
	}
	return h, nil
}

// revocable applies the revocation rules (derive.go) to a verified
// revocation: it must count if stored. r.mu held.
func (r *Registry) revocable(h protocol.Hash, m protocol.MemberRevocation) error {
	what := "revocation of member " + m.Member.String()
	if err := r.checkNetwork(what, m.Network); err != nil {
		return err
	}
	if _, ok := r.mrevs[h]; ok {
		return errHeld
	}
	return r.mayRevoke(what, h, m.Signer, m.Member)
}

// mayRevoke is the rule of who may revoke whom: a revocation of member
// signed by signer, whose hash is h, counts if member is a member now and
// signer is the member itself (leaving), or a founder (a founder only by
// a founder), or the member's admitter, itself a member whose own
// revocation, if any, kept h. r.mu held.
func (r *Registry) mayRevoke(what string, h protocol.Hash, signer, member peer.ID) error {
	t := r.state[member]
	if t == nil || !t.admitted {
		return fmt.Errorf("%s: %w", what, ErrNotMember)
	}
	for _, vh := range r.revsOf[member] {
		if prev := r.mrevs[vh]; prev.Signer == signer {
			return fmt.Errorf("%s: %s already revoked this member (at %s); one revocation per signer and member: %w", what, signer, prev.Revoked, ErrNotAllowed)
		}
	}
	if signer == member {
		return nil // a member may always leave
	}
	target := r.certs[t.cert]
	signerFounder := r.isFounder(signer)
	switch {
	case target.Founder() && !signerFounder:
		return fmt.Errorf("%s: a founder can be revoked only by itself or another founder, not by %s: %w", what, signer, ErrNotAllowed)
	case target.Founder():
		return nil
	case !signerFounder && target.AdmittedBy != signer:
		return fmt.Errorf("%s: signed by %s, who is neither a founder nor the member's admitter (%s): %w", what, signer, target.AdmittedBy, ErrNotAllowed)
	}
	s := r.state[signer]
	if s == nil || !s.admitted {
		return fmt.Errorf("%s: signer %s: %w", what, signer, ErrNotMember)
	}
	if !r.keptByAll(s, h) {
		return fmt.Errorf("%s: signer %s was itself revoked (at %s), and its revocation did not keep this one: %w", what, signer, s.revokedAt, ErrRevoked)
	}
	return nil
}

// MayRevoke reports whether a revocation of member that this node signs
// now would count: nil if it would, else the error CheckMemberRevocation
// would give it (ErrNotMember, ErrNotAllowed, ErrRevoked, ErrNoNetwork).
// It is the rule Revoke applies, asked before anything is signed (the web
// interface offers to revoke only the members this node may revoke).
func (r *Registry) MayRevoke(member peer.ID) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.network == nil {
		return ErrNoNetwork
	}
	if r.key == nil {
		return errors.New("revoke member: this registry has no node key")
	}
	// A revocation not yet signed has no hash: the zero hash is kept by no
	// revocation, as a new one's would not be.
	return r.mayRevoke("revocation of member "+member.String(), protocol.Hash{}, r.self, member)
}

// CheckMemberRevocation verifies m (fields, signature, network, the
// signer's right to revoke, time) without storing it.
func (r *Registry) CheckMemberRevocation(m protocol.MemberRevocation) error {
	h, err := r.verifyMemberRevocation(m)
	if err != nil {
		return err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if err := r.revocable(h, m); err != nil && !errors.Is(err, errHeld) {
		return err
	}
	return nil
}

// Revoke verifies m and stores it: from then on m.Member is not a member,
// and of the records it signed only those m keeps count. It reports false
// for a revocation already held.
func (r *Registry) Revoke(ctx context.Context, m protocol.MemberRevocation) (bool, error) {
	h, err := r.verifyMemberRevocation(m)
	if err != nil {
		return false, err
	}
	return r.storeRevocation(ctx, h, m)
}

func (r *Registry) storeRevocation(ctx context.Context, h protocol.Hash, m protocol.MemberRevocation) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.revocable(h, m)
	if errors.Is(err, errHeld) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if err := r.put(append(append([]byte{}, prefixMRev...), h.String()...), m); err != nil {
		return false, fmt.Errorf("store revocation of %s: %w", m.Member, err)
	}
	r.insertMRev(h, m)
	r.rebuild()
	r.purge()
	r.log.Info("member revoked", "member", m.Member, "revoked", m.Revoked, "signer", m.Signer, "kept", len(m.Keep))
	return true, nil
}

// NewMemberRevocation signs a revocation of member by this node, dated now.
// It keeps the certificates the member issued that count now (unless
// dropAdmitted: then the members it admitted lose their membership, and
// may be invited again by another partner), the member revocations it
// signed that count now, and the records in also: the Declaration records
// the member signed that this node holds (its endorsements and their
// withdrawals), which stay in the record, marked as a revoked member's, on
// every node, whichever it learns first, the records or the revocation.
func (r *Registry) NewMemberRevocation(member peer.ID, dropAdmitted bool, also ...protocol.Hash) (protocol.MemberRevocation, error) {
	n, ok := r.Network()
	if !ok {
		return protocol.MemberRevocation{}, ErrNoNetwork
	}
	if r.key == nil {
		return protocol.MemberRevocation{}, errors.New("revoke member: this registry has no node key")
	}
	m := protocol.MemberRevocation{Network: n.ID, Member: member, Revoked: protocol.FormatTime(r.now()), Signer: r.self}
	r.mu.RLock()
	for h, c := range r.certs {
		if !dropAdmitted && c.AdmittedBy == member && !c.Founder() {
			if st := r.state[c.Peer]; st != nil && st.admitted && st.cert == h {
				m.Keep = append(m.Keep, h.String())
			}
		}
	}
	for p, st := range r.state {
		for _, vh := range st.revocation {
			if v := r.mrevs[vh]; v.Signer == member && p != member {
				m.Keep = append(m.Keep, vh.String())
			}
		}
	}
	r.mu.RUnlock()
	for _, h := range also {
		m.Keep = append(m.Keep, h.String())
	}
	slices.Sort(m.Keep)
	m.Keep = slices.Compact(m.Keep)
	if len(m.Keep) > protocol.MaxKeep {
		return m, fmt.Errorf("revoke member %s: it signed %d records that count; a revocation keeps at most %d (revoke with --drop-admitted, then invite its members again)", member, len(m.Keep), protocol.MaxKeep)
	}
	if err := m.Sign(r.key); err != nil {
		return m, fmt.Errorf("revoke member %s: %w", member, err)
	}
	return m, nil
}

// Failure is a record Apply could not store, and why.
type Failure struct {
	Record protocol.Record
	Err    error
}

// Apply verifies and stores a batch of membership records (certificates
// and member revocations; other kinds are returned as failures), as they
// come from a sync or an export, in whatever order they were listed. Each
// signature is checked once and certificates are stored down the admission
// chains, so the cost grows with the batch, not with its square. It
// returns the records that were new and those that could not be stored.
func (r *Registry) Apply(ctx context.Context, recs []protocol.Record) ([]protocol.Record, []Failure) {
	type item struct {
		rec protocol.Record
		h   protocol.Hash
	}
	var fails []Failure
	var certs, mrevs []item
	for _, rec := range recs {
		var h protocol.Hash
		var err error
		switch rec.Kind() {
		case protocol.KindCertificate:
			if h, err = r.verifyCertificate(*rec.Certificate); err == nil {
				certs = append(certs, item{rec, h})
			}
		case protocol.KindMemberRevocation:
			if h, err = r.verifyMemberRevocation(*rec.MemberRevocation); err == nil {
				mrevs = append(mrevs, item{rec, h})
			}
		default:
			err = fmt.Errorf("not a membership record (%q)", rec.Kind())
		}
		if err != nil {
			fails = append(fails, Failure{rec, err})
		}
	}
	var added []protocol.Record
	// A certificate whose admitter is not (yet) a member waits for the
	// admitter's certificate in the same batch.
	waiting := map[peer.ID][]item{}
	queue := certs
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		c := *it.rec.Certificate
		ok, err := r.storeCertificate(ctx, it.h, c)
		switch {
		case errors.Is(err, ErrNotMember) && !c.Founder():
			waiting[c.AdmittedBy] = append(waiting[c.AdmittedBy], it)
			continue
		case err != nil:
			fails = append(fails, Failure{it.rec, err})
			continue
		case ok:
			added = append(added, it.rec)
		}
		queue = append(queue, waiting[c.Peer]...)
		delete(waiting, c.Peer)
	}
	for admitter, its := range waiting {
		for _, it := range its {
			fails = append(fails, Failure{it.rec, fmt.Errorf("certificate for %s: admitted by %s: %w", it.rec.Certificate.Peer, admitter, ErrNotMember)})
		}
	}
	for _, it := range mrevs {
		ok, err := r.storeRevocation(ctx, it.h, *it.rec.MemberRevocation)
		if err != nil {
			fails = append(fails, Failure{it.rec, err})
		} else if ok {
			added = append(added, it.rec)
		}
	}
	return added, fails
}
