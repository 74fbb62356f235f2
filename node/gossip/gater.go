package gossip

import (
	"log/slog"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// Gater admits connections from members only. A peer that is not (yet) a
// member may connect only while this node has an open invite (unused, not
// cancelled, not expired): it may be the invited organisation coming to
// join. The join protocol is then the only one of kolo's that answers it:
// the sync handler refuses non-members, GossipSub ignores them entirely
// (Blacklist: no subscriptions sent or read, no message relayed either
// way), and Gossip closes the connection when its join ends or if it has
// not become a member within JoinGrace.
//
// Outbound, a node that belongs to no network yet may dial anyone (it can
// only be joining); a member dials members only.
type Gater struct {
	reg   *membership.Registry
	log   *slog.Logger
	limit *logLimiter
	// revoked limits the line about a revoked member's connections to one
	// an hour per member: a revoked node may keep redialing the members it
	// remembers every 30 s for as long as it runs.
	revoked *logLimiter
}

var _ connmgr.ConnectionGater = (*Gater)(nil)

// NewGater returns the gater to pass to libp2p.ConnectionGater.
func NewGater(reg *membership.Registry, log *slog.Logger) *Gater {
	if log == nil {
		log = slog.Default()
	}
	return &Gater{reg: reg, log: log, limit: newLogLimiter(logEvery), revoked: newLogLimiter(time.Hour)}
}

func (g *Gater) allowOutbound(p peer.ID) bool {
	if _, ok := g.reg.Network(); !ok {
		return true
	}
	if g.reg.IsMember(p) {
		return true
	}
	g.limit.warn(g.log, p, "gater: refused to dial a non-member", "peer", p)
	return false
}

// InterceptPeerDial allows dialing members (anyone before joining).
func (g *Gater) InterceptPeerDial(p peer.ID) bool { return g.allowOutbound(p) }

// InterceptAddrDial allows every address of an allowed peer.
func (g *Gater) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }

// InterceptAccept lets the handshake proceed: the peer is not known yet.
func (g *Gater) InterceptAccept(network.ConnMultiaddrs) bool { return true }

// InterceptSecured decides once the peer has proved its identity.
func (g *Gater) InterceptSecured(dir network.Direction, p peer.ID, addrs network.ConnMultiaddrs) bool {
	if dir == network.DirOutbound {
		return g.allowOutbound(p)
	}
	if g.reg.IsMember(p) {
		return true
	}
	if m, known := g.reg.Member(p); known && !m.Active() {
		// A revoked peer cannot be admitted again, invite or not.
		g.revoked.warn(g.log, p, "gater: refused connection from a revoked member", "peer", p, "revoked", m.Revoked)
		return false
	}
	if g.reg.OpenInvites() > 0 {
		return true
	}
	g.limit.warn(g.log, p, "gater: refused connection from a non-member", "peer", p, "addr", addrs.RemoteMultiaddr())
	return false
}

// InterceptUpgraded allows what InterceptSecured allowed.
func (g *Gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

// PeerFilter keeps non-members out of the records topic's mesh and
// gossip.
func PeerFilter(reg *membership.Registry) pubsub.PeerFilter {
	return func(p peer.ID, topic string) bool { return reg.IsMember(p) }
}

// nonMembers is GossipSub's blacklist: every peer that is not a current
// member, decided afresh at each use, so a peer that joins is no longer on
// it and a revoked one is at once. GossipSub sends a blacklisted peer
// nothing (not even the topics this node is on, which name the network),
// closes the streams it opens and drops whatever it relays.
type nonMembers struct{ reg *membership.Registry }

func (b nonMembers) Add(peer.ID) bool { return false } // membership decides, not GossipSub
func (b nonMembers) Contains(p peer.ID) bool {
	_, ok := b.reg.Network()
	return ok && !b.reg.IsMember(p)
}

// PubSubOptions are the options to create the node's GossipSub with:
// pubsub.NewGossipSub(ctx, host, PubSubOptions(reg)...).
//
// Flood publishing: a record this node publishes goes to every peer on
// the topic, not only to its mesh. A kolo network has tens of members, so
// the cost is small, and a record published before the mesh has formed (a
// node just started or joined) is not lost. Flood publishing does not
// consult the peer filter, but the blacklist keeps every non-member off
// the topic in the first place.
func PubSubOptions(reg *membership.Registry) []pubsub.Option {
	return []pubsub.Option{
		pubsub.WithBlacklist(nonMembers{reg}),
		pubsub.WithPeerFilter(PeerFilter(reg)),
		pubsub.WithFloodPublish(true),
		pubsub.WithGossipSubParams(meshParams()),
	}
}

// meshParams are GossipSub's parameters for a network of tens of members.
// The defaults suit thousands of anonymous peers; two of them hurt a kolo
// network (testnet's TestMeshRecovery measures it):
//
//   - PruneBackoff, one minute: when a node prunes a mesh peer (its mesh
//     grew past Dhi, as it does while a node is connected to every other
//     member), neither may graft the other for a minute. When connections
//     then change (a partition heals, an office's link comes back, members
//     drop most connections), the peers that remain may all be in backoff,
//     and the mesh stays broken for a minute. Ten seconds here.
//   - GraftFloodThreshold follows it (it must stay below PruneBackoff).
//   - Dhi, twelve: a node connected to every member of a network of fifty
//     receives some twelve GRAFTs in the first heartbeats and prunes (with
//     backoff) whatever is over Dhi. With Dhi at 24, a node of such a
//     network almost never prunes, and D at 8 keeps every mesh a little
//     denser. The cost, duplicate copies of a record along the meshes, is
//     nothing at kolo's few records a day.
func meshParams() pubsub.GossipSubParams {
	p := pubsub.DefaultGossipSubParams()
	p.D, p.Dlo, p.Dhi, p.Dscore, p.Dout = 8, 6, 24, 6, 3
	p.PruneBackoff = 10 * time.Second
	p.UnsubscribeBackoff = 5 * time.Second
	p.GraftFloodThreshold = 5 * time.Second
	return p
}
