package node

import (
	"cmp"
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// The member-address exchange (protocol.PeersID). A node learns where a
// member is when the member connects to it; without more, members admitted
// by one inviter would reach one another only through it, and when it is
// offline or on the other side of a partition they would not reach one
// another at all, even on the same LAN. So each member keeps the signed
// peer record every member sent it on connecting (libp2p's identify sends
// one: the member's addresses, signed by its key), and hands them to the
// members that ask: a member asks every member it connects to, and one
// connected member every redialEvery. A record is taken only if it
// verifies, is signed by the member it describes (a member cannot point
// the others at a false address for someone else) and is newer than the
// one held; only current members ask or are described.

// exchangeTimeout bounds one exchange.
const exchangeTimeout = 10 * time.Second

// askSoon has member p asked for peer records at the next round, now.
func (b *peerBook) askSoon(p peer.ID) {
	b.mu.Lock()
	if b.ask != nil {
		b.ask[p] = true
	}
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// askOne has a random connected member asked at the next round.
func (b *peerBook) askOne() {
	var members []peer.ID
	for _, p := range b.host.Network().Peers() {
		if b.reg.IsMember(p) {
			members = append(members, p)
		}
	}
	if len(members) > 0 {
		p := members[rand.IntN(len(members))]
		b.mu.Lock()
		b.ask[p] = true
		b.mu.Unlock()
	}
}

// askPeers asks the members due for their peer records, at once.
func (b *peerBook) askPeers(ctx context.Context) {
	n, ok := b.reg.Network()
	if !ok {
		return
	}
	b.mu.Lock()
	due := b.ask
	b.ask = map[peer.ID]bool{}
	b.mu.Unlock()
	var wg sync.WaitGroup
	for p := range due {
		if !b.reg.IsMember(p) || b.host.Network().Connectedness(p) != network.Connected {
			continue
		}
		wg.Go(func() {
			learned, err := b.exchange(ctx, p, n.ID)
			if err != nil {
				if ctx.Err() == nil {
					b.log.Info("could not ask a member where the others are", "peer", p, "err", err)
				}
				return
			}
			if learned > 0 {
				b.log.Info("learned where members are", "from", p, "members", learned)
			}
		})
	}
	wg.Wait()
}

// exchange asks member p for the peer records it holds and keeps the new
// ones; it returns how many it kept.
func (b *peerBook) exchange(ctx context.Context, p peer.ID, networkID string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, exchangeTimeout)
	defer cancel()
	s, err := b.host.NewStream(ctx, p, protocol.PeersID)
	if err != nil {
		return 0, err
	}
	defer context.AfterFunc(ctx, func() { s.Reset() })() // the stream does not watch ctx
	deadline, _ := ctx.Deadline()
	s.SetDeadline(deadline)
	recs, err := protocol.RequestPeers(s, networkID)
	if err != nil {
		s.Reset()
		return 0, err
	}
	s.Close()
	learned, bad := 0, 0
	var firstErr error
	for _, raw := range recs {
		ok, err := b.learn(raw, true)
		if err != nil {
			bad++
			firstErr = cmp.Or(firstErr, err)
		}
		if ok {
			learned++
		}
	}
	if bad > 0 {
		b.log.Warn("ignored peer records that do not verify", "from", p, "count", bad, "first", firstErr)
	}
	return learned, nil
}

// learn keeps a signed peer record if it verifies (else the error says
// why), describes a current member other than this node, and is newer than
// the one held; it reports whether it kept it. With
// addrs, the record's addresses become those the book dials (a record
// from identify leaves that to remember, which got the member's own list).
func (b *peerBook) learn(raw []byte, addrs bool) (bool, error) {
	sum := sha256.Sum256(raw)
	b.mu.Lock()
	held := b.held[sum]
	b.mu.Unlock()
	if held {
		return false, nil // kept already, so verified already
	}
	b.verified.Add(1)
	pr, err := protocol.OpenPeerRecord(raw)
	if err != nil {
		return false, err
	}
	if pr.PeerID == b.host.ID() || !b.reg.IsMember(pr.PeerID) {
		return false, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entry(pr.PeerID)
	if e.record != nil && pr.Seq <= e.seq {
		return false, nil
	}
	dial := e.addrs
	if addrs {
		dial = nil
		for _, s := range inviteAddrs(pr.Addrs) {
			if a, err := ma.NewMultiaddr(s); err == nil {
				dial = append(dial, a)
			}
		}
	}
	b.store(pr.PeerID, dial, raw, pr.Seq)
	return true, nil
}

// handlePeers answers a member's request with the peer records of the
// other current members.
func (b *peerBook) handlePeers(s network.Stream) {
	remote := s.Conn().RemotePeer()
	n, ok := b.reg.Network()
	if !ok || !b.reg.IsMember(remote) {
		s.Reset()
		return
	}
	s.SetDeadline(time.Now().Add(exchangeTimeout))
	var recs [][]byte
	b.mu.Lock()
	for id, e := range b.entries {
		if id != remote && e.record != nil && b.reg.IsMember(id) {
			recs = append(recs, e.record)
		}
	}
	b.mu.Unlock()
	if err := protocol.ServePeers(s, remote, n.ID, recs); err != nil {
		b.log.Info("peer records not sent", "peer", remote, "err", err)
		s.Reset()
		return
	}
	s.Close()
}
