package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Key spaces of the store that hold records.
const (
	// spaceRecord maps a record ID to its current version (JSON Record).
	spaceRecord store.Space = "record"
	// spaceHistory maps "<id>/<version, 10 digits>" to an earlier version.
	spaceHistory store.Space = "record-history"
	// spaceIndex maps "<kind>/<date>/<id>" to the record's Summary, so
	// that lists read no fields and a date range reads only its part.
	spaceIndex store.Space = "record-index"
	// spaceImport maps an import ID to its importState.
	spaceImport store.Space = "record-import"
	// spaceImportItem maps "<import id>/<record id>" to the record's index
	// key while the import is pending, so a failed import can be removed.
	spaceImportItem store.Space = "record-import-item"
)

// Forms are the country forms a Book checks records with. A running
// *plugins/host.Host is one.
type Forms interface {
	// Forms lists every form version served, by id, then version.
	Forms() []sdk.FormInfo
	// Form returns version version of form id.
	Form(id string, version int) (sdk.FormInfo, bool)
	// Latest returns the highest version of form id.
	Latest(id string) (sdk.FormInfo, bool)
	// Check validates records entered on a form version and computes the
	// common indicators of the valid ones: one result per record, in order.
	Check(ctx context.Context, id string, version int, answers []sdk.Answers) ([]sdk.Result, error)
}

// Options configure a Book.
type Options struct {
	Logger *slog.Logger     // nil discards logs; fields are never logged
	Now    func() time.Time // nil means time.Now
}

// Book is a partner's monitoring records in the node's store. Its methods
// are safe for concurrent use.
type Book struct {
	st     *store.Store
	forms  Forms
	author string
	log    *slog.Logger
	now    func() time.Time
	// maxImport caps an import file: MaxImportBytes (tests lower it).
	maxImport int64

	mu sync.RWMutex
	// committed holds the imports whose commit marker is set: only their
	// records are visible. An import that is not in it is pending, failed
	// or interrupted, and its records are invisible.
	committed map[string]bool
}

// Open returns the Book of st. author is the node's peer ID, written into
// every record it enters. Open removes what interrupted imports left.
func Open(ctx context.Context, st *store.Store, forms Forms, author string, opts Options) (*Book, error) {
	if st == nil || forms == nil || author == "" {
		return nil, errors.New("records: Open needs a store, the forms and the author's peer ID")
	}
	b := &Book{st: st, forms: forms, author: author, log: opts.Logger, now: opts.Now,
		maxImport: MaxImportBytes, committed: map[string]bool{}}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if b.now == nil {
		b.now = time.Now
	}
	if err := b.recoverImports(ctx); err != nil {
		return nil, err
	}
	if err := b.ensureIndicators(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// Author is the peer ID the Book writes into the records it enters.
func (b *Book) Author() string { return b.author }

// resolve finds the form version ref names ("rs.judgment" for the latest,
// "rs.judgment@1").
func (b *Book) resolve(ref string) (sdk.FormInfo, error) { return Resolve(b.forms, ref) }

// Resolve finds the form version ref names among forms: "rs.judgment" for
// its latest version, "rs.judgment@1" for version 1. An unknown form or
// version is an error matching ErrInvalid that says what is served.
func Resolve(forms Forms, ref string) (sdk.FormInfo, error) {
	id, version, err := ParseRef(ref)
	if err != nil {
		return sdk.FormInfo{}, err
	}
	var (
		fi sdk.FormInfo
		ok bool
	)
	if version == 0 {
		fi, ok = forms.Latest(id)
	} else {
		fi, ok = forms.Form(id, version)
	}
	if ok {
		return fi, nil
	}
	var versions []string
	for _, f := range forms.Forms() {
		if f.ID == id {
			versions = append(versions, fmt.Sprint(f.Version))
		}
	}
	if len(versions) > 0 {
		return sdk.FormInfo{}, invalidf("unknown form %s: %s is served in version %s", describeRef(id, version), id, strings.Join(versions, ", "))
	}
	return sdk.FormInfo{}, invalidf("unknown form %q: no plugin serves it (kolo forms list shows the forms of this node)", clip(id, 80))
}

// check validates one record's answers on fi and returns its indicators.
func (b *Book) check(ctx context.Context, fi sdk.FormInfo, a sdk.Answers) (sdk.Common, error) {
	if a == nil {
		a = sdk.Answers{}
	}
	if n, err := answersSize(a); err != nil {
		return nil, err
	} else if n > MaxRecordBytes {
		return nil, invalidf("answers are %d bytes as JSON, at most %d (%s) allowed", n, MaxRecordBytes, sizeName(MaxRecordBytes))
	}
	res, err := b.forms.Check(ctx, fi.ID, fi.Version, []sdk.Answers{a})
	if err != nil {
		return nil, fmt.Errorf("check answers to %s: %w", fi.Ref(), err)
	}
	if len(res) != 1 {
		return nil, fmt.Errorf("check answers to %s: %d results for 1 record", fi.Ref(), len(res))
	}
	if !res[0].Valid() {
		return nil, &InvalidRecordError{Form: fi.Ref(), Errors: res[0].Errors}
	}
	if res[0].Common == nil {
		return sdk.Common{}, nil
	}
	return res[0].Common, nil
}

// newRecord makes version 1 of a record entered on fi at now.
func (b *Book) newRecord(fi sdk.FormInfo, a sdk.Answers, c sdk.Common, now time.Time, imp string) Record {
	return Record{
		ID: newID(), Kind: fi.Kind, Form: fi.Ref(), Country: fi.Country, SubJurisdiction: subJurisdiction(a),
		Date: EventDate(fi.Kind, c, now), Created: now, Updated: now, Author: b.author, Version: 1,
		Import: imp, Fields: a, Common: c,
	}
}

func (b *Book) stamp() time.Time { return b.now().UTC().Truncate(time.Millisecond) }

// Add checks answers on form ref ("rs.judgment" for its latest version, or
// "rs.judgment@1") and stores them as a new record.
func (b *Book) Add(ctx context.Context, ref string, a sdk.Answers) (Record, error) {
	fi, err := b.resolve(ref)
	if err != nil {
		return Record{}, err
	}
	a = newSheetForm(fi).answers(a)
	c, err := b.check(ctx, fi, a)
	if err != nil {
		return Record{}, err
	}
	rec := b.newRecord(fi, a, c, b.stamp(), "")
	val, idx, err := encode(rec)
	if err != nil {
		return Record{}, err
	}
	err = b.st.Update(func(tx *store.Tx) error {
		if err := tx.Put(spaceRecord, []byte(rec.ID), val); err != nil {
			return err
		}
		if err := putIndicators(tx, rec); err != nil {
			return err
		}
		return tx.Put(spaceIndex, indexKey(rec.Summary()), idx)
	})
	if err != nil {
		return Record{}, fmt.Errorf("store record: %w", err)
	}
	b.sync()
	b.log.Info("record added", "id", rec.ID, "form", rec.Form)
	return rec, nil
}

// Get returns the current version of record id (a tombstone if it was
// deleted).
func (b *Book) Get(ctx context.Context, id string) (Record, error) {
	if err := checkID(id); err != nil {
		return Record{}, err
	}
	var rec Record
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		rec, err = b.current(tx, id)
		return err
	})
	return rec, err
}

// History returns the current version of record id and all earlier ones.
func (b *Book) History(ctx context.Context, id string) (WithHistory, error) {
	if err := checkID(id); err != nil {
		return WithHistory{}, err
	}
	var h WithHistory
	err := b.st.View(func(tx *store.Tx) error {
		var err error
		if h.Record, err = b.current(tx, id); err != nil {
			return err
		}
		h.History = []Record{}
		return tx.Scan(ctx, spaceHistory, []byte(id+"/"), func(_, val []byte) error {
			r, err := decode(val)
			if err != nil {
				return fmt.Errorf("record %s: %w", id, err)
			}
			h.History = append(h.History, r)
			return nil
		})
	})
	return h, err
}

// current reads the current version of a visible record.
func (b *Book) current(tx *store.Tx, id string) (Record, error) {
	val, err := tx.Get(spaceRecord, []byte(id))
	if errors.Is(err, store.ErrNotFound) {
		return Record{}, fmt.Errorf("record %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Record{}, err
	}
	rec, err := decode(val)
	if err != nil {
		return Record{}, fmt.Errorf("record %s: %w", id, err)
	}
	if !b.visible(rec.Import) {
		return Record{}, fmt.Errorf("record %s: %w", id, ErrNotFound)
	}
	return rec, nil
}

// visible reports whether a record created by import imp may be seen: one
// entered by hand always, one imported once its import is committed.
func (b *Book) visible(imp string) bool {
	if imp == "" {
		return true
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.committed[imp]
}

// Edit stores answers as a new version of record id, checked on the form
// version the record was entered with. Earlier versions are kept.
func (b *Book) Edit(ctx context.Context, id string, a sdk.Answers) (Record, error) {
	cur, err := b.Get(ctx, id)
	if err != nil {
		return Record{}, err
	}
	if cur.Deleted {
		return Record{}, fmt.Errorf("record %s: %w (version %d); its history is kept, but it cannot be edited", id, ErrDeleted, cur.Version)
	}
	fi, err := b.formOf(cur)
	if err != nil {
		return Record{}, err
	}
	a = newSheetForm(fi).answers(a)
	c, err := b.check(ctx, fi, a)
	if err != nil {
		return Record{}, err
	}
	next := cur
	next.Version++
	next.Updated = b.stamp()
	next.Fields, next.Common, next.Purged = a, c, nil
	next.SubJurisdiction = subJurisdiction(a)
	next.Date = EventDate(cur.Kind, c, cur.Created)
	if err := b.replace(cur, next); err != nil {
		return Record{}, err
	}
	b.log.Info("record edited", "id", id, "form", next.Form, "version", next.Version)
	return next, nil
}

// Delete adds a tombstone version to record id. Earlier versions, with
// their fields, are kept in its history.
func (b *Book) Delete(ctx context.Context, id string) (Record, error) {
	cur, err := b.Get(ctx, id)
	if err != nil {
		return Record{}, err
	}
	if cur.Deleted {
		return Record{}, fmt.Errorf("record %s: %w already (version %d)", id, ErrDeleted, cur.Version)
	}
	tomb := cur
	tomb.Version++
	tomb.Updated = b.stamp()
	tomb.Deleted = true
	tomb.Fields, tomb.Common, tomb.Purged = nil, nil, nil
	if err := b.replace(cur, tomb); err != nil {
		return Record{}, err
	}
	b.log.Info("record deleted", "id", id, "form", tomb.Form, "version", tomb.Version)
	return tomb, nil
}

// formOf returns the form version a record was entered with.
func (b *Book) formOf(r Record) (sdk.FormInfo, error) {
	id, version, err := ParseRef(r.Form)
	if err != nil || version == 0 {
		return sdk.FormInfo{}, fmt.Errorf("record %s: bad form reference %q in the store", r.ID, r.Form)
	}
	fi, ok := b.forms.Form(id, version)
	if !ok {
		return sdk.FormInfo{}, fmt.Errorf("record %s was entered on form %s, which no plugin serves now: install or restart the plugin that serves it (kolo forms list)", r.ID, r.Form)
	}
	return fi, nil
}

// replace makes next the current version of a record whose current version
// was cur, moving cur into the history, in one transaction.
func (b *Book) replace(cur, next Record) error {
	err := b.st.Update(func(tx *store.Tx) error { return b.putVersion(tx, cur, next) })
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("record %s: %w; run the command again", cur.ID, ErrChanged)
	}
	if err != nil {
		return fmt.Errorf("store record %s: %w", cur.ID, err)
	}
	b.sync()
	return nil
}

// putVersion makes next the current version of a record whose current
// version is cur, moving cur into the history, within tx. It fails with
// ErrChanged when the record is no longer at cur.
func (b *Book) putVersion(tx *store.Tx, cur, next Record) error {
	return b.putVersionAs(tx, cur, cur, next)
}

// putVersionAs is putVersion that keeps cur in the history as old (cur
// without its purged answers).
func (b *Book) putVersionAs(tx *store.Tx, cur, asOld, next Record) error {
	val, idx, err := encode(next)
	if err != nil {
		return err
	}
	old, _, err := encode(asOld)
	if err != nil {
		return err
	}
	now, err := b.current(tx, cur.ID)
	if err != nil {
		return err
	}
	if now.Version != cur.Version {
		return fmt.Errorf("record %s: %w (now at version %d); look at it again", cur.ID, ErrChanged, now.Version)
	}
	if err := tx.Put(spaceHistory, historyKey(cur.ID, cur.Version), old); err != nil {
		return err
	}
	if err := tx.Put(spaceRecord, []byte(next.ID), val); err != nil {
		return err
	}
	if ok, nk := indexKey(cur.Summary()), indexKey(next.Summary()); string(ok) != string(nk) {
		if err := tx.Delete(spaceIndex, ok); err != nil {
			return err
		}
		if err := tx.Delete(spaceIndicators, ok); err != nil {
			return err
		}
	}
	if next.Deleted {
		if err := tx.Delete(spaceIndicators, indexKey(next.Summary())); err != nil {
			return err
		}
	} else if err := putIndicators(tx, next); err != nil {
		return err
	}
	return tx.Put(spaceIndex, indexKey(next.Summary()), idx)
}

// Indicators recomputes the common indicators of record id's current
// version with the exact form version it was entered with, as a fixed
// mapping of that version would compute them. It stores nothing.
func (b *Book) Indicators(ctx context.Context, id string) (sdk.Common, error) {
	r, err := b.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Deleted {
		return nil, fmt.Errorf("record %s: %w (version %d)", id, ErrDeleted, r.Version)
	}
	fi, err := b.formOf(r)
	if err != nil {
		return nil, err
	}
	return b.check(ctx, fi, r.Fields)
}

// List returns the summaries of the records f selects, by date, then ID.
func (b *Book) List(ctx context.Context, f Filter) ([]Summary, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	out := []Summary{}
	err := b.scanIndex(ctx, f, func(_ *store.Tx, s Summary) error {
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortSummaries(out)
	return out, nil
}

// sortSummaries sorts summaries by date, then ID.
func sortSummaries(out []Summary) {
	slices.SortFunc(out, func(a, b Summary) int {
		if c := strings.Compare(a.Date, b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// errStop ends a scan early.
var errStop = errors.New("stop scan")

// scanIndex calls fn with each visible summary f selects, kind by kind, in
// date order within a kind, from one snapshot.
func (b *Book) scanIndex(ctx context.Context, f Filter, fn func(tx *store.Tx, s Summary) error) error {
	kinds := sdk.Kinds
	if f.Kind != "" {
		kinds = []sdk.Kind{f.Kind}
	}
	return b.st.View(func(tx *store.Tx) error {
		for _, k := range kinds {
			prefix := string(k) + "/" + commonPrefix(f.Since, f.Until)
			err := tx.Scan(ctx, spaceIndex, []byte(prefix), func(key, val []byte) error {
				var s Summary
				if err := json.Unmarshal(val, &s); err != nil {
					return fmt.Errorf("record index %q: %w", key, err)
				}
				if f.Until != "" && s.Date > f.Until {
					return errStop // keys are in date order
				}
				if !f.match(s) || !b.visible(s.Import) {
					return nil
				}
				return fn(tx, s)
			})
			if err != nil && !errors.Is(err, errStop) {
				return err
			}
		}
		return nil
	})
}

// Each calls fn with the current version of every record f selects, kind
// by kind (in sdk.Kinds order) and by date within a kind, from one
// consistent snapshot, without holding them all in memory: for aggregates
// over the common indicators. It stops at fn's first error and returns it.
func (b *Book) Each(ctx context.Context, f Filter, fn func(Record) error) error {
	if err := f.Check(); err != nil {
		return err
	}
	return b.scanIndex(ctx, f, func(tx *store.Tx, s Summary) error {
		r, err := b.current(tx, s.ID)
		if err != nil {
			return err
		}
		return fn(r)
	})
}

// commonPrefix is the longest common prefix of two dates (or "" when
// either is open), which narrows the scan of a date range.
func commonPrefix(since, until string) string {
	if since == "" || until == "" {
		return ""
	}
	i := 0
	for i < len(since) && i < len(until) && since[i] == until[i] {
		i++
	}
	return since[:i]
}

// sync makes the write durable; a failure is logged, since the write is
// done and will normally survive anyway.
func (b *Book) sync() {
	if err := b.st.Sync(); err != nil {
		b.log.Warn("sync store after a record write", "error", err)
	}
}

// encode returns a record's store value and its index entry's value.
func encode(r Record) (val, idx []byte, err error) {
	if val, err = json.Marshal(r); err != nil {
		return nil, nil, fmt.Errorf("encode record %s: %w", r.ID, err)
	}
	if idx, err = json.Marshal(r.Summary()); err != nil {
		return nil, nil, fmt.Errorf("encode record %s: %w", r.ID, err)
	}
	return val, idx, nil
}

// decode reads a stored record; its indicators get their canonical Go
// types back (int64 counts, float64 amounts, []string sets).
func decode(val []byte) (Record, error) {
	var r Record
	if err := json.Unmarshal(val, &r); err != nil {
		return Record{}, fmt.Errorf("decode stored record: %w", err)
	}
	if len(r.Common) > 0 {
		c, err := sdk.CanonicalCommon(r.Kind, r.Common)
		if err != nil {
			return Record{}, fmt.Errorf("stored indicators: %w", err)
		}
		r.Common = c
	}
	return r, nil
}

func indexKey(s Summary) []byte { return []byte(string(s.Kind) + "/" + s.Date + "/" + s.ID) }

func historyKey(id string, version int) []byte { return fmt.Appendf(nil, "%s/%010d", id, version) }
