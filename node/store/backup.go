package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"
)

// The backup stream is Badger's own format (DB.Backup, DB.Load): frames of
// an 8-byte little-endian length and a protocol-buffer list of entries.
const (
	// backupBatch is how much the backup puts in one frame (Badger's
	// default is 100 MB): frames stay small, whatever the store's size.
	backupBatch = 8 << 20
	// MaxBackupFrame caps a frame that Load reads: a batch, plus one value
	// of MaxValueBytes, plus room. Badger itself would allocate whatever
	// length a frame claims.
	MaxBackupFrame = backupBatch + MaxValueBytes + 8<<20
	// maxBackupVersion bounds an entry's version: Badger's versions count
	// commits, and one near 2^64 would wrap its clock on Load.
	// (Version 0 is Badger's own: a delete marker below version 1.)
	maxBackupVersion = 1 << 56
)

// ErrBadBackup is wrapped by Load's errors about the stream itself.
var ErrBadBackup = errors.New("not a store backup, or a damaged one")

// Backup writes every entry of the store, as of one moment (a snapshot: the
// writes made meanwhile are not in it), to w, decrypted: whoever writes w
// somewhere encrypts it first. Load reads it back.
func (s *Store) Backup(ctx context.Context, w io.Writer) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.wg.Done()
	st := s.db.NewStream()
	st.LogPrefix = "kolo backup"
	st.MaxSize = backupBatch
	// Badger's Stream.Backup runs with a context of its own; a writer that
	// fails once ctx is done stops it.
	if _, err := st.Backup(ctxWriter{ctx, w}, 0); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("store %s: backup: %w", s.dir, ctx.Err())
		}
		return fmt.Errorf("store %s: backup: %w", s.dir, err)
	}
	return nil
}

type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Load adds the entries of a backup written by Backup to the store, which
// should be new: nothing else may write to it meanwhile. Each frame is read
// whole, within MaxBackupFrame, and checked (every key in a key space, no
// version past 2^56) before Badger sees it; a bad one fails Load with an
// error wrapping ErrBadBackup. What was loaded before an error stays: load
// into a store that is thrown away on failure.
func (s *Store) Load(ctx context.Context, r io.Reader) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.wg.Done()
	g := &frameGuard{ctx: ctx, r: r}
	if err := s.db.Load(g, 16); err != nil {
		if g.err != nil {
			err = g.err
		}
		return fmt.Errorf("store %s: load backup: %w", s.dir, err)
	}
	return nil
}

// frameGuard hands Badger's Load the stream one checked frame at a time.
// Badger trusts the length in front of each frame (it allocates it) and the
// entries in it; the guard reads the frame first, caps it, and decodes and
// checks it with Badger's own protocol-buffer types.
type frameGuard struct {
	ctx   context.Context
	r     io.Reader
	frame []byte // the frame read last, with its length
	buf   []byte // what of it Badger has not read yet
	n     int    // frames read
	err   error  // the guard's own error, which Badger's Load may wrap
	done  bool   // the stream ended cleanly
}

func (g *frameGuard) Read(p []byte) (int, error) {
	if len(g.buf) == 0 {
		if g.done {
			return 0, io.EOF
		}
		if err := g.next(); err != nil {
			if err == io.EOF {
				g.done = true
				return 0, io.EOF
			}
			g.err = err
			return 0, err
		}
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// next reads and checks the next frame into g.buf, or returns io.EOF at a
// clean end of the stream.
func (g *frameGuard) next() error {
	if err := g.ctx.Err(); err != nil {
		return err
	}
	var head [8]byte
	if _, err := io.ReadFull(g.r, head[:]); err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return fmt.Errorf("%w: frame %d: length: %v", ErrBadBackup, g.n+1, err)
	}
	size := binary.LittleEndian.Uint64(head[:])
	if size > MaxBackupFrame {
		return fmt.Errorf("%w: frame %d claims %d bytes, at most %d allowed", ErrBadBackup, g.n+1, size, MaxBackupFrame)
	}
	if cap(g.frame) < 8+int(size) {
		g.frame = make([]byte, 8+int(size))
	}
	g.frame = g.frame[:8+int(size)]
	copy(g.frame, head[:])
	if _, err := io.ReadFull(g.r, g.frame[8:]); err != nil {
		return fmt.Errorf("%w: frame %d of %d bytes: %v", ErrBadBackup, g.n+1, size, err)
	}
	g.n++
	if err := checkFrame(g.frame[8:]); err != nil {
		return fmt.Errorf("%w: frame %d: %v", ErrBadBackup, g.n, err)
	}
	g.buf = g.frame
	return nil
}

// checkFrame decodes a frame's list of entries and checks each.
func checkFrame(b []byte) error {
	var list pb.KVList
	if err := proto.Unmarshal(b, &list); err != nil {
		return err
	}
	for i, kv := range list.Kv {
		if _, _, ok := split(kv.Key); !ok {
			return fmt.Errorf("entry %d: key of %d bytes is in no key space", i, len(kv.Key))
		}
		sp, key, _ := split(kv.Key)
		if err := sp.checkEntry(key, len(kv.Value)); err != nil {
			return fmt.Errorf("entry %d: %v", i, err)
		}
		if kv.Version > maxBackupVersion {
			return fmt.Errorf("entry %d: version %d, at most %d allowed", i, kv.Version, uint64(maxBackupVersion))
		}
		if len(kv.Meta) > 1 || len(kv.UserMeta) > 1 {
			return fmt.Errorf("entry %d: %d bytes of meta, %d of user meta; at most 1 each", i, len(kv.Meta), len(kv.UserMeta))
		}
	}
	return nil
}
