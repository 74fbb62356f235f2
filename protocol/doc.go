// Package protocol is the wire language of a kolo network: protocol IDs,
// the signed records members exchange (member certificates, member
// revocations, Declaration endorsements and their revocations, the network
// file), the invite token, the join and sync messages, their framing with a
// size cap, and the canonical byte strings that are signed.
//
// What is signed is never a re-encoding of a struct. Each signed record has
// a documented canonical byte string (see SigningBytes on each type and
// docs/protocol.md): a type tag line followed by "key:value" lines in a fixed
// order, each ending in "\n". Values obey strict rules (no control or line
// separator characters, Unicode NFC, length caps, closed value sets), so the
// lines cannot be confused and no escaping is needed. Signatures are Ed25519
// over those bytes, made with the node's libp2p Ed25519 key; the signer's
// peer ID embeds its public key, so anyone can verify a record with standard
// Ed25519 tooling.
//
// Messages are JSON, decoded strictly (unknown fields and trailing data are
// errors), each framed by an unsigned varint length (go-msgio) and capped at
// MaxMessageSize. JSON rather than protobuf because the same structures are
// written to files people read and publish (the network file, the
// Declaration export), there is no code generation step, and since
// signatures cover the canonical strings, not the encoding, nothing is lost.
//
// The package imports no other kolo package. A node answers the join and
// sync protocols by implementing Handler; ServeJoin, RequestJoin, ServeSync
// and PullRecords carry the exchanges over any io.ReadWriter (a libp2p
// stream in production, io.Pipe in tests).
package protocol
