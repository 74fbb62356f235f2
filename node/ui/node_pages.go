package ui

import (
	"net/http"
	"strconv"

	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/host"
)

// The node's pages: its status (kolo status), the peers connected now,
// the form plugins and their health, and the audit log of federated
// queries with a check of its hash chain (kolo audit, kolo audit verify).

// nodeRoutes registers the node's pages.
func (s *Server) nodeRoutes() {
	s.page("GET "+Prefix+"node", s.statusPage)
	s.page("GET "+Prefix+"node/peers", s.peersPage)
	s.page("GET "+Prefix+"node/plugins", s.pluginsPage)
	s.page("GET "+Prefix+"node/audit", s.auditPage)
}

// nodeView is the data of the node's pages: the tab shown and its data.
type nodeView struct {
	Tab string // status, peers, plugins, audit
	Any any
}

// statusView is the status page's data.
type statusView struct {
	Status  NodeStatus
	Uptime  string
	Store   string
	Plugins int
	Healthy int
}

func (s *Server) statusPage(w http.ResponseWriter, rq *request) error {
	st := s.b.NodeStatus(rq.Context())
	ps := s.b.NodePlugins(rq.Context())
	v := statusView{Status: st, Uptime: st.Uptime.String(), Store: store.HumanBytes(st.StoreBytes), Plugins: len(ps)}
	for _, p := range ps {
		if p.Err == nil {
			v.Healthy++
		}
	}
	s.render(w, rq, http.StatusOK, "node", Page{Title: T(rq.lang, "ui.node.status"), Nav: "node", Data: nodeView{Tab: "status", Any: v}})
	return nil
}

func (s *Server) peersPage(w http.ResponseWriter, rq *request) error {
	s.render(w, rq, http.StatusOK, "node", Page{Title: T(rq.lang, "ui.node.peers"), Nav: "node",
		Data: nodeView{Tab: "peers", Any: s.b.NodePeers(rq.Context())}})
	return nil
}

// pluginView is one plugin as the plugins page shows it.
type pluginView struct {
	host.PluginStatus
	Problem string
}

func (s *Server) pluginsPage(w http.ResponseWriter, rq *request) error {
	var out []pluginView
	for _, p := range s.b.NodePlugins(rq.Context()) {
		v := pluginView{PluginStatus: p}
		if p.Err != nil {
			v.Problem = p.Err.Error()
		}
		out = append(out, v)
	}
	s.render(w, rq, http.StatusOK, "node", Page{Title: T(rq.lang, "ui.node.plugins"), Nav: "node", Data: nodeView{Tab: "plugins", Any: out}})
	return nil
}

// auditView is the audit page's data.
type auditView struct {
	Entries []audit.Entry // newest first
	Events  []audit.Event
	Event   audit.Event
	Limit   int
	Check   *AuditCheck // with ?verify=1
}

// auditLimits are the numbers of entries the audit page offers to show.
var auditLimits = []int{50, 200, 1000}

func (s *Server) auditPage(w http.ResponseWriter, rq *request) error {
	q := rq.URL.Query()
	v := auditView{Event: audit.Event(q.Get("event")), Limit: auditLimits[1],
		Events: []audit.Event{audit.QuerySent, audit.QueryReceived, audit.QueryAnswered, audit.QueryRefused, audit.AnswerReceived}}
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		v.Limit = min(l, 10_000)
	}
	es, err := s.b.AuditEntries(rq.Context(), audit.Filter{Event: v.Event, Limit: v.Limit})
	if err != nil {
		return badRequest(err)
	}
	for i := len(es) - 1; i >= 0; i-- {
		v.Entries = append(v.Entries, es[i])
	}
	if q.Get("verify") == "1" {
		c := s.b.VerifyAudit(rq.Context())
		v.Check = &c
	}
	s.render(w, rq, http.StatusOK, "node", Page{Title: T(rq.lang, "ui.node.audit"), Nav: "node", Data: nodeView{Tab: "audit", Any: v}})
	return nil
}
