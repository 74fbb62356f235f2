package membership

import "context"

// KV is the persistence a Registry (and the Declaration ledger) needs: one
// key space of the node's store. Registry reads everything once, in Open,
// and then only writes, so Get is not needed. node/store satisfies it
// through a small adapter that fixes the store.Space.
type KV interface {
	Put(key, val []byte) error
	Delete(key []byte) error
	// Scan calls fn for every key starting with prefix, in key order.
	Scan(ctx context.Context, prefix []byte, fn func(key, val []byte) error) error
}
