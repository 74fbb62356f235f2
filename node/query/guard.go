package query

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/store"
)

// The differencing guard remembers, per requester, which records stood
// behind each cell released to it, as salted hashes of the record IDs,
// and suppresses a new cell whose records differ from a released cell's
// by more than none and fewer than k: the difference of the two figures
// would describe those few records. docs/privacy.md describes it.
const (
	// spaceReleased holds, per requester (hashed):
	//   "<rq>/s/<size, 10 digits>/<set hash>" → release time (8 bytes, Unix
	//     ms) then the set's salted record hashes (8 bytes each, sorted);
	//   "<rq>/f/<query hash>/<group hash>" → the figures last released for
	//     that query's cell (JSON Earlier), shown again when the guard
	//     suppresses a rerun of the same cell.
	spaceReleased store.Space = "query-released"
	// spaceGuard holds "salt": the node's random salt for record hashes.
	spaceGuard store.Space = "query-guard"
)

var saltKey = []byte("salt")

// guard is the differencing guard of one node.
type guard struct {
	st   *store.Store
	salt []byte

	mu    sync.Mutex
	locks map[string]*sync.Mutex // per requester: one Protect at a time
}

// newGuard loads the node's salt, making one on first use.
func newGuard(st *store.Store) (*guard, error) {
	var salt []byte
	err := st.Update(func(tx *store.Tx) error {
		v, err := tx.Get(spaceGuard, saltKey)
		if err == nil {
			salt = v
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		salt = make([]byte, 32)
		_, _ = rand.Read(salt) // never fails (Go 1.24+)
		return tx.Put(spaceGuard, saltKey, salt)
	})
	if err != nil {
		return nil, fmt.Errorf("differencing guard: salt: %w", err)
	}
	return &guard{st: st, salt: salt, locks: map[string]*sync.Mutex{}}, nil
}

// lock serialises the guard's decisions for one requester, so that two
// concurrent queries cannot each release one half of a difference.
func (g *guard) lock(rq string) func() {
	g.mu.Lock()
	l, ok := g.locks[rq]
	if !ok {
		l = &sync.Mutex{}
		g.locks[rq] = l
	}
	g.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// hashes returns the sorted salted hashes of the record IDs of cell c:
// the first 8 bytes of HMAC-SHA256(salt, ID).
func (g *guard) hashes(c *CellResult) []uint64 {
	out := make([]uint64, 0, c.N)
	m := hmac.New(sha256.New, g.salt)
	var sum [sha256.Size]byte
	c.eachID(func(id []byte) {
		m.Reset()
		m.Write(id)
		out = append(out, binary.BigEndian.Uint64(m.Sum(sum[:0])))
	})
	slices.Sort(out)
	return slices.Compact(out)
}

// setKey is the key of a released set.
func setKey(rq string, set []uint64) []byte {
	h := sha256.New()
	var b [8]byte
	for _, x := range set {
		binary.BigEndian.PutUint64(b[:], x)
		h.Write(b[:])
	}
	return fmt.Appendf(nil, "%s/s/%010d/%s", rq, len(set), hex.EncodeToString(h.Sum(nil)[:8]))
}

// near reports whether a set released to rq differs from set by more than
// zero and fewer than k records, and when it was released.
func (g *guard) near(ctx context.Context, rq string, set []uint64, k int) (bool, time.Time, error) {
	n := len(set)
	var when time.Time
	found := false
	for m := max(1, n-k+1); m <= n+k-1 && !found; m++ {
		err := g.st.Scan(ctx, spaceReleased, fmt.Appendf(nil, "%s/s/%010d/", rq, m), func(key, val []byte) error {
			if len(val) < 8 || (len(val)-8)%8 != 0 {
				return fmt.Errorf("differencing guard: malformed entry %q", key)
			}
			d := symDiff(set, val[8:], k)
			if d > 0 && d < k {
				when = time.UnixMilli(int64(binary.BigEndian.Uint64(val))).UTC()
				found = true
				return errStopScan
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopScan) {
			return false, time.Time{}, err
		}
	}
	return found, when, nil
}

var errStopScan = errors.New("stop scan")

// symDiff counts the elements in exactly one of a and b (b as 8-byte
// big-endian words, both sorted), stopping at limit.
func symDiff(a []uint64, b []byte, limit int) int {
	d, i, j := 0, 0, 0
	nb := len(b) / 8
	for (i < len(a) || j < nb) && d < limit {
		switch {
		case j == nb:
			d++
			i++
		case i == len(a):
			d++
			j++
		default:
			x, y := a[i], binary.BigEndian.Uint64(b[8*j:])
			switch {
			case x == y:
				i++
				j++
			case x < y:
				d++
				i++
			default:
				d++
				j++
			}
		}
	}
	return d
}

// release is one cell to remember as released.
type release struct {
	set    []uint64
	figKey []byte
	fig    Earlier
}

// remember stores released cells: each set (kept with its first release
// time if already there) and the figures of each query cell.
func (g *guard) remember(ctx context.Context, rq string, rels []release, now time.Time) error {
	err := g.st.Batch(func(b *store.Batch) error {
		for _, r := range rels {
			if len(r.set) > 0 {
				key := setKey(rq, r.set)
				if _, err := g.st.Get(spaceReleased, key); errors.Is(err, store.ErrNotFound) {
					val := make([]byte, 8, 8+8*len(r.set))
					binary.BigEndian.PutUint64(val, uint64(now.UnixMilli()))
					for _, x := range r.set {
						val = binary.BigEndian.AppendUint64(val, x)
					}
					if err := b.Put(spaceReleased, key, val); err != nil {
						return err
					}
				} else if err != nil {
					return err
				}
			}
			fig, err := json.Marshal(r.fig)
			if err != nil {
				return err
			}
			if err := b.Put(spaceReleased, r.figKey, fig); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = g.st.Sync()
	}
	if err != nil {
		return fmt.Errorf("differencing guard: remember released cells: %w", err)
	}
	return nil
}

// figureKey is the key of the figures of one query cell.
func figureKey(rq, query string, group []string) []byte {
	qh := sha256.Sum256([]byte(query))
	gb, _ := json.Marshal(group)
	gh := sha256.Sum256(gb)
	return []byte(rq + "/f/" + hex.EncodeToString(qh[:8]) + "/" + hex.EncodeToString(gh[:8]))
}

// earlier returns the figures last released for a query cell, if any.
func (g *guard) earlier(key []byte) (*Earlier, error) {
	v, err := g.st.Get(spaceReleased, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var e Earlier
	if err := json.Unmarshal(v, &e); err != nil {
		return nil, fmt.Errorf("differencing guard: entry %q: %w", key, err)
	}
	return &e, nil
}
