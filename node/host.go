package node

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	cm "github.com/libp2p/go-libp2p/p2p/net/connmgr"
	noise "github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// newHost builds the libp2p host from the network configuration: TCP and
// QUIC, Noise and TLS, and the NAT traversal the configuration switches on.
func newHost(cfg config.Config, priv crypto.PrivKey, gater connmgr.ConnectionGater, tap *WireTap, log *slog.Logger) (host.Host, error) {
	if err := checkPortsFree(cfg.Network.Listen); err != nil {
		return nil, err
	}
	// A CSO network has tens of members, not thousands: keep few
	// connections so an office laptop is not burdened.
	conns, err := cm.NewConnManager(32, 96, cm.WithGracePeriod(time.Minute))
	if err != nil {
		return nil, fmt.Errorf("connection manager: %w", err)
	}
	opts := []libp2p.Option{
		libp2p.Identity(priv),
		libp2p.ListenAddrStrings(cfg.Network.Listen...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Security(libp2ptls.ID, libp2ptls.New),
		libp2p.ConnectionManager(conns),
		libp2p.UserAgent("kolo"),
	}
	if tap != nil {
		var tcpOnly []string
		for _, a := range cfg.Network.Listen {
			if strings.Contains(a, "/tcp/") {
				tcpOnly = append(tcpOnly, a)
			}
		}
		opts = []libp2p.Option{
			libp2p.Identity(priv),
			libp2p.ListenAddrStrings(tcpOnly...),
			libp2p.Transport(tcp.NewTCPTransport),
			libp2p.NoSecurity,
			libp2p.AddrsFactory(tap.Announce),
			libp2p.ConnectionManager(conns),
			libp2p.UserAgent("kolo"),
		}
	}
	if gater != nil {
		opts = append(opts, libp2p.ConnectionGater(gater))
	}
	nat := cfg.Network.NAT
	if nat.PortMapping {
		opts = append(opts, libp2p.NATPortMap())
	}
	if nat.HolePunching {
		opts = append(opts, libp2p.EnableHolePunching())
	}
	if nat.RelayClient {
		opts = append(opts, libp2p.EnableRelay())
		if relays := bootstrapPeers(cfg, log); len(relays) > 0 {
			opts = append(opts, libp2p.EnableAutoRelayWithStaticRelays(relays))
		}
	} else {
		opts = append(opts, libp2p.DisableRelay())
	}
	if nat.RelayService {
		opts = append(opts, libp2p.EnableRelayService(), libp2p.EnableNATService())
	}
	h, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("libp2p host (network.listen %v): %w", cfg.Network.Listen, err)
	}
	return h, nil
}

// bootstrapPeers parses network.bootstrap; config validation has already
// checked each address, so a failure here is only logged.
func bootstrapPeers(cfg config.Config, log *slog.Logger) []peer.AddrInfo {
	var out []peer.AddrInfo
	for _, s := range cfg.Network.Bootstrap {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			log.Warn("skipping bootstrap address", "addr", s, "err", err)
			continue
		}
		out = append(out, *ai)
	}
	return out
}

// bootstrap dials the bootstrap peers, and dials again those that are not
// connected every retry interval until ctx ends.
func (n *Node) bootstrap(ctx context.Context) {
	peers := bootstrapPeers(n.cfg, n.log)
	if len(peers) == 0 {
		return
	}
	const retry = 30 * time.Second
	for {
		for _, ai := range peers {
			if ai.ID == n.peerID || n.host.Network().Connectedness(ai.ID) == network.Connected {
				continue
			}
			dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			err := n.host.Connect(dctx, ai)
			cancel()
			if err != nil {
				n.log.Info("bootstrap peer not reached; will retry", "peer", ai.ID, "err", err)
			} else {
				n.log.Info("connected to bootstrap peer", "peer", ai.ID)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(retry):
		}
	}
}
