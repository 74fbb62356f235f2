package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/store"
)

// Key spaces of the log.
const (
	// spaceLog maps the entry's Seq, 20 decimal digits, to its JSON.
	spaceLog store.Space = "audit"
	// spaceHead holds "head": the Head of the chain, written in the same
	// transaction as the last entry.
	spaceHead store.Space = "audit-head"
)

var headKey = []byte("head")

// zeroHash is the Prev of the first entry.
var zeroHash = strings.Repeat("0", 64)

// Head is the end of the chain: the last entry's Seq and the SHA-256 of
// its stored bytes. Written down outside the node (printed by kolo audit
// verify), it lets a later Verify find a log rewritten since.
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Log is a node's audit log. Its methods are safe for concurrent use.
type Log struct {
	st  *store.Store
	now func() time.Time
	mu  sync.Mutex // one Append at a time: the chain has one end
}

// Open returns the audit log of st. now is the clock (nil: time.Now).
func Open(st *store.Store, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{st: st, now: now}
}

func seqKey(seq uint64) []byte { return fmt.Appendf(nil, "%020d", seq) }

// hashOf is the SHA-256 of an entry's stored bytes, in hex.
func hashOf(val []byte) string {
	h := sha256.Sum256(val)
	return hex.EncodeToString(h[:])
}

// maxAppendRetries bounds retries when another writer raced this one.
const maxAppendRetries = 100

// Append adds e at the end of the chain and returns it as stored: with its
// Seq, Prev and Time (now, unless set), its text fields cut to their caps.
func (l *Log) Append(ctx context.Context, e Entry) (Entry, error) {
	if !slices.Contains(events, e.Event) {
		return Entry{}, fmt.Errorf("audit: unknown event %q (allowed: query_sent, query_received, query_answered, query_refused)", cut(string(e.Event), 40))
	}
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	e.Time = e.Time.UTC().Truncate(time.Millisecond)
	e.Query = cut(e.Query, maxText)
	e.Requester, e.Node, e.QueryID, e.Reason = cut(e.Requester, maxShort), cut(e.Node, maxShort), cut(e.QueryID, maxShort), cut(e.Reason, maxShort)
	l.mu.Lock()
	defer l.mu.Unlock()
	var err error
	for range maxAppendRetries {
		if err = ctx.Err(); err != nil {
			return Entry{}, err
		}
		var out Entry
		// The head is read in the writing transaction: a concurrent
		// writer (another Log on the same store) makes this one conflict
		// and retry, so the chain never forks.
		err = l.st.Update(func(tx *store.Tx) error {
			head, err := readHead(tx)
			if err != nil {
				return err
			}
			out = e
			out.Seq, out.Prev = head.Seq+1, head.Hash
			val, err := json.Marshal(out)
			if err != nil {
				return err
			}
			if err := tx.Put(spaceLog, seqKey(out.Seq), val); err != nil {
				return err
			}
			hv, err := json.Marshal(Head{Seq: out.Seq, Hash: hashOf(val)})
			if err != nil {
				return err
			}
			return tx.Put(spaceHead, headKey, hv)
		})
		if err == nil {
			return out, nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return Entry{}, fmt.Errorf("audit: append: %w", err)
		}
	}
	return Entry{}, fmt.Errorf("audit: append: %w", err)
}

// readHead reads the head; an empty log has Head{0, zeros}.
func readHead(tx *store.Tx) (Head, error) {
	v, err := tx.Get(spaceHead, headKey)
	if errors.Is(err, store.ErrNotFound) {
		return Head{Hash: zeroHash}, nil
	}
	if err != nil {
		return Head{}, err
	}
	var h Head
	if err := strictJSON(v, &h); err != nil {
		return Head{}, fmt.Errorf("audit: head does not decode: %w", err)
	}
	return h, nil
}

// Head returns the end of the chain.
func (l *Log) Head(ctx context.Context) (Head, error) {
	var h Head
	err := l.st.View(func(tx *store.Tx) error {
		var err error
		h, err = readHead(tx)
		return err
	})
	return h, err
}

// Filter selects entries for List. Zero fields select everything.
type Filter struct {
	Event     Event
	Requester string
	Since     time.Time // inclusive
	Until     time.Time // exclusive
	// Limit keeps the last Limit entries selected; 0 keeps all.
	Limit int
}

// List returns the entries f selects, oldest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	out := []Entry{}
	err := l.st.Scan(ctx, spaceLog, nil, func(key, val []byte) error {
		var e Entry
		if err := strictJSON(val, &e); err != nil {
			return fmt.Errorf("audit: entry %s does not decode: %w (run kolo audit verify)", key, err)
		}
		if f.Event != "" && e.Event != f.Event || f.Requester != "" && e.Requester != f.Requester ||
			!f.Since.IsZero() && e.Time.Before(f.Since) || !f.Until.IsZero() && !e.Time.Before(f.Until) {
			return nil
		}
		out = append(out, e)
		if f.Limit > 0 && len(out) > f.Limit {
			out = out[1:]
		}
		return nil
	})
	return out, err
}

// strictJSON decodes v into x, refusing unknown members and trailing data.
func strictJSON(v []byte, x any) error {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(x); err != nil {
		return err
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON object")
	}
	return nil
}
