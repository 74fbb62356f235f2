// Package records keeps a partner's monitoring records: the court
// judgments, trial hearings, police cases, victim-support cases, bills and
// meetings its monitors enter on their country's forms.
//
// A [Record] holds the monitor's answers (its fields), the form and form
// version they were entered on ("rs.judgment@1"), and the common indicators
// the form's plugin computed from them when they were entered. A [Book] is
// the partner's set of records in the node's encrypted store. It needs
// only the store, the forms (any [Forms], such as a running
// *plugins/host.Host) and the node's peer ID, so the daemon and the kolo
// commands (when no daemon runs) use the same code.
//
// Records are never changed in place: an edit adds a version and keeps the
// earlier ones, and a delete adds a tombstone version. Every version stays
// readable ([Book.History]).
//
// Bad input never stores anything: a record is checked by its form's
// plugin before it is written, and an [Book.Import] of a spreadsheet
// checks every row before it writes any, then writes all rows or none,
// even across a crash (see import.go and docs/records.md).
//
// Personal and free-text fields are stored (they are the partner's own
// data) but never logged, and never part of the common indicators.
package records
