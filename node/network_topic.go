package node

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/gossip"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"
)

// topicSyncTimeout bounds one sync or relay started by the topic watcher.
const topicSyncTimeout = 30 * time.Second

// topicWatcher follows this node's GossipSub on the records topic (it is
// the GossipSub's tracer) and closes two gaps through which a record would
// otherwise reach some nodes only at the next periodic sync, a minute
// later:
//
//   - GossipSub forwards a message only along its mesh and tells peers
//     outside it only at its next heartbeat (IHAVE). A node whose mesh is
//     still forming when a record goes by is in nobody's mesh, and by the
//     next heartbeat it is in the mesh, so it is never told. The watcher
//     syncs with every member grafted into the mesh.
//   - A node that already holds a record when its gossip message arrives
//     (it got it by sync first: typically the inviter, which syncs with a
//     new member as soon as it joins the topic, just before the new member
//     signs) ignores the message, and GossipSub forwards no ignored
//     message. The watcher publishes such a record once more itself, at
//     most once per record.
//
// The second gap would be better closed in node/gossip (accept, and so
// forward, a valid record already held); then relay can go.
type topicWatcher struct {
	ctx    context.Context
	reg    *membership.Registry
	gossip func() *gossip.Gossip // set once startNetwork has created it
	log    *slog.Logger

	mu      sync.Mutex
	syncing map[peer.ID]bool
	inMesh  map[peer.ID]bool // a node is on one records topic
	relayed map[protocol.Hash]bool
	closed  bool
	wg      sync.WaitGroup
}

func newTopicWatcher(ctx context.Context, reg *membership.Registry, g func() *gossip.Gossip, log *slog.Logger) *topicWatcher {
	return &topicWatcher{ctx: ctx, reg: reg, gossip: g, log: log,
		syncing: map[peer.ID]bool{}, inMesh: map[peer.ID]bool{}, relayed: map[protocol.Hash]bool{}}
}

var _ pubsub.RawTracer = (*topicWatcher)(nil)

// background runs fn unless the watcher is closed. The tracer's methods are
// called from the pubsub loop and must not block.
func (w *topicWatcher) background(fn func(g *gossip.Gossip)) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.ctx.Err() != nil {
		return false
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		if g := w.gossip(); g != nil {
			fn(g)
		}
	}()
	return true
}

// Graft is called when p enters the mesh, whichever side grafted.
func (w *topicWatcher) Graft(p peer.ID, topic string) {
	w.mu.Lock()
	w.inMesh[p] = true
	if w.syncing[p] || !w.reg.IsMember(p) {
		w.mu.Unlock()
		return
	}
	w.syncing[p] = true
	w.mu.Unlock()
	done := func() { w.mu.Lock(); delete(w.syncing, p); w.mu.Unlock() }
	started := w.background(func(g *gossip.Gossip) {
		defer done()
		ctx, cancel := context.WithTimeout(w.ctx, topicSyncTimeout)
		defer cancel()
		n, err := g.Sync(ctx, p)
		switch {
		case err != nil && w.ctx.Err() == nil:
			w.log.Debug("sync with a peer grafted into the mesh failed", "peer", p, "err", err)
		case n > 0:
			w.log.Info("gossip: caught up with a peer grafted into the mesh", "peer", p, "records", n)
		}
	})
	if !started {
		done()
	}
}

// Prune is called when p leaves the mesh.
func (w *topicWatcher) Prune(p peer.ID, topic string) {
	w.mu.Lock()
	delete(w.inMesh, p)
	w.mu.Unlock()
}

// RejectMessage is called for every message the validator did not accept.
// An ignored message carries a record this node holds already (the
// validator ignores nothing else): relay it once.
func (w *topicWatcher) RejectMessage(msg *pubsub.Message, reason string) {
	if reason != pubsub.RejectValidationIgnored {
		return
	}
	var rec protocol.Record
	if err := protocol.Decode(msg.Data, protocol.MaxMessageSize, &rec); err != nil {
		return
	}
	h, err := rec.Hash()
	if err != nil {
		return
	}
	w.mu.Lock()
	done := w.relayed[h]
	w.relayed[h] = true
	w.mu.Unlock()
	if done {
		return
	}
	w.background(func(g *gossip.Gossip) {
		ctx, cancel := context.WithTimeout(w.ctx, topicSyncTimeout)
		defer cancel()
		if err := g.Publish(ctx, rec); err != nil && w.ctx.Err() == nil {
			w.log.Debug("relaying a record learned by sync failed", "kind", rec.Kind(), "err", err)
		}
	})
}

// peers lists the peers in the mesh.
func (w *topicWatcher) peers() []peer.ID {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]peer.ID, 0, len(w.inMesh))
	for p := range w.inMesh {
		out = append(out, p)
	}
	return out
}

// wait stops the watcher and waits for what it started.
func (w *topicWatcher) wait() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *topicWatcher) OnNewOutboundStream(peer.ID, libp2pprotocol.ID)       {}
func (w *topicWatcher) OnClosedOutboundStream(peer.ID)                       {}
func (w *topicWatcher) Join(string)                                          {}
func (w *topicWatcher) Leave(string)                                         {}
func (w *topicWatcher) ValidateMessage(*pubsub.Message)                      {}
func (w *topicWatcher) DeliverMessage(*pubsub.Message)                       {}
func (w *topicWatcher) DuplicateMessage(*pubsub.Message)                     {}
func (w *topicWatcher) ThrottlePeer(peer.ID)                                 {}
func (w *topicWatcher) RecvRPC(*pubsub.RPC)                                  {}
func (w *topicWatcher) SendRPC(*pubsub.RPC, peer.ID)                         {}
func (w *topicWatcher) SendRPCCompleted(*pubsub.RPC, peer.ID, time.Duration) {}
func (w *topicWatcher) DropRPC(*pubsub.RPC, peer.ID)                         {}
func (w *topicWatcher) UndeliverableMessage(*pubsub.Message)                 {}
