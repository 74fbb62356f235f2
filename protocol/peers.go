package protocol

import (
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/record"
)

// Caps of the member-address exchange (PeersID).
const (
	// MaxPeerRecords caps how many signed peer records one answer carries.
	MaxPeerRecords = 64
	// MaxPeerRecordSize caps one signed peer record (a few addresses take
	// some 300 bytes).
	MaxPeerRecordSize = 2048
)

// PeersRequest asks a member where the other members of network can be
// reached.
type PeersRequest struct {
	Network string `json:"network"`
}

// PeersAnswer carries signed peer records: each is a libp2p signed
// envelope (libp2p RFC 0003) holding a peer.PeerRecord, signed by the
// member it describes, as the answering node received it from that
// member. Error, when set, is a refusal.
type PeersAnswer struct {
	Records [][]byte `json:"records"`
	Error   string   `json:"error,omitempty"`
}

// ServePeers answers one address exchange on rw for the member from: it
// reads the request and, if it is for network, sends records (at most
// MaxPeerRecords of them, each at most MaxPeerRecordSize bytes, within
// MaxMessageSize; the rest are left out).
func ServePeers(rw io.ReadWriter, from peer.ID, network string, records [][]byte) error {
	c := NewConn(rw)
	var req PeersRequest
	if err := c.Receive(&req); err != nil {
		return fmt.Errorf("peers from %s: %w", from, err)
	}
	if req.Network != network {
		if err := c.Send(PeersAnswer{Records: [][]byte{}, Error: "not a member of network " + req.Network}); err != nil {
			return fmt.Errorf("peers from %s: %w", from, err)
		}
		return fmt.Errorf("peers from %s: %w: asked about network %q", from, ErrDenied, req.Network)
	}
	const budget = MaxMessageSize - 256 // room for the answer's own JSON
	ans := PeersAnswer{Records: [][]byte{}}
	size := 0
	for _, r := range records {
		n := (len(r)+2)/3*4 + 3 // base64 and its quotes and comma
		if len(r) > MaxPeerRecordSize || size+n > budget {
			continue
		}
		if len(ans.Records) == MaxPeerRecords {
			break
		}
		ans.Records = append(ans.Records, r)
		size += n
	}
	if err := c.Send(ans); err != nil {
		return fmt.Errorf("peers from %s: %w", from, err)
	}
	return nil
}

// RequestPeers asks the member on rw where the members of network can be
// reached and returns the signed peer records it sent, as received:
// OpenPeerRecord verifies each.
func RequestPeers(rw io.ReadWriter, network string) ([][]byte, error) {
	c := NewConn(rw)
	if err := c.Send(PeersRequest{Network: network}); err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	var ans PeersAnswer
	if err := c.Receive(&ans); err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	if ans.Error != "" {
		return nil, fmt.Errorf("peers: %w: %s", ErrRefused, ans.Error)
	}
	if len(ans.Records) > MaxPeerRecords {
		return nil, fmt.Errorf("peers: %d records, at most %d allowed", len(ans.Records), MaxPeerRecords)
	}
	return ans.Records, nil
}

// OpenPeerRecord verifies a signed peer record (at most MaxPeerRecordSize
// bytes): the envelope's signature, its domain and payload type (libp2p's
// peer record), and that the key that signed it is the key of the peer it
// describes. It returns the record.
func OpenPeerRecord(raw []byte) (*peer.PeerRecord, error) {
	if len(raw) > MaxPeerRecordSize {
		return nil, fmt.Errorf("signed peer record: %d bytes, at most %d allowed: %w", len(raw), MaxPeerRecordSize, ErrTooLarge)
	}
	env, rec, err := record.ConsumeEnvelope(raw, peer.PeerRecordEnvelopeDomain)
	if err != nil {
		return nil, fmt.Errorf("signed peer record: %w", err)
	}
	pr, ok := rec.(*peer.PeerRecord)
	if !ok {
		return nil, fmt.Errorf("signed peer record: holds a %T, not a peer record", rec)
	}
	signer, err := peer.IDFromPublicKey(env.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("signed peer record: signer: %w", err)
	}
	if signer != pr.PeerID {
		return nil, errors.New("signed peer record: signed by " + signer.String() + ", not by " + pr.PeerID.String() + ", the peer it describes")
	}
	return pr, nil
}
