package node

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/gossip"
	"github.com/kolo-net/kolo/node/membership"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"
)

// topicSyncTimeout bounds one sync started by the topic watcher.
const topicSyncTimeout = 30 * time.Second

// topicWatcher follows this node's GossipSub on the records topic (it is
// the GossipSub's tracer) and closes a gap through which a record would
// otherwise reach some nodes only at the next periodic sync, a minute
// later: GossipSub forwards a message only along its mesh and tells peers
// outside it only at its next heartbeat (IHAVE). A node whose mesh is
// still forming when a record goes by is in nobody's mesh, and by the
// next heartbeat it is in the mesh, so it is never told. The watcher
// syncs with every member grafted into the mesh.
//
// (A record a node already holds when its gossip message arrives is
// accepted by node/gossip's validator, so GossipSub forwards it.)
type topicWatcher struct {
	ctx    context.Context
	reg    *membership.Registry
	gossip func() *gossip.Gossip // set once startNetwork has created it
	log    *slog.Logger

	mu      sync.Mutex
	syncing map[peer.ID]bool
	inMesh  map[peer.ID]bool // a node is on one records topic
	closed  bool
	wg      sync.WaitGroup
}

func newTopicWatcher(ctx context.Context, reg *membership.Registry, g func() *gossip.Gossip, log *slog.Logger) *topicWatcher {
	return &topicWatcher{ctx: ctx, reg: reg, gossip: g, log: log,
		syncing: map[peer.ID]bool{}, inMesh: map[peer.ID]bool{}}
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

// RejectMessage is part of pubsub.RawTracer; the watcher needs nothing of it.
func (w *topicWatcher) RejectMessage(*pubsub.Message, string) {}

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

// forgetDisconnected removes from the mesh the peers that disconnect:
// GossipSub drops them from its mesh without telling the tracer, and a
// peer that reconnects is in the mesh again only once grafted again.
func (w *topicWatcher) forgetDisconnected(bus event.Bus) error {
	sub, err := bus.Subscribe(new(event.EvtPeerConnectednessChanged))
	if err != nil {
		return fmt.Errorf("watch disconnections: %w", err)
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer sub.Close()
		for {
			select {
			case <-w.ctx.Done():
				return
			case ev, ok := <-sub.Out():
				if !ok {
					return
				}
				if e := ev.(event.EvtPeerConnectednessChanged); e.Connectedness != network.Connected {
					w.Prune(e.Peer, "")
				}
			}
		}
	}()
	return nil
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
