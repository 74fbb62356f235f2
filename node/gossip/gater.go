package gossip

import (
	"log/slog"

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
// expired): it may be the invited organisation coming to join, and the
// join protocol is the only one that answers it (the sync handler refuses
// non-members and the records topic's peer filter leaves them out).
//
// Outbound, a node that belongs to no network yet may dial anyone (it can
// only be joining); a member dials members only.
type Gater struct {
	reg *membership.Registry
	log *slog.Logger
}

var _ connmgr.ConnectionGater = (*Gater)(nil)

// NewGater returns the gater to pass to libp2p.ConnectionGater.
func NewGater(reg *membership.Registry, log *slog.Logger) *Gater {
	if log == nil {
		log = slog.Default()
	}
	return &Gater{reg: reg, log: log}
}

func (g *Gater) allowOutbound(p peer.ID) bool {
	if _, ok := g.reg.Network(); !ok {
		return true
	}
	if g.reg.IsMember(p) {
		return true
	}
	g.log.Warn("gater: refused to dial a non-member", "peer", p)
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
	if g.reg.IsMember(p) || g.reg.OpenInvites() > 0 {
		return true
	}
	g.log.Warn("gater: refused connection from a non-member", "peer", p, "addr", addrs.RemoteMultiaddr())
	return false
}

// InterceptUpgraded allows what InterceptSecured allowed.
func (g *Gater) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

// PeerFilter keeps non-members out of the records topic's mesh and
// gossip.
func PeerFilter(reg *membership.Registry) pubsub.PeerFilter {
	return func(p peer.ID, topic string) bool { return reg.IsMember(p) }
}

// PubSubOptions are the options to create the node's GossipSub with:
// pubsub.NewGossipSub(ctx, host, PubSubOptions(reg)...).
//
// Flood publishing: a record this node publishes goes to every peer on
// the topic, not only to its mesh. A kolo network has tens of members, so
// the cost is small, and a record published before the mesh has formed (a
// node just started or joined) is not lost. Note that flood publishing
// does not consult the peer filter: a non-member connected while an invite
// is open and subscribed to the topic would receive what this node
// publishes. Those records are the ones a Declaration export publishes
// anyway (certificates, endorsements), never monitoring data.
func PubSubOptions(reg *membership.Registry) []pubsub.Option {
	return []pubsub.Option{
		pubsub.WithPeerFilter(PeerFilter(reg)),
		pubsub.WithFloodPublish(true),
	}
}
