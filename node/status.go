package node

import (
	"net/http"
	"time"
)

// Status is what `kolo status` shows of a running node.
type Status struct {
	Running       bool   `json:"running"`
	PeerID        string `json:"peer_id"`
	AgeRecipient  string `json:"age_recipient"`
	Org           string `json:"org"`
	Country       string `json:"country"`
	Version       string `json:"version"`
	UptimeSeconds int64  `json:"uptime_seconds"`
	Peers         int    `json:"peers"`
	StoreBytes    int64  `json:"store_bytes"` // disk space the store takes (StoreSize)
	// StoreProblem says why the running node's store cannot be written
	// (its directory gone, its disk full, a write failing); "" when it can.
	StoreProblem string   `json:"store_problem,omitempty"`
	Addrs        []string `json:"addrs"`
	API          string   `json:"api"`
	Created      string   `json:"created,omitempty"` // first start, RFC 3339
	Starts       int      `json:"starts,omitempty"`  // how many times the daemon started
}

// Status reports the node's state.
func (n *Node) Status() Status {
	var addrs []string
	for _, a := range n.host.Addrs() {
		addrs = append(addrs, a.String())
	}
	up := int64(0)
	if !n.started.IsZero() {
		up = int64(time.Since(n.started).Seconds())
	}
	return Status{
		Running:       true,
		PeerID:        n.peerID.String(),
		AgeRecipient:  n.keys.Age.Recipient().String(),
		Org:           n.cfg.Node.Org,
		Country:       n.cfg.Node.Country,
		Version:       n.version,
		UptimeSeconds: up,
		Peers:         len(n.host.Network().Peers()),
		StoreBytes:    StoreSize(n.cfg.Home),
		StoreProblem:  n.store.Health().Problem,
		Addrs:         addrs,
		API:           n.APIURL(),
		Created:       n.history.Created.Format(time.RFC3339),
		Starts:        n.history.Starts,
	}
}

// routes registers the local API's endpoints.
func (n *Node) routes() {
	n.api.HandleJSON("GET /v1/status", func(*http.Request) (any, error) { return n.Status(), nil })
	n.formsRoutes()
	n.networkRoutes()
	n.queryRoutes()
	n.reportRoutes()
	n.auditRoutes()
	n.backupRoutes()
	n.peerRoutes()
}
