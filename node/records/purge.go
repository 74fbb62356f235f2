package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Erasure. Records name victims and defendants; the data-protection laws
// of the network's countries (and the GDPR) give people the right to
// erasure and limit how long personal data is kept. A delete keeps every
// earlier version; a purge erases the personal and free-text answers (the
// fields the form marks personal or free text) from every version of a
// record, keeps its other answers and its common indicators, so that the
// network's figures stay right, and adds a last version that says when and
// by whom. The erased answers leave the store's files when Badger
// compacts them away (store.Compact; docs/records.md).

// Purge is the mark a purge leaves on the version it adds.
type Purge struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`     // who purged: the person at the command, or the retention rule
	Fields []string  `json:"fields"` // the field ids whose answers were erased, in any version
}

// spaceRetention holds the retention rule's state (retentionState).
const spaceRetention store.Space = "record-retention"

// Purge erases the personal and free-text answers of every version of
// record id and adds a version marked with who (by) and when. A record
// that holds no such answers is refused (ErrInvalid), naming its last
// purge if any.
func (b *Book) Purge(ctx context.Context, id, by string) (Record, error) {
	if err := checkID(id); err != nil {
		return Record{}, err
	}
	if by == "" {
		return Record{}, invalidf("a purge must say who does it")
	}
	var next Record
	err := b.st.Update(func(tx *store.Tx) error {
		var err error
		next, err = b.purge(ctx, tx, id, by)
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return Record{}, fmt.Errorf("record %s: %w; run the command again", id, ErrChanged)
	}
	if err != nil {
		return Record{}, err
	}
	b.sync()
	b.log.Info("record purged", "id", id, "form", next.Form, "version", next.Version, "fields", len(next.Purged.Fields))
	return next, nil
}

// purge does Purge within tx.
func (b *Book) purge(ctx context.Context, tx *store.Tx, id, by string) (Record, error) {
	cur, err := b.current(tx, id)
	if err != nil {
		return Record{}, err
	}
	fi, err := b.formOf(cur)
	if err != nil {
		return Record{}, err
	}
	private := privateFields(fi)
	erased := map[string]bool{}
	strip := func(r Record) (Record, bool) {
		changed := false
		for k := range r.Fields {
			if private[k] {
				if !changed {
					r.Fields = cloneAnswers(r.Fields)
					changed = true
				}
				delete(r.Fields, k)
				erased[k] = true
			}
		}
		return r, changed
	}
	type rewrite struct {
		key []byte
		r   Record
	}
	var history []rewrite
	err = tx.Scan(ctx, spaceHistory, []byte(id+"/"), func(key, val []byte) error {
		r, err := decode(val)
		if err != nil {
			return fmt.Errorf("record %s: %w", id, err)
		}
		if r, changed := strip(r); changed {
			history = append(history, rewrite{append([]byte(nil), key...), r})
		}
		return nil
	})
	if err != nil {
		return Record{}, err
	}
	old, _ := strip(cur)
	if len(erased) == 0 {
		if cur.Purged != nil {
			return Record{}, invalidf("record %s holds no personal or free-text answers: they were purged on %s by %s", id, cur.Purged.At.Format(time.DateOnly), cur.Purged.By)
		}
		return Record{}, invalidf("record %s holds no personal or free-text answers to purge", id)
	}
	for _, h := range history {
		val, _, err := encode(h.r)
		if err != nil {
			return Record{}, err
		}
		if err := tx.Put(spaceHistory, h.key, val); err != nil {
			return Record{}, err
		}
	}
	next := old
	next.Version++
	next.Updated = b.stamp()
	fields := make([]string, 0, len(erased))
	for k := range erased {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	next.Purged = &Purge{At: next.Updated, By: by, Fields: fields}
	// The version replaced goes to the history without the answers too.
	return next, b.putVersionAs(tx, cur, old, next)
}

// privateFields are the ids of fi's personal and free-text fields.
func privateFields(fi sdk.FormInfo) map[string]bool {
	m := map[string]bool{}
	for _, f := range fi.Fields {
		if f.Private() {
			m[f.ID] = true
		}
	}
	return m
}

func cloneAnswers(a sdk.Answers) sdk.Answers {
	out := make(sdk.Answers, len(a))
	for k, v := range a {
		out[k] = v
	}
	return out
}

// Expired lists the records (deleted ones too) dated more than years
// years before now that still hold personal or free-text answers, in any
// version: what the retention rule would purge.
func (b *Book) Expired(ctx context.Context, years int, now time.Time) ([]Summary, error) {
	if years < 1 {
		return nil, invalidf("a retention of %d years purges nothing: give 1 or more", years)
	}
	until := now.UTC().AddDate(-years, 0, -1).Format(sdk.DateLayout) // dated before the day, years ago
	var out []Summary
	err := b.scanIndex(ctx, Filter{Until: until, Deleted: true}, func(tx *store.Tx, s Summary) error {
		has, err := b.holdsPrivate(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if has {
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// holdsPrivate reports whether any version of record id holds a personal
// or free-text answer.
func (b *Book) holdsPrivate(ctx context.Context, tx *store.Tx, id string) (bool, error) {
	cur, err := b.current(tx, id)
	if err != nil {
		return false, err
	}
	fi, err := b.formOf(cur)
	if err != nil {
		return false, err
	}
	private := privateFields(fi)
	holds := func(a sdk.Answers) bool {
		for k := range a {
			if private[k] {
				return true
			}
		}
		return false
	}
	if holds(cur.Fields) {
		return true, nil
	}
	found := false
	err = tx.Scan(ctx, spaceHistory, []byte(id+"/"), func(_, val []byte) error {
		r, err := decode(val)
		if err != nil {
			return err
		}
		if holds(r.Fields) {
			found = true
			return errStop
		}
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return found, err
}

// PurgeExpired purges the records Expired lists, each in its own
// transaction, as by (such as "retention rule (10 years)"), and returns
// their IDs. It stops at the first failure.
func (b *Book) PurgeExpired(ctx context.Context, years int, now time.Time, by string) ([]string, error) {
	l, err := b.Expired(ctx, years, now)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, s := range l {
		if err := ctx.Err(); err != nil {
			return ids, err
		}
		if _, err := b.Purge(ctx, s.ID, by); err != nil {
			return ids, fmt.Errorf("purge record %s: %w", s.ID, err)
		}
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// retentionState is what the retention rule did last.
type retentionState struct {
	Years  int       `json:"years"`
	DryRun time.Time `json:"dry_run"` // when the rule of Years was first tried without purging
}

// Retain applies a retention rule of years at now, as the daemon does
// once a day: the first time it sees a rule (or a changed one) it only
// lists what the rule would purge (a dry run) and notes the time; from a
// day later on it purges. It returns what it purged, or would purge, and
// whether it was a dry run.
func (b *Book) Retain(ctx context.Context, years int, now time.Time) (ids []string, dryRun bool, err error) {
	var st retentionState
	switch val, err := b.st.Get(spaceRetention, []byte("state")); {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, false, err
	default:
		if err := json.Unmarshal(val, &st); err != nil {
			return nil, false, fmt.Errorf("retention state: %w", err)
		}
	}
	if st.Years != years || st.DryRun.IsZero() || now.Sub(st.DryRun) < 24*time.Hour {
		l, err := b.Expired(ctx, years, now)
		if err != nil {
			return nil, true, err
		}
		for _, s := range l {
			ids = append(ids, s.ID)
		}
		if st.Years != years || st.DryRun.IsZero() {
			val, _ := json.Marshal(retentionState{Years: years, DryRun: now.UTC()})
			if err := b.st.Put(spaceRetention, []byte("state"), val); err != nil {
				return nil, true, err
			}
		}
		return ids, true, nil
	}
	ids, err = b.PurgeExpired(ctx, years, now, fmt.Sprintf("retention rule (records.retention_years: %d)", years))
	return ids, false, err
}
