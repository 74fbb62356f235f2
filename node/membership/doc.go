// Package membership keeps who belongs to a kolo network: the network file
// (network id, name, Declaration, policy, founders), the member
// certificates, member revocations and the invites this node has issued.
//
// Every certificate must chain back to a founder listed in the network
// file: a founder's certificate is self-signed, every other one is signed
// by the partner that admitted the member AND by the member itself, over
// the same canonical string, so no member can write (or rewrite) a
// certificate for a peer that did not accept exactly that one. A Registry
// verifies each record before it stores it and derives membership from the
// whole set, so the answer does not depend on the order records arrived in
// (derive.go). No time a signer chose decides anything:
//
//   - a peer holds one certificate; a peer that signed two is excluded
//     (both are kept as the evidence);
//   - a non-founder certificate is valid if its admitter is admitted, has
//     the partner role, and is not revoked, or was revoked by revocations
//     that all keep this certificate;
//   - a revocation counts if the member signed it itself, if a founder
//     revokes a founder, or if a founder or the member's admitter signed it
//     and is not revoked, or was revoked by revocations that all keep this
//     revocation;
//   - a member is a peer with a valid certificate and no revocation that
//     counts; a revocation is permanent for that peer ID;
//   - a revocation lists (keeps) the records of the revoked member that
//     still count: by default every certificate it issued and revocation
//     it signed that counted when it was revoked. Nothing the revoked member
//     signs afterwards counts, whatever date it carries.
//
// Records that stop counting after a revocation are deleted: they cannot
// count again. Each signer is bounded: MaxAdmissions certificates per
// partner, two per peer, one revocation per signer and member.
//
// A new organisation joins with an invite token (see protocol.InviteToken):
// Registry.Invite makes one; on the inviting node Registry.Offer answers
// the join request with a certificate signed by the inviter, the joining
// node checks it and signs it too (Registry.AcceptOffer), Registry.Admit
// stores it on the inviting node and Registry.Adopt on the joining node.
//
// A Registry persists through a KV (node/store behind a key space in
// production) or, with a nil KV, lives in memory only, as when an export is
// verified offline.
package membership
