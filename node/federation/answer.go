package federation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// SealedFormat is the version of the sealed payload's layout.
const SealedFormat = 1

// Sealed is what an answer's age file holds: the answer, and what it
// answers, so the requester can check it belongs to the query it asked.
type Sealed struct {
	Format   int           `json:"format"`
	Query    string        `json:"query"` // the query's hash, hex
	ID       string        `json:"id"`    // the query's id
	Answerer peer.ID       `json:"answerer"`
	Org      string        `json:"org"`
	Country  string        `json:"country"`
	Answer   *query.Answer `json:"answer"`
}

// answerLoop answers queued queries until the federation closes.
func (f *Federation) answerLoop() {
	defer f.wg.Done()
	for {
		select {
		case <-f.ctx.Done():
			return
		case h := <-f.work:
			f.mu.Lock()
			delete(f.pending, h)
			f.mu.Unlock()
			if err := f.answer(f.ctx, h); err != nil && f.ctx.Err() == nil {
				f.log.Warn("could not answer a query; it is tried again later", "err", err)
			}
		}
	}
}

// answer runs the answering pipeline for open query h, once: authorise,
// evaluate, protect, log, seal, sign, keep for delivery, deliver.
func (f *Federation) answer(ctx context.Context, h protocol.Hash) error {
	q, ok := f.query(h)
	if !ok || f.outcome(q) != "" {
		return nil
	}
	if exp, _ := protocol.ParseTime(q.Expires); !f.now().Before(exp) {
		return nil
	}
	m, ok := f.cfg.Registry.Member(q.Requester)
	if !ok || !m.Active() {
		f.audit(ctx, Event{Kind: EventRefused, QueryID: q.ID, QueryHash: h.String(), Text: q.Text, Requester: q.Requester, Answerer: f.self, Reason: "requester_revoked"})
		return f.finish(q, h, nil, "refused: requester no longer a member")
	}
	ans := f.evaluate(ctx, q, m)
	if ans == nil {
		return nil // a store failure was logged; tried again later
	}
	ev := Event{QueryID: q.ID, QueryHash: h.String(), Text: q.Text, Requester: q.Requester, Answerer: f.self,
		Released: ans.Coverage.Released, Suppressed: ans.Coverage.Suppressed}
	outcome := "answered"
	if ans.Refused != nil {
		ev.Kind, ev.Reason = EventRefused, ans.Refused.Reason
		outcome = "refused: " + ans.Refused.Reason
	} else {
		ev.Kind = EventAnswered
		if ans.Noise != nil {
			ev.Epsilon = ans.Noise.Epsilon
		}
	}
	env, err := f.seal(q, h, m.Certificate.Age, ans)
	if err != nil {
		return fmt.Errorf("seal the answer to query %s: %w", q.ID, err)
	}
	f.audit(ctx, ev)
	if err := f.finish(q, h, &env, outcome); err != nil {
		return err
	}
	f.log.Info("query "+outcome, "query", q.ID, "requester", q.Requester, "released", ans.Coverage.Released, "suppressed", ans.Coverage.Suppressed)
	f.deliver(ctx, h, env)
	return nil
}

// parseLimits are the widest limits any node may set (config's bounds).
var parseLimits = query.Limits{MaxBytes: protocol.MaxQueryText, MaxGroups: 16, MaxNesting: 32,
	MaxComparisons: 256, MaxInList: 256, MaxEdges: 256}

// evaluate authorises q and, if allowed, evaluates and protects it. It
// returns the answer to send (a refusal is one), or nil after a failure
// that may pass (the store).
func (f *Federation) evaluate(ctx context.Context, q protocol.Query, m membership.Member) *query.Answer {
	k := f.cfg.Protector.Policy().NFilterTab
	// Parse with the widest limits a query may have; this node's own
	// limits are Admit's, which refuses with the reason "limits".
	parsed, err := query.Parse(q.Text, query.Options{Limits: parseLimits, Private: f.cfg.Private()})
	if err != nil {
		ans := query.Refuse(nil, k, ReasonInvalid, "this node cannot answer the query: "+err.Error())
		ans.Query = q.Text
		return ans
	}
	if reason, msg := f.cfg.Policy.authorise(m, parsed.Kind); reason != "" {
		return query.Refuse(parsed, k, reason, msg)
	}
	if n, err := f.countToday(q.Requester); err != nil {
		f.log.Error("could not read the query rate", "err", err)
		return nil
	} else if n >= f.cfg.Policy.MaxPerDay {
		return query.Refuse(parsed, k, ReasonRate, fmt.Sprintf("this node answers at most %d queries a day from one member (query.max_per_day); try again tomorrow (UTC)", f.cfg.Policy.MaxPerDay))
	}
	req := query.Request{Requester: q.Requester.String()}
	if q.Epsilon != "" {
		eps, _ := strconv.ParseFloat(q.Epsilon, 64)
		req.Noise, req.Epsilon = true, eps
	}
	if refused := f.cfg.Protector.Admit(parsed, req); refused != nil {
		return refused // before any record is read
	}
	res, err := query.Evaluate(ctx, parsed, f.cfg.Records, f.cfg.Protector.Policy().EvalOptions())
	if err != nil {
		f.log.Error("could not evaluate a query", "query", q.ID, "err", err)
		return nil
	}
	ans, err := f.cfg.Protector.Protect(ctx, req, res)
	if err != nil {
		f.log.Error("could not protect an answer", "query", q.ID, "err", err)
		return nil
	}
	if err := f.countOne(q.Requester); err != nil {
		f.log.Error("could not count the query", "err", err)
	}
	return ans
}

// seal encrypts ans to the requester's age recipient and signs the
// envelope.
func (f *Federation) seal(q protocol.Query, h protocol.Hash, recipient string, ans *query.Answer) (protocol.Answer, error) {
	r, err := parseRecipient(recipient)
	if err != nil {
		return protocol.Answer{}, err
	}
	self, _ := f.cfg.Registry.Member(f.self)
	payload, err := protocol.Encode(Sealed{Format: SealedFormat, Query: h.String(), ID: q.ID, Answerer: f.self,
		Org: self.Certificate.Org, Country: self.Certificate.Country, Answer: ans})
	if err != nil {
		return protocol.Answer{}, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return protocol.Answer{}, err
	}
	if _, err := w.Write(payload); err != nil {
		return protocol.Answer{}, err
	}
	if err := w.Close(); err != nil {
		return protocol.Answer{}, err
	}
	env := protocol.Answer{Network: q.Network, Query: h.String(), Answerer: f.self, Requester: q.Requester,
		Answered: protocol.FormatTime(f.now()), Sealed: buf.Bytes()}
	if err := env.Sign(f.cfg.Key); err != nil {
		return protocol.Answer{}, err
	}
	return env, nil
}

func parseRecipient(s string) (age.Recipient, error) {
	if strings.HasPrefix(s, "age1pq1") {
		return age.ParseHybridRecipient(s)
	}
	return age.ParseX25519Recipient(s)
}

// finish records, in one transaction, the outcome of answering q and the
// envelope to deliver (none for a query dropped without answer).
func (f *Federation) finish(q protocol.Query, h protocol.Hash, env *protocol.Answer, outcome string) error {
	return f.cfg.Store.Update(func(tx *store.Tx) error {
		if env != nil {
			v, err := protocol.Encode(env)
			if err != nil {
				return err
			}
			if err := tx.Put(spaceOutbox, []byte(h.String()), v); err != nil {
				return err
			}
		}
		return f.markSeen(tx, q, h, outcome)
	})
}

// deliver sends env to its requester: straight into this node's own
// answers when it asked itself, else on /kolo/answer. A delivered answer
// leaves the outbox; one that could not be delivered stays for the next
// round.
func (f *Federation) deliver(ctx context.Context, h protocol.Hash, env protocol.Answer) {
	var err error
	if env.Requester == f.self {
		err = f.receive(ctx, f.self, env)
	} else {
		err = f.send(ctx, env)
	}
	if err != nil {
		if ctx.Err() == nil {
			f.log.Info("answer not delivered yet; tried again later", "query", env.Query[:16], "requester", env.Requester, "err", err)
		}
		return
	}
	if err := f.cfg.Store.Delete(spaceOutbox, []byte(h.String())); err != nil {
		f.log.Warn("could not clear a delivered answer", "err", err)
	}
}

// sendTimeout bounds one delivery.
const sendTimeout = 20 * time.Second

// send delivers env to its requester on /kolo/answer.
func (f *Federation) send(ctx context.Context, env protocol.Answer) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	s, err := f.cfg.Host.NewStream(ctx, env.Requester, protocol.AnswerID)
	if err != nil {
		return err
	}
	defer context.AfterFunc(ctx, func() { s.Reset() })() // the stream does not watch ctx: a stop must not wait for the deadline
	s.SetDeadline(time.Now().Add(sendTimeout))
	err = protocol.SendAnswer(s, env)
	if err != nil && !errors.Is(err, protocol.ErrRefused) {
		s.Reset()
		return err
	}
	s.Close()
	if errors.Is(err, protocol.ErrRefused) {
		// The requester will not take it (it no longer asks, say): do
		// not try again.
		f.log.Warn("the requester refused this node's answer", "requester", env.Requester, "err", err)
		return nil
	}
	return nil
}

// deliverLoop tries the outbox again when a member connects and every
// Retry, drops closed queries, and requeues open ones not answered yet.
func (f *Federation) deliverLoop(events event.Subscription) {
	defer f.wg.Done()
	defer events.Close()
	t := time.NewTicker(f.cfg.Retry)
	defer t.Stop()
	for {
		select {
		case <-f.ctx.Done():
			return
		case ev, ok := <-events.Out():
			if !ok {
				return
			}
			e := ev.(event.EvtPeerConnectednessChanged)
			if e.Connectedness == network.Connected {
				f.flush(f.ctx, e.Peer)
			}
		case <-t.C:
			f.expire(f.ctx)
			f.flush(f.ctx, "")
			for _, h := range f.Hashes() {
				f.enqueue(h) // answer drops what is answered already
			}
		}
	}
}

// flush delivers the outbox's answers (to requester only, if set).
func (f *Federation) flush(ctx context.Context, requester peer.ID) {
	type item struct {
		h   protocol.Hash
		env protocol.Answer
	}
	var items []item
	var stale [][]byte
	now := f.now()
	f.cfg.Store.Scan(ctx, spaceOutbox, nil, func(key, val []byte) error {
		var env protocol.Answer
		h, err := protocol.ParseHash(string(key))
		if err != nil || protocol.Decode(val, protocol.MaxAnswerSize, &env) != nil {
			stale = append(stale, key)
			return nil
		}
		q, open := f.query(h)
		if !open {
			stale = append(stale, key) // the query closed: nobody waits for it
			return nil
		}
		if exp, _ := protocol.ParseTime(q.Expires); !now.Before(exp) {
			stale = append(stale, key)
			return nil
		}
		if requester == "" || env.Requester == requester {
			items = append(items, item{h, env})
		}
		return nil
	})
	for _, k := range stale {
		f.cfg.Store.Delete(spaceOutbox, k)
	}
	for _, it := range items {
		if ctx.Err() != nil {
			return
		}
		f.deliver(ctx, it.h, it.env)
	}
}

// countToday returns how many of requester's queries this node answered
// today (UTC).
func (f *Federation) countToday(requester peer.ID) (int, error) {
	v, err := f.cfg.Store.Get(spaceRate, rateKey(requester, f.now()))
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(string(v))
}

// countOne counts one more query from requester today.
func (f *Federation) countOne(requester peer.ID) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := rateKey(requester, f.now())
	return f.cfg.Store.Update(func(tx *store.Tx) error {
		n := 0
		if v, err := tx.Get(spaceRate, key); err == nil {
			n, _ = strconv.Atoi(string(v))
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return tx.Put(spaceRate, key, []byte(strconv.Itoa(n+1)))
	})
}

func rateKey(p peer.ID, t time.Time) []byte {
	return []byte(p.String() + "/" + t.UTC().Format("2006-01-02"))
}
