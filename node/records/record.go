package records

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Record is one version of one monitoring record.
type Record struct {
	// ID is random (16 bytes, base32): it says nothing about the record
	// and cannot be guessed.
	ID   string   `json:"id"`
	Kind sdk.Kind `json:"kind"`
	// Form is the form reference the record was entered with,
	// "rs.judgment@1". Edits keep it.
	Form    string `json:"form"`
	Country string `json:"country"` // ISO 3166-1 alpha-2 of the form
	// SubJurisdiction is the legal system of a record in a country with
	// several (Bosnia and Herzegovina: state, fbih, rs, brcko), from the
	// form's sub_jurisdiction answer.
	SubJurisdiction string `json:"sub_jurisdiction,omitempty"`
	// Date is what the record is about: see [EventDate].
	Date    string    `json:"date"`
	Created time.Time `json:"created"` // when version 1 was entered
	Updated time.Time `json:"updated"` // when this version was entered
	Author  string    `json:"author"`  // peer ID of the node that entered it
	Version int       `json:"version"` // 1, 2, …
	// Deleted marks a tombstone: the version a delete adds. It holds no
	// fields; the earlier versions keep theirs.
	Deleted bool `json:"deleted,omitempty"`
	// Import is the import that created the record, if one did.
	Import string `json:"import,omitempty"`
	// Fields are the monitor's answers, personal and free-text ones
	// included.
	Fields sdk.Answers `json:"fields,omitempty"`
	// Common are the common indicators the form's plugin computed from
	// Fields when this version was entered. They never hold personal or
	// free-text answers.
	Common sdk.Common `json:"common,omitempty"`
	// Purged marks the version a purge added: its personal and free-text
	// answers, and those of every earlier version, are erased.
	Purged *Purge `json:"purged,omitempty"`
}

// Summary is a record as lists show it: no fields, no indicators.
type Summary struct {
	ID              string    `json:"id"`
	Kind            sdk.Kind  `json:"kind"`
	Form            string    `json:"form"`
	Country         string    `json:"country"`
	SubJurisdiction string    `json:"sub_jurisdiction,omitempty"`
	Date            string    `json:"date"`
	Created         time.Time `json:"created"`
	Updated         time.Time `json:"updated"`
	Version         int       `json:"version"`
	Deleted         bool      `json:"deleted,omitempty"`
	Import          string    `json:"import,omitempty"`
	// Brief tells records apart in a list: the record's case number (or a
	// bill's identifier), its court (or the body met), and its verdict (or
	// stage, or outcome), those it answers. A deleted record has none.
	Brief []string `json:"brief,omitempty"`
}

// briefFields are the answers a Summary's Brief shows, each the first
// answered of its group.
var briefFields = [][]string{
	{"case_number", "identifier"},
	{"court", "body"},
	{"verdict", "stage", "outcome", "victim_status", "hearing_held"},
}

// Summary returns the record's summary.
func (r Record) Summary() Summary {
	s := Summary{ID: r.ID, Kind: r.Kind, Form: r.Form, Country: r.Country, SubJurisdiction: r.SubJurisdiction,
		Date: r.Date, Created: r.Created, Updated: r.Updated, Version: r.Version, Deleted: r.Deleted, Import: r.Import}
	for _, group := range briefFields {
		for _, id := range group {
			if v, ok := r.Fields[id]; ok && v != nil && v != "" {
				s.Brief = append(s.Brief, clip(cell(v), 60))
				break
			}
		}
	}
	return s
}

// WithHistory is a record's current version and every earlier one.
type WithHistory struct {
	Record  Record   `json:"record"`  // the current version (a tombstone if deleted)
	History []Record `json:"history"` // earlier versions, oldest first
}

// Version returns version v of the record, or false.
func (h WithHistory) Version(v int) (Record, bool) {
	if h.Record.Version == v {
		return h.Record, true
	}
	for _, r := range h.History {
		if r.Version == v {
			return r, true
		}
	}
	return Record{}, false
}

// idEncoding writes record IDs: base32 in lower case, without padding.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// idPattern matches a record or import ID: 16 bytes in idEncoding.
var idPattern = regexp.MustCompile(`^[a-z2-7]{26}$`)

// newID returns a fresh random ID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return idEncoding.EncodeToString(b[:])
}

// checkID says why id is not a record ID, or nil.
func checkID(id string) error {
	if !idPattern.MatchString(id) {
		return invalidf("%q is not a record ID (26 letters a-z and digits 2-7, as kolo record list shows them)", clip(id, 40))
	}
	return nil
}

// ParseRef splits a form reference: "rs.judgment@2" gives ("rs.judgment",
// 2); "rs.judgment" gives ("rs.judgment", 0), meaning the latest version.
func ParseRef(ref string) (id string, version int, err error) {
	id, v, ok := strings.Cut(ref, "@")
	if id == "" {
		return "", 0, invalidf("no form given: name one such as rs.judgment (kolo forms list shows them)")
	}
	if !ok {
		return id, 0, nil
	}
	version, err = strconv.Atoi(v)
	if err != nil || version < 1 {
		return "", 0, invalidf("form %q: the version after @ must be a whole number from 1, as in rs.judgment@1", clip(ref, 80))
	}
	return id, version, nil
}

// eventDates names, per kind, the common indicator that dates what a
// record is about.
var eventDates = map[sdk.Kind]string{
	sdk.KindJudgment:     "decision_date",
	sdk.KindTrialHearing: "date",
	sdk.KindPoliceCase:   "opened_date",
	sdk.KindLegislation:  "stage_date",
	sdk.KindEngagement:   "date",
}

// EventDate is the date a record is about, as lists sort and filter by it:
// the decision date of a judgment, the date of a trial hearing, the date a
// police case was opened, the date of a bill's stage, the date of a
// meeting. A victim-support record, or a record that leaves its date open,
// is dated by the day it was entered (UTC).
func EventDate(kind sdk.Kind, c sdk.Common, created time.Time) string {
	if name, ok := eventDates[kind]; ok {
		if d, ok := c[name].(string); ok && d != "" {
			return d
		}
	}
	return created.UTC().Format(sdk.DateLayout)
}

// subJurisdiction returns the record's sub_jurisdiction answer, if any.
func subJurisdiction(a sdk.Answers) string {
	s, _ := a[sdk.FieldSubJurisdiction].(string)
	return s
}

// clip shortens s for an error message and makes it valid UTF-8.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// describeRef names a form version for messages.
func describeRef(id string, version int) string {
	if version == 0 {
		return id
	}
	return fmt.Sprintf("%s@%d", id, version)
}
