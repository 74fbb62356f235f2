package audit

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/store"
)

type testLog struct {
	*Log
	st       *store.Store
	dir, key string
}

func newLog(t *testing.T) *testLog {
	t.Helper()
	key := make([]byte, store.KeySize)
	rand.Read(key)
	tl := &testLog{dir: filepath.Join(t.TempDir(), "store"), key: string(key)}
	tl.open(t)
	return tl
}

func (tl *testLog) open(t *testing.T) {
	t.Helper()
	st, err := store.Open(store.Options{Dir: tl.dir, Key: []byte(tl.key)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tl.st, tl.Log = st, Open(st, nil)
}

// fill appends n entries of the four events of an answering node in turn.
func (tl *testLog) fill(t *testing.T, n int) []Entry {
	t.Helper()
	cycle := []Event{QuerySent, QueryReceived, QueryAnswered, QueryRefused}
	var out []Entry
	for i := range n {
		e, err := tl.Append(context.Background(), Entry{
			Event: cycle[i%len(cycle)], Requester: fmt.Sprintf("12D3KooWRequester%d", i%3), QueryID: fmt.Sprint("q", i),
			Query: "count judgment by country", Released: i, Suppressed: i % 2, Epsilon: 0.5,
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestAppendListVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tl := newLog(t)
	if h, err := tl.Verify(ctx, nil); err != nil || h.Seq != 0 {
		t.Fatalf("empty log: %+v %v", h, err)
	}
	es := tl.fill(t, 8)
	for i, e := range es {
		if e.Seq != uint64(i+1) || e.Time.IsZero() || (i == 0) != (e.Prev == zeroHash) {
			t.Fatalf("entry %d: %+v", i, e)
		}
	}
	h, err := tl.Verify(ctx, nil)
	if err != nil || h.Seq != 8 || len(h.Hash) != 64 {
		t.Fatalf("verify: %+v %v", h, err)
	}
	refused, err := tl.List(ctx, Filter{Event: QueryRefused})
	if err != nil || len(refused) != 2 || refused[0].Seq != 4 || refused[1].Seq != 8 {
		t.Fatalf("refused: %+v %v", refused, err)
	}
	byReq, _ := tl.List(ctx, Filter{Requester: "12D3KooWRequester1", Limit: 2})
	if len(byReq) != 2 || byReq[0].Seq != 5 || byReq[1].Seq != 8 {
		t.Fatalf("by requester, last 2: %+v", byReq)
	}
	all, _ := tl.List(ctx, Filter{Since: es[2].Time, Until: es[2].Time.Add(time.Millisecond)})
	if len(all) == 0 {
		t.Fatal("time filter selects nothing")
	}

	// The chain goes on after a restart.
	if err := tl.st.Close(); err != nil {
		t.Fatal(err)
	}
	tl.open(t)
	e, err := tl.Append(ctx, Entry{Event: QuerySent, Requester: "me", Query: strings.Repeat("x", 5000)})
	if err != nil || e.Seq != 9 || len(e.Query) > maxText {
		t.Fatalf("after restart: seq %d, query %d bytes, %v", e.Seq, len(e.Query), err)
	}
	if _, err := tl.Verify(ctx, &h); err != nil {
		t.Fatalf("verify against the earlier head: %v", err)
	}
	if _, err := tl.Append(ctx, Entry{Event: "deleted"}); err == nil {
		t.Fatal("unknown event accepted")
	}
}

// TestConcurrentAppend: 64 appends at once, from two Log values on the
// same store, make one chain with no gap and no fork.
func TestConcurrentAppend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tl := newLog(t)
	other := Open(tl.st, nil)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := tl.Log
			if i%2 == 1 {
				l = other
			}
			if _, err := l.Append(ctx, Entry{Event: QueryReceived, Requester: fmt.Sprint("r", i), Query: "count judgment"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	h, err := tl.Verify(ctx, nil)
	if err != nil || h.Seq != 64 {
		t.Fatalf("after concurrent appends: %+v %v", h, err)
	}
	es, _ := tl.List(ctx, Filter{})
	seen := map[string]bool{}
	for _, e := range es {
		seen[e.Requester] = true
	}
	if len(es) != 64 || len(seen) != 64 {
		t.Fatalf("%d entries from %d requesters", len(es), len(seen))
	}
}

// TestVerifyFindsTampering changes the store's values directly, as someone
// with the store key could, and Verify names the break each time.
func TestVerifyFindsTampering(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	get := func(tl *testLog, seq uint64) []byte {
		v, err := tl.st.Get(spaceLog, seqKey(seq))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	put := func(tl *testLog, seq uint64, v []byte) {
		if err := tl.st.Put(spaceLog, seqKey(seq), v); err != nil {
			t.Fatal(err)
		}
	}
	del := func(tl *testLog, sp store.Space, key []byte) {
		if err := tl.st.Delete(sp, key); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name   string
		tamper func(tl *testLog)
		want   string
	}{
		{"edit a figure in the middle", func(tl *testLog) {
			put(tl, 3, bytes.Replace(get(tl, 3), []byte(`"released":2`), []byte(`"released":9`), 1))
		}, "at entry 4: it does not follow entry 3"},
		{"edit the requester of the first", func(tl *testLog) {
			put(tl, 1, bytes.Replace(get(tl, 1), []byte("Requester0"), []byte("Requester7"), 1))
		}, "at entry 2: it does not follow entry 1"},
		{"edit the last", func(tl *testLog) {
			put(tl, 6, bytes.Replace(get(tl, 6), []byte(`"released":5`), []byte(`"released":0`), 1))
		}, "at entry 6: it does not match the head"},
		{"break the JSON", func(tl *testLog) { put(tl, 2, append(get(tl, 2), '}')) }, "at entry 2: it does not decode"},
		{"remove one in the middle", func(tl *testLog) { del(tl, spaceLog, seqKey(4)) }, "entries 4..4 are missing"},
		{"remove the last", func(tl *testLog) { del(tl, spaceLog, seqKey(6)) }, "the log ends at entry 5 but its head says 6"},
		{"remove the head", func(tl *testLog) { del(tl, spaceHead, headKey) }, "the log ends at entry 6 but its head says 0"},
		{"swap two", func(tl *testLog) {
			a, b := get(tl, 2), get(tl, 3)
			put(tl, 2, b)
			put(tl, 3, a)
		}, "at entry 2: it holds entry 3"},
		{"swap two and renumber them", func(tl *testLog) {
			a, b := get(tl, 2), get(tl, 3)
			put(tl, 2, bytes.Replace(b, []byte(`"seq":3`), []byte(`"seq":2`), 1))
			put(tl, 3, bytes.Replace(a, []byte(`"seq":2`), []byte(`"seq":3`), 1))
		}, "at entry 2: it does not follow entry 1"},
		{"insert an entry", func(tl *testLog) { put(tl, 7, get(tl, 6)) }, "at entry 7: it holds entry 6"},
		{"insert under a malformed key", func(tl *testLog) {
			if err := tl.st.Put(spaceLog, []byte("0000000000000000000x"), get(tl, 1)); err != nil {
				t.Fatal(err)
			}
		}, "malformed key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tl := newLog(t)
			tl.fill(t, 6)
			if _, err := tl.Verify(ctx, nil); err != nil {
				t.Fatalf("before tampering: %v", err)
			}
			c.tamper(tl)
			_, err := tl.Verify(ctx, nil)
			var te *TamperError
			if !errors.As(err, &te) || !errors.Is(err, ErrTampered) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Verify: %v, want …%s…", err, c.want)
			}
		})
	}
}

// A log rewritten from some entry on, with a consistent chain and head,
// passes Verify alone; against a head written down earlier it does not.
func TestVerifyAgainstAnchor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tl := newLog(t)
	tl.fill(t, 5)
	anchor, err := tl.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tl.fill(t, 2)
	// Rewrite: delete everything from entry 3 and append other entries
	// with the Log itself, so chain and head are consistent.
	for seq := uint64(3); seq <= 7; seq++ {
		if err := tl.st.Delete(spaceLog, seqKey(seq)); err != nil {
			t.Fatal(err)
		}
	}
	v, _ := tl.st.Get(spaceLog, seqKey(2))
	if err := tl.st.Put(spaceHead, headKey, fmt.Appendf(nil, `{"seq":2,"hash":%q}`, hashOf(v))); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := tl.Append(ctx, Entry{Event: QueryAnswered, Requester: "forged", Query: "count judgment"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tl.Verify(ctx, nil); err != nil {
		t.Fatalf("a consistent rewrite fails Verify alone: %v (the test's premise is wrong)", err)
	}
	if _, err := tl.Verify(ctx, &anchor); err == nil || !strings.Contains(err.Error(), "at entry 5: it differs from the head written down earlier") {
		t.Fatalf("Verify against the anchor: %v", err)
	}
	// A log cut short of the anchor fails too.
	short := Head{Seq: 9, Hash: anchor.Hash}
	if _, err := tl.Verify(ctx, &short); err == nil || !strings.Contains(err.Error(), "names entry 9") {
		t.Fatalf("Verify against an anchor past the end: %v", err)
	}
}
