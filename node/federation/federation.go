// Package federation is the network half of kolo's federated aggregates.
//
// An analyst's node signs a query (protocol.Query) and gives it to the
// network as a record: it travels on the records topic and in sync, so a
// member that is offline when it is asked answers when it comes back, as
// long as the query is open. Every member that receives it, in this order:
// checks it (signature, the requester a current member, not expired, not
// seen before), authorises it (the requester's role and this node's own
// Policy: who may ask, about which kinds, how often), evaluates and
// protects it over its own records with node/query (subset rule, minimum
// cell count, differencing guard, optional noise with an ε budget), logs
// it in its audit log, seals the answer with age to the age recipient in
// the requester's member certificate, signs it (protocol.Answer) and
// delivers it to the requester alone on /kolo/answer/1.0.0, retrying until
// the query expires. A refusal is answered the same way, with its reason.
//
// The requester's node checks each answer's signature and its signer's
// membership before it uses a figure, opens it, keeps its exact bytes
// (the evidence a third party can check with age and OpenSSL) and combines
// the parts with query.Combine.
package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Key spaces of the node's store.
const (
	spaceQuery    store.Space = "fed-query"    // query hash -> protocol.Query, while open
	spaceSeen     store.Space = "fed-seen"     // requester/query id -> outcome, until a day after expiry
	spaceOutbox   store.Space = "fed-outbox"   // query hash -> protocol.Answer not yet delivered
	spaceMine     store.Space = "fed-mine"     // query id -> asked: the queries this node asked
	spaceReceived store.Space = "fed-received" // query hash/answerer -> protocol.Answer received
	spaceRate     store.Space = "fed-rate"     // requester/day -> queries answered that day
)

// Errors a refused query or answer wraps.
var (
	ErrExpired = errors.New("query expired")
	ErrReplay  = errors.New("query seen before (a replay)")
	ErrLimit   = errors.New("over the open queries one member may have")
	ErrClosed  = errors.New("federation closed")
	ErrUnknown = errors.New("not a query of this node")
)

// Defaults.
const (
	// DefaultRetry is how often undelivered answers are tried again.
	DefaultRetry = 30 * time.Second
	// MaxOpenPerRequester bounds the open queries one member can make
	// every node store (a query is a few hundred bytes). The regional
	// report (node/report) asks 37 at once and they stay open for its
	// --wait, so the bound leaves room for a few reports in a row.
	MaxOpenPerRequester = 256
	// seenFor is how long after a query's expiry its id stays remembered.
	seenFor = 24 * time.Hour
	// answerWorkers answer queries in parallel.
	answerWorkers = 2
	// maxSealed caps the opened plaintext of an answer.
	maxSealed = protocol.MaxAnswerSize
)

// Auditor records what happens to queries on this node (node/audit's log).
type Auditor interface {
	Record(ctx context.Context, e Event) error
}

// Event kinds.
const (
	EventSent           = "sent"            // this node asked
	EventQueryReceived  = "query_received"  // a member's query reached this node
	EventAnswered       = "answered"        // this node released figures
	EventRefused        = "refused"         // this node refused a query
	EventAnswerReceived = "answer_received" // an answer reached this node, the requester
)

// Event is one line of the audit log about a query.
type Event struct {
	Kind       string
	QueryID    string
	QueryHash  string
	Text       string // the query's canonical text
	Requester  peer.ID
	Answerer   peer.ID
	Released   int     // cells released
	Suppressed int     // cells suppressed
	Epsilon    float64 // ε spent
	Reason     string  // why, for refused
}

// Config is what a Federation needs.
type Config struct {
	Store    *store.Store
	Registry *membership.Registry
	Key      crypto.PrivKey      // signs queries and answers
	Identity *age.X25519Identity // opens the answers sealed to this node
	Host     host.Host
	// Records are the node's records: queries are evaluated over their
	// indicators.
	Records   query.Source
	Protector *query.Protector
	Policy    Policy
	Limits    query.Limits
	// Private names the personal and free-text fields of the forms this
	// node serves, for clear refusals (query.PrivateFields).
	Private func() map[string]string
	Audit   Auditor
	// Retry is how often undelivered answers are tried again (DefaultRetry).
	Retry  time.Duration
	Now    func() time.Time
	Logger *slog.Logger
}

// Federation asks and answers federated queries for one node.
type Federation struct {
	cfg  Config
	self peer.ID
	log  *slog.Logger
	now  func() time.Time

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	work   chan protocol.Hash

	mu      sync.Mutex // guards open, the rate counters, pending
	open    map[protocol.Hash]protocol.Query
	pending map[protocol.Hash]bool // queued for answering
	waiters map[string][]chan struct{}
}

// New loads the open queries, registers the answer protocol, and starts
// answering and delivering. Close stops it.
func New(ctx context.Context, cfg Config) (*Federation, error) {
	if cfg.Store == nil || cfg.Registry == nil || cfg.Key == nil || cfg.Identity == nil || cfg.Host == nil || cfg.Records == nil || cfg.Protector == nil {
		return nil, errors.New("federation: Store, Registry, Key, Identity, Host, Records and Protector are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Retry <= 0 {
		cfg.Retry = DefaultRetry
	}
	if cfg.Private == nil {
		cfg.Private = func() map[string]string { return nil }
	}
	cfg.Policy = cfg.Policy.WithDefaults()
	self, err := peer.IDFromPrivateKey(cfg.Key)
	if err != nil {
		return nil, fmt.Errorf("federation: %w", err)
	}
	f := &Federation{cfg: cfg, self: self, log: cfg.Logger, now: cfg.Now,
		work: make(chan protocol.Hash, 1024), open: map[protocol.Hash]protocol.Query{},
		pending: map[protocol.Hash]bool{}, waiters: map[string][]chan struct{}{}}
	f.ctx, f.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := f.load(ctx); err != nil {
		f.cancel()
		return nil, err
	}
	events, err := cfg.Host.EventBus().Subscribe(new(event.EvtPeerConnectednessChanged))
	if err != nil {
		f.cancel()
		return nil, fmt.Errorf("federation: watch connections: %w", err)
	}
	cfg.Host.SetStreamHandler(protocol.AnswerID, f.handleAnswer)
	for range answerWorkers {
		f.wg.Add(1)
		go f.answerLoop()
	}
	f.wg.Add(1)
	go f.deliverLoop(events)
	// Queries that arrived before a stop and were not answered yet.
	for h := range f.open {
		f.enqueue(h)
	}
	return f, nil
}

// Close stops answering and delivering and waits for the work under way.
func (f *Federation) Close() error {
	f.cfg.Host.RemoveStreamHandler(protocol.AnswerID)
	f.cancel()
	f.wg.Wait()
	return nil
}

// load reads the open queries, dropping the expired ones.
func (f *Federation) load(ctx context.Context) error {
	now := f.now()
	var expired [][]byte
	err := f.cfg.Store.Scan(ctx, spaceQuery, nil, func(key, val []byte) error {
		var q protocol.Query
		if err := protocol.Decode(val, protocol.MaxMessageSize, &q); err != nil {
			return fmt.Errorf("stored query %s: %w", key, err)
		}
		h, err := q.Hash()
		if err != nil {
			return fmt.Errorf("stored query %s: %w", key, err)
		}
		if exp, _ := protocol.ParseTime(q.Expires); !now.Before(exp) {
			expired = append(expired, key)
			return nil
		}
		f.open[h] = q
		return nil
	})
	if err != nil {
		return fmt.Errorf("federation: load queries: %w", err)
	}
	for _, k := range expired {
		f.cfg.Store.Delete(spaceQuery, k)
	}
	return nil
}

// audit records e, logging (never failing on) an audit error.
func (f *Federation) audit(ctx context.Context, e Event) {
	if f.cfg.Audit == nil {
		return
	}
	if err := f.cfg.Audit.Record(ctx, e); err != nil {
		f.log.Error("could not write the audit log", "event", e.Kind, "query", e.QueryID, "err", err)
	}
}

// connected reports whether p is connected now.
func (f *Federation) connected(p peer.ID) bool {
	return f.cfg.Host.Network().Connectedness(p) == network.Connected
}
