package node

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/federation"
)

// auditor writes the federation's events to the node's audit log.
type auditor struct{ log *audit.Log }

var eventOf = map[string]audit.Event{
	federation.EventSent:           audit.QuerySent,
	federation.EventQueryReceived:  audit.QueryReceived,
	federation.EventAnswered:       audit.QueryAnswered,
	federation.EventRefused:        audit.QueryRefused,
	federation.EventAnswerReceived: audit.AnswerReceived,
}

func (a auditor) Record(ctx context.Context, e federation.Event) error {
	ev, ok := eventOf[e.Kind]
	if !ok {
		return fmt.Errorf("audit: unknown event %q", e.Kind)
	}
	entry := audit.Entry{Event: ev, Requester: e.Requester.String(), QueryID: e.QueryID, Query: e.Text,
		Released: e.Released, Suppressed: e.Suppressed, Epsilon: e.Epsilon, Reason: e.Reason}
	if e.Answerer != "" && e.Kind == federation.EventAnswerReceived {
		entry.Node = e.Answerer.String()
	}
	_, err := a.log.Append(ctx, entry)
	return err
}

// AuditLog is the node's audit log of federated queries.
func (n *Node) AuditLog() *audit.Log { return n.auditLog }

// AuditEntries lists the audit log's entries f selects, oldest first.
func (n *Node) AuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	es, err := n.auditLog.List(ctx, f)
	if es == nil {
		es = []audit.Entry{}
	}
	return es, err
}

// VerifyAudit checks the audit log's hash chain, from anchor (a head
// noted earlier) if given.
func (n *Node) VerifyAudit(ctx context.Context, anchor *audit.Head) AuditVerify {
	head, err := n.auditLog.Verify(ctx, anchor)
	res := AuditVerify{Head: head, Valid: err == nil}
	if err != nil {
		res.Problem = err.Error()
	}
	return res
}

// auditRoutes registers `kolo audit`'s endpoints.
func (n *Node) auditRoutes() {
	// GET /v1/audit?event=&requester=&since=&limit= lists entries.
	n.api.HandleJSON("GET /v1/audit", func(r *http.Request) (any, error) {
		q := r.URL.Query()
		f := audit.Filter{Event: audit.Event(q.Get("event")), Requester: q.Get("requester")}
		if s := q.Get("since"); s != "" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return nil, api.BadRequest(fmt.Errorf("since %q: give a date such as 2026-11-01", s))
			}
			f.Since = t
		}
		if s := q.Get("limit"); s != "" {
			l, err := strconv.Atoi(s)
			if err != nil || l < 0 {
				return nil, api.BadRequest(fmt.Errorf("limit %q: give a whole number", s))
			}
			f.Limit = l
		}
		return n.AuditEntries(r.Context(), f)
	})
	// GET /v1/audit/verify?anchor=SEQ:HASH checks the chain.
	n.api.HandleJSON("GET /v1/audit/verify", func(r *http.Request) (any, error) {
		var anchor *audit.Head
		if s := r.URL.Query().Get("anchor"); s != "" {
			seq, hash, ok := strings.Cut(s, ":")
			n, err := strconv.ParseUint(seq, 10, 64)
			if !ok || err != nil || len(hash) != 64 {
				return nil, api.BadRequest(fmt.Errorf("anchor %q: give the head kolo audit verify printed before, SEQ:HASH", s))
			}
			anchor = &audit.Head{Seq: n, Hash: hash}
		}
		return n.VerifyAudit(r.Context(), anchor), nil
	})
}

// AuditVerify is what `kolo audit verify` prints.
type AuditVerify struct {
	Valid   bool       `json:"valid"`
	Head    audit.Head `json:"head"`
	Problem string     `json:"problem,omitempty"`
}
