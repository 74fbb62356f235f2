// Package membership keeps who belongs to a kolo network: the network file
// (network id, name, Declaration, policy, founders), the member
// certificates, member revocations and the invites this node has issued.
//
// Every certificate must chain back to a founder listed in the network
// file: a founder's certificate is self-signed, every other one is signed by
// the partner that admitted the member. A Registry verifies each record
// before it stores it and derives membership from the whole set, so the
// answer does not depend on the order records arrived in:
//
//   - a certificate is valid if its admitter held a valid certificate with
//     the partner role, issued no later than this one, and was not revoked
//     before this one was issued;
//   - a member is a peer with a valid certificate that has not been revoked;
//     a revocation is permanent for that peer ID;
//   - revoking a member does not revoke the members it admitted earlier.
//
// A new organisation joins with an invite token (see protocol.InviteToken):
// Registry.Invite makes one, Registry.Admit answers the join request on the
// inviting node, Registry.Adopt stores the answer on the joining node.
//
// A Registry persists through a KV (node/store behind a key space in
// production) or, with a nil KV, lives in memory only, as when an export is
// verified offline.
package membership
