package store

import (
	"errors"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// gcInterval is how often the store reclaims value-log space. Only values of
// valueThreshold or more live in the value log, so there is little to do.
const gcInterval = 10 * time.Minute

// gcDiscardRatio is Badger's recommended ratio: rewrite a value-log file
// when at least half of it is garbage.
const gcDiscardRatio = 0.5

// collectGarbage runs Badger's value-log GC every gcInterval until Close.
// Badger never does this by itself.
func (s *Store) collectGarbage() {
	defer close(s.gcDone)
	t := time.NewTicker(gcInterval)
	defer t.Stop()
	for {
		select {
		case <-s.gcStop:
			return
		case <-t.C:
		}
		for {
			select {
			case <-s.gcStop:
				return
			default:
			}
			err := s.db.RunValueLogGC(gcDiscardRatio)
			if err == nil {
				continue // a file was rewritten; there may be more
			}
			if !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
				s.log.Warningf("value log GC in %s: %v", s.dir, err)
			}
			break
		}
	}
}
