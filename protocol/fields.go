package protocol

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/crypto/pb"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/text/unicode/norm"
)

// Field limits, in bytes of UTF-8.
const (
	MaxOrgLength  = 200  // organisation name
	MaxNameLength = 200  // network name
	MaxAgeLength  = 2500 // age recipient (a post-quantum age1pq1... is about 1,960)
	MaxAddrs      = 8    // bootstrap addresses in an invite token
	MaxAddrLength = 256  // one multiaddr
	MaxFounders   = 10   // founders in a network file
	MaxTextLength = 32 << 10
)

// Layouts of dates and times in canonical strings: always UTC.
const (
	DateLayout = "2006-01-02"
	TimeLayout = "2006-01-02T15:04:05Z"
)

// Role is what a member may do in the network.
type Role string

// The roles. A partner runs monitoring and may admit members; an associate
// takes part in the network's work; an analyst may ask for aggregates.
const (
	RoleAnalyst   Role = "analyst"
	RoleAssociate Role = "associate"
	RolePartner   Role = "partner"
)

// Roles lists the roles in canonical (alphabetical) order.
var Roles = []Role{RoleAnalyst, RoleAssociate, RolePartner}

// FieldError says which field of which record was refused, and why.
type FieldError struct {
	Record string // "endorsement", "certificate", ...
	Field  string // "country", "org", ...
	Value  string // the refused value, shortened
	Reason string // what is wrong and what is allowed
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s %q: %s", e.Record, e.Field, e.Value, e.Reason)
}

func fieldErr(record, field, value, reason string) *FieldError {
	const max = 48
	if len(value) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(value[cut]) {
			cut--
		}
		value = value[:cut] + "..."
	}
	return &FieldError{Record: record, Field: field, Value: value, Reason: reason}
}

// CheckText checks a free-standing text value (organisation, network name)
// for a canonical string: 1 to max bytes of valid UTF-8 in Unicode NFC,
// no leading or trailing white space, and no control, format, line or
// paragraph separator characters. Those rules keep every value on one line
// of the canonical string and make visually equal names byte-equal.
func CheckText(record, field, s string, max int) error {
	switch {
	case s == "":
		return fieldErr(record, field, s, "is empty")
	case len(s) > max:
		return fieldErr(record, field, s, fmt.Sprintf("is %d bytes long; at most %d allowed", len(s), max))
	case !utf8.ValidString(s):
		return fieldErr(record, field, s, "is not valid UTF-8")
	}
	for i, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co) || r == utf8.RuneError {
			return fieldErr(record, field, s, fmt.Sprintf("contains the control or separator character %U at byte %d; only printable characters and spaces are allowed", r, i))
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return fieldErr(record, field, s, "starts or ends with white space")
	}
	if !norm.NFC.IsNormalString(s) {
		return fieldErr(record, field, s, "is not in Unicode normalization form C (NFC); normalise it first")
	}
	return nil
}

// NormalizeText returns s trimmed of surrounding white space and in NFC, the
// form CheckText requires. Commands apply it to what people type.
func NormalizeText(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// CheckCountry checks an ISO 3166-1 alpha-2 country code (upper case; XK
// for Kosovo).
func CheckCountry(record, field, cc string) error {
	if !IsCountry(cc) {
		return fieldErr(record, field, cc, "is not an ISO 3166-1 alpha-2 country code in upper case (e.g. RS, HR, BA, MK, AL, ME, XK)")
	}
	return nil
}

// CheckDate checks a calendar date written YYYY-MM-DD.
func CheckDate(record, field, s string) error {
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s {
		return fieldErr(record, field, s, "is not a date written YYYY-MM-DD")
	}
	return nil
}

// CheckTime checks a UTC time written YYYY-MM-DDTHH:MM:SSZ (RFC 3339, whole
// seconds, Z).
func CheckTime(record, field, s string) error {
	t, err := time.Parse(TimeLayout, s)
	if err != nil || t.Format(TimeLayout) != s {
		return fieldErr(record, field, s, "is not a UTC time written YYYY-MM-DDTHH:MM:SSZ")
	}
	return nil
}

// FormatDate and FormatTime write t in the canonical layouts, in UTC.
func FormatDate(t time.Time) string { return t.UTC().Format(DateLayout) }

// FormatTime writes t as YYYY-MM-DDTHH:MM:SSZ in UTC, dropping fractions.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseDate and ParseTime read the canonical layouts.
func ParseDate(s string) (time.Time, error) { return time.Parse(DateLayout, s) }

// ParseTime reads YYYY-MM-DDTHH:MM:SSZ.
func ParseTime(s string) (time.Time, error) { return time.Parse(TimeLayout, s) }

// CheckNetworkID checks a network id: 26 characters of lower-case base32
// (a-z, 2-7), the encoding of 16 random bytes.
func CheckNetworkID(record, field, s string) error {
	if len(s) != 26 {
		return fieldErr(record, field, s, fmt.Sprintf("is %d characters long; a network id has 26 characters a-z and 2-7", len(s)))
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return fieldErr(record, field, s, "has a character outside a-z and 2-7")
		}
	}
	return nil
}

// CheckHash checks a SHA-256 written as 64 lower-case hex digits.
func CheckHash(record, field, s string) error {
	if len(s) != 64 || strings.ToLower(s) != s {
		return fieldErr(record, field, s, "is not a SHA-256 written as 64 lower-case hex digits")
	}
	if _, err := hex.DecodeString(s); err != nil {
		return fieldErr(record, field, s, "is not a SHA-256 written as 64 lower-case hex digits")
	}
	return nil
}

// CheckAge checks the shape of an age recipient: "age1" followed by
// lower-case Bech32 characters. Whether it decodes to a key is for
// filippo.io/age to say (node/membership does).
func CheckAge(record, field, s string) error {
	if !strings.HasPrefix(s, "age1") || len(s) > MaxAgeLength || len(s) < 10 {
		return fieldErr(record, field, s, fmt.Sprintf("is not an age recipient (age1..., at most %d characters)", MaxAgeLength))
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return fieldErr(record, field, s, "has a character outside lower-case a-z and 0-9")
		}
	}
	return nil
}

// CheckRoles checks a role list: not empty, each role known, listed once,
// in alphabetical order (analyst, associate, partner).
func CheckRoles(record, field string, roles []Role) error {
	joined := JoinRoles(roles)
	if len(roles) == 0 {
		return fieldErr(record, field, joined, "is empty; give at least one of analyst, associate, partner")
	}
	for i, r := range roles {
		switch r {
		case RoleAnalyst, RoleAssociate, RolePartner:
		default:
			return fieldErr(record, field, joined, fmt.Sprintf("has the unknown role %q; allowed are analyst, associate, partner", string(r)))
		}
		if i > 0 && roles[i-1] >= r {
			return fieldErr(record, field, joined, "must list each role once, in alphabetical order")
		}
	}
	return nil
}

// JoinRoles writes roles as their canonical value: comma separated.
func JoinRoles(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// HasRole reports whether roles holds r.
func HasRole(roles []Role, r Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// ParseRoles reads a comma-separated role list as people type it ("partner,
// analyst"), and returns it in canonical order.
func ParseRoles(s string) ([]Role, error) {
	seen := map[Role]bool{}
	for _, part := range strings.Split(s, ",") {
		r := Role(strings.ToLower(strings.TrimSpace(part)))
		if r == "" {
			continue
		}
		seen[r] = true
	}
	var out []Role
	for _, r := range Roles {
		if seen[r] {
			out = append(out, r)
			delete(seen, r)
		}
	}
	for r := range seen {
		return nil, fmt.Errorf("role %q: unknown; allowed are analyst, associate, partner", string(r))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("roles %q: give at least one of analyst, associate, partner", s)
	}
	return out, nil
}

// PublicKey returns the Ed25519 public key embedded in a peer ID. kolo
// peers use Ed25519 keys, whose peer IDs embed the key (identity multihash),
// so a signature can be checked from the peer ID alone.
func PublicKey(id peer.ID) (crypto.PubKey, error) {
	if id == "" {
		return nil, fmt.Errorf("peer ID is empty")
	}
	pk, err := id.ExtractPublicKey()
	if err != nil {
		return nil, fmt.Errorf("peer ID %s: no embedded public key (%v); kolo peers use Ed25519 keys", id, err)
	}
	if pk.Type() != pb.KeyType_Ed25519 {
		return nil, fmt.Errorf("peer ID %s: key type %s; kolo peers use Ed25519 keys", id, pk.Type())
	}
	return pk, nil
}

// RawPublicKey returns the 32 raw bytes of the Ed25519 key in a peer ID, the
// form standard Ed25519 tools take.
func RawPublicKey(id peer.ID) ([]byte, error) {
	pk, err := PublicKey(id)
	if err != nil {
		return nil, err
	}
	return pk.Raw()
}

func checkPeer(record, field string, id peer.ID) error {
	if _, err := PublicKey(id); err != nil {
		return fieldErr(record, field, id.String(), err.Error())
	}
	return nil
}
