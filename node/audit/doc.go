// Package audit is a node's own record of the federated queries it takes
// part in: an append-only, hash-chained log in the node's encrypted store.
// Each entry says when, what happened (a query sent, received, answered
// or refused), who asked, the query's canonical text, how many cells were
// released and suppressed, and the ε the answer spent; it carries the
// SHA-256 of the entry before it, as stored. Verify walks the chain and
// finds any entry edited, removed, inserted or reordered; comparing the
// head with one written down earlier (Head, kolo audit verify prints it)
// also finds a log rewritten from some entry on. docs/query.md ("Audit
// log") describes the format.
//
// The log never holds a figure, a record or a record ID: only what a
// query asked and how much was released.
package audit
