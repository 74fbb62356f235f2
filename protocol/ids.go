package protocol

import libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"

// Stream protocol IDs. The version is part of the ID: a node that speaks a
// new version registers a new ID next to the old one.
const (
	// JoinID is the stream protocol on which a new node presents an invite,
	// receives the certificate its inviter offers, signs it in turn, and
	// learns whether it was admitted. It is the only protocol a non-member
	// may use. (1.0.0 had the inviter alone sign the certificate.)
	JoinID libp2pprotocol.ID = "/kolo/join/2.0.0"
	// SyncID is the anti-entropy stream protocol: a member sends the hashes
	// of the records it holds and receives the records it lacks.
	SyncID libp2pprotocol.ID = "/kolo/sync/1.0.0"
	// AnswerID is the stream protocol on which a member delivers its
	// answer to a query (protocol.Answer) to the member that asked.
	AnswerID libp2pprotocol.ID = "/kolo/answer/1.0.0"
	// PeersID is the member-address exchange: a member asks another for
	// the signed peer records of the members it knows, so that members
	// admitted by the same inviter find one another without it.
	PeersID libp2pprotocol.ID = "/kolo/peers/1.0.0"
)

// RecordsTopic is the GossipSub topic on which the members of network
// publish signed records (Record): certificates, member revocations,
// endorsements and their revocations, and queries.
func RecordsTopic(network string) string {
	return "/kolo/" + network + "/records/1.0.0"
}

// Size caps. Every message read from a peer or a file is refused above
// its cap before it is decoded.
const (
	// MaxMessageSize caps one framed message (join, sync page) and one
	// GossipSub message: 64 KiB.
	MaxMessageSize = 64 << 10
	// MaxSyncHashes caps how many record hashes one sync request may carry
	// in all its pages.
	MaxSyncHashes = 100_000
	// HashesPerPage is how many hashes a sync request page carries at most
	// (32 KiB raw, about 43 KiB as base64 in JSON).
	HashesPerPage = 1024
	// MaxTokenLength caps the printed invite token.
	MaxTokenLength = 4096
)
