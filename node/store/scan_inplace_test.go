package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// ScanInPlace sees what Scan sees, in the same order, within its prefix,
// and stops at fn's error or a cancelled context.
func TestScanInPlace(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	for _, k := range []string{"b/2", "a/1", "b/1", "c/1", "b/3"} {
		if err := s.Put("record", []byte(k), []byte("v"+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Put("other", []byte("b/9"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	collect := func(scan func(tx *Tx, fn func(k, v []byte) error) error) (string, error) {
		var got []string
		err := s.View(func(tx *Tx) error {
			return scan(tx, func(k, v []byte) error {
				got = append(got, string(k)+"="+string(v))
				return nil
			})
		})
		return fmt.Sprint(got), err
	}
	for _, prefix := range []string{"", "b/"} {
		want, err := collect(func(tx *Tx, fn func(k, v []byte) error) error { return tx.Scan(ctx, "record", []byte(prefix), fn) })
		if err != nil {
			t.Fatal(err)
		}
		got, err := collect(func(tx *Tx, fn func(k, v []byte) error) error {
			return tx.ScanInPlace(ctx, "record", []byte(prefix), fn)
		})
		if err != nil || got != want {
			t.Errorf("prefix %q: ScanInPlace %s (%v), Scan %s", prefix, got, err, want)
		}
	}
	stop := errors.New("stop")
	n := 0
	err := s.View(func(tx *Tx) error {
		return tx.ScanInPlace(ctx, "record", nil, func(k, v []byte) error { n++; return stop })
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("failing fn: %v after %d calls", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err = s.View(func(tx *Tx) error {
		return tx.ScanInPlace(cctx, "record", nil, func(k, v []byte) error { n++; cancel(); return nil })
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("cancelled ctx: %v after %d calls", err, n)
	}
}
