// Package gossip carries a kolo network's signed records between its
// members over libp2p: GossipSub on the network's records topic for
// speed, anti-entropy sync on a stream protocol whenever a member connects
// (so a node that was offline catches up), the join protocol a new node
// uses to present its invite, and the connection gater that keeps
// non-members out.
//
// Every record, whichever way it arrives, is verified by the Registry
// (certificates, member revocations) or the Ledger (endorsements,
// revocations) before it is stored. A record that fails is logged on one
// line and, on GossipSub, rejected by the topic validator so it is never
// forwarded.
package gossip

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// logEvery is how often one peer may cause the same warning.
const logEvery = 5 * time.Second

// Defaults of Config.
const (
	DefaultStreamTimeout = 30 * time.Second
	DefaultSyncInterval  = time.Minute
	// DefaultJoinGrace is how long a peer that is not a member may stay
	// connected (while an invite is open) without having joined.
	DefaultJoinGrace = 15 * time.Second
)

// Queries keeps the open federated queries, which travel like the
// network's other records (node/federation).
type Queries interface {
	Accept(ctx context.Context, q protocol.Query) (bool, error)
	Hashes() []protocol.Hash
	Records(have map[protocol.Hash]struct{}) []protocol.Record
}

// Config is what a Gossip needs.
type Config struct {
	Host     host.Host
	PubSub   *pubsub.PubSub // GossipSub, created with PubSubOptions(Registry)
	Registry *membership.Registry
	Ledger   *declaration.Ledger
	// Queries, if set, takes the query records (nil: refused).
	Queries Queries
	Logger  *slog.Logger
	// StreamTimeout bounds one join or sync exchange (DefaultStreamTimeout if 0).
	StreamTimeout time.Duration
	// SyncInterval is how often the node syncs with one random connected
	// member besides the syncs on connection (DefaultSyncInterval if 0;
	// negative: never).
	SyncInterval time.Duration
	// JoinGrace is how long a connected non-member may take to join
	// (DefaultJoinGrace if 0).
	JoinGrace time.Duration
}

// Gossip moves the network's records between this node and its peers.
type Gossip struct {
	host    host.Host
	ps      *pubsub.PubSub
	reg     *membership.Registry
	ledger  *declaration.Ledger
	queries Queries
	log     *slog.Logger
	timeout time.Duration

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	events event.Subscription

	grace time.Duration
	limit *logLimiter

	mu      sync.Mutex
	topic   *pubsub.Topic
	sub     *pubsub.Subscription
	syncing map[peer.ID]bool
	joining map[peer.ID]int // join exchanges running, per peer
	closed  bool
}

// New registers the join and sync stream handlers, watches connections,
// and, if the node belongs to a network, joins its records topic. Close
// undoes all of it.
func New(ctx context.Context, cfg Config) (*Gossip, error) {
	if cfg.Host == nil || cfg.PubSub == nil || cfg.Registry == nil || cfg.Ledger == nil {
		return nil, errors.New("gossip: Host, PubSub, Registry and Ledger are required")
	}
	g := &Gossip{
		host: cfg.Host, ps: cfg.PubSub, reg: cfg.Registry, ledger: cfg.Ledger, queries: cfg.Queries, log: cfg.Logger,
		timeout: cfg.StreamTimeout, syncing: map[peer.ID]bool{}, joining: map[peer.ID]int{},
		grace: cfg.JoinGrace, limit: newLogLimiter(logEvery),
	}
	if g.grace <= 0 {
		g.grace = DefaultJoinGrace
	}
	if g.log == nil {
		g.log = slog.Default()
	}
	if g.timeout <= 0 {
		g.timeout = DefaultStreamTimeout
	}
	g.ctx, g.cancel = context.WithCancel(context.WithoutCancel(ctx))
	events, err := g.host.EventBus().Subscribe(new(event.EvtPeerConnectednessChanged))
	if err != nil {
		g.cancel()
		return nil, fmt.Errorf("gossip: watch connections: %w", err)
	}
	g.events = events
	if _, ok := g.reg.Network(); ok {
		if err := g.JoinTopic(); err != nil {
			events.Close()
			g.cancel()
			return nil, err
		}
	}
	g.host.SetStreamHandler(protocol.JoinID, g.handleJoin)
	g.host.SetStreamHandler(protocol.SyncID, g.handleSync)
	g.wg.Add(1)
	go g.watchConnections()
	interval := cfg.SyncInterval
	if interval == 0 {
		interval = DefaultSyncInterval
	}
	if interval > 0 {
		g.wg.Add(1)
		go g.syncPeriodically(interval)
	}
	return g, nil
}

// Close stops the handlers, leaves the topic and waits for running syncs.
func (g *Gossip) Close() error {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return nil
	}
	g.closed = true
	topic, sub := g.topic, g.sub
	g.mu.Unlock()
	g.host.RemoveStreamHandler(protocol.JoinID)
	g.host.RemoveStreamHandler(protocol.SyncID)
	g.cancel()
	g.events.Close()
	g.wg.Wait() // the drain and watch loops end with the context; the topic's event handler with them
	if sub == nil {
		return nil
	}
	sub.Cancel()
	err := g.ps.UnregisterTopicValidator(topic.String())
	// Subscription.Cancel is asynchronous in go-libp2p-pubsub: the topic
	// refuses to close until the pubsub loop has processed it. Wait for
	// that, boundedly.
	for range 200 {
		cerr := topic.Close()
		if cerr == nil || !strings.Contains(cerr.Error(), "outstanding") {
			err = errors.Join(err, cerr)
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if errors.Is(err, context.Canceled) {
		// The node stopped GossipSub first (it does on its way out, so as
		// not to leave the topic): nothing is left to unregister.
		err = nil
	}
	if err != nil {
		return fmt.Errorf("gossip: close: %w", err)
	}
	return nil
}

// JoinTopic joins the network's records topic, with its validator. New
// does it when the node already belongs to a network, JoinNetwork after a
// join; call it after Registry.Init on a node that has just created its
// network. Calling it again is a no-op.
func (g *Gossip) JoinTopic() error {
	n, ok := g.reg.Network()
	if !ok {
		return membership.ErrNoNetwork
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.topic != nil || g.closed {
		return nil
	}
	name := protocol.RecordsTopic(n.ID)
	if err := g.ps.RegisterTopicValidator(name, g.validate); err != nil {
		return fmt.Errorf("gossip: validator for %s: %w", name, err)
	}
	topic, err := g.ps.Join(name)
	if err != nil {
		g.ps.UnregisterTopicValidator(name)
		return fmt.Errorf("gossip: join topic %s: %w", name, err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		topic.Close()
		g.ps.UnregisterTopicValidator(name)
		return fmt.Errorf("gossip: subscribe to %s: %w", name, err)
	}
	events, err := topic.EventHandler()
	if err != nil {
		sub.Cancel()
		topic.Close()
		g.ps.UnregisterTopicValidator(name)
		return fmt.Errorf("gossip: watch topic %s: %w", name, err)
	}
	g.topic, g.sub = topic, sub
	g.wg.Add(2)
	go g.drain(sub)
	go g.watchTopic(events)
	return nil
}

// watchTopic syncs with every member that joins the records topic: a
// message published before the two knew of each other's subscription
// reached neither, so they compare what they hold.
func (g *Gossip) watchTopic(events *pubsub.TopicEventHandler) {
	defer g.wg.Done()
	defer events.Cancel()
	for {
		ev, err := events.NextPeerEvent(g.ctx)
		if err != nil {
			return
		}
		if ev.Type == pubsub.PeerJoin && g.reg.IsMember(ev.Peer) {
			g.syncSoon(ev.Peer)
		}
	}
}

// drain consumes the subscription: the validator has already verified and
// stored each message, so there is nothing left to do with it.
func (g *Gossip) drain(sub *pubsub.Subscription) {
	defer g.wg.Done()
	for {
		if _, err := sub.Next(g.ctx); err != nil {
			return
		}
	}
}

// hashes returns the hashes of every record this node holds that a peer
// may lack.
func (g *Gossip) hashes() []protocol.Hash {
	hs := append(g.reg.Hashes(), g.ledger.Hashes()...)
	if g.queries != nil {
		hs = append(hs, g.queries.Hashes()...)
	}
	return hs
}

// TopicPeersHas reports whether p is among TopicPeers.
func (g *Gossip) TopicPeersHas(p peer.ID) bool { return slices.Contains(g.TopicPeers(), p) }

// TopicPeers lists the peers this node knows on the records topic.
func (g *Gossip) TopicPeers() []peer.ID {
	g.mu.Lock()
	topic := g.topic
	g.mu.Unlock()
	if topic == nil {
		return nil
	}
	return topic.ListPeers()
}

// Publish sends a record to the network: the result of Ledger.Sign,
// Ledger.Withdraw, Registry.NewMemberRevocation. The record is verified
// and stored here first (a no-op if it already is), so this node never
// sends what it would refuse.
func (g *Gossip) Publish(ctx context.Context, rec protocol.Record) error {
	if _, err := g.Accept(ctx, rec); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return g.publish(ctx, rec)
}

// publish sends rec without checking it.
func (g *Gossip) publish(ctx context.Context, rec protocol.Record) error {
	g.mu.Lock()
	topic := g.topic
	g.mu.Unlock()
	if topic == nil {
		return fmt.Errorf("publish %s: %w", rec.Kind(), membership.ErrNoNetwork)
	}
	data, err := protocol.Encode(rec)
	if err != nil {
		return err
	}
	if len(data) > protocol.MaxMessageSize {
		return fmt.Errorf("publish %s: %d bytes: %w", rec.Kind(), len(data), protocol.ErrTooLarge)
	}
	if err := topic.Publish(ctx, data); err != nil {
		return fmt.Errorf("publish %s: %w", rec.Kind(), err)
	}
	return nil
}

// Accept verifies rec and stores it if it is new. It reports whether the
// record was new. A member revocation also closes the connections to the
// peers that are no longer members: the revoked one and those whose
// admission it dropped.
func (g *Gossip) Accept(ctx context.Context, rec protocol.Record) (bool, error) {
	switch rec.Kind() {
	case protocol.KindCertificate:
		return g.reg.AddCertificate(ctx, *rec.Certificate)
	case protocol.KindMemberRevocation:
		added, err := g.reg.Revoke(ctx, *rec.MemberRevocation)
		if added {
			g.dropNonMembers()
			g.prune(ctx)
		}
		return added, err
	case protocol.KindEndorsement:
		return g.ledger.Add(ctx, *rec.Endorsement)
	case protocol.KindRevocation:
		return g.ledger.Revoke(ctx, *rec.Revocation)
	case protocol.KindQuery:
		if g.queries == nil {
			return false, errors.New("query: this node takes no queries")
		}
		return g.queries.Accept(ctx, *rec.Query)
	}
	return false, errors.New("record: exactly one of certificate, member_revocation, endorsement, revocation, query must be set")
}

// validate is the records topic's validator. It verifies and stores each
// message; an invalid one is rejected (never forwarded) and logged on one
// line.
func (g *Gossip) validate(ctx context.Context, from peer.ID, msg *pubsub.Message) pubsub.ValidationResult {
	if from == g.host.ID() {
		return pubsub.ValidationAccept // published by this node, which verified and stored the record first
	}
	if !g.reg.IsMember(from) {
		// GossipSub's blacklist drops these first; this says so again
		// where the records are decided.
		g.limit.warn(g.log, from, "gossip: rejected a message relayed by a non-member", "from", from)
		return pubsub.ValidationReject
	}
	var rec protocol.Record
	if err := protocol.Decode(msg.Data, protocol.MaxMessageSize, &rec); err != nil {
		g.limit.warnErr(g.log, from, err, "gossip: rejected malformed record", "from", from, "err", err)
		return pubsub.ValidationReject
	}
	_, err := g.Accept(ctx, rec)
	if errors.Is(err, declaration.ErrUnknownEndorsement) || errors.Is(err, membership.ErrNotMember) {
		// Perhaps a record this node has not seen yet (an endorsement, a
		// certificate): not forwarded, not held against the sender, and
		// a sync brings both in order.
		g.log.Info("gossip: ignored a record that needs one this node lacks; syncing", "kind", rec.Kind(), "from", from, "err", err)
		g.syncSoon(from)
		return pubsub.ValidationIgnore
	}
	if errors.Is(err, membership.ErrStore) || (err != nil && ctx.Err() != nil) {
		// This node's own failure (a full disk, say, or a stop), not the
		// sender's: not held against it, not forwarded, and the periodic
		// sync brings the record again once the store can take it.
		g.limit.warnErr(g.log, from, err, "gossip: could not keep a record; a later sync brings it again", "kind", rec.Kind(), "from", from, "err", err)
		return pubsub.ValidationIgnore
	}
	if err != nil {
		g.limit.warnErr(g.log, from, err, "gossip: rejected record", "kind", rec.Kind(), "from", from, "err", err)
		return pubsub.ValidationReject
	}
	// A valid record this node already holds (learned by sync, or by
	// another path) is accepted too, so that GossipSub forwards it to the
	// peers that lack it; its seen-cache keeps a message from looping.
	return pubsub.ValidationAccept
}

// prune drops the Declaration records of revoked members that their
// revocations did not keep (declaration.Ledger.Prune).
func (g *Gossip) prune(ctx context.Context) {
	if _, err := g.ledger.Prune(ctx); err != nil {
		g.log.Warn("gossip: could not drop the records a revocation did not keep", "err", err)
	}
}

// watchConnections syncs with every member that connects (both ends see
// the connection, so each pulls what it lacks from the other) and gives a
// connected non-member JoinGrace to join.
func (g *Gossip) watchConnections() {
	defer g.wg.Done()
	for {
		select {
		case <-g.ctx.Done():
			return
		case ev, ok := <-g.events.Out():
			if !ok {
				return
			}
			e := ev.(event.EvtPeerConnectednessChanged)
			if e.Connectedness != network.Connected {
				continue
			}
			if g.reg.IsMember(e.Peer) {
				g.syncSoon(e.Peer)
			} else if _, inNetwork := g.reg.Network(); inNetwork {
				g.expel(e.Peer, g.grace)
			}
		}
	}
}

// expel closes the connections to p after wait unless p is a member by
// then or is in a join exchange (whose end decides again).
func (g *Gossip) expel(p peer.ID, wait time.Duration) {
	g.background(func() {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-g.ctx.Done():
			return
		case <-t.C:
		}
		g.mu.Lock()
		busy := g.joining[p] > 0
		g.mu.Unlock()
		if !busy && !g.reg.IsMember(p) && g.host.Network().Connectedness(p) == network.Connected {
			g.log.Info("gossip: closed the connection of a non-member that did not join", "peer", p)
			g.host.Network().ClosePeer(p)
		}
	})
}

// dropNonMembers closes the connections to every connected peer that is
// not a member and not joining (after a revocation).
func (g *Gossip) dropNonMembers() {
	for _, p := range g.host.Network().Peers() {
		g.mu.Lock()
		busy := g.joining[p] > 0
		g.mu.Unlock()
		if !busy && p != g.host.ID() && !g.reg.IsMember(p) {
			g.log.Info("gossip: closed the connection of a peer that is no longer a member", "peer", p)
			g.host.Network().ClosePeer(p)
		}
	}
}

// syncPeriodically syncs with one random connected member now and then,
// in case a gossip message was lost.
func (g *Gossip) syncPeriodically(every time.Duration) {
	defer g.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-g.ctx.Done():
			return
		case <-t.C:
			var members []peer.ID
			for _, p := range g.host.Network().Peers() {
				if g.reg.IsMember(p) {
					members = append(members, p)
				}
			}
			if len(members) > 0 {
				g.syncSoon(members[rand.IntN(len(members))])
			}
		}
	}
}

// background runs fn in a goroutine Close waits for, unless Close has
// begun.
func (g *Gossip) background(fn func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		fn()
	}()
}

// syncSoon starts a sync with p in the background unless one is running.
func (g *Gossip) syncSoon(p peer.ID) {
	g.mu.Lock()
	if g.closed || g.syncing[p] {
		g.mu.Unlock()
		return
	}
	g.syncing[p] = true
	g.mu.Unlock()
	g.background(func() {
		defer func() { g.mu.Lock(); delete(g.syncing, p); g.mu.Unlock() }()
		ctx, cancel := context.WithTimeout(g.ctx, g.timeout)
		defer cancel()
		n, err := g.Sync(ctx, p)
		if err != nil && g.ctx.Err() == nil {
			g.log.Warn("gossip: sync failed", "peer", p, "err", err)
			return
		}
		if n > 0 {
			g.log.Info("gossip: caught up", "peer", p, "records", n)
		}
	})
}
