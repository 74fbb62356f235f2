package store

import (
	"errors"

	"github.com/dgraph-io/badger/v4"
)

// spaceCompact holds the marker Compact writes and drops: Badger's
// DropPrefix is its one public call that writes the memtable out and
// compacts level 0, where the newest tables are.
const spaceCompact Space = "store-compact"

// Compact rewrites the store's files so that what was overwritten or
// deleted (a purged answer's earlier values) leaves them: it writes the
// memtable out to a table, compacts level 0 into the next level and every
// level into one (Badger keeps only the newest version of a key when it
// compacts), and rewrites value-log files that hold garbage. Badger does
// this by itself over time; Compact does it now, and blocks until done.
// (Data in freed disk blocks is the file system's; an encrypted store
// leaves only ciphertext there.)
func (s *Store) Compact() error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.wg.Done()
	marker := spaceCompact.key([]byte("marker"))
	err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(marker, []byte{1}) })
	if err != nil {
		return s.wrap("compact", err)
	}
	if err := s.db.DropPrefix(marker); err != nil {
		return s.wrap("compact level 0", err)
	}
	if err := s.db.Flatten(numCompactors); err != nil {
		return s.wrap("compact", err)
	}
	for {
		err := s.db.RunValueLogGC(0.01)
		if err == nil {
			continue
		}
		if errors.Is(err, badger.ErrNoRewrite) || errors.Is(err, badger.ErrRejected) {
			return nil
		}
		return s.wrap("compact value log", err)
	}
}
