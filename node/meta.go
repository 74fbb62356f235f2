package node

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kolo-net/kolo/node/store"
)

// metaSpace holds the node's own bookkeeping (not records).
const metaSpace store.Space = "meta"

// Keys in metaSpace.
var (
	metaCreated = []byte("created") // RFC 3339 time of the first start
	metaStarts  = []byte("starts")  // how many times the daemon started
)

// history is what the node remembers of its own life.
type history struct {
	Created time.Time
	Starts  int
}

// recordStart notes one more start in the store and returns the history.
func (n *Node) recordStart(now time.Time) (history, error) {
	var h history
	err := n.store.Update(func(tx *store.Tx) error {
		created, err := tx.Get(metaSpace, metaCreated)
		if errors.Is(err, store.ErrNotFound) {
			created = []byte(now.UTC().Format(time.RFC3339))
			if err := tx.Put(metaSpace, metaCreated, created); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if h.Created, err = time.Parse(time.RFC3339, string(created)); err != nil {
			return fmt.Errorf("meta created %q: %w", created, err)
		}
		starts, err := tx.Get(metaSpace, metaStarts)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if len(starts) > 0 {
			if h.Starts, err = strconv.Atoi(string(starts)); err != nil {
				return fmt.Errorf("meta starts %q: %w", starts, err)
			}
		}
		h.Starts++
		return tx.Put(metaSpace, metaStarts, []byte(strconv.Itoa(h.Starts)))
	})
	if err != nil {
		return history{}, fmt.Errorf("record start in store: %w", err)
	}
	return h, nil
}
