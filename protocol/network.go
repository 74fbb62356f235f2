package protocol

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Network is the network file: what founders create and share, and what a
// joining node receives. It names the network, carries the Declaration the
// network endorses, the policy, and the founders' self-signed certificates,
// the roots of every membership chain. The founder that wrote it signs it.
// Its identity is the SHA-256 of its canonical string (Hash).
type Network struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Declaration Declaration   `json:"declaration"`
	Policy      Policy        `json:"policy"`
	Founders    []Certificate `json:"founders"`
	CreatedBy   peer.ID       `json:"created_by"`
	Signature   []byte        `json:"signature"`
}

// Declaration is the text a network endorses. Its identity is the SHA-256
// of Text (the English original); translations are informative.
type Declaration struct {
	Version  string `json:"version"`  // "v1"
	Language string `json:"language"` // "en"
	SHA256   string `json:"sha256"`   // of Text, hex
	Text     string `json:"text"`     // Markdown
}

// Policy holds the rules a network set itself.
type Policy struct {
	// Threshold is how many member organisations must endorse the
	// Declaration for it to be viable (the strategy says 20).
	Threshold int `json:"endorsement_threshold"`
	// InviteTTLSeconds is how long an invite token stays valid.
	InviteTTLSeconds int64 `json:"invite_ttl_seconds"`
}

// Policy defaults.
const (
	DefaultThreshold        = 20
	DefaultInviteTTLSeconds = 7 * 24 * 3600
)

// DefaultPolicy is the policy of a new network.
func DefaultPolicy() Policy {
	return Policy{Threshold: DefaultThreshold, InviteTTLSeconds: DefaultInviteTTLSeconds}
}

var (
	versionRE  = regexp.MustCompile(`^v[1-9][0-9]{0,3}$`)
	languageRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$`)
	lowerB32   = base32.StdEncoding.WithPadding(base32.NoPadding)
)

// NewNetworkID returns a fresh network id: 16 random bytes in lower-case
// base32 (26 characters).
func NewNetworkID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("network id: %w", err)
	}
	return toLower(lowerB32.EncodeToString(b[:])), nil
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// CheckDeclaration checks the declaration's fields and that SHA256 is the
// hash of Text.
func CheckDeclaration(d Declaration) error {
	const rec = "network declaration"
	if !versionRE.MatchString(d.Version) {
		return fieldErr(rec, "version", d.Version, "is not a version such as v1")
	}
	if !languageRE.MatchString(d.Language) {
		return fieldErr(rec, "language", d.Language, "is not a language tag such as en or sr-Latn")
	}
	if err := CheckHash(rec, "sha256", d.SHA256); err != nil {
		return err
	}
	if len(d.Text) == 0 || len(d.Text) > MaxTextLength {
		return fieldErr(rec, "text", "", fmt.Sprintf("is %d bytes; 1 to %d allowed", len(d.Text), MaxTextLength))
	}
	if got := Hash(sha256.Sum256([]byte(d.Text))).String(); got != d.SHA256 {
		return fieldErr(rec, "sha256", d.SHA256, "is not the SHA-256 of the text ("+got+")")
	}
	return nil
}

// SigningBytes returns the canonical string of the network file, which the
// creating founder signs and whose SHA-256 is the network's hash:
//
//	kolo-network-v2
//	id:<network id>
//	name:<network name>
//	declaration-version:<v1>
//	declaration-language:<language tag of the signed text, e.g. en>
//	declaration:<SHA-256 of the Declaration text, hex>
//	threshold:<endorsements needed, decimal>
//	invite-ttl:<seconds, decimal>
//	founder:<SHA-256 of a founder certificate's canonical string, hex>
//	... one founder line per founder, sorted ...
//	created-by:<peer ID of the founder who signs>
//
// It checks the fields, the declaration's hash, and that the founders are
// distinct, self-signed certificates of this network with the partner role,
// one of them CreatedBy. It does not verify the founders' signatures
// (Verify does).
func (n Network) SigningBytes() ([]byte, error) {
	const rec = "network"
	if err := firstErr(
		CheckNetworkID(rec, "id", n.ID),
		CheckText(rec, "name", n.Name, MaxNameLength),
		CheckDeclaration(n.Declaration),
		checkPeer(rec, "created_by", n.CreatedBy),
	); err != nil {
		return nil, err
	}
	if n.Policy.Threshold < 1 || n.Policy.Threshold > 100_000 {
		return nil, fieldErr(rec, "policy.endorsement_threshold", strconv.Itoa(n.Policy.Threshold), "must be between 1 and 100000")
	}
	if n.Policy.InviteTTLSeconds < 60 || n.Policy.InviteTTLSeconds > 365*24*3600 {
		return nil, fieldErr(rec, "policy.invite_ttl_seconds", strconv.FormatInt(n.Policy.InviteTTLSeconds, 10), "must be between 60 (a minute) and 31536000 (a year)")
	}
	if len(n.Founders) == 0 || len(n.Founders) > MaxFounders {
		return nil, fieldErr(rec, "founders", strconv.Itoa(len(n.Founders)), fmt.Sprintf("a network has 1 to %d founders", MaxFounders))
	}
	founders := make([]string, 0, len(n.Founders))
	seen := map[peer.ID]bool{}
	creator := false
	for i, f := range n.Founders {
		h, err := f.Hash()
		if err != nil {
			return nil, fmt.Errorf("network: founder %d: %w", i+1, err)
		}
		switch {
		case !f.Founder():
			return nil, fieldErr(rec, "founders", f.Peer.String(), "a founder certificate must be self-signed (admitted_by = peer)")
		case f.Network != n.ID:
			return nil, fieldErr(rec, "founders", f.Peer.String(), "certificate is for network "+f.Network+", not "+n.ID)
		case !HasRole(f.Roles, RolePartner):
			return nil, fieldErr(rec, "founders", f.Peer.String(), "a founder must have the partner role")
		case seen[f.Peer]:
			return nil, fieldErr(rec, "founders", f.Peer.String(), "listed twice")
		}
		seen[f.Peer] = true
		creator = creator || f.Peer == n.CreatedBy
		founders = append(founders, h.String())
	}
	if !creator {
		return nil, fieldErr(rec, "created_by", n.CreatedBy.String(), "is not one of the founders")
	}
	sort.Strings(founders)
	c := newCanon(TagNetwork).
		line("id", n.ID).
		line("name", n.Name).
		line("declaration-version", n.Declaration.Version).
		line("declaration-language", n.Declaration.Language).
		line("declaration", n.Declaration.SHA256).
		line("threshold", strconv.Itoa(n.Policy.Threshold)).
		line("invite-ttl", strconv.FormatInt(n.Policy.InviteTTLSeconds, 10))
	for _, f := range founders {
		c = c.line("founder", f)
	}
	return c.line("created-by", n.CreatedBy.String()), nil
}

// Hash is the network's identity: SHA-256 of its canonical string.
func (n Network) Hash() (Hash, error) { return hashOf(n.SigningBytes()) }

// Sign signs n with key, which must be the key of n.CreatedBy.
func (n *Network) Sign(key crypto.PrivKey) error {
	msg, err := n.SigningBytes()
	if err != nil {
		return err
	}
	n.Signature, err = sign(key, n.CreatedBy, msg)
	return err
}

// Verify checks the network file completely: fields, declaration hash,
// every founder certificate's signature, and the creator's signature.
func (n Network) Verify() error {
	msg, err := n.SigningBytes()
	if err != nil {
		return err
	}
	for _, f := range n.Founders {
		if err := f.Verify(); err != nil {
			return fmt.Errorf("network %s: founder: %w", n.ID, err)
		}
	}
	return verify("network "+n.ID, n.CreatedBy, msg, n.Signature)
}

// Founder returns the founder certificate of id, if id is a founder.
func (n Network) Founder(id peer.ID) (Certificate, bool) {
	for _, f := range n.Founders {
		if f.Peer == id {
			return f, true
		}
	}
	return Certificate{}, false
}
