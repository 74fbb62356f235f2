package membership

import (
	"fmt"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Founding describes a founder and, for CreateNetwork, the network it
// creates.
type Founding struct {
	Name        string               // network name (CreateNetwork only)
	Org         string               // the founder's organisation
	Country     string               // ISO 3166-1 alpha-2
	Roles       []protocol.Role      // partner is always added
	Age         string               // the founder node's age recipient
	Declaration protocol.Declaration // the text the network endorses (CreateNetwork only)
	Policy      protocol.Policy      // zero: protocol.DefaultPolicy()
}

// CreateNetwork writes a new network file with a fresh network id, the
// founder's self-signed certificate, and the founder's signature. The
// founder (and any co-founder added with AddFounder) then calls
// Registry.Init with it and shares the file with the other founders.
func CreateNetwork(key crypto.PrivKey, f Founding, now time.Time) (protocol.Network, error) {
	id, err := protocol.NewNetworkID()
	if err != nil {
		return protocol.Network{}, err
	}
	cert, err := FounderCertificate(key, id, f, now)
	if err != nil {
		return protocol.Network{}, err
	}
	self, _ := peer.IDFromPrivateKey(key)
	pol := f.Policy
	if pol == (protocol.Policy{}) {
		pol = protocol.DefaultPolicy()
	}
	n := protocol.Network{
		ID:          id,
		Name:        protocol.NormalizeText(f.Name),
		Declaration: f.Declaration,
		Policy:      pol,
		Founders:    []protocol.Certificate{cert},
		CreatedBy:   self,
	}
	if err := n.Sign(key); err != nil {
		return protocol.Network{}, fmt.Errorf("create network: %w", err)
	}
	return n, nil
}

// FounderCertificate makes the self-signed certificate of the founder whose
// key is key, for network id. A co-founder makes one and hands it to the
// founder who writes the network file (AddFounder).
func FounderCertificate(key crypto.PrivKey, network string, f Founding, now time.Time) (protocol.Certificate, error) {
	self, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return protocol.Certificate{}, fmt.Errorf("founder certificate: %w", err)
	}
	roles := f.Roles
	if !protocol.HasRole(roles, protocol.RolePartner) {
		roles = append(append([]protocol.Role{}, roles...), protocol.RolePartner)
	}
	roles, err = protocol.ParseRoles(protocol.JoinRoles(roles))
	if err != nil {
		return protocol.Certificate{}, fmt.Errorf("founder certificate: %w", err)
	}
	if err := CheckAgeRecipient(f.Age); err != nil {
		return protocol.Certificate{}, fmt.Errorf("founder certificate: %w", err)
	}
	c := protocol.Certificate{
		Network:    network,
		Peer:       self,
		Age:        f.Age,
		Org:        protocol.NormalizeText(f.Org),
		Country:    strings.ToUpper(strings.TrimSpace(f.Country)),
		Roles:      roles,
		Issued:     protocol.FormatTime(now),
		AdmittedBy: self,
	}
	if err := c.Sign(key); err != nil {
		return protocol.Certificate{}, fmt.Errorf("founder certificate: %w", err)
	}
	return c, nil
}

// AddFounder adds a co-founder's certificate to the network file and signs
// it again with key, which must be the key of n.CreatedBy. Add all founders
// before the file is shared: its hash changes with every founder.
func AddFounder(key crypto.PrivKey, n protocol.Network, c protocol.Certificate) (protocol.Network, error) {
	if err := c.Verify(); err != nil {
		return n, fmt.Errorf("add founder: %w", err)
	}
	n.Founders = append(append([]protocol.Certificate{}, n.Founders...), c)
	if err := n.Sign(key); err != nil {
		return n, fmt.Errorf("add founder: %w", err)
	}
	return n, nil
}

// CheckAgeRecipient checks that s is an age recipient filippo.io/age can
// encrypt to: X25519 (age1...) or post-quantum hybrid (age1pq1...).
func CheckAgeRecipient(s string) error {
	if err := protocol.CheckAge("certificate", "age", s); err != nil {
		return err
	}
	var err error
	if strings.HasPrefix(s, "age1pq1") {
		_, err = age.ParseHybridRecipient(s)
	} else {
		_, err = age.ParseX25519Recipient(s)
	}
	if err != nil {
		return fmt.Errorf("age recipient: %w", err)
	}
	return nil
}
