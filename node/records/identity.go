package records

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Which record a row of an import is. Importing the same file twice, or an
// export, must not add copies: a row that carries a record's ID (the _id
// column kolo record export writes) is that record, and the import adds
// its answers as the record's next version, or leaves it alone when they
// are its answers already. An ID this node does not hold adds the record
// under that ID (a backup restored on a new node). A row without an ID
// whose case number and court are those of a record already held, or of
// an earlier row, is a probable duplicate: refused unless
// ImportOptions.AllowDuplicates.

// rowMeta is what an import row says about itself besides its answers.
type rowMeta struct {
	id      string // the _id column: the record the row is
	version int    // the _version column: the version that was exported
	form    string // the row's own form version ("rs.judgment@1"): a JSON export's; "" for the import's
}

// rowAction is what an import does with one checked row.
type rowAction int

const (
	actionAdd       rowAction = iota // a new record
	actionUpdate                     // a new version of a record held
	actionUnchanged                  // a record held, with these answers already
)

// duplicateKey are the fields whose answers together tell a probable
// duplicate: the same case in the same court.
var duplicateKey = []string{"case_number", "court"}

// identity judges the rows of one import.
type identity struct {
	b     *Book
	fi    sdk.FormInfo
	allow bool // AllowDuplicates
	now   func() string

	held  map[string]string // duplicate key → ID of a record held (nil until needed)
	keys  map[string]int    // duplicate key → row of the file that had it
	ids   map[string]int    // _id → row of the file that had it
	keyed bool              // the form has every duplicateKey field
}

func newIdentity(b *Book, fi sdk.FormInfo, allow bool) *identity {
	id := &identity{b: b, fi: fi, allow: allow, keys: map[string]int{}, ids: map[string]int{}, keyed: true}
	for _, k := range duplicateKey {
		if !hasFormField(fi, k) {
			id.keyed = false
		}
	}
	return id
}

func hasFormField(fi sdk.FormInfo, id string) bool {
	for _, f := range fi.Fields {
		if f.ID == id {
			return true
		}
	}
	return false
}

// key is a's duplicate key, or "" when the form or the answers have none.
func (id *identity) key(a sdk.Answers) string {
	if !id.keyed {
		return ""
	}
	k := ""
	for _, f := range duplicateKey {
		s, _ := a[f].(string)
		if fold(s) == "" {
			return ""
		}
		k += fold(s) + "\x00"
	}
	return k
}

// loadHeld reads the duplicate keys of the records held on the form (any
// version), once.
func (id *identity) loadHeld(ctx context.Context) error {
	if id.held != nil {
		return nil
	}
	id.held = map[string]string{}
	return id.b.Each(ctx, Filter{Form: id.fi.ID}, func(r Record) error {
		if k := id.key(r.Fields); k != "" {
			id.held[k] = r.ID
		}
		return nil
	})
}

// judged is the verdict on one row.
type judged struct {
	action rowAction
	id     string // actionAdd: the ID to add under ("" for a new one)
	cur    Record // actionUpdate: the version replaced
	next   Record // actionUpdate: the new version
}

// judge decides what the import does with a row whose answers a (checked
// on form version checkedOn, with indicators cm) carry meta m.
func (id *identity) judge(ctx context.Context, row int, lines bool, m rowMeta, checkedOn string, a sdk.Answers, cm sdk.Common) (judged, []RowError) {
	bad := func(field, rule string) (judged, []RowError) {
		return judged{}, []RowError{{Row: row, Line: lines, Field: field, Rule: rule}}
	}
	k := id.key(a)
	if m.id == "" {
		if k == "" || id.allow {
			return judged{action: actionAdd}, nil
		}
		if other, dup := id.keys[k]; dup {
			return bad("", fmt.Sprintf("is a probable duplicate of row %d (the same case number and court): remove one, or import with --allow-duplicates", other))
		}
		id.keys[k] = row
		if err := id.loadHeld(ctx); err != nil {
			return bad("", "cannot be compared with the records held: "+err.Error())
		}
		if other, dup := id.held[k]; dup {
			return bad("", fmt.Sprintf("is a probable duplicate of record %s (the same case number and court): to change that record, give this row its _id column (kolo record export writes it); to add it anyway, import with --allow-duplicates", other))
		}
		return judged{action: actionAdd}, nil
	}
	if err := checkID(m.id); err != nil {
		return bad("_id", err.Error())
	}
	if other, twice := id.ids[m.id]; twice {
		return bad("_id", fmt.Sprintf("names record %s, as row %d does: a record may be in one row only", m.id, other))
	}
	id.ids[m.id] = row
	if k != "" {
		id.keys[k] = row
	}
	cur, err := id.b.Get(ctx, m.id)
	if errors.Is(err, ErrNotFound) {
		return judged{action: actionAdd, id: m.id}, nil // a record restored on another node
	}
	if err != nil {
		return bad("_id", err.Error())
	}
	if cur.Deleted {
		return bad("_id", fmt.Sprintf("names record %s, which is deleted (version %d): remove the row, or its _id to add it as a new record", m.id, cur.Version))
	}
	formID, _, _ := ParseRef(cur.Form)
	if formID != id.fi.ID {
		return bad("_id", fmt.Sprintf("names record %s, which is on form %s, not %s", m.id, cur.Form, id.fi.Ref()))
	}
	if m.version > 0 && m.version != cur.Version {
		return bad("_version", fmt.Sprintf("is %d, but record %s is at version %d now: it changed since this file was exported; export it again and redo the change", m.version, m.id, cur.Version))
	}
	if cur.Form != checkedOn {
		// An update is checked on the record's own form version.
		fi, err := id.b.formOf(cur)
		if err != nil {
			return bad("_id", err.Error())
		}
		a = newSheetForm(fi).answers(a)
		if cm, err = id.b.check(ctx, fi, a); err != nil {
			var ire *InvalidRecordError
			if !errors.As(err, &ire) {
				return bad("_id", err.Error())
			}
			var errs []RowError
			for _, fe := range ire.Errors {
				errs = append(errs, RowError{Row: row, Line: lines, Field: fe.Field, Rule: fe.Rule + " (on " + cur.Form + ", the form version of record " + m.id + ")", Got: fe.Got})
			}
			return judged{}, errs
		}
	}
	if sameAnswers(cur.Fields, a) {
		return judged{action: actionUnchanged}, nil
	}
	next := cur
	next.Version++
	next.Updated = id.b.stamp()
	next.Fields, next.Common, next.Purged = a, cm, nil
	next.SubJurisdiction = subJurisdiction(a)
	next.Date = EventDate(cur.Kind, cm, cur.Created)
	return judged{action: actionUpdate, cur: cur, next: next}, nil
}

// sameAnswers compares answers as stored (numbers by value).
func sameAnswers(a, b sdk.Answers) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if cell(v) != cell(b[k]) {
			return false
		}
	}
	return true
}

// metaOf reads a row's metadata cells.
func metaOf(row int, lines bool, id, version string) (rowMeta, []RowError) {
	m := rowMeta{id: id}
	if version != "" {
		v, err := strconv.Atoi(version)
		if err != nil || v < 1 {
			return m, []RowError{{Row: row, Line: lines, Field: "_version", Rule: "must be a version number from 1, as kolo record export writes it", Got: clip(version, 20)}}
		}
		m.version = v
	}
	return m, nil
}
