package federation

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// publicKeyPEM is p's Ed25519 public key (taken from the peer ID) as a
// PEM "PUBLIC KEY" file, the form `openssl pkeyutl -verify -pubin` reads.
func publicKeyPEM(p peer.ID) ([]byte, error) {
	raw, err := protocol.RawPublicKey(p)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(ed25519.PublicKey(raw))
	if err != nil {
		return nil, fmt.Errorf("public key of %s: %w", p, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
