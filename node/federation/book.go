package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
)

// seen is what a node remembers of a query id it met: until a day after
// the query expired, the same id is refused (a replay).
type seen struct {
	Hash    string `json:"hash"`
	Expires string `json:"expires"`
	Outcome string `json:"outcome"` // "" while queued; answered; refused: reason
}

func seenKey(q protocol.Query) []byte { return []byte(q.Requester.String() + "/" + q.ID) }

// Accept verifies a query record (from gossip, sync, or this node asking)
// and keeps it while it is open, so it is passed on to members that lack
// it, then answers it. It reports whether the query was new. A query is
// refused (and logged in the audit log when it is a member's) if its
// signature fails, it is for another network, its requester is not a
// current member, it is dated in the future, it has expired, its id was
// seen before under another query (a replay), or its requester has too
// many open queries.
func (f *Federation) Accept(ctx context.Context, q protocol.Query) (bool, error) {
	if err := q.Verify(); err != nil {
		return false, err
	}
	h, err := q.Hash()
	if err != nil {
		return false, err
	}
	f.mu.Lock()
	_, held := f.open[h]
	f.mu.Unlock()
	if held {
		return false, nil
	}
	refuse := func(reason string, err error) (bool, error) {
		f.audit(ctx, Event{Kind: EventRefused, QueryID: q.ID, QueryHash: h.String(), Text: q.Text, Requester: q.Requester, Answerer: f.self, Reason: reason})
		return false, err
	}
	n, ok := f.cfg.Registry.Network()
	switch {
	case !ok:
		return false, membership.ErrNoNetwork
	case q.Network != n.ID:
		return false, fmt.Errorf("query %s is for network %s, this node is in %s: %w", q.ID, q.Network, n.ID, membership.ErrWrongNetwork)
	}
	m, ok := f.cfg.Registry.Member(q.Requester)
	if !ok {
		return refuse("requester_not_member", fmt.Errorf("query %s: requester %s: %w", q.ID, q.Requester, membership.ErrNotMember))
	}
	if !m.Active() {
		return refuse("requester_revoked", fmt.Errorf("query %s: requester %s, revoked at %s: %w", q.ID, q.Requester, m.Revoked, membership.ErrRevoked))
	}
	now := f.now()
	issued, _ := protocol.ParseTime(q.Issued)
	expires, _ := protocol.ParseTime(q.Expires)
	if issued.After(now.Add(membership.MaxClockSkew)) {
		return refuse("issued_in_future", fmt.Errorf("query %s issued at %s, later than now (%s): %w", q.ID, q.Issued, protocol.FormatTime(now), membership.ErrFuture))
	}
	if !now.Before(expires) {
		return refuse("expired", fmt.Errorf("query %s expired at %s: %w", q.ID, q.Expires, ErrExpired))
	}
	if prev, err := f.cfg.Store.Get(spaceSeen, seenKey(q)); err == nil {
		var s seen
		if protocol.Decode(prev, protocol.MaxMessageSize, &s) == nil && s.Hash == h.String() && s.Outcome != "" {
			return refuse("replay", fmt.Errorf("query %s was answered already (%s): %w", q.ID, s.Outcome, ErrReplay))
		}
		if s.Hash != h.String() {
			return refuse("replay", fmt.Errorf("query id %s of %s was used for another query: %w", q.ID, q.Requester, ErrReplay))
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, fmt.Errorf("query %s: %w", q.ID, err)
	}
	val, err := protocol.Encode(q)
	if err != nil {
		return false, err
	}
	sv, err := protocol.Encode(seen{Hash: h.String(), Expires: q.Expires})
	if err != nil {
		return false, err
	}
	f.mu.Lock()
	if _, held := f.open[h]; held {
		f.mu.Unlock()
		return false, nil
	}
	// Only queries still open count: one closed a moment ago is swept
	// on the next retry tick, and must not hold the requester back.
	count, now := 0, f.now()
	for _, o := range f.open {
		if exp, _ := protocol.ParseTime(o.Expires); o.Requester == q.Requester && now.Before(exp) {
			count++
		}
	}
	if count >= MaxOpenPerRequester {
		f.mu.Unlock()
		return false, fmt.Errorf("query %s: %s has %d open queries, the most one member may: %w", q.ID, q.Requester, count, ErrLimit)
	}
	err = f.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.Put(spaceQuery, []byte(h.String()), val); err != nil {
			return err
		}
		if _, err := tx.Get(spaceSeen, seenKey(q)); err == nil {
			return nil // the same query, stored again after a restart
		}
		return tx.Put(spaceSeen, seenKey(q), sv)
	})
	if err != nil {
		f.mu.Unlock()
		return false, fmt.Errorf("store query %s: %w", q.ID, err)
	}
	f.open[h] = q
	f.pending[h] = true // queued below, once the audit log says it arrived
	f.mu.Unlock()
	f.log.Info("query received", "query", q.ID, "requester", q.Requester, "expires", q.Expires)
	if q.Requester != f.self {
		f.audit(ctx, Event{Kind: EventQueryReceived, QueryID: q.ID, QueryHash: h.String(), Text: q.Text, Requester: q.Requester, Answerer: f.self})
	}
	f.mu.Lock()
	delete(f.pending, h)
	f.enqueueLocked(h)
	f.mu.Unlock()
	return true, nil
}

// enqueue queues query h for answering unless it is queued already.
func (f *Federation) enqueue(h protocol.Hash) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.enqueueLocked(h)
}

func (f *Federation) enqueueLocked(h protocol.Hash) {
	if f.pending[h] {
		return
	}
	select {
	case f.work <- h:
		f.pending[h] = true
	default:
		// The queue is full: the query stays open and is queued again at
		// the next delivery round.
	}
}

// Hashes returns the hashes of the open queries: sync offers them.
func (f *Federation) Hashes() []protocol.Hash {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]protocol.Hash, 0, len(f.open))
	for h := range f.open {
		out = append(out, h)
	}
	return out
}

// Records returns the open queries whose hashes are not in have.
func (f *Federation) Records(have map[protocol.Hash]struct{}) []protocol.Record {
	now := f.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	var hs []protocol.Hash
	for h, q := range f.open {
		if exp, _ := protocol.ParseTime(q.Expires); !now.Before(exp) {
			continue
		}
		if _, ok := have[h]; !ok {
			hs = append(hs, h)
		}
	}
	slices.SortFunc(hs, func(a, b protocol.Hash) int { return compareHash(a, b) })
	out := make([]protocol.Record, 0, len(hs))
	for _, h := range hs {
		q := f.open[h]
		out = append(out, protocol.Record{Query: &q})
	}
	return out
}

func compareHash(a, b protocol.Hash) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

// expire drops the queries that have closed, and forgets the ids of those
// closed for more than a day.
func (f *Federation) expire(ctx context.Context) {
	now := f.now()
	f.mu.Lock()
	var gone []protocol.Hash
	for h, q := range f.open {
		if exp, _ := protocol.ParseTime(q.Expires); !now.Before(exp) {
			gone = append(gone, h)
			delete(f.open, h)
		}
	}
	f.mu.Unlock()
	for _, h := range gone {
		if err := f.cfg.Store.Delete(spaceQuery, []byte(h.String())); err != nil {
			f.log.Warn("could not delete a closed query", "err", err)
		}
	}
	var forget [][]byte
	f.cfg.Store.Scan(ctx, spaceSeen, nil, func(key, val []byte) error {
		var s seen
		if protocol.Decode(val, protocol.MaxMessageSize, &s) != nil {
			forget = append(forget, key)
			return nil
		}
		if exp, err := protocol.ParseTime(s.Expires); err != nil || now.After(exp.Add(seenFor)) {
			forget = append(forget, key)
		}
		return nil
	})
	for _, k := range forget {
		f.cfg.Store.Delete(spaceSeen, k)
	}
	// Rate counters older than yesterday have no use.
	keep := map[string]bool{now.UTC().Format("2006-01-02"): true, now.UTC().AddDate(0, 0, -1).Format("2006-01-02"): true}
	var old [][]byte
	f.cfg.Store.Scan(ctx, spaceRate, nil, func(key, _ []byte) error {
		if i := len(key) - len("2006-01-02"); i < 0 || !keep[string(key[i:])] {
			old = append(old, key)
		}
		return nil
	})
	for _, k := range old {
		f.cfg.Store.Delete(spaceRate, k)
	}
}

// query returns the open query h.
func (f *Federation) query(h protocol.Hash) (protocol.Query, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q, ok := f.open[h]
	return q, ok
}

// markSeen records the outcome of answering q.
func (f *Federation) markSeen(tx *store.Tx, q protocol.Query, h protocol.Hash, outcome string) error {
	v, err := protocol.Encode(seen{Hash: h.String(), Expires: q.Expires, Outcome: outcome})
	if err != nil {
		return err
	}
	return tx.Put(spaceSeen, seenKey(q), v)
}

// outcome returns what this node did with q ("" if not answered yet).
func (f *Federation) outcome(q protocol.Query) string {
	v, err := f.cfg.Store.Get(spaceSeen, seenKey(q))
	if err != nil {
		return ""
	}
	var s seen
	if protocol.Decode(v, protocol.MaxMessageSize, &s) != nil {
		return ""
	}
	return s.Outcome
}
