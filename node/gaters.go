package node

import (
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// bothGaters allows a connection only if both gaters do.
type bothGaters [2]connmgr.ConnectionGater

func (g bothGaters) InterceptPeerDial(p peer.ID) bool {
	return g[0].InterceptPeerDial(p) && g[1].InterceptPeerDial(p)
}

func (g bothGaters) InterceptAddrDial(p peer.ID, a ma.Multiaddr) bool {
	return g[0].InterceptAddrDial(p, a) && g[1].InterceptAddrDial(p, a)
}

func (g bothGaters) InterceptAccept(a network.ConnMultiaddrs) bool {
	return g[0].InterceptAccept(a) && g[1].InterceptAccept(a)
}

func (g bothGaters) InterceptSecured(d network.Direction, p peer.ID, a network.ConnMultiaddrs) bool {
	return g[0].InterceptSecured(d, p, a) && g[1].InterceptSecured(d, p, a)
}

func (g bothGaters) InterceptUpgraded(c network.Conn) (bool, control.DisconnectReason) {
	for _, x := range g {
		if ok, r := x.InterceptUpgraded(c); !ok {
			return false, r
		}
	}
	return true, 0
}
