package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// Tx is a transaction: read-write inside [Store.Update], read-only inside
// [Store.View]. It sees one consistent snapshot plus its own writes. A Tx is
// valid only until the function it was given to returns, and is not safe for
// concurrent use.
type Tx struct {
	s      *Store
	txn    *badger.Txn
	done   bool  // set when Update/View returns
	tooBig error // first ErrTooBig; Update then refuses to commit
	puts   int64 // bytes of keys and values put: the space the commit needs
}

var errTxDone = errors.New("transaction used after its Update or View returned")

// Update runs fn in one atomic read-write transaction and commits it if fn
// returns nil. If fn returns an error nothing is written and the error is
// returned as is. If the writes do not fit in one commit, Update writes
// nothing and returns an error wrapping ErrTooBig (even if fn ignored the
// error from Put); a concurrent write to a key fn read gives ErrConflict.
func (s *Store) Update(fn func(tx *Tx) error) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.wg.Done()
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	tx := &Tx{s: s, txn: txn}
	defer func() { tx.done = true }()
	if err := fn(tx); err != nil {
		return err
	}
	if tx.tooBig != nil {
		return tx.tooBig
	}
	// Deletions are let through on a full disk: they are small, and they
	// are how space is made.
	if tx.puts > 0 {
		if err := s.checkSpace(tx.puts); err != nil {
			return err
		}
	}
	if err := txn.Commit(); err != nil {
		return s.wrap("commit", err)
	}
	return nil
}

// View runs fn in a read-only transaction on one consistent snapshot and
// returns its error. Put and Delete in a View fail.
func (s *Store) View(fn func(tx *Tx) error) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.wg.Done()
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	tx := &Tx{s: s, txn: txn}
	defer func() { tx.done = true }()
	return fn(tx)
}

// usable reports why tx cannot be used for op on key in sp with a value of
// valLen bytes, or nil.
func (tx *Tx) usable(op string, sp Space, key []byte, valLen int) error {
	if tx.done {
		return fmt.Errorf("store %s: %s: %w", tx.s.dir, describe(op, sp, key), errTxDone)
	}
	if err := sp.checkEntry(key, valLen); err != nil {
		return fmt.Errorf("store %s: %s: %w", tx.s.dir, describe(op, sp, key), err)
	}
	return nil
}

// Get returns a copy of the value of key in sp, or an error wrapping
// ErrNotFound.
func (tx *Tx) Get(sp Space, key []byte) ([]byte, error) {
	if err := tx.usable("get", sp, key, 0); err != nil {
		return nil, err
	}
	item, err := tx.txn.Get(sp.key(key))
	if err != nil {
		return nil, tx.s.wrap(describe("get", sp, key), err)
	}
	val, err := item.ValueCopy(nil)
	if err != nil {
		return nil, tx.s.wrap(describe("get", sp, key), err)
	}
	return val, nil
}

// Put sets key in sp to val. It copies val, so the caller may reuse it.
func (tx *Tx) Put(sp Space, key, val []byte) error {
	if err := tx.usable("put", sp, key, len(val)); err != nil {
		return err
	}
	// Badger keeps a reference to val until the commit; a copy lets the
	// caller reuse its buffer.
	v := append([]byte(nil), val...)
	if err := tx.txn.Set(sp.key(key), v); err != nil {
		return tx.failed(tx.s.wrap(describe("put", sp, key), err))
	}
	tx.puts += int64(len(sp) + 1 + len(key) + len(val))
	return nil
}

// Delete removes key from sp. Deleting a missing key is not an error.
func (tx *Tx) Delete(sp Space, key []byte) error {
	if err := tx.usable("delete", sp, key, 0); err != nil {
		return err
	}
	if err := tx.txn.Delete(sp.key(key)); err != nil {
		return tx.failed(tx.s.wrap(describe("delete", sp, key), err))
	}
	return nil
}

// failed records the first ErrTooBig so that Update refuses to commit a
// partial transaction; err is the wrapped error of a Set or Delete.
func (tx *Tx) failed(err error) error {
	if errors.Is(err, ErrTooBig) && tx.tooBig == nil {
		tx.tooBig = err
	}
	return err
}

// Scan calls fn for each entry of sp whose key starts with prefix, in key
// order, with the key (without the space) and the value, both copies. It
// stops at the first error of fn and returns it, or when ctx is done. In an
// Update, Scan sees the writes made before it started.
func (tx *Tx) Scan(ctx context.Context, sp Space, prefix []byte, fn func(key, val []byte) error) error {
	if err := tx.usable("scan", sp, prefix, 0); err != nil {
		return err
	}
	full := sp.key(prefix)
	opt := badger.DefaultIteratorOptions
	opt.Prefix = full
	it := tx.txn.NewIterator(opt)
	defer it.Close()
	for it.Seek(full); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("store %s: %s: %w", tx.s.dir, describe("scan", sp, prefix), err)
		}
		item := it.Item()
		_, key, _ := split(item.KeyCopy(nil))
		val, err := item.ValueCopy(nil)
		if err != nil {
			return tx.s.wrap(describe("scan", sp, key), err)
		}
		if err := fn(key, val); err != nil {
			return err
		}
	}
	return nil
}
