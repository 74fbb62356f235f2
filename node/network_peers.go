package node

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
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
// bootstrap list: libp2p's peerstore lives in memory only. It also keeps
// each member's signed peer record and trades them with the other members
// (network_peers_exchange.go), so that members find one another, not only
// the members that admitted them.
type peerBook struct {
	st  *store.Store
	log *slog.Logger
	wg  sync.WaitGroup

	mu      sync.Mutex
	entries map[peer.ID]*bookEntry
	host    host.Host
	reg     *membership.Registry
	ask     map[peer.ID]bool // members to ask for peer records at the next round
	kick    chan struct{}    // starts a round now
	// held are the hashes of the peer records the entries hold: members
	// hand the same records round again and again (every member asks one
	// member every redialEvery, and every member it connects to), and a
	// record held, byte for byte, was verified when it was kept, so a copy
	// costs a hash, not an Ed25519 check. With 50 members, checking every
	// copy was a third of the CPU of a node (BenchmarkFederatedQuery).
	held map[[sha256.Size]byte]bool
	// verified counts the peer records whose signature was checked.
	verified atomic.Int64
}

// bookEntry is what the book knows of one member.
type bookEntry struct {
	addrs  []ma.Multiaddr
	record []byte // its signed peer record, if it sent one
	seq    uint64 // the record's sequence number
}

// peerEntry is a remembered member in the store.
type peerEntry struct {
	Addrs  []string `json:"addrs"`
	Seen   string   `json:"seen"`
	Record []byte   `json:"record,omitempty"` // signed peer record (libp2p envelope)
}

// start loads the remembered addresses, then learns new ones from every
// member that connects and keeps wantMembers members connected, until ctx
// ends.
func (b *peerBook) start(ctx context.Context, h host.Host, reg *membership.Registry) error {
	b.mu.Lock()
	b.entries = map[peer.ID]*bookEntry{}
	b.host, b.reg = h, reg
	b.ask = map[peer.ID]bool{}
	b.kick = make(chan struct{}, 1)
	b.held = map[[sha256.Size]byte]bool{}
	b.mu.Unlock()
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
		be := &bookEntry{}
		for _, s := range e.Addrs {
			if a, err := ma.NewMultiaddr(s); err == nil {
				be.addrs = append(be.addrs, a)
			}
		}
		if pr, err := protocol.OpenPeerRecord(e.Record); err == nil && pr.PeerID == id {
			be.record, be.seq = e.Record, pr.Seq
			b.held[sha256.Sum256(e.Record)] = true
		}
		b.entries[id] = be
		return nil
	})
	if err != nil {
		return fmt.Errorf("read remembered peers: %w", err)
	}
	sub, err := h.EventBus().Subscribe(new(event.EvtPeerIdentificationCompleted))
	if err != nil {
		return fmt.Errorf("watch identified peers: %w", err)
	}
	h.SetStreamHandler(protocol.PeersID, b.handlePeers)
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
					if e.SignedPeerRecord != nil {
						if raw, err := e.SignedPeerRecord.Marshal(); err == nil {
							b.learn(raw, false) // identify verified it already
						}
					}
					b.askSoon(e.Peer)
				}
			}
		}
	}()
	go func() {
		defer b.wg.Done()
		defer h.RemoveStreamHandler(protocol.PeersID)
		t := time.NewTicker(redialEvery)
		defer t.Stop()
		paced := true
		for {
			b.askPeers(ctx)
			b.dialSome(ctx, reg, paced)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				paced = true
				b.askOne() // members admitted since, and members that moved
			case <-b.kick:
				paced = false
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
	e := b.entry(id)
	var old []string
	for _, a := range e.addrs {
		old = append(old, a.String())
	}
	if slices.Equal(old, strs) {
		return
	}
	var parsed []ma.Multiaddr
	for _, s := range strs {
		if a, err := ma.NewMultiaddr(s); err == nil {
			parsed = append(parsed, a)
		}
	}
	b.store(id, parsed, e.record, e.seq)
}

// entry is id's entry, made if need be; b.mu is held.
func (b *peerBook) entry(id peer.ID) *bookEntry {
	if b.entries == nil {
		b.entries = map[peer.ID]*bookEntry{}
	}
	e, ok := b.entries[id]
	if !ok {
		e = &bookEntry{}
		b.entries[id] = e
	}
	return e
}

// store writes id's entry to the store and, if that worked, to memory;
// b.mu is held.
func (b *peerBook) store(id peer.ID, addrs []ma.Multiaddr, record []byte, seq uint64) {
	pe := peerEntry{Seen: protocol.FormatTime(time.Now()), Record: record}
	for _, a := range addrs {
		pe.Addrs = append(pe.Addrs, a.String())
	}
	val, err := protocol.Encode(pe)
	if err == nil {
		err = b.st.Put(spacePeers, []byte(id.String()), val)
	}
	if err != nil {
		b.log.Warn("could not remember a member's addresses", "peer", id, "err", err)
		return
	}
	e := b.entry(id)
	if b.held == nil {
		b.held = map[[sha256.Size]byte]bool{}
	}
	if e.record != nil {
		delete(b.held, sha256.Sum256(e.record))
	}
	if record != nil {
		b.held[sha256.Sum256(record)] = true
	}
	e.addrs, e.record, e.seq = addrs, record, seq
}

// dialSome dials remembered members that are not connected while fewer
// than wantMembers are. In a paced round (every redialEvery) it first
// clears libp2p's dial backoff for them: the book's own period is the
// backoff, and libp2p's, which grows to five minutes while a member stays
// unreachable (a partition, an office offline for the weekend), would hold
// back the first redial after the member is back.
func (b *peerBook) dialSome(ctx context.Context, reg *membership.Registry, paced bool) {
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
	for id, e := range b.entries {
		if id != h.ID() && len(e.addrs) > 0 && reg.IsMember(id) && h.Network().Connectedness(id) != network.Connected {
			todo = append(todo, peer.AddrInfo{ID: id, Addrs: slices.Clone(e.addrs)})
		}
	}
	b.mu.Unlock()
	if need := wantMembers - connected; need < len(todo) {
		if need <= 0 {
			return
		}
		todo = todo[:need] // map order: a different few each round
	}
	sw, _ := h.Network().(*swarm.Swarm)
	var wg sync.WaitGroup
	for _, ai := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.Peerstore().AddAddrs(ai.ID, ai.Addrs, peerstore.AddressTTL)
			if paced && sw != nil {
				sw.Backoff().Clear(ai.ID)
			}
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
