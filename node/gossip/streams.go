package gossip

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
)

// answerer implements protocol.Handler for this node.
type answerer struct{ g *Gossip }

var _ protocol.Handler = answerer{}

// Join offers the joining peer its certificate.
func (a answerer) Join(ctx context.Context, from peer.ID, req protocol.JoinRequest) (protocol.JoinResponse, error) {
	return a.g.reg.Offer(ctx, from, req)
}

// Admit stores the certificate the peer signed and tells the network.
func (a answerer) Admit(ctx context.Context, from peer.ID, req protocol.JoinRequest, cert protocol.Certificate) error {
	cert, err := a.g.reg.Admit(ctx, from, req, cert)
	if err != nil {
		return err
	}
	rec := protocol.Record{Certificate: &cert}
	a.g.background(func() {
		ctx, cancel := context.WithTimeout(a.g.ctx, a.g.timeout)
		defer cancel()
		if err := a.g.publish(ctx, rec); err != nil && a.g.ctx.Err() == nil {
			a.g.log.Warn("gossip: publish new member's certificate", "member", from, "err", err)
		}
	})
	return nil
}

// Missing returns what the peer lacks: membership records first, then the
// Declaration's, each in an order the peer can apply. If the peer holds
// records this node lacks, this node pulls them in turn: one sync brings
// both ends up to date.
func (a answerer) Missing(ctx context.Context, from peer.ID, networkID string, have map[protocol.Hash]struct{}) ([]protocol.Record, error) {
	n, ok := a.g.reg.Network()
	if !ok || n.ID != networkID {
		return nil, fmt.Errorf("this node is not in network %s", networkID)
	}
	if len(have) > 0 && !holdsAll(a.g.hashes(), have) {
		a.g.syncSoon(from)
	}
	recs := append(a.g.reg.Records(have), a.g.ledger.Records(have)...)
	if a.g.queries != nil {
		recs = append(recs, a.g.queries.Records(have)...)
	}
	return recs, nil
}

// holdsAll reports whether mine includes every hash in have.
func holdsAll(mine []protocol.Hash, have map[protocol.Hash]struct{}) bool {
	if len(have) > len(mine) {
		return false
	}
	set := make(map[protocol.Hash]struct{}, len(mine))
	for _, h := range mine {
		set[h] = struct{}{}
	}
	for h := range have {
		if _, ok := set[h]; !ok {
			return false
		}
	}
	return true
}

// finish closes a stream after a good exchange and resets it after a bad
// one, so the other end does not wait for data that will not come.
func finish(s network.Stream, err error) {
	if err != nil && !errors.Is(err, protocol.ErrDenied) {
		s.Reset()
		return
	}
	s.Close()
}

// handleJoin answers /kolo/join, the one protocol a non-member may use.
// When the exchange ends, a peer that is still not a member is
// disconnected: it came to join and has nothing else to do here.
func (g *Gossip) handleJoin(s network.Stream) {
	remote := s.Conn().RemotePeer()
	g.mu.Lock()
	g.joining[remote]++
	g.mu.Unlock()
	s.SetDeadline(time.Now().Add(g.timeout))
	err := protocol.ServeJoin(g.ctx, s, remote, answerer{g})
	if err != nil {
		g.limit.warnErr(g.log, remote, err, "gossip: join refused", "peer", remote, "err", err)
	}
	finish(s, err)
	g.mu.Lock()
	if g.joining[remote]--; g.joining[remote] <= 0 {
		delete(g.joining, remote)
	}
	busy := g.joining[remote] > 0
	g.mu.Unlock()
	if !busy && !g.reg.IsMember(remote) {
		// Let the refusal reach the peer before the connection goes.
		g.expel(remote, time.Second)
	}
}

// handleSync answers /kolo/sync for members only.
func (g *Gossip) handleSync(s network.Stream) {
	remote := s.Conn().RemotePeer()
	if !g.reg.IsMember(remote) {
		g.limit.warn(g.log, remote, "gossip: sync refused: not a member", "peer", remote)
		s.Reset()
		return
	}
	s.SetDeadline(time.Now().Add(g.timeout))
	err := protocol.ServeSync(g.ctx, s, remote, answerer{g})
	if err != nil {
		g.limit.warnErr(g.log, remote, err, "gossip: sync answer failed", "peer", remote, "err", err)
	}
	finish(s, err)
}

// Sync pulls from member p the records this node lacks, verifies them and
// stores the valid ones. It returns how many were new.
func (g *Gossip) Sync(ctx context.Context, p peer.ID) (int, error) {
	n, ok := g.reg.Network()
	if !ok {
		return 0, membership.ErrNoNetwork
	}
	s, err := g.host.NewStream(ctx, p, protocol.SyncID)
	if err != nil {
		return 0, fmt.Errorf("sync with %s: %w", p, err)
	}
	// Reads and writes on a stream do not watch ctx: when it ends (the
	// node stops), reset the stream rather than wait for its deadline on
	// a peer that stopped answering.
	defer context.AfterFunc(ctx, func() { s.Reset() })()
	deadline := time.Now().Add(g.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	s.SetDeadline(deadline)
	recs, err := protocol.PullRecords(ctx, s, n.ID, g.hashes())
	finish(s, err)
	if err != nil {
		return 0, fmt.Errorf("sync with %s: %w", p, err)
	}
	return g.applyAll(ctx, p, recs), nil
}

// applyAll verifies and stores records from a sync, in whatever order the
// peer sent them: membership records first (down the admission chains),
// then the Declaration's. Each signature is checked once. What fails is
// logged, at most maxLoggedFailures lines per sync.
func (g *Gossip) applyAll(ctx context.Context, from peer.ID, recs []protocol.Record) int {
	var members, decl, queries []protocol.Record
	for _, rec := range recs {
		switch rec.Kind() {
		case protocol.KindCertificate, protocol.KindMemberRevocation:
			members = append(members, rec)
		case protocol.KindQuery:
			queries = append(queries, rec)
		default:
			decl = append(decl, rec)
		}
	}
	added, fails := g.reg.Apply(ctx, members)
	if slices.ContainsFunc(members, func(r protocol.Record) bool { return r.MemberRevocation != nil }) {
		g.dropNonMembers()
		g.prune(ctx)
	}
	more, failed := g.ledger.Apply(ctx, decl)
	added, fails = append(added, more...), append(fails, failed...)
	for _, rec := range queries { // after the certificates their requesters need
		ok, err := g.Accept(ctx, rec)
		if err != nil {
			fails = append(fails, membership.Failure{Record: rec, Err: err})
		} else if ok {
			added = append(added, rec)
		}
	}
	g.forward(added)
	for i, f := range fails {
		if i == maxLoggedFailures {
			g.log.Warn("gossip: more records from sync rejected", "from", from, "count", len(fails)-i)
			break
		}
		if errors.Is(f.Err, membership.ErrStore) {
			// This node's failure, not the peer's: the next sync tries again.
			g.log.Warn("gossip: could not keep a record from sync; the next sync brings it again", "kind", f.Record.Kind(), "from", from, "err", f.Err)
			continue
		}
		g.log.Warn("gossip: rejected record from sync", "kind", f.Record.Kind(), "from", from, "err", f.Err)
	}
	return len(added)
}

// forward publishes, once, the records this node learned by sync, so they
// spread on the records topic from here: a record that crossed a healed
// partition through the one pair of nodes that synced reaches the others
// on that side within a heartbeat, not at their next periodic sync.
// GossipSub's seen-cache stops the copies.
func (g *Gossip) forward(recs []protocol.Record) {
	if len(recs) == 0 {
		return
	}
	g.background(func() {
		ctx, cancel := context.WithTimeout(g.ctx, g.timeout)
		defer cancel()
		for _, rec := range recs {
			if err := g.publish(ctx, rec); err != nil && g.ctx.Err() == nil {
				g.log.Debug("gossip: could not pass on a record learned by sync", "kind", rec.Kind(), "err", err)
			}
		}
	})
}

// maxLoggedFailures caps the log lines one sync can cause.
const maxLoggedFailures = 20

// JoinNetwork is `kolo join TOKEN` on the new node: it connects to the
// inviter, proves it holds the token, stores the network file and its
// certificate, joins the records topic and catches up from the inviter.
// ageRecipient is this node's age recipient, written into its certificate.
func (g *Gossip) JoinNetwork(ctx context.Context, tok protocol.InviteToken, ageRecipient string) (protocol.Certificate, error) {
	info, err := tok.AddrInfo()
	if err != nil {
		return protocol.Certificate{}, err
	}
	req, err := protocol.NewJoinRequest(tok, g.host.ID(), ageRecipient)
	if err != nil {
		return protocol.Certificate{}, fmt.Errorf("join: %w", err)
	}
	g.host.Peerstore().AddAddrs(info.ID, info.Addrs, peerstore.TempAddrTTL)
	if err := g.host.Connect(ctx, info); err != nil {
		return protocol.Certificate{}, fmt.Errorf("join: connect to the inviter %s at %v: %w", info.ID, tok.Addrs, err)
	}
	s, err := g.host.NewStream(ctx, info.ID, protocol.JoinID)
	if err != nil {
		return protocol.Certificate{}, fmt.Errorf("join: open stream to the inviter %s: %w", info.ID, err)
	}
	s.SetDeadline(time.Now().Add(g.timeout))
	resp, err := protocol.RequestJoin(ctx, s, req, func(offer protocol.JoinResponse) ([]byte, error) {
		return g.reg.AcceptOffer(ctx, tok, ageRecipient, offer)
	})
	finish(s, err)
	if err != nil {
		return protocol.Certificate{}, err
	}
	if err := g.reg.Adopt(ctx, tok, resp); err != nil {
		return protocol.Certificate{}, fmt.Errorf("join: %w", err)
	}
	if err := g.JoinTopic(); err != nil {
		return *resp.Certificate, err
	}
	g.log.Info("joined network", "network", tok.Network, "inviter", tok.Inviter)
	// The inviter's GossipSub ignored this node while it was not a member
	// (and closes the connection of a peer done joining unless it became
	// one): connect afresh, as a member, so both see each other.
	g.host.Network().ClosePeer(info.ID)
	if err := g.host.Connect(ctx, info); err != nil {
		g.log.Warn("gossip: reconnecting to the inviter after joining failed; it is retried", "peer", info.ID, "err", err)
	}
	if _, err := g.Sync(ctx, info.ID); err != nil {
		g.log.Warn("gossip: first sync after joining failed; it is retried on the next connection", "peer", info.ID, "err", err)
	}
	return *resp.Certificate, nil
}
