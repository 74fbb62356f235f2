package protocol

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Certificate admits a peer to a network: it binds the peer's ID (its
// Ed25519 key) to its age recipient, organisation, country and roles. Two
// parties sign the same canonical string: the member that admitted it
// (AdmittedBy, Signature) and the admitted peer itself (PeerSignature), so
// that no member can write a certificate for a peer that did not accept
// exactly that one (the join exchange collects both). A founder's
// certificate is self-signed once (no PeerSignature) and listed in the
// network file.
type Certificate struct {
	Network       string  `json:"network"`
	Peer          peer.ID `json:"peer"`
	Age           string  `json:"age"`
	Org           string  `json:"org"`
	Country       string  `json:"country"`
	Roles         []Role  `json:"roles"`
	Issued        string  `json:"issued"`
	AdmittedBy    peer.ID `json:"admitted_by"`
	Signature     []byte  `json:"signature"`
	PeerSignature []byte  `json:"peer_signature,omitempty"`
}

// SigningBytes returns the canonical string a certificate's signature
// covers, after checking every field:
//
//	kolo-certificate-v1
//	network:<network id>
//	peer:<peer ID>
//	age:<age recipient>
//	org:<organisation>
//	country:<ISO 3166-1 alpha-2>
//	roles:<roles, alphabetical, comma separated>
//	issued:<YYYY-MM-DDTHH:MM:SSZ>
//	admitted-by:<peer ID of the signer>
func (c Certificate) SigningBytes() ([]byte, error) {
	const rec = "certificate"
	if err := firstErr(
		CheckNetworkID(rec, "network", c.Network),
		checkPeer(rec, "peer", c.Peer),
		CheckAge(rec, "age", c.Age),
		CheckText(rec, "org", c.Org, MaxOrgLength),
		CheckCountry(rec, "country", c.Country),
		CheckRoles(rec, "roles", c.Roles),
		CheckTime(rec, "issued", c.Issued),
		checkPeer(rec, "admitted_by", c.AdmittedBy),
	); err != nil {
		return nil, err
	}
	return newCanon(TagCertificate).
		line("network", c.Network).
		line("peer", c.Peer.String()).
		line("age", c.Age).
		line("org", c.Org).
		line("country", c.Country).
		line("roles", JoinRoles(c.Roles)).
		line("issued", c.Issued).
		line("admitted-by", c.AdmittedBy.String()), nil
}

// Founder reports whether c is self-signed, as founders' certificates are.
func (c Certificate) Founder() bool { return c.Peer == c.AdmittedBy }

// Hash is the certificate's identity: SHA-256 of its canonical string.
func (c Certificate) Hash() (Hash, error) { return hashOf(c.SigningBytes()) }

// Sign signs c with key, which must be the key of c.AdmittedBy.
func (c *Certificate) Sign(key crypto.PrivKey) error {
	msg, err := c.SigningBytes()
	if err != nil {
		return err
	}
	c.Signature, err = sign(key, c.AdmittedBy, msg)
	return err
}

// Accept is the admitted peer's signature: it signs c's canonical string
// with key, which must be the key of c.Peer. A founder's certificate needs
// none.
func (c *Certificate) Accept(key crypto.PrivKey) error {
	if c.Founder() {
		return errors.New("accept certificate: a founder's certificate is self-signed; it takes no second signature")
	}
	msg, err := c.SigningBytes()
	if err != nil {
		return err
	}
	c.PeerSignature, err = sign(key, c.Peer, msg)
	return err
}

// Verify checks the fields, the admitter's signature and, for a member
// other than a founder, the peer's own signature. It does not check that
// the admitter is a member: that is node/membership's.
func (c Certificate) Verify() error {
	msg, err := c.SigningBytes()
	if err != nil {
		return err
	}
	if err := c.verifyAdmitter(msg); err != nil {
		return err
	}
	if c.Founder() {
		if len(c.PeerSignature) != 0 {
			return fieldErr("certificate", "peer_signature", "", "must be absent on a founder's (self-signed) certificate")
		}
		return nil
	}
	if len(c.PeerSignature) == 0 {
		return fmt.Errorf("certificate for %s: not signed by the peer itself (peer_signature is empty); a member's certificate carries the signatures of its admitter and of the member: %w", c.Peer, ErrBadSignature)
	}
	return verify("certificate for "+c.Peer.String()+" (the peer's own signature)", c.Peer, msg, c.PeerSignature)
}

// VerifyOffer checks the fields and the admitter's signature only: what a
// joining node checks before it adds its own signature.
func (c Certificate) VerifyOffer() error {
	msg, err := c.SigningBytes()
	if err != nil {
		return err
	}
	return c.verifyAdmitter(msg)
}

func (c Certificate) verifyAdmitter(msg []byte) error {
	return verify("certificate for "+c.Peer.String(), c.AdmittedBy, msg, c.Signature)
}

// MemberRevocation ends a peer's membership. It is signed by a founder, by
// the member that admitted the peer, or by the peer itself (leaving).
//
// Keep lists the records signed by the revoked member that still count:
// the hashes of the certificates it issued and of the member revocations
// it signed, as the revoking member saw them. Nothing else the revoked
// member signed counts, whatever date it carries, so a revoked member
// cannot admit anyone by backdating a certificate. Revoked is the time the
// revoking member gives; it is shown, never used to decide validity.
type MemberRevocation struct {
	Network   string   `json:"network"`
	Member    peer.ID  `json:"member"`
	Revoked   string   `json:"revoked"`
	Signer    peer.ID  `json:"signer"`
	Keep      []string `json:"keep,omitempty"`
	Signature []byte   `json:"signature"`
}

// MaxKeep caps the records a member revocation keeps.
const MaxKeep = 512

// SigningBytes returns the canonical string of a member revocation:
//
//	kolo-member-revocation-v2
//	network:<network id>
//	member:<peer ID of the revoked member>
//	revoked:<YYYY-MM-DDTHH:MM:SSZ>
//	signer:<peer ID>
//	keep:<SHA-256 of a record signed by the member, hex>
//	... one keep line per kept record, in ascending order, none repeated ...
func (m MemberRevocation) SigningBytes() ([]byte, error) {
	const rec = "member revocation"
	if err := firstErr(
		CheckNetworkID(rec, "network", m.Network),
		checkPeer(rec, "member", m.Member),
		CheckTime(rec, "revoked", m.Revoked),
		checkPeer(rec, "signer", m.Signer),
	); err != nil {
		return nil, err
	}
	if len(m.Keep) > MaxKeep {
		return nil, fieldErr(rec, "keep", strconv.Itoa(len(m.Keep)), fmt.Sprintf("keeps %d records; at most %d allowed", len(m.Keep), MaxKeep))
	}
	for i, h := range m.Keep {
		if err := CheckHash(rec, "keep", h); err != nil {
			return nil, err
		}
		if i > 0 && m.Keep[i-1] >= h {
			return nil, fieldErr(rec, "keep", h, "is out of order or repeated; keep lists hashes in ascending order, each once")
		}
	}
	c := newCanon(TagMemberRevocation).
		line("network", m.Network).
		line("member", m.Member.String()).
		line("revoked", m.Revoked).
		line("signer", m.Signer.String())
	for _, h := range m.Keep {
		c = c.line("keep", h)
	}
	return c, nil
}

// Keeps reports whether m keeps the record whose hash is h.
func (m MemberRevocation) Keeps(h Hash) bool {
	s := h.String()
	i := sort.SearchStrings(m.Keep, s)
	return i < len(m.Keep) && m.Keep[i] == s
}

// Hash is the revocation's identity: SHA-256 of its canonical string.
func (m MemberRevocation) Hash() (Hash, error) { return hashOf(m.SigningBytes()) }

// Sign signs m with key, which must be the key of m.Signer.
func (m *MemberRevocation) Sign(key crypto.PrivKey) error {
	msg, err := m.SigningBytes()
	if err != nil {
		return err
	}
	m.Signature, err = sign(key, m.Signer, msg)
	return err
}

// Verify checks the fields and the signature with the key in Signer.
func (m MemberRevocation) Verify() error {
	msg, err := m.SigningBytes()
	if err != nil {
		return err
	}
	return verify("member revocation", m.Signer, msg, m.Signature)
}

// Endorsement is a member organisation's signature under the network's
// Declaration, identified by the SHA-256 of its text.
type Endorsement struct {
	Network     string  `json:"network"`
	Declaration string  `json:"declaration"`
	Org         string  `json:"org"`
	Country     string  `json:"country"`
	Date        string  `json:"date"`
	Signer      peer.ID `json:"signer"`
	Signature   []byte  `json:"signature"`
}

// SigningBytes returns the canonical string of an endorsement:
//
//	kolo-endorsement-v1
//	network:<network id>
//	declaration:<SHA-256 of the Declaration text, hex>
//	org:<organisation>
//	country:<ISO 3166-1 alpha-2>
//	date:<YYYY-MM-DD>
//	signer:<peer ID>
func (e Endorsement) SigningBytes() ([]byte, error) {
	const rec = "endorsement"
	if err := firstErr(
		CheckNetworkID(rec, "network", e.Network),
		CheckHash(rec, "declaration", e.Declaration),
		CheckText(rec, "org", e.Org, MaxOrgLength),
		CheckCountry(rec, "country", e.Country),
		CheckDate(rec, "date", e.Date),
		nonEmptyPeer(rec, "signer", e.Signer),
	); err != nil {
		return nil, err
	}
	return newCanon(TagEndorsement).
		line("network", e.Network).
		line("declaration", e.Declaration).
		line("org", e.Org).
		line("country", e.Country).
		line("date", e.Date).
		line("signer", e.Signer.String()), nil
}

// Hash is the endorsement's identity: SHA-256 of its canonical string.
func (e Endorsement) Hash() (Hash, error) { return hashOf(e.SigningBytes()) }

// Sign signs e with key, which must be the key of e.Signer.
func (e *Endorsement) Sign(key crypto.PrivKey) error {
	msg, err := e.SigningBytes()
	if err != nil {
		return err
	}
	e.Signature, err = sign(key, e.Signer, msg)
	return err
}

// Verify checks the fields and the signature with the key in Signer.
func (e Endorsement) Verify() error {
	msg, err := e.SigningBytes()
	if err != nil {
		return err
	}
	return verify("endorsement", e.Signer, msg, e.Signature)
}

// VerifyWith checks the fields and the signature with pub, the signer's
// raw Ed25519 key already taken from its peer ID (a cache saves that step).
func (e Endorsement) VerifyWith(pub ed25519.PublicKey) error {
	msg, err := e.SigningBytes()
	if err != nil {
		return err
	}
	return verifyRaw("endorsement", e.Signer, pub, msg, e.Signature)
}

// Revocation withdraws an endorsement. It names the endorsement by its hash
// and must be signed by the endorsement's signer. A revocation wins over the
// endorsement it names, whatever order they arrive in. To endorse again,
// a member signs a new endorsement (with a later date).
type Revocation struct {
	Network     string  `json:"network"`
	Endorsement string  `json:"endorsement"`
	Date        string  `json:"date"`
	Signer      peer.ID `json:"signer"`
	Signature   []byte  `json:"signature"`
}

// SigningBytes returns the canonical string of a revocation:
//
//	kolo-endorsement-revocation-v1
//	network:<network id>
//	endorsement:<SHA-256 of the endorsement's canonical string, hex>
//	date:<YYYY-MM-DD>
//	signer:<peer ID>
func (r Revocation) SigningBytes() ([]byte, error) {
	const rec = "revocation"
	if err := firstErr(
		CheckNetworkID(rec, "network", r.Network),
		CheckHash(rec, "endorsement", r.Endorsement),
		CheckDate(rec, "date", r.Date),
		nonEmptyPeer(rec, "signer", r.Signer),
	); err != nil {
		return nil, err
	}
	return newCanon(TagRevocation).
		line("network", r.Network).
		line("endorsement", r.Endorsement).
		line("date", r.Date).
		line("signer", r.Signer.String()), nil
}

// Hash is the revocation's identity: SHA-256 of its canonical string.
func (r Revocation) Hash() (Hash, error) { return hashOf(r.SigningBytes()) }

// Sign signs r with key, which must be the key of r.Signer.
func (r *Revocation) Sign(key crypto.PrivKey) error {
	msg, err := r.SigningBytes()
	if err != nil {
		return err
	}
	r.Signature, err = sign(key, r.Signer, msg)
	return err
}

// Verify checks the fields and the signature with the key in Signer.
func (r Revocation) Verify() error {
	msg, err := r.SigningBytes()
	if err != nil {
		return err
	}
	return verify("revocation", r.Signer, msg, r.Signature)
}

// VerifyWith checks the fields and the signature with the signer's raw key.
func (r Revocation) VerifyWith(pub ed25519.PublicKey) error {
	msg, err := r.SigningBytes()
	if err != nil {
		return err
	}
	return verifyRaw("revocation", r.Signer, pub, msg, r.Signature)
}

func hashOf(msg []byte, err error) (Hash, error) {
	if err != nil {
		return Hash{}, err
	}
	return sha256.Sum256(msg), nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// nonEmptyPeer is the cheap check used on the hot path of endorsements:
// the key inside the ID is taken out (and so checked) when the signature is
// verified.
func nonEmptyPeer(record, field string, id peer.ID) error {
	if id == "" {
		return fieldErr(record, field, "", "is empty; a peer ID such as 12D3KooW... is needed")
	}
	return nil
}

// Record is one signed record as it travels on the records topic and in
// sync: exactly one of its fields is set.
type Record struct {
	Certificate      *Certificate      `json:"certificate,omitempty"`
	MemberRevocation *MemberRevocation `json:"member_revocation,omitempty"`
	Endorsement      *Endorsement      `json:"endorsement,omitempty"`
	Revocation       *Revocation       `json:"revocation,omitempty"`
	Query            *Query            `json:"query,omitempty"`
}

// Record kinds, as Kind returns them.
const (
	KindCertificate      = "certificate"
	KindMemberRevocation = "member revocation"
	KindEndorsement      = "endorsement"
	KindRevocation       = "revocation"
	KindQuery            = "query"
)

// Kind names the record's set field, or "" if not exactly one is set.
func (r Record) Kind() string {
	kind, n := "", 0
	if r.Certificate != nil {
		kind, n = KindCertificate, n+1
	}
	if r.MemberRevocation != nil {
		kind, n = KindMemberRevocation, n+1
	}
	if r.Endorsement != nil {
		kind, n = KindEndorsement, n+1
	}
	if r.Revocation != nil {
		kind, n = KindRevocation, n+1
	}
	if r.Query != nil {
		kind, n = KindQuery, n+1
	}
	if n != 1 {
		return ""
	}
	return kind
}

// SigningBytes returns the canonical string of the record's set field.
func (r Record) SigningBytes() ([]byte, error) {
	switch r.Kind() {
	case KindCertificate:
		return r.Certificate.SigningBytes()
	case KindMemberRevocation:
		return r.MemberRevocation.SigningBytes()
	case KindEndorsement:
		return r.Endorsement.SigningBytes()
	case KindRevocation:
		return r.Revocation.SigningBytes()
	case KindQuery:
		return r.Query.SigningBytes()
	}
	return nil, fmt.Errorf("record: exactly one of certificate, member_revocation, endorsement, revocation, query must be set")
}

// Hash is the record's identity: SHA-256 of its canonical string.
func (r Record) Hash() (Hash, error) { return hashOf(r.SigningBytes()) }

// Network returns the network id the record belongs to.
func (r Record) Network() string {
	switch r.Kind() {
	case KindCertificate:
		return r.Certificate.Network
	case KindMemberRevocation:
		return r.MemberRevocation.Network
	case KindEndorsement:
		return r.Endorsement.Network
	case KindRevocation:
		return r.Revocation.Network
	case KindQuery:
		return r.Query.Network
	}
	return ""
}
