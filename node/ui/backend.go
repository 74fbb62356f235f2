package ui

import (
	"context"
	"io"
	"time"

	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// Backend is everything the pages need of the node. Package node
// implements it (node/ui_wiring*.go) with the methods its JSON API
// handlers use.
type Backend interface {
	Records
	NodeInfo
	Network
	Analyst
}

// Records are the node's forms and monitoring records (records_*.go): the
// operations of kolo forms and kolo record.
type Records interface {
	// FormList summarises every form served, by id.
	FormList(ctx context.Context) []records.FormSummary
	// FormInfo returns the form version ref names ("rs.judgment" for the
	// latest, "rs.judgment@1").
	FormInfo(ctx context.Context, ref string) (sdk.FormInfo, error)
	// ListRecords lists the summaries of the records f selects.
	ListRecords(ctx context.Context, f records.Filter) ([]records.Summary, error)
	// SearchRecords lists the summaries of the records f selects whose
	// public answers contain text.
	SearchRecords(ctx context.Context, f records.Filter, text string) ([]records.Summary, error)
	// RecordHistory returns a record's current version and earlier ones.
	RecordHistory(ctx context.Context, id string) (records.WithHistory, error)
	// AddRecord checks answers on form ref and stores a new record.
	AddRecord(ctx context.Context, ref string, a sdk.Answers) (records.Record, error)
	// EditRecord stores answers as a new version of record id.
	EditRecord(ctx context.Context, id string, a sdk.Answers) (records.Record, error)
	// DeleteRecord adds a tombstone version to record id.
	DeleteRecord(ctx context.Context, id string) (records.Record, error)
	// ImportRecords reads a file of records: all rows or none.
	ImportRecords(ctx context.Context, r io.Reader, opts records.ImportOptions) (records.ImportResult, error)
	// ExportRecords writes the records f selects to w.
	ExportRecords(ctx context.Context, w io.Writer, f records.Filter, opts records.ExportOptions) (int, error)
}

// NodeInfo is the node's own state (node_*.go): kolo status, its peers,
// its plugins, kolo audit.
type NodeInfo interface {
	// NodeStatus is what kolo status shows.
	NodeStatus(ctx context.Context) NodeStatus
	// NodePeers lists the peers connected now.
	NodePeers(ctx context.Context) []Peer
	// NodePlugins reports every form plugin and its health.
	NodePlugins(ctx context.Context) []host.PluginStatus
	// AuditEntries lists the audit log's entries f selects.
	AuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
	// VerifyAudit checks the audit log's hash chain.
	VerifyAudit(ctx context.Context) AuditCheck
}

// NodeStatus is what kolo status shows of the running node.
type NodeStatus struct {
	PeerID, AgeRecipient, Org, Country, Version string
	Uptime                                      time.Duration
	Peers                                       int
	StoreBytes                                  int64
	StoreProblem                                string // "" when the store can be written
	Addrs                                       []string
	API                                         string
	Created                                     string // first start, RFC 3339
	Starts                                      int
}

// Peer is one connected peer.
type Peer struct {
	ID      string
	Org     string // the member's organisation, "" if it is not a member
	Country string
	Roles   []string
	Revoked bool
	Addrs   []string // the addresses it is connected on
}

// AuditCheck is the result of checking the audit log's chain.
type AuditCheck struct {
	Valid   bool
	Head    audit.Head
	Problem string
}
