package node

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// spacePeers holds where members were last reached.
const spacePeers store.Space = "peers"

const (
	// wantMembers is how many members a node keeps connected, dialling
	// remembered ones when it has fewer: enough for GossipSub's mesh
	// (6 peers by default) with room to spare.
	wantMembers = 8
	// redialEvery is how often a node with too few members connected
	// dials remembered ones again.
	redialEvery = 30 * time.Second
	// dialTimeout bounds one dial of a remembered member.
	dialTimeout = 10 * time.Second
)

// peerBook remembers where members were reached (the addresses they
// announced when they connected, and the inviter's from the invite
// token), so that a node that restarts finds the network again without a
// bootstrap list: libp2p's peerstore lives in memory only.
type peerBook struct {
	st  *store.Store
	log *slog.Logger
	wg  sync.WaitGroup

	mu    sync.Mutex
	addrs map[peer.ID][]ma.Multiaddr
	host  host.Host
}

// peerEntry is a remembered member in the store.
type peerEntry struct {
	Addrs []string `json:"addrs"`
	Seen  string   `json:"seen"`
}

// start loads the remembered addresses, then learns new ones from every
// member that connects and keeps wantMembers members connected, until ctx
// ends.
func (b *peerBook) start(ctx context.Context, h host.Host, reg *membership.Registry) error {
	b.addrs = map[peer.ID][]ma.Multiaddr{}
	b.host = h
	err := b.st.Scan(ctx, spacePeers, nil, func(key, val []byte) error {
		id, err := peer.Decode(string(key))
		if err != nil {
			b.log.Warn("ignoring a remembered peer with a bad ID", "key", string(key), "err", err)
			return nil
		}
		var e peerEntry
		if err := protocol.Decode(val, protocol.MaxMessageSize, &e); err != nil {
			b.log.Warn("ignoring a damaged remembered peer", "peer", id, "err", err)
			return nil
		}
		for _, s := range e.Addrs {
			if a, err := ma.NewMultiaddr(s); err == nil {
				b.addrs[id] = append(b.addrs[id], a)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read remembered peers: %w", err)
	}
	sub, err := h.EventBus().Subscribe(new(event.EvtPeerIdentificationCompleted))
	if err != nil {
		return fmt.Errorf("watch identified peers: %w", err)
	}
	b.wg.Add(2)
	go func() {
		defer b.wg.Done()
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-sub.Out():
				if !ok {
					return
				}
				e := ev.(event.EvtPeerIdentificationCompleted)
				if reg.IsMember(e.Peer) {
					b.remember(e.Peer, e.ListenAddrs)
				}
			}
		}
	}()
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(redialEvery)
		defer t.Stop()
		for {
			b.dialSome(ctx, reg)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// wait waits for the background work to end (after its context ended).
func (b *peerBook) wait() { b.wg.Wait() }

// remember stores where member id can be reached, if that changed.
func (b *peerBook) remember(id peer.ID, addrs []ma.Multiaddr) {
	if b.host != nil && id == b.host.ID() {
		return
	}
	strs := inviteAddrs(addrs)
	if len(strs) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.addrs == nil {
		b.addrs = map[peer.ID][]ma.Multiaddr{}
	}
	var old []string
	for _, a := range b.addrs[id] {
		old = append(old, a.String())
	}
	if slices.Equal(old, strs) {
		return
	}
	val, err := protocol.Encode(peerEntry{Addrs: strs, Seen: protocol.FormatTime(time.Now())})
	if err == nil {
		err = b.st.Put(spacePeers, []byte(id.String()), val)
	}
	if err != nil {
		b.log.Warn("could not remember a member's addresses", "peer", id, "err", err)
		return
	}
	b.addrs[id] = b.addrs[id][:0]
	for _, s := range strs {
		if a, err := ma.NewMultiaddr(s); err == nil {
			b.addrs[id] = append(b.addrs[id], a)
		}
	}
}

// dialSome dials remembered members that are not connected while fewer
// than wantMembers are.
func (b *peerBook) dialSome(ctx context.Context, reg *membership.Registry) {
	if _, ok := reg.Network(); !ok {
		return
	}
	h := b.host
	connected := 0
	for _, p := range h.Network().Peers() {
		if reg.IsMember(p) {
			connected++
		}
	}
	b.mu.Lock()
	var todo []peer.AddrInfo
	for id, addrs := range b.addrs {
		if id != h.ID() && reg.IsMember(id) && h.Network().Connectedness(id) != network.Connected {
			todo = append(todo, peer.AddrInfo{ID: id, Addrs: slices.Clone(addrs)})
		}
	}
	b.mu.Unlock()
	if need := wantMembers - connected; need < len(todo) {
		if need <= 0 {
			return
		}
		todo = todo[:need] // map order: a different few each round
	}
	var wg sync.WaitGroup
	for _, ai := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.AddressTTL)
			dctx, cancel := context.WithTimeout(ctx, dialTimeout)
			defer cancel()
			if err := h.Connect(dctx, ai); err != nil {
				if ctx.Err() == nil {
					b.log.Info("remembered member not reached; will retry", "peer", ai.ID, "err", err)
				}
				return
			}
			b.log.Info("reconnected to a remembered member", "peer", ai.ID)
		}()
	}
	wg.Wait()
}

// inviteAddrs chooses at most protocol.MaxAddrs of addrs for others to
// dial: public addresses first, then private (LAN) ones, then other
// routable ones (a VPN's, say), then relay addresses, skipping IPv6
// link-local ones (they need a zone) and unspecified ones. One slot is
// kept for a loopback address, so a node on the same machine (a test, a
// second home) can dial too; a remote node simply fails that one.
func inviteAddrs(addrs []ma.Multiaddr) []string {
	var public, private, other, relay, loopback []string
	seen := map[string]bool{}
	for _, a := range addrs {
		s := a.String()
		if seen[s] {
			continue
		}
		seen[s] = true
		_, notCircuit := a.ValueForProtocol(ma.P_CIRCUIT)
		switch {
		case notCircuit == nil:
			relay = append(relay, s)
		case manet.IsIPLoopback(a):
			loopback = append(loopback, s)
		case manet.IsIP6LinkLocal(a), manet.IsIPUnspecified(a):
		case manet.IsPublicAddr(a):
			public = append(public, s)
		case manet.IsPrivateAddr(a):
			private = append(private, s)
		default: // e.g. a VPN's carrier-grade NAT range (100.64.0.0/10)
			other = append(other, s)
		}
	}
	out := slices.Concat(public, private, other, relay)
	room := protocol.MaxAddrs
	if len(loopback) > 0 {
		room--
	}
	if len(out) > room {
		out = out[:room]
	}
	return append(out, loopback[:min(len(loopback), protocol.MaxAddrs-len(out))]...)
}
