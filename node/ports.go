package node

import (
	"errors"
	"fmt"
	"net"
	"syscall"

	ma "github.com/multiformats/go-multiaddr"
)

// checkPortsFree refuses to start on a listen address whose port another
// process already holds, as the local API does. libp2p cannot be left to
// find out: its TCP transport binds with SO_REUSEPORT (so that outgoing
// connections leave from the listen port, which NAT hole punching needs),
// so a second node on the same port binds too, and its swarm is content
// when any one address of several listens, so a QUIC port that is taken
// goes unnoticed. A plain bind, without SO_REUSEPORT, fails with
// EADDRINUSE while any socket listens on the port, with or without it.
// Port 0 (any free port) and names (/dns4/...) are not checked; other bind
// errors (no IPv6 on this machine, say) are left to libp2p.
func checkPortsFree(listen []string) error {
	for _, s := range listen {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			continue // config validation refuses it; libp2p reports it
		}
		ip, family := "", ""
		if v, err := a.ValueForProtocol(ma.P_IP4); err == nil {
			ip, family = v, "4"
		} else if v, err := a.ValueForProtocol(ma.P_IP6); err == nil {
			ip, family = v, "6"
		} else {
			continue
		}
		var probe func() (func() error, error)
		if port, err := a.ValueForProtocol(ma.P_TCP); err == nil && port != "0" {
			addr := net.JoinHostPort(ip, port)
			probe = func() (func() error, error) {
				ln, err := net.Listen("tcp"+family, addr)
				if err != nil {
					return nil, err
				}
				return ln.Close, nil
			}
		} else if port, err := a.ValueForProtocol(ma.P_UDP); err == nil && port != "0" {
			addr := net.JoinHostPort(ip, port)
			probe = func() (func() error, error) {
				pc, err := net.ListenPacket("udp"+family, addr)
				if err != nil {
					return nil, err
				}
				return pc.Close, nil
			}
		}
		if probe == nil {
			continue
		}
		closeProbe, err := probe()
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("network.listen %s: %w (is the port in use by another program or kolo node? two nodes on one machine need different ports)", s, err)
		}
		if err == nil {
			if err := closeProbe(); err != nil {
				return fmt.Errorf("network.listen %s: free the port after checking it: %w", s, err)
			}
		}
	}
	return nil
}
