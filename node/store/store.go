// Package store is the node's encrypted key-value store: one Badger database
// per node, encrypted at rest with Badger's own AES-256 option, holding typed
// key spaces ("meta", "record", ...) side by side.
//
// It is the only package of kolo that imports Badger. Everything else sees a
// small surface: Get, Put, Delete and Scan in a [Space], atomic read-write
// transactions ([Store.Update]) and read-only snapshots ([Store.View]), and a
// fast, non-atomic [Store.Batch] for bulk imports.
//
// A Space is a prefix: on disk a key is space + 0x00 + key, so the same key in
// two spaces names two different entries and a [Store.Scan] of one space never
// sees another. Keys (their first 64 bytes) appear in error messages, which
// may be logged, while values never do, so a key must not hold personal data:
// use record IDs, not names.
//
// Open refuses a directory that another process holds ([ErrLocked]) and a key
// that does not match the one the store was created with ([ErrWrongKey]),
// with messages a sysadmin can act on. The Badger options are chosen for a
// modest office machine (a 4 GB laptop); docs/store.md explains each one.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"
)

// Options configure [Open].
type Options struct {
	// Dir is the directory of the Badger files. It is created (0700) if missing.
	Dir string
	// Key is the 32-byte AES-256 key for encryption at rest (Badger's
	// EncryptionKey). nil disables encryption: for benchmarks and tests only.
	Key []byte
	// IndexCacheBytes sizes Badger's index cache, which Badger needs when
	// encryption is on (otherwise every table lookup decrypts its index).
	// 0 means DefaultIndexCacheBytes.
	IndexCacheBytes int64
	// BlockCacheBytes sizes Badger's block cache. 0 means DefaultBlockCacheBytes.
	BlockCacheBytes int64
	// MemTableBytes sizes each Badger memtable. 0 means DefaultMemTableBytes.
	MemTableBytes int64
	// Logger receives Badger's logs (warnings at their level, Badger's
	// routine info and debug messages at debug) and the store's own lines
	// about its health: one error line when it cannot be written, with
	// Badger's errors behind it at debug. nil discards them.
	Logger *slog.Logger
	// ReserveBytes is the free space the store keeps on its file system:
	// a write that would leave less is refused with ErrDiskFull. 0 means
	// what Badger may write by itself with these memtables (8 memtables
	// and 32 MiB; docs/store.md); a negative value turns the check off.
	ReserveBytes int64
	// HealthInterval is how often the store checks that it can be written
	// (Health). 0 means DefaultHealthInterval; negative turns the checks
	// off (a store opened for one command).
	HealthInterval time.Duration

	// For this package's tests only: fault-injecting stand-ins for the
	// free space of the file system and for the write probe.
	freeBytes func(dir string) (int64, error)
	probe     func(dir string) error
}

// Defaults for a 4 GB office laptop; docs/store.md explains each choice.
const (
	DefaultIndexCacheBytes int64 = 16 << 20
	DefaultBlockCacheBytes int64 = 32 << 20
	DefaultMemTableBytes   int64 = 16 << 20
)

// KeySize is the length of Options.Key: AES-256.
const KeySize = 32

var (
	// ErrNotFound is returned by Get of a missing key.
	ErrNotFound = errors.New("not found")
	// ErrLocked is returned by Open when another process holds the store.
	ErrLocked = errors.New("store is in use by another kolo process (only one kolo run per home directory)")
	// ErrWrongKey is returned by Open when the key does not match the store.
	ErrWrongKey = errors.New("store key does not match: wrong store.key or wrong passphrase")
	// ErrTooBig is returned by Update when the transaction holds more than
	// Badger accepts in one commit; split it, or use Batch plus a commit marker.
	ErrTooBig = errors.New("transaction too big for one commit: split it or use Batch")
	// ErrConflict is returned by Update when a concurrent transaction wrote a
	// key this one read; the caller may run the Update again.
	ErrConflict = errors.New("transaction conflict: a concurrent update changed what it read; retry")
	// ErrClosed is returned by any call on a closed Store.
	ErrClosed = errors.New("store is closed")
)

// Store is an open store. Its methods are safe for concurrent use.
type Store struct {
	dir string
	db  *badger.DB
	log *badgerLogger

	// Health: see health.go and disk.go.
	health     *health
	reserve    int64                           // free bytes kept; <= 0: no check
	freeBytes  func(dir string) (int64, error) // statfsFree; tests inject a full disk
	probe      func(dir string) error          // writeProbe; tests inject an I/O error
	dirInfo    os.FileInfo                     // the directory as opened
	healthStop chan struct{}                   // closed by Close
	healthDone chan struct{}                   // closed when watchHealth returned
	checks     atomic.Int64                    // health checks run (tests wait on it)

	mu     sync.Mutex     // guards closed and wg.Add
	closed bool           // set by Close; new calls get ErrClosed
	wg     sync.WaitGroup // calls in flight; Close waits for them
	gcStop chan struct{}  // closed by Close to stop the value-log GC loop
	gcDone chan struct{}  // closed when the GC loop has returned

	closeOnce sync.Once
	closeErr  error
}

// Open opens (or creates) the store in opts.Dir.
func Open(opts Options) (*Store, error) {
	if opts.Dir == "" {
		return nil, errors.New("open store: no directory given (Options.Dir is empty)")
	}
	if n := len(opts.Key); n != 0 && n != KeySize {
		return nil, fmt.Errorf("open store %s: encryption key is %d bytes, want %d (AES-256)", opts.Dir, n, KeySize)
	}
	for name, v := range map[string]int64{
		"IndexCacheBytes": opts.IndexCacheBytes,
		"BlockCacheBytes": opts.BlockCacheBytes,
		"MemTableBytes":   opts.MemTableBytes,
	} {
		if v < 0 {
			return nil, fmt.Errorf("open store %s: %s is %d, want 0 (default) or a positive size in bytes", opts.Dir, name, v)
		}
	}
	if opts.MemTableBytes != 0 && opts.MemTableBytes < minMemTableBytes {
		return nil, fmt.Errorf("open store %s: MemTableBytes is %d, want 0 (default) or at least %d", opts.Dir, opts.MemTableBytes, minMemTableBytes)
	}

	hl := newHealth(opts.Logger)
	log := newBadgerLogger(opts.Logger, hl)
	// Badger logs the cause of a failed Open as an error before returning it;
	// we return it ourselves with a clearer message, so while opening its
	// errors are logged at debug only.
	log.opening.Store(true)
	db, err := openBadger(badgerOptions(opts, log), opts.Logger)
	log.opening.Store(false)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", opts.Dir, openError(err))
	}
	s := &Store{
		dir:        opts.Dir,
		db:         db,
		log:        log,
		gcStop:     make(chan struct{}),
		gcDone:     make(chan struct{}),
		health:     hl,
		reserve:    opts.ReserveBytes,
		freeBytes:  statfsFree,
		probe:      writeProbe,
		healthStop: make(chan struct{}),
		healthDone: make(chan struct{}),
	}
	if opts.freeBytes != nil {
		s.freeBytes = opts.freeBytes
	}
	if opts.probe != nil {
		s.probe = opts.probe
	}
	if s.reserve == 0 {
		s.reserve = defaultReserve(memTableBytes(opts))
	}
	s.dirInfo, _ = os.Stat(opts.Dir)
	go s.collectGarbage()
	switch iv := opts.HealthInterval; {
	case iv < 0:
		close(s.healthDone)
	case iv == 0:
		go s.watchHealth(DefaultHealthInterval)
	default:
		go s.watchHealth(iv)
	}
	return s, nil
}

// maxEmptyLogRepairs bounds how many times openBadger opens again.
const maxEmptyLogRepairs = 8

// openBadger is badger.Open, working around a crash that left an empty
// write-ahead (.mem) or value-log (.vlog) file: killed between creating
// such a file and sizing it, Badger leaves 0 bytes, and its next Open
// sizes and sets up the file and then fails with ristretto's z.NewFile
// sentinel, whatever is tried (Badger issue 2207; a fix is proposed in
// Badger pull request 2331). Opened again, Badger finds an empty, valid
// file and goes on: one more attempt per such file. The empty file held
// nothing, so nothing is lost. The sentinel reaches us flattened into
// text (Badger's y.Wrap formats with %+v), so the text is what is matched.
func openBadger(o badger.Options, log *slog.Logger) (*badger.DB, error) {
	for attempt := 0; ; attempt++ {
		db, err := badger.Open(o)
		if err == nil || attempt == maxEmptyLogRepairs || !strings.HasSuffix(err.Error(), "err: "+z.NewFile.Error()) {
			return db, err
		}
		if log != nil {
			log.Warn("the store held an empty log file left by a crash (Badger issue 2207); Badger set it up, opening again",
				"dir", o.Dir, "badger", err.Error())
		}
	}
}

// openError maps Badger's Open errors onto ErrWrongKey and ErrLocked.
func openError(err error) error {
	if errors.Is(err, badger.ErrEncryptionKeyMismatch) {
		return ErrWrongKey
	}
	// Badger flattens the flock error into text ("Cannot acquire directory
	// lock on ... Another process is using this Badger database. err:
	// resource temporarily unavailable"), so the text is all there is to match.
	if errors.Is(err, syscall.EWOULDBLOCK) || strings.Contains(err.Error(), "Cannot acquire directory lock") {
		return ErrLocked
	}
	return err
}

// Close flushes and closes the store. Calls in flight finish first; calls
// made after Close return ErrClosed. Close is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.gcStop)
		<-s.gcDone
		close(s.healthStop)
		<-s.healthDone
		s.wg.Wait()
		if err := s.db.Close(); err != nil {
			s.closeErr = fmt.Errorf("close store %s: %w", s.dir, err)
		}
	})
	return s.closeErr
}

// enter registers a call in flight; the caller must call s.wg.Done when it
// returns. A call that starts while Close waits (say, a Get inside a Scan's
// fn) gets ErrClosed instead of deadlocking.
func (s *Store) enter() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("store %s: %w", s.dir, ErrClosed)
	}
	s.wg.Add(1)
	return nil
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }

// Size is the size in bytes of the LSM tree and of the value log, as Badger
// last measured them (at Open, then about once a minute).
func (s *Store) Size() (lsm, vlog int64) {
	if s.enter() != nil {
		return 0, 0
	}
	defer s.wg.Done()
	return s.db.Size()
}

// Sync makes every write so far durable on disk (fsync). Writes survive a
// crash of the kolo process without it; Sync is for a power cut, e.g. after
// an import's commit marker.
func (s *Store) Sync() error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.wg.Done()
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("store %s: sync: %w", s.dir, err)
	}
	return nil
}

// Get returns a copy of the value of key in sp, or an error wrapping
// ErrNotFound.
func (s *Store) Get(sp Space, key []byte) ([]byte, error) {
	var val []byte
	err := s.View(func(tx *Tx) error {
		var err error
		val, err = tx.Get(sp, key)
		return err
	})
	return val, err
}

// Put sets key in sp to val, in a transaction of its own.
func (s *Store) Put(sp Space, key, val []byte) error {
	return s.Update(func(tx *Tx) error { return tx.Put(sp, key, val) })
}

// Delete removes key from sp, in a transaction of its own. Deleting a
// missing key is not an error.
func (s *Store) Delete(sp Space, key []byte) error {
	return s.Update(func(tx *Tx) error { return tx.Delete(sp, key) })
}

// Scan calls fn for each entry of sp whose key starts with prefix, in key
// order, with the key (without the space) and the value, both copies. It
// stops at the first error of fn and returns it, or when ctx is done. It
// reads one consistent snapshot.
func (s *Store) Scan(ctx context.Context, sp Space, prefix []byte, fn func(key, val []byte) error) error {
	return s.View(func(tx *Tx) error { return tx.Scan(ctx, sp, prefix, fn) })
}

// wrap adds the directory and the operation to err, mapping Badger's errors
// onto this package's. It returns nil for a nil err.
func (s *Store) wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, badger.ErrKeyNotFound):
		err = ErrNotFound
	case errors.Is(err, badger.ErrTxnTooBig):
		err = ErrTooBig
	case errors.Is(err, badger.ErrConflict):
		err = ErrConflict
	case errors.Is(err, badger.ErrDBClosed):
		err = ErrClosed
	}
	return fmt.Errorf("store %s: %s: %w", s.dir, op, err)
}
