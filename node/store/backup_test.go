package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestBackupLoad: a backup loaded into a new store (with another key) holds
// every entry of every space, a value in the value log (over 64 KiB)
// included, and not the deleted ones.
func TestBackupLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := newStore(t)
	big := bytes.Repeat([]byte("v"), 100<<10)
	want := map[string]string{}
	for i := range 300 {
		k := fmt.Sprintf("r%03d", i)
		want["record/"+k] = "value " + k
		if err := src.Put("record", []byte(k), []byte("value "+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.Put("meta", []byte("big"), big); err != nil {
		t.Fatal(err)
	}
	want["meta/big"] = string(big)
	if err := src.Put("record", []byte("gone"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := src.Delete("record", []byte("gone")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := src.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	dst := newStore(t)
	if err := dst.Load(ctx, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, sp := range []Space{"record", "meta"} {
		dst.Scan(ctx, sp, nil, func(k, v []byte) error { got[string(sp)+"/"+string(k)] = string(v); return nil })
	}
	if len(got) != len(want) {
		t.Fatalf("loaded %d entries, want %d", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("%s: loaded %d bytes, want %d", k, len(got[k]), len(v))
		}
	}
	// The loaded store takes writes after the loaded versions.
	if err := dst.Put("record", []byte("r000"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if v := mustGet(t, dst, "record", "r000"); v != "new" {
		t.Fatalf("after a write on the loaded store: %q", v)
	}
}

// TestBackupIsASnapshot: pairs of entries written in one Update while the
// backup runs are in the backup both or neither.
func TestBackupIsASnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := newStore(t)
	val := bytes.Repeat([]byte("x"), 2000)
	for i := range 2000 {
		if err := src.Put("record", fmt.Appendf(nil, "seed%05d", i), val); err != nil {
			t.Fatal(err)
		}
	}
	var stop atomic.Bool
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			err := src.Update(func(tx *Tx) error {
				if err := tx.Put("a", fmt.Appendf(nil, "%06d", i), val); err != nil {
					return err
				}
				return tx.Put("b", fmt.Appendf(nil, "%06d", i), val)
			})
			if err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	})
	waitFor(t, "50 pairs written", func() bool { return written.Load() >= 50 })
	var buf bytes.Buffer
	err := src.Backup(ctx, &buf)
	waitFor(t, "50 more pairs written", func() bool { return written.Load() >= 100 })
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	dst := newStore(t)
	if err := dst.Load(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	keys := func(sp Space) map[string]bool {
		m := map[string]bool{}
		dst.Scan(ctx, sp, nil, func(k, _ []byte) error { m[string(k)] = true; return nil })
		return m
	}
	a, b := keys("a"), keys("b")
	if len(a) != len(b) {
		t.Fatalf("the backup holds %d entries of space a and %d of b, written in pairs", len(a), len(b))
	}
	for k := range a {
		if !b[k] {
			t.Fatalf("pair %s is half in the backup", k)
		}
	}
	if n := int64(len(a)); n < 50 || n >= written.Load() {
		t.Fatalf("the backup holds %d pairs of %d written; want those written before it began (at least 50), not the later ones", n, written.Load())
	}
}

// frame is one frame of a backup stream holding body.
func frame(body []byte) []byte {
	return append(binary.LittleEndian.AppendUint64(nil, uint64(len(body))), body...)
}

// TestLoadRefusesBadStreams: a frame claiming more than MaxBackupFrame, a
// truncated frame, bytes that are no list of entries, and an entry outside
// any key space are refused with ErrBadBackup, before Badger allocates or
// stores them.
func TestLoadRefusesBadStreams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := newStore(t)
	src.Put("record", []byte("k"), []byte("v"))
	var good bytes.Buffer
	if err := src.Backup(ctx, &good); err != nil {
		t.Fatal(err)
	}
	// An entry whose key has no 0x00: 0x0a (field 1, bytes) 0x03 "abc" in a
	// KV, itself field 1 of the list.
	noSpace := []byte{0x0a, 0x05, 0x0a, 0x03, 'a', 'b', 'c'}
	for name, c := range map[string]struct {
		stream []byte
		want   string
	}{
		"huge frame": {binary.LittleEndian.AppendUint64(nil, 1<<40), "claims 1099511627776 bytes"},
		"truncated":  {good.Bytes()[:good.Len()-3], "frame 1"},
		"not a list": {frame([]byte{0xff, 0xff, 0xff}), "frame 1"},
		"no space":   {frame(noSpace), "in no key space"},
		"short head": {[]byte{1, 2, 3}, "length"},
	} {
		t.Run(name, func(t *testing.T) {
			dst := newStore(t)
			err := dst.Load(ctx, bytes.NewReader(c.stream))
			if !errors.Is(err, ErrBadBackup) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Load = %v; want ErrBadBackup saying %q", err, c.want)
			}
		})
	}
}

// FuzzLoad feeds Load arbitrary streams, seeded with a real backup: it
// returns an error or loads, and never panics or allocates what a frame
// claims beyond MaxBackupFrame.
func FuzzLoad(f *testing.F) {
	src, err := Open(Options{Dir: f.TempDir(), Key: make([]byte, KeySize), HealthInterval: -1})
	if err != nil {
		f.Fatal(err)
	}
	for i := range 5 {
		src.Put("record", fmt.Appendf(nil, "k%d", i), []byte("value"))
	}
	src.Delete("record", []byte("k1"))
	var good bytes.Buffer
	if err := src.Backup(context.Background(), &good); err != nil {
		f.Fatal(err)
	}
	src.Close()
	seeds := [][]byte{good.Bytes(), frame(nil), frame([]byte{0x0a, 0x00}), binary.LittleEndian.AppendUint64(nil, 1<<40)}
	for _, s := range seeds {
		f.Add(s)
	}
	dst, err := Open(Options{Dir: f.TempDir(), Key: make([]byte, KeySize), HealthInterval: -1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { dst.Close() })
	f.Fuzz(func(t *testing.T, stream []byte) {
		_ = dst.Load(context.Background(), bytes.NewReader(stream))
	})
}
