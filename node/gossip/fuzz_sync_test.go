package gossip

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/kolo-net/kolo/protocol"
)

// stream is one end of a sync exchange: the peer's bytes to read, and what
// this node writes.
type stream struct {
	io.Reader
	out bytes.Buffer
}

func (s *stream) Write(p []byte) (int, error) { return s.out.Write(p) }

// syncSeeds returns, for each record-sequence seed, what a node holding
// its records sends when asked with no hash (the answering side's bytes:
// records pages), and a request naming half of what it holds (the asking
// side's bytes: request pages).
func syncSeeds(tb testing.TB, c *cast) (pages, requests [][]byte) {
	ctx := context.Background()
	for _, seed := range sequenceSeeds() {
		n := c.node(tb, nil)
		(&script{c: c, n: n, ctx: ctx}).run(tb, seed)
		n.g.syncing[c.ids[1]] = true // no sync back: there is no peer
		s := &stream{Reader: bytes.NewReader(frameJSON(tb, protocol.SyncRequest{Network: castNetwork}))}
		if err := protocol.ServeSync(ctx, s, c.ids[1], answerer{n.g}); err != nil {
			tb.Fatal(err)
		}
		pages = append(pages, s.out.Bytes())
		hs := n.g.hashes()
		var have []byte
		for _, h := range hs[:len(hs)/2] {
			have = append(have, h[:]...)
		}
		requests = append(requests, frameJSON(tb, protocol.SyncRequest{Network: castNetwork, Have: have}))
	}
	return pages, requests
}

func frameJSON(tb testing.TB, v any) []byte {
	b, err := protocol.Encode(v)
	if err != nil {
		tb.Fatal(err)
	}
	return append(binary.AppendUvarint(nil, uint64(len(b))), b...)
}

// FuzzSyncExchange plays the other end of a sync exchange with arbitrary
// bytes, on both sides.
//
// Asked (ServeSync, with a node holding a seed's records): whatever the
// request pages say, every page sent back is within the 64 KiB cap and
// decodes strictly, only the last says no more follows, no record is sent
// twice, each is one the node holds, and none is one the request named.
//
// Asking (PullRecords, then applyAll into a node that holds only the
// network file): whatever the record pages say, the node stores nothing
// over the per-signer bounds, and what it stored derives the same
// membership and status in a fresh node fed it in one batch.
func FuzzSyncExchange(f *testing.F) {
	c := newCast(f)
	pages, requests := syncSeeds(f, c)
	if len(pages) == 0 {
		f.Fatal("no seeds")
	}
	for _, p := range pages {
		f.Add(false, p)
	}
	for _, r := range requests {
		f.Add(true, r)
	}
	f.Add(true, frameJSON(f, protocol.SyncRequest{Network: castNetwork, More: true}))
	f.Add(false, frameJSON(f, protocol.SyncRecords{Error: "no"}))
	// The answering node: the richest seed's records, built once.
	ctx := context.Background()
	holder := c.node(f, nil)
	(&script{c: c, n: holder, ctx: ctx}).run(f, sequenceSeeds()[len(sequenceSeeds())-1])
	holder.g.syncing[c.ids[1]] = true
	held := map[protocol.Hash]bool{}
	for _, h := range holder.g.hashes() {
		held[h] = true
	}
	f.Fuzz(func(t *testing.T, asked bool, data []byte) {
		if asked {
			s := &stream{Reader: bytes.NewReader(data)}
			err := protocol.ServeSync(ctx, s, c.ids[1], answerer{holder.g})
			named := requested(data)
			sent := map[protocol.Hash]bool{}
			in := protocol.NewConn(bytes.NewBuffer(s.out.Bytes()))
			for page := 1; ; page++ {
				var p protocol.SyncRecords
				rerr := in.Receive(&p)
				if errors.Is(rerr, io.EOF) && page > 1 {
					t.Fatalf("the last page sent says more follows")
				}
				if errors.Is(rerr, io.EOF) {
					if err == nil {
						t.Fatal("a sync served without a page")
					}
					break
				}
				if rerr != nil {
					t.Fatalf("page %d sent does not decode: %v", page, rerr)
				}
				for _, r := range p.Records {
					h, herr := r.Hash()
					if herr != nil || !held[h] || sent[h] || named[h] {
						t.Fatalf("page %d sends %s record %s: held %v, sent before %v, named by the request %v (%v)", page, r.Kind(), h, held[h], sent[h], named[h], herr)
					}
					sent[h] = true
				}
				if !p.More {
					if in.Receive(&p) == nil {
						t.Fatalf("a page after the last one")
					}
					break
				}
			}
			return
		}
		n := c.node(t, nil)
		s := &stream{Reader: bytes.NewReader(data)}
		recs, _ := protocol.PullRecords(ctx, s, castNetwork, n.g.hashes())
		n.g.applyAll(ctx, c.ids[1], recs)
		checkBounds(t, n)
		fresh := c.node(t, nil)
		fresh.g.applyAll(ctx, c.ids[0], n.stored())
		if got, want := fresh.view(), n.view(); got != want {
			t.Fatalf("what a sync stored derives, in a fresh node,\n%s\nnot\n%s", got, want)
		}
	})
}

// requested reads the hashes that request pages name, as far as they
// decode.
func requested(data []byte) map[protocol.Hash]bool {
	out := map[protocol.Hash]bool{}
	in := protocol.NewConn(bytes.NewBuffer(data))
	for {
		var req protocol.SyncRequest
		if in.Receive(&req) != nil {
			return out
		}
		for i := 0; i+32 <= len(req.Have); i += 32 {
			out[protocol.Hash(req.Have[i:i+32])] = true
		}
		if !req.More {
			return out
		}
	}
}
