package protocol

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Type tags: the first line of each canonical string. The "-v1" is the
// version of the string's layout; a new layout gets a new tag.
const (
	TagCertificate       = "kolo-certificate-v1"
	TagMemberRevocation  = "kolo-member-revocation-v2"
	TagEndorsement       = "kolo-endorsement-v1"
	TagRevocation        = "kolo-endorsement-revocation-v1"
	TagNetwork           = "kolo-network-v2"
	TagJoin              = "kolo-join-v1"
	signatureSize        = ed25519.SignatureSize
	canonicalInitialSize = 256
)

// ErrBadSignature is wrapped by every signature verification failure.
var ErrBadSignature = errors.New("signature does not verify")

// Hash is a SHA-256 digest: of a record's canonical string (its identity),
// of the network file's canonical string, or of the Declaration text.
type Hash [sha256.Size]byte

// String writes h as 64 lower-case hex digits.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash reads 64 lower-case hex digits.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if err := CheckHash("hash", "value", s); err != nil {
		return h, err
	}
	hex.Decode(h[:], []byte(s))
	return h, nil
}

// canon builds a canonical string: the tag line, then "key:value\n" lines.
// Values are checked by the caller before they are added.
type canon []byte

func newCanon(tag string) canon {
	c := make(canon, 0, canonicalInitialSize)
	c = append(c, tag...)
	return append(c, '\n')
}

func (c canon) line(key, value string) canon {
	c = append(c, key...)
	c = append(c, ':')
	c = append(c, value...)
	return append(c, '\n')
}

// sign signs msg with key after checking that key belongs to signer.
func sign(key crypto.PrivKey, signer peer.ID, msg []byte) ([]byte, error) {
	if key == nil {
		return nil, errors.New("sign: no key")
	}
	if !signer.MatchesPrivateKey(key) {
		return nil, fmt.Errorf("sign: the key is not the key of signer %s", signer)
	}
	sig, err := key.Sign(msg)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return sig, nil
}

// verify checks sig over msg with the key embedded in signer.
func verify(record string, signer peer.ID, msg, sig []byte) error {
	pk, err := PublicKey(signer)
	if err != nil {
		return fmt.Errorf("%s: signer: %w", record, err)
	}
	raw, err := pk.Raw()
	if err != nil {
		return fmt.Errorf("%s: signer %s: %w", record, signer, err)
	}
	return verifyRaw(record, signer, raw, msg, sig)
}

func verifyRaw(record string, signer peer.ID, pub ed25519.PublicKey, msg, sig []byte) error {
	if len(sig) != signatureSize {
		return fmt.Errorf("%s by %s: signature is %d bytes; Ed25519 signatures are %d: %w", record, signer, len(sig), signatureSize, ErrBadSignature)
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, msg, sig) {
		return fmt.Errorf("%s by %s: %w", record, signer, ErrBadSignature)
	}
	return nil
}

// VerifyBytes checks sig over msg, a canonical string already built, with
// pub, the raw Ed25519 key of signer (named in the error). It is the fast
// path for a caller that holds the key and the bytes.
func VerifyBytes(record string, signer peer.ID, pub ed25519.PublicKey, msg, sig []byte) error {
	return verifyRaw(record, signer, pub, msg, sig)
}
