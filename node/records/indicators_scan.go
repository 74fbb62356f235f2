package records

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Key spaces of the indicator space (see indicators.go).
const (
	// spaceIndicators maps a record's index key "<kind>/<date>/<id>" to its
	// common indicators, encoded as indicators.go describes.
	spaceIndicators store.Space = "record-indicators"
	// spaceIndicatorState holds "format": the indicator format the space
	// was last built with. Open rebuilds the space when it is missing or
	// older than the code's.
	spaceIndicatorState store.Space = "record-indicators-state"
)

var indicatorFormatKey = []byte("format")

// IndicatorRange selects the records ScanIndicators reads: one kind, and
// optionally a range of event dates (see EventDate), both inclusive.
type IndicatorRange struct {
	Kind  sdk.Kind
	Since string // YYYY-MM-DD or ""
	Until string // YYYY-MM-DD or ""
}

// ScanIndicators calls fn with the indicators of every current, visible,
// not deleted record of r.Kind whose event date is in r's range, in date
// order, from one consistent snapshot; the view also gives the record's ID
// and event date. The view is valid only during fn: it reads the store's
// buffer in place, so that a scan allocates nothing per record. It reads
// only the indicator space: no record field is decoded and no plugin is
// called. It stops at fn's first error and returns it.
func (b *Book) ScanIndicators(ctx context.Context, r IndicatorRange, fn func(v *IndicatorView) error) error {
	if !slices.Contains(sdk.Kinds, r.Kind) {
		return invalidf("kind %q: must be one of %s", clip(string(r.Kind), 40), kindList())
	}
	if err := (Filter{Since: r.Since, Until: r.Until}).Check(); err != nil {
		return err
	}
	prefix := string(r.Kind) + "/"
	since, until := []byte(r.Since), []byte(r.Until)
	// The committed imports as of now, read once: the scan's snapshot is
	// of now too, and no lock is taken per record.
	b.mu.RLock()
	committed := maps.Clone(b.committed)
	b.mu.RUnlock()
	var seen importCache
	lay := indicatorLayouts[r.Kind]
	var v IndicatorView // one view, made again for each record
	err := b.st.View(func(tx *store.Tx) error {
		return tx.ScanInPlace(ctx, spaceIndicators, []byte(prefix+commonPrefix(r.Since, r.Until)), func(key, val []byte) error {
			rest := key[min(len(prefix), len(key)):]
			i := bytes.IndexByte(rest, '/')
			if len(key) < len(prefix) || i < 0 {
				return fmt.Errorf("indicator space: malformed key %q", clip(string(key), 64))
			}
			date, id := rest[:i], rest[i+1:]
			if len(since) > 0 && bytes.Compare(date, since) < 0 {
				return nil
			}
			if len(until) > 0 && bytes.Compare(date, until) > 0 {
				return errStop // keys are in date order
			}
			if err := v.parse(lay, val); err != nil {
				return fmt.Errorf("indicator space: record %s: %w", id, err)
			}
			if len(v.imp) > 0 && !seen.visible(v.imp, committed) {
				return nil
			}
			v.id, v.date = id, date
			return fn(&v)
		})
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// putIndicators writes the indicator entry of record r (not deleted) in tx.
func putIndicators(tx *store.Tx, r Record) error {
	val, err := encodeIndicators(r)
	if err != nil {
		return err
	}
	return tx.Put(spaceIndicators, indexKey(r.Summary()), val)
}

// ensureIndicators builds the indicator space when it is missing or was
// built with an older format: the store of a node that ran a kolo without
// it. Records already hold their common indicators, so no plugin is
// called. Open runs it before the Book is used, so no write races it.
func (b *Book) ensureIndicators(ctx context.Context) error {
	want := strconv.Itoa(indicatorFormat)
	got, err := b.st.Get(spaceIndicatorState, indicatorFormatKey)
	switch {
	case err == nil && string(got) == want:
		return nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("read indicator space state: %w", err)
	}
	n, err := b.rebuildIndicators(ctx)
	if err != nil {
		return fmt.Errorf("build the indicator space: %w", err)
	}
	b.log.Info("built the indicator space from the stored records", "records", n, "format", indicatorFormat)
	return nil
}

// rebuildIndicators empties the indicator space and writes it again from
// the current records, then marks it built. The mark goes first and last,
// so a crash in between leaves it unmarked and the next Open starts over.
func (b *Book) rebuildIndicators(ctx context.Context) (int, error) {
	if err := b.st.Delete(spaceIndicatorState, indicatorFormatKey); err != nil {
		return 0, err
	}
	var old [][]byte
	err := b.st.Scan(ctx, spaceIndicators, nil, func(key, _ []byte) error {
		old = append(old, key)
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = b.st.Batch(func(bt *store.Batch) error {
		for _, k := range old {
			if err := bt.Delete(spaceIndicators, k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	err = b.st.Batch(func(bt *store.Batch) error {
		return b.st.Scan(ctx, spaceRecord, nil, func(_, val []byte) error {
			r, err := decode(val)
			if err != nil {
				return err
			}
			if r.Deleted {
				return nil
			}
			enc, err := encodeIndicators(r)
			if err != nil {
				return err
			}
			n++
			return bt.Put(spaceIndicators, indexKey(r.Summary()), enc)
		})
	})
	if err != nil {
		return 0, err
	}
	if err := b.st.Sync(); err != nil {
		return 0, err
	}
	if err := b.st.Put(spaceIndicatorState, indicatorFormatKey, []byte(strconv.Itoa(indicatorFormat))); err != nil {
		return 0, err
	}
	return n, nil
}

// importCache remembers whether the last few imports met in a scan are
// visible: records of a few imports interleave by date, and comparing a
// few bytes is cheaper than a map lookup per record.
type importCache struct {
	imps  [4][]byte
	shown [4]bool
	next  int
}

func (c *importCache) visible(imp []byte, committed map[string]bool) bool {
	for i, known := range c.imps {
		if bytes.Equal(known, imp) {
			return c.shown[i]
		}
	}
	i := c.next
	c.next = (c.next + 1) % len(c.imps)
	c.imps[i], c.shown[i] = append(c.imps[i][:0], imp...), committed[string(imp)]
	return c.shown[i]
}
