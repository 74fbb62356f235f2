package federation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// lateAnswers is how long after its query closed an answer is still
// taken: the clocks of two offices disagree a little, and an answer may be
// on its way.
const lateAnswers = 5 * time.Minute

// answerTimeout bounds one answer exchange.
const answerTimeout = 30 * time.Second

// handleAnswer serves /kolo/answer for members only.
func (f *Federation) handleAnswer(s network.Stream) {
	remote := s.Conn().RemotePeer()
	if !f.cfg.Registry.IsMember(remote) {
		f.log.Warn("answer refused: not a member", "peer", remote)
		s.Reset()
		return
	}
	s.SetDeadline(time.Now().Add(answerTimeout))
	err := protocol.ServeAnswer(f.ctx, s, remote, answerHandler{f})
	if err != nil {
		f.log.Warn("answer refused", "peer", remote, "err", err)
		if !errors.Is(err, protocol.ErrDenied) {
			s.Reset()
			return
		}
	}
	s.Close()
}

type answerHandler struct{ f *Federation }

func (h answerHandler) Deliver(ctx context.Context, from peer.ID, a protocol.Answer) error {
	return h.f.receive(ctx, from, a)
}

// received is what the requester keeps of one answer: the envelope exactly
// as it came (the evidence) and, opened, its figures.
type received struct {
	Envelope protocol.Answer `json:"envelope"`
	Opened   Sealed          `json:"opened"`
	Received string          `json:"received"`
}

func receivedKey(h string, answerer peer.ID) []byte { return []byte(h + "/" + answerer.String()) }

// receive checks an answer delivered by from, opens it and keeps it. It
// checks, before any figure is used: that it is for this node, from the
// peer that signed it, a current member; that it answers a query this
// node asked and that is open (or closed a few minutes ago); the
// signature; that the sealed figures open with this node's age identity
// and name the same query and answerer. An answerer's first answer to a
// query is the one kept.
func (f *Federation) receive(ctx context.Context, from peer.ID, a protocol.Answer) error {
	switch {
	case a.Requester != f.self:
		return fmt.Errorf("the answer is for %s, this node is %s", a.Requester, f.self)
	case a.Answerer != from:
		return fmt.Errorf("the answer is signed for %s but comes from %s", a.Answerer, from)
	}
	m, ok := f.cfg.Registry.Member(from)
	if !ok {
		return fmt.Errorf("answerer %s: %w", from, membership.ErrNotMember)
	}
	if !m.Active() {
		return fmt.Errorf("answerer %s, revoked at %s: %w", from, m.Revoked, membership.ErrRevoked)
	}
	mine, err := f.mine(a.Query)
	if err != nil {
		return err
	}
	if exp, _ := protocol.ParseTime(mine.Query.Expires); f.now().After(exp.Add(lateAnswers)) {
		return fmt.Errorf("query %s closed at %s: %w", mine.Query.ID, mine.Query.Expires, ErrExpired)
	}
	if err := a.Verify(); err != nil {
		return err
	}
	key := receivedKey(a.Query, from)
	if _, err := f.cfg.Store.Get(spaceReceived, key); err == nil {
		return nil // the same answerer again: the first answer stands
	}
	opened, err := f.unseal(a)
	if err != nil {
		return err
	}
	switch {
	case opened.Query != a.Query || opened.ID != mine.Query.ID || opened.Answerer != from:
		return errors.New("the sealed answer names another query or answerer than its envelope")
	case opened.Answer == nil:
		return errors.New("the sealed answer holds no answer")
	}
	if err := opened.Answer.Check(); err != nil {
		return fmt.Errorf("the sealed answer: %w", err)
	}
	switch {
	case opened.Answer.Query != mine.Query.Text && opened.Answer.Refused == nil:
		return fmt.Errorf("the answer is for the query %q, this node asked %q", opened.Answer.Query, mine.Query.Text)
	}
	v, err := protocol.Encode(received{Envelope: a, Opened: opened, Received: protocol.FormatTime(f.now())})
	if err != nil {
		return err
	}
	if err := f.cfg.Store.Put(spaceReceived, key, v); err != nil {
		return fmt.Errorf("store the answer of %s: %w", from, err)
	}
	ev := Event{Kind: EventAnswerReceived, QueryID: mine.Query.ID, QueryHash: a.Query, Text: mine.Query.Text, Requester: f.self, Answerer: from,
		Released: opened.Answer.Coverage.Released, Suppressed: opened.Answer.Coverage.Suppressed}
	if opened.Answer.Refused != nil {
		ev.Reason = opened.Answer.Refused.Reason
	}
	if opened.Answer.Noise != nil {
		ev.Epsilon = opened.Answer.Noise.Epsilon
	}
	f.audit(ctx, ev)
	f.log.Info("answer received", "query", mine.Query.ID, "answerer", from)
	f.notify(mine.Query.ID)
	return nil
}

// unseal decrypts an answer's sealed figures with this node's identity.
func (f *Federation) unseal(a protocol.Answer) (Sealed, error) {
	r, err := age.Decrypt(bytes.NewReader(a.Sealed), f.cfg.Identity)
	if err != nil {
		return Sealed{}, fmt.Errorf("open the sealed answer: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSealed+1))
	if err != nil {
		return Sealed{}, fmt.Errorf("open the sealed answer: %w", err)
	}
	var s Sealed
	if err := protocol.Decode(data, maxSealed, &s); err != nil {
		return Sealed{}, fmt.Errorf("the sealed answer: %w", err)
	}
	if s.Format != SealedFormat {
		return Sealed{}, fmt.Errorf("the sealed answer's format is %d; this kolo reads %d", s.Format, SealedFormat)
	}
	return s, nil
}

// notify wakes those waiting on query id.
func (f *Federation) notify(id string) {
	f.mu.Lock()
	ws := f.waiters[id]
	delete(f.waiters, id)
	f.mu.Unlock()
	for _, w := range ws {
		close(w)
	}
}

// changed returns a channel closed at the next answer to query id.
func (f *Federation) changed(id string) <-chan struct{} {
	c := make(chan struct{})
	f.mu.Lock()
	f.waiters[id] = append(f.waiters[id], c)
	f.mu.Unlock()
	return c
}

// answers returns the answers received to query hash h, by answerer.
func (f *Federation) answers(ctx context.Context, h string) (map[peer.ID]received, error) {
	out := map[peer.ID]received{}
	err := f.cfg.Store.Scan(ctx, spaceReceived, []byte(h+"/"), func(key, val []byte) error {
		var r received
		if err := protocol.Decode(val, maxSealed*2, &r); err != nil {
			return fmt.Errorf("stored answer %s: %w", key, err)
		}
		out[r.Envelope.Answerer] = r
		return nil
	})
	return out, err
}
