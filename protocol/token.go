package protocol

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// TokenPrefix starts every printed invite token; the "1" is the token
// format's version.
const TokenPrefix = "kolo1"

// InviteToken is what an inviting member hands to a new organisation (by
// e-mail, chat, on paper): where to reach the inviter, which network, and a
// one-time secret. The secret is the seed of an Ed25519 key (the invite
// key); the inviter keeps only the public half, a one-way function of the
// secret, so neither its disk nor its logs can be used to join. The joiner
// proves it holds the secret by signing its join request with the invite
// key, binding its own peer ID: a proof seen in transit cannot be replayed
// for another peer.
//
// Expires, Org and Country are informative for the joiner (kolo join warns
// when Org is not the joining node's node.org); the inviter's own record of
// the invite decides what the certificate says. Tokens written before Org
// and Country were added carry neither and are read as before.
type InviteToken struct {
	Network string   `json:"n"`
	Inviter peer.ID  `json:"i"`
	Addrs   []string `json:"a"`
	Secret  []byte   `json:"s"`
	Expires string   `json:"e"`
	Org     string   `json:"o,omitempty"`
	Country string   `json:"c,omitempty"`
}

// NewInviteSecret returns a fresh 32-byte invite secret.
func NewInviteSecret() ([]byte, error) {
	s := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(s); err != nil {
		return nil, fmt.Errorf("invite secret: %w", err)
	}
	return s, nil
}

// InviteKey returns the public invite key of a secret, hex encoded: what
// the inviter stores and the join request names.
func InviteKey(secret []byte) (string, error) {
	if len(secret) != ed25519.SeedSize {
		return "", fmt.Errorf("invite secret is %d bytes; %d expected", len(secret), ed25519.SeedSize)
	}
	pub := ed25519.NewKeyFromSeed(secret).Public().(ed25519.PublicKey)
	return hex.EncodeToString(pub), nil
}

// Check checks the token's fields.
func (t InviteToken) Check() error {
	const rec = "invite token"
	if err := firstErr(
		CheckNetworkID(rec, "network", t.Network),
		checkPeer(rec, "inviter", t.Inviter),
		CheckTime(rec, "expires", t.Expires),
	); err != nil {
		return err
	}
	if len(t.Secret) != ed25519.SeedSize {
		return fieldErr(rec, "secret", "", fmt.Sprintf("is %d bytes; %d expected", len(t.Secret), ed25519.SeedSize))
	}
	if t.Org != "" {
		if err := CheckText(rec, "org", t.Org, MaxOrgLength); err != nil {
			return err
		}
	}
	if t.Country != "" {
		if err := CheckCountry(rec, "country", t.Country); err != nil {
			return err
		}
	}
	if len(t.Addrs) == 0 || len(t.Addrs) > MaxAddrs {
		return fieldErr(rec, "addresses", strings.Join(t.Addrs, " "), fmt.Sprintf("has %d addresses; 1 to %d allowed", len(t.Addrs), MaxAddrs))
	}
	for _, a := range t.Addrs {
		if len(a) > MaxAddrLength {
			return fieldErr(rec, "address", a, fmt.Sprintf("is longer than %d bytes", MaxAddrLength))
		}
		if _, err := ma.NewMultiaddr(a); err != nil {
			return fieldErr(rec, "address", a, "is not a multiaddr such as /ip4/192.0.2.1/tcp/4001: "+err.Error())
		}
	}
	return nil
}

// String prints the token as one copy-pasteable word: "kolo1" followed by
// the token's JSON in lower-case, unpadded base32 (letters and digits only,
// so a double click selects it whole).
func (t InviteToken) String() string {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, t); err != nil {
		return "" // cannot happen: the fields are strings and bytes
	}
	return TokenPrefix + toLower(lowerB32.EncodeToString(buf.Bytes()))
}

// ParseInviteToken reads a printed token. White space anywhere (a token
// wrapped by an e-mail program) is ignored.
func ParseInviteToken(s string) (InviteToken, error) {
	var t InviteToken
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if len(s) > MaxTokenLength {
		return t, fmt.Errorf("invite token: %d characters; at most %d allowed", len(s), MaxTokenLength)
	}
	if !strings.HasPrefix(s, TokenPrefix) {
		return t, fmt.Errorf("invite token: does not start with %q; copy the whole token that `kolo invite` printed", TokenPrefix)
	}
	body := s[len(TokenPrefix):]
	if i := strings.IndexFunc(body, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(body[i:])
		return t, fmt.Errorf("invite token: character %q at position %d is not part of a token (a token is kolo1 followed by a-z and 2-7); copy it again, whole", r, len(TokenPrefix)+i+1)
	}
	// A token cut short decodes to JSON that ends early (its closing brace
	// is in its last characters), or to no whole number of bytes.
	cut := fmt.Errorf("invite token: it ends early (%d characters): it was not copied whole; copy all of it, from kolo1 to its last character", len(s))
	raw, err := lowerB32.DecodeString(strings.ToUpper(body))
	if err != nil {
		return t, cut
	}
	if err := decodeStrict(raw, &t); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return t, cut
		}
		return t, fmt.Errorf("invite token: damaged (%w); copy it again, whole", err)
	}
	if err := t.Check(); err != nil {
		return InviteToken{}, err
	}
	return t, nil
}

// AddrInfo returns where to reach the inviter.
func (t InviteToken) AddrInfo() (peer.AddrInfo, error) {
	info := peer.AddrInfo{ID: t.Inviter}
	for _, a := range t.Addrs {
		m, err := ma.NewMultiaddr(a)
		if err != nil {
			return info, fmt.Errorf("invite token: address %q: %w", a, err)
		}
		info.Addrs = append(info.Addrs, m)
	}
	return info, nil
}

// JoinRequest is what a joining node sends on JoinID: who it is, its age
// recipient, which invite it holds, and the proof that it holds the
// invite's secret.
type JoinRequest struct {
	Network string  `json:"network"`
	Invite  string  `json:"invite"` // invite public key, hex (InviteKey)
	Peer    peer.ID `json:"peer"`
	Age     string  `json:"age"`
	Proof   []byte  `json:"proof"` // Ed25519 signature by the invite key over SigningBytes
}

// SigningBytes returns the canonical string the join proof covers:
//
//	kolo-join-v1
//	network:<network id>
//	invite:<invite public key, hex>
//	peer:<peer ID of the joining node>
//	age:<age recipient of the joining node>
func (r JoinRequest) SigningBytes() ([]byte, error) {
	const rec = "join request"
	if err := firstErr(
		CheckNetworkID(rec, "network", r.Network),
		checkInviteKey(r.Invite),
		checkPeer(rec, "peer", r.Peer),
		CheckAge(rec, "age", r.Age),
	); err != nil {
		return nil, err
	}
	return newCanon(TagJoin).
		line("network", r.Network).
		line("invite", r.Invite).
		line("peer", r.Peer.String()).
		line("age", r.Age), nil
}

func checkInviteKey(s string) error {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize || hex.EncodeToString(b) != s {
		return fieldErr("join request", "invite", s, "is not an invite key (64 lower-case hex digits)")
	}
	return nil
}

// NewJoinRequest makes the join request of node self for tok, with the
// proof signed by the token's invite key.
func NewJoinRequest(tok InviteToken, self peer.ID, age string) (JoinRequest, error) {
	key, err := InviteKey(tok.Secret)
	if err != nil {
		return JoinRequest{}, err
	}
	r := JoinRequest{Network: tok.Network, Invite: key, Peer: self, Age: age}
	msg, err := r.SigningBytes()
	if err != nil {
		return JoinRequest{}, err
	}
	r.Proof = ed25519.Sign(ed25519.NewKeyFromSeed(tok.Secret), msg)
	return r, nil
}

// VerifyProof checks the fields and that Proof is the invite key's
// signature over the request.
func (r JoinRequest) VerifyProof() error {
	msg, err := r.SigningBytes()
	if err != nil {
		return err
	}
	pub, _ := hex.DecodeString(r.Invite)
	if len(r.Proof) != signatureSize || !ed25519.Verify(pub, msg, r.Proof) {
		return fmt.Errorf("join request of %s: proof of the invite secret: %w", r.Peer, ErrBadSignature)
	}
	return nil
}

// JoinResponse answers a join request: either Error, or the network file,
// the certificate offered to the joining node (signed by the inviter; the
// joining node adds its own signature, PeerSignature, with JoinConsent) and
// the chain of certificates from its admitter up to (not including) a
// founder. A node that asks again after its admission got lost receives
// its stored certificate, both signatures included.
type JoinResponse struct {
	Error       string        `json:"error,omitempty"`
	Network     *Network      `json:"network,omitempty"`
	Certificate *Certificate  `json:"certificate,omitempty"`
	Chain       []Certificate `json:"chain,omitempty"`
}

// JoinConsent is the joining node's signature over the offered
// certificate's canonical string (Certificate.Accept): it accepts exactly
// that certificate, and only that one, from that inviter.
type JoinConsent struct {
	PeerSignature []byte `json:"peer_signature"`
}

// JoinResult ends a join exchange: an empty Error means the certificate,
// with both signatures, is stored and published by the inviter.
type JoinResult struct {
	Error string `json:"error,omitempty"`
}

// SyncRequest is one page of the hashes of the records a node holds; More
// says another page follows.
type SyncRequest struct {
	Network string `json:"network"`
	Have    []byte `json:"have"` // concatenated 32-byte SHA-256 record hashes
	More    bool   `json:"more"`
}

// SyncRecords is one page of the records the asking node lacks; More says
// another page follows. Error, when set, ends the exchange.
type SyncRecords struct {
	Records []Record `json:"records"`
	More    bool     `json:"more"`
	Error   string   `json:"error,omitempty"`
}
