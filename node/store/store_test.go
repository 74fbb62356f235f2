package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// newKey returns a fresh random AES-256 key.
func newKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// openStore opens a store in dir and closes it when the test ends.
func openStore(t testing.TB, dir string, key []byte) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Key: key})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func newStore(t testing.TB) *Store {
	t.Helper()
	return openStore(t, t.TempDir(), newKey(t))
}

func mustGet(t *testing.T, s *Store, sp Space, key string) string {
	t.Helper()
	v, err := s.Get(sp, []byte(key))
	if err != nil {
		t.Fatalf("Get(%s, %q): %v", sp, key, err)
	}
	return string(v)
}

func TestPutGetDelete(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	val := []byte(`{"kind":"judgment"}`)
	if err := s.Put("record", []byte("r1"), val); err != nil {
		t.Fatal(err)
	}
	val[0] = 'X' // Put copied val
	if got := mustGet(t, s, "record", "r1"); got != `{"kind":"judgment"}` {
		t.Fatalf("Get = %q", got)
	}
	got, _ := s.Get("record", []byte("r1"))
	got[0] = 'Y' // Get returned a copy
	if got := mustGet(t, s, "record", "r1"); got != `{"kind":"judgment"}` {
		t.Fatalf("Get after changing a returned value = %q", got)
	}
	if err := s.Delete("record", []byte("r1")); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get("record", []byte("r1"))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), s.Dir()) || !strings.Contains(err.Error(), `record key "r1"`) {
		t.Errorf("error %q does not name the dir, space and key", err)
	}
	if err := s.Delete("record", []byte("never-there")); err != nil {
		t.Errorf("Delete of a missing key: %v", err)
	}
}

func TestSpacesAreIsolated(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	// "rec" is a prefix of "record": the 0x00 separator keeps them apart.
	for sp, v := range map[Space]string{"meta": "m", "record": "r", "rec": "x"} {
		if err := s.Put(sp, []byte("k"), []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Put("record", []byte("k2"), []byte("r2")); err != nil {
		t.Fatal(err)
	}
	for sp, want := range map[Space]string{"meta": "m", "record": "r", "rec": "x"} {
		if got := mustGet(t, s, sp, "k"); got != want {
			t.Errorf("Get(%s, k) = %q, want %q", sp, got, want)
		}
	}
	if _, err := s.Get("meta", []byte("k2")); !errors.Is(err, ErrNotFound) {
		t.Errorf("k2 of record is visible in meta: err = %v", err)
	}
	var seen []string
	err := s.Scan(context.Background(), "rec", nil, func(k, v []byte) error {
		seen = append(seen, string(k)+"="+string(v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[k=x]" {
		t.Errorf("Scan(rec) = %v, want [k=x] only", seen)
	}
	if err := s.Delete("meta", []byte("k")); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, "record", "k"); got != "r" {
		t.Errorf("Delete in meta changed record: %q", got)
	}
}

func TestBadSpace(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	for _, sp := range []Space{"", "a\x00b"} {
		if err := s.Put(sp, []byte("k"), []byte("v")); err == nil || !strings.Contains(err.Error(), "key space") {
			t.Errorf("Put(%q): err = %v, want a key space error", sp, err)
		}
		if _, err := s.Get(sp, []byte("k")); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q): err = %v, want a key space error", sp, err)
		}
		err := s.Batch(func(b *Batch) error { return b.Put(sp, []byte("k"), []byte("v")) })
		if err == nil {
			t.Errorf("Batch.Put(%q): no error", sp)
		}
	}
}

func TestScan(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	keys := []string{"b/2", "a/1", "b/1", "c/1", "b/3"}
	for _, k := range keys {
		if err := s.Put("record", []byte(k), []byte("v"+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Put("meta", []byte("b/0"), []byte("meta")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	var got []string
	err := s.Scan(ctx, "record", []byte("b/"), func(k, v []byte) error {
		got = append(got, string(k)+"="+string(v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[b/1=vb/1 b/2=vb/2 b/3=vb/3]"; fmt.Sprint(got) != want {
		t.Errorf("Scan(b/) = %v, want %s", got, want)
	}

	got = nil
	if err := s.Scan(ctx, "record", nil, func(k, v []byte) error { got = append(got, string(k)); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := "[a/1 b/1 b/2 b/3 c/1]"; fmt.Sprint(got) != want {
		t.Errorf("Scan(all) = %v, want %s", got, want)
	}

	stop := errors.New("stop")
	n := 0
	err = s.Scan(ctx, "record", nil, func(k, v []byte) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Scan with failing fn: err = %v after %d calls, want stop after 1", err, n)
	}

	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err = s.Scan(cctx, "record", nil, func(k, v []byte) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("Scan with cancelled ctx: err = %v after %d calls, want context.Canceled after 1", err, n)
	}
}

func TestUpdateAndView(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	err := s.Update(func(tx *Tx) error {
		if err := tx.Put("record", []byte("a"), []byte("1")); err != nil {
			return err
		}
		if err := tx.Put("meta", []byte("count"), []byte("1")); err != nil {
			return err
		}
		// The transaction sees its own writes, in Get and in Scan.
		if v, err := tx.Get("record", []byte("a")); err != nil || string(v) != "1" {
			return fmt.Errorf("own write: %q, %v", v, err)
		}
		n := 0
		if err := tx.Scan(ctx, "record", nil, func(k, v []byte) error { n++; return nil }); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("scan of own writes saw %d entries, want 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A failing Update writes nothing.
	boom := errors.New("boom")
	err = s.Update(func(tx *Tx) error {
		if err := tx.Put("record", []byte("b"), []byte("2")); err != nil {
			return err
		}
		if err := tx.Delete("record", []byte("a")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update err = %v, want boom", err)
	}
	if _, err := s.Get("record", []byte("b")); !errors.Is(err, ErrNotFound) {
		t.Errorf("write of a failed Update is visible: %v", err)
	}
	if got := mustGet(t, s, "record", "a"); got != "1" {
		t.Errorf("delete of a failed Update took effect: %q", got)
	}

	// View reads a snapshot and cannot write.
	var leaked *Tx
	err = s.View(func(tx *Tx) error {
		leaked = tx
		v, err := tx.Get("meta", []byte("count"))
		if err != nil || string(v) != "1" {
			return fmt.Errorf("view get: %q, %v", v, err)
		}
		if err := tx.Put("meta", []byte("x"), []byte("y")); err == nil {
			return errors.New("Put in a View succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaked.Get("meta", []byte("count")); err == nil || !strings.Contains(err.Error(), "after its Update or View returned") {
		t.Errorf("Get on a finished Tx: err = %v", err)
	}
}

func TestUpdateConflict(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if err := s.Put("meta", []byte("n"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	err := s.Update(func(tx *Tx) error {
		if _, err := tx.Get("meta", []byte("n")); err != nil {
			return err
		}
		// Another writer changes what this transaction read.
		if err := s.Put("meta", []byte("n"), []byte("2")); err != nil {
			return err
		}
		return tx.Put("meta", []byte("n"), []byte("1+1"))
	})
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("Update err = %v, want ErrConflict", err)
	}
	if got := mustGet(t, s, "meta", "n"); got != "2" {
		t.Errorf("n = %q, want the concurrent writer's 2", got)
	}
}

func TestUpdateTooBig(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	val := bytes.Repeat([]byte("v"), 1024)
	for _, swallow := range []bool{false, true} {
		puts := 0
		err := s.Update(func(tx *Tx) error {
			for i := 0; i < 1_000_000; i++ {
				err := tx.Put("record", fmt.Appendf(nil, "k%07d", i), val)
				if errors.Is(err, ErrTooBig) && swallow {
					return nil // Update must still refuse to commit
				}
				if err != nil {
					return err
				}
				puts++
			}
			return nil
		})
		if !errors.Is(err, ErrTooBig) {
			t.Fatalf("swallow=%v: Update of %d KiB: err = %v, want ErrTooBig", swallow, puts, err)
		}
		t.Logf("ErrTooBig after %d puts of 1 KiB", puts)
		if !strings.Contains(err.Error(), s.Dir()) {
			t.Errorf("error %q does not name the dir", err)
		}
		if _, err := s.Get("record", []byte("k0000000")); !errors.Is(err, ErrNotFound) {
			t.Errorf("swallow=%v: part of a too-big Update was written: %v", swallow, err)
		}
	}
}

func TestBatch(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	const n = 5000
	buf := make([]byte, 100)
	err := s.Batch(func(b *Batch) error {
		for i := range n {
			copy(buf, fmt.Sprintf("value %d", i)) // Put copies, so buf is reused
			if err := b.Put("record", fmt.Appendf(nil, "%05d", i), buf); err != nil {
				return err
			}
		}
		return b.Delete("record", []byte("00007"))
	})
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	err = s.Scan(context.Background(), "record", nil, func(k, v []byte) error {
		var i int
		fmt.Sscanf(string(k), "%d", &i)
		if want := fmt.Sprintf("value %d", i); !bytes.HasPrefix(v, []byte(want)) {
			return fmt.Errorf("%s = %q, want %q", k, v[:12], want)
		}
		count++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n-1 {
		t.Errorf("Scan found %d entries, want %d", count, n-1)
	}

	boom := errors.New("boom")
	if err := s.Batch(func(b *Batch) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("Batch err = %v, want boom", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, err := Open(Options{Dir: dir, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("meta", []byte("peer"), []byte("12D3")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Get("meta", []byte("peer")); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: err = %v, want ErrClosed", err)
	}
	s = openStore(t, dir, key)
	if got := mustGet(t, s, "meta", "peer"); got != "12D3" {
		t.Errorf("after reopen: %q", got)
	}
	if s.Dir() != dir {
		t.Errorf("Dir = %q, want %q", s.Dir(), dir)
	}
	if lsm, vlog := s.Size(); lsm < 0 || vlog < 0 {
		t.Errorf("Size = %d, %d", lsm, vlog)
	}
}

func TestLocked(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	openStore(t, dir, key)
	s, err := Open(Options{Dir: dir, Key: key})
	if err == nil {
		s.Close()
		t.Fatal("second Open of an open store succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, dir) || !strings.Contains(msg, "in use by another kolo process") {
		t.Errorf("message %q does not name the dir and say the store is in use", msg)
	}
	if strings.Contains(msg, "Badger") || strings.Contains(msg, "flock") {
		t.Errorf("message %q leaks Badger's lock trace", msg)
	}
}

func TestWrongKey(t *testing.T) {
	t.Parallel()
	dir, key := t.TempDir(), newKey(t)
	s, err := Open(Options{Dir: dir, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("record", []byte("r1"), []byte("kept")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for name, k := range map[string][]byte{"other key": newKey(t), "no key": nil} {
		s, err := Open(Options{Dir: dir, Key: k})
		if err == nil {
			s.Close()
			t.Fatalf("%s: Open succeeded", name)
		}
		if !errors.Is(err, ErrWrongKey) {
			t.Fatalf("%s: err = %v, want ErrWrongKey", name, err)
		}
		want := "open store " + dir + ": store key does not match: wrong store.key or wrong passphrase"
		if err.Error() != want {
			t.Errorf("%s: message %q, want %q", name, err, want)
		}
	}
	s = openStore(t, dir, key)
	if got := mustGet(t, s, "record", "r1"); got != "kept" {
		t.Errorf("after failed opens: %q", got)
	}
}

func TestBadOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{}, "Options.Dir is empty"},
		{Options{Dir: dir, Key: make([]byte, 16)}, "encryption key is 16 bytes, want 32"},
		{Options{Dir: dir, MemTableBytes: 1000}, "MemTableBytes is 1000"},
		{Options{Dir: dir, BlockCacheBytes: -1}, "BlockCacheBytes is -1"},
	} {
		s, err := Open(tc.opts)
		if err == nil {
			s.Close()
			t.Errorf("Open(%+v) succeeded", tc.opts)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%+v) = %q, want it to contain %q", tc.opts, err, tc.want)
		}
	}
}

// Close waits for calls in flight; a call started meanwhile (here inside a
// Scan's fn) gets ErrClosed rather than deadlocking.
func TestCloseWaitsForCallsInFlight(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("record", []byte("a"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	err = s.Scan(context.Background(), "record", nil, func(k, v []byte) error {
		go func() { closed <- s.Close() }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := s.Get("record", []byte("a"))
			if errors.Is(err, ErrClosed) {
				break
			}
			if err != nil {
				return err
			}
			if time.Now().After(deadline) {
				return errors.New("Close did not start within 10s")
			}
			time.Sleep(time.Millisecond) // polling for a condition, with a deadline
		}
		select {
		case err := <-closed:
			return fmt.Errorf("Close returned (%v) while a Scan was running", err)
		default:
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return within 10s of the Scan ending")
	}
}

func TestSizeLimits(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	long := bytes.Repeat([]byte("k"), maxDiskKey)
	err := s.Put("record", long, []byte("v"))
	if err == nil || !strings.Contains(err.Error(), "at most 65000 allowed") || len(err.Error()) > 300 {
		t.Errorf("Put of a too-long key: err = %.300v", err)
	}
	secret := bytes.Repeat([]byte("secret "), MaxValueBytes/7+1)
	err = s.Batch(func(b *Batch) error { return b.Put("record", []byte("k"), secret) })
	if err == nil || !strings.Contains(err.Error(), "at most 67108864 allowed") {
		t.Errorf("Put of a too-big value: err = %.300v", err)
	}
	if err != nil && strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the value: %.300v", err)
	}
}
