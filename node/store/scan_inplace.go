package store

import (
	"context"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// ScanInPlace is Scan for read-only passes over many small values, such as
// evaluating a query over every record's indicators: fn gets Badger's own
// key and value buffers, valid only until fn returns (copy what you keep),
// and values are not prefetched (Badger's prefetching starts a goroutine
// per entry, wasted on values that live in the LSM tree, as every value
// below valueThreshold does). The key has the space removed. It stops at
// the first error of fn and returns it, or when ctx is done.
func (tx *Tx) ScanInPlace(ctx context.Context, sp Space, prefix []byte, fn func(key, val []byte) error) error {
	if err := tx.usable("scan", sp, prefix, 0); err != nil {
		return err
	}
	full := sp.key(prefix)
	opt := badger.DefaultIteratorOptions
	opt.Prefix = full
	opt.PrefetchValues = false
	it := tx.txn.NewIterator(opt)
	defer it.Close()
	skip := len(sp) + 1 // the space and its 0x00
	for it.Seek(full); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("store %s: %s: %w", tx.s.dir, describe("scan", sp, prefix), err)
		}
		item := it.Item()
		key := item.Key()[skip:]
		var ferr error
		err := item.Value(func(val []byte) error {
			ferr = fn(key, val)
			return nil
		})
		if err != nil {
			return tx.s.wrap(describe("scan", sp, key), err)
		}
		if ferr != nil {
			return ferr
		}
	}
	return nil
}
