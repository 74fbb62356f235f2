package node

import (
	"context"

	"github.com/libp2p/go-libp2p/core/connmgr"
)

// networkPart is the node's membership of the network and its Declaration
// ledger.
type networkPart struct{}

// openNetwork opens membership state from the store before the libp2p host
// exists, and returns the connection gater that admits only members.
func (n *Node) openNetwork(ctx context.Context) (connmgr.ConnectionGater, error) { return nil, nil }

// startNetwork starts gossip, sync and the join protocol on the host.
func (n *Node) startNetwork(ctx context.Context) error { return nil }

// networkRoutes registers the network and declaration endpoints of the local API.
func (n *Node) networkRoutes() {}

// closeNetwork stops the network services.
func (n *Node) closeNetwork() error { return nil }
