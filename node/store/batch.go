package store

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Batch writes many entries fast (Badger's WriteBatch). It is NOT atomic:
// if the function given to [Store.Batch] fails, or the process dies, part of
// the batch may already be on disk. An import therefore writes its entries
// with Batch, then a commit marker with [Store.Update], and treats entries
// without a marker as absent. A Batch is not safe for concurrent use.
type Batch struct {
	s         *Store
	wb        *badger.WriteBatch
	done      bool
	unchecked int64 // bytes put since the free space was last checked; -1 before the first put
}

// Batch runs fn, then flushes what it wrote. If fn returns an error, Batch
// stops writing (entries already flushed stay) and returns it as is. A Put
// that would leave less free space than the store's reserve returns an
// error wrapping ErrDiskFull (checked before the first Put and then every
// MiB); deletions are let through.
func (s *Store) Batch(fn func(b *Batch) error) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.wg.Done()
	b := &Batch{s: s, wb: s.db.NewWriteBatch(), unchecked: -1}
	defer func() { b.done = true }()
	if err := fn(b); err != nil {
		b.wb.Cancel()
		return err
	}
	if err := b.wb.Flush(); err != nil {
		return s.wrap("batch flush", err)
	}
	return nil
}

// usable reports why b cannot be used for op on key in sp with a value of
// valLen bytes, or nil.
func (b *Batch) usable(op string, sp Space, key []byte, valLen int) error {
	if b.done {
		return fmt.Errorf("store %s: %s: batch used after its Batch call returned", b.s.dir, describe(op, sp, key))
	}
	if err := sp.checkEntry(key, valLen); err != nil {
		return fmt.Errorf("store %s: %s: %w", b.s.dir, describe(op, sp, key), err)
	}
	return nil
}

// Put sets key in sp to val. It copies val, so the caller may reuse it.
func (b *Batch) Put(sp Space, key, val []byte) error {
	if err := b.usable("batch put", sp, key, len(val)); err != nil {
		return err
	}
	n := int64(len(sp) + 1 + len(key) + len(val))
	if b.unchecked < 0 || b.unchecked+n >= batchCheckBytes {
		if err := b.s.checkSpace(n); err != nil {
			return err
		}
		b.unchecked = 0
	}
	b.unchecked += n
	// Badger keeps a reference to val until the batch commits; a copy lets
	// the caller reuse its buffer.
	v := append([]byte(nil), val...)
	if err := b.wb.Set(sp.key(key), v); err != nil {
		return b.s.wrap(describe("batch put", sp, key), err)
	}
	return nil
}

// Delete removes key from sp.
func (b *Batch) Delete(sp Space, key []byte) error {
	if err := b.usable("batch delete", sp, key, 0); err != nil {
		return err
	}
	if err := b.wb.Delete(sp.key(key)); err != nil {
		return b.s.wrap(describe("batch delete", sp, key), err)
	}
	return nil
}
