package node

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/protocol"
)

// queryPolicies turns the query section of the configuration into the
// federation's authorisation policy, node/query's disclosure policy and
// limits; a value the configuration could not check (a record kind) is
// refused here, naming its key.
func queryPolicies(c config.Query) (federation.Policy, query.Policy, query.Limits, error) {
	var fp federation.Policy
	for _, r := range c.AllowRoles {
		fp.AllowRoles = append(fp.AllowRoles, protocol.Role(r))
	}
	fp.AllowRequesters = c.AllowRequesters
	for _, k := range c.AllowKinds {
		if !slices.Contains(sdk.Kinds, sdk.Kind(k)) {
			return fp, query.Policy{}, query.Limits{}, &config.Error{Key: "query.allow_kinds", Source: "value",
				Problem: fmt.Sprintf("%q is not a record kind; allowed are %s", k, kindNames())}
		}
		fp.AllowKinds = append(fp.AllowKinds, sdk.Kind(k))
	}
	fp.MaxPerDay = c.MaxPerDay
	lim := query.Limits{MaxBytes: c.MaxBytes, MaxGroups: c.MaxGroups, MaxNesting: c.MaxNesting}
	qp := query.Policy{NFilterTab: c.NFilterTab, NFilterSubset: c.NFilterSubset, Limits: lim, Noise: query.NoisePolicy{
		Mode: c.Noise.Mode, Epsilon: c.Noise.Epsilon, MaxEpsilon: c.Noise.MaxEpsilon, Budget: c.Noise.Budget, Period: c.Noise.Period,
	}}
	if err := qp.WithDefaults().Validate(); err != nil {
		return fp, qp, query.Limits{}, &config.Error{Key: "query", Source: "value", Problem: err.Error()}
	}
	return fp, qp, lim, nil
}

func kindNames() string {
	names := make([]string, len(sdk.Kinds))
	for i, k := range sdk.Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// startFederation creates the node's federated queries (before gossip,
// which carries their records).
func (n *Node) startFederation(ctx context.Context) error {
	fp, qp, lim, err := queryPolicies(n.cfg.Query)
	if err != nil {
		return err
	}
	n.auditLog = audit.Open(n.store, n.now)
	prot, err := query.NewProtector(n.store, qp, query.ProtectorOptions{Now: n.now, Logger: n.log.With("component", "query")})
	if err != nil {
		return fmt.Errorf("query policy: %w", err)
	}
	fed, err := federation.New(ctx, federation.Config{
		Store: n.store, Registry: n.reg, Key: n.keys.P2P, Identity: n.keys.Age, Host: n.host,
		Records: n.records, Protector: prot, Policy: fp, Limits: lim,
		Private: func() map[string]string { return query.PrivateFields(n.plugins.Forms()) },
		Audit:   auditor{n.auditLog}, Now: n.now, Logger: n.log.With("component", "federation"),
	})
	if err != nil {
		return err
	}
	n.fed = fed
	return nil
}

// Ask is `kolo query`: it checks text, signs the query, gives it to the
// network, and returns its id. This node answers it too.
func (n *Node) Ask(ctx context.Context, text string, opts federation.AskOptions) (protocol.Query, error) {
	q, err := n.fed.Ask(ctx, text, opts)
	if err != nil {
		return q, err
	}
	n.awaitTopic(ctx)
	if err := n.gossip.Publish(ctx, protocol.Record{Query: &q}); err != nil {
		return q, err
	}
	n.log.Info("query asked", "query", q.ID, "expires", q.Expires)
	return q, nil
}

// Queries is `kolo query list`: the queries this node asked, newest
// first, with who answered so far (no figures: QueryStatus has them).
func (n *Node) Queries(ctx context.Context) ([]federation.Status, error) {
	list, err := n.fed.List(ctx)
	if list == nil {
		list = []federation.Status{}
	}
	return list, err
}

// QueryStatus is `kolo query status ID`: the query this node asked whose
// id starts with id, with every member's part and the combined figures.
// With wait above 0 it first waits up to wait (at most maxQueryWait) for
// every member to answer or the query to close.
func (n *Node) QueryStatus(ctx context.Context, id string, wait time.Duration) (federation.Status, error) {
	if wait <= 0 {
		return n.fed.Status(ctx, id)
	}
	ctx, cancel := context.WithTimeout(ctx, min(wait, maxQueryWait))
	defer cancel()
	return n.fed.Wait(ctx, id)
}

// Federation is the node's federated queries (nil before Start).
func (n *Node) Federation() *federation.Federation { return n.fed }

// maxQueryWait bounds how long one API request waits for answers.
const maxQueryWait = 10 * time.Minute

// queryRoutes registers the federated query endpoints of the local API.
func (n *Node) queryRoutes() {
	n.api.HandleJSON("POST /v1/queries", func(r *http.Request) (any, error) {
		var in struct {
			Text    string  `json:"text"`
			Wait    string  `json:"wait"`    // how long the query stays open ("" for the default)
			Epsilon float64 `json:"epsilon"` // > 0 asks for noise
		}
		if err := decodeBody(r, &in); err != nil {
			return nil, err
		}
		var wait time.Duration
		if in.Wait != "" {
			var err error
			if wait, err = time.ParseDuration(in.Wait); err != nil || wait <= 0 {
				return nil, api.BadRequest(fmt.Errorf("wait %q: give a duration such as 30s, 10m or 24h", in.Wait))
			}
		}
		q, err := n.Ask(r.Context(), in.Text, federation.AskOptions{Wait: wait, Epsilon: in.Epsilon})
		if err != nil {
			return nil, queryError(err)
		}
		return q, nil
	})
	n.api.HandleJSON("GET /v1/queries", func(r *http.Request) (any, error) {
		list, err := n.Queries(r.Context())
		return list, queryError(err)
	})
	// GET /v1/queries/{id}?wait=30s waits up to that long for every member
	// to answer (or the query to close) before it answers.
	n.api.HandleJSON("GET /v1/queries/{id}", func(r *http.Request) (any, error) {
		var d time.Duration
		if w := r.URL.Query().Get("wait"); w != "" {
			var err error
			if d, err = time.ParseDuration(w); err != nil || d < 0 {
				return nil, api.BadRequest(fmt.Errorf("wait %q: give a duration such as 30s", w))
			}
		}
		st, err := n.QueryStatus(r.Context(), r.PathValue("id"), d)
		return st, queryError(err)
	})
	n.api.HandleJSON("GET /v1/queries/{id}/evidence", func(r *http.Request) (any, error) {
		files, err := n.fed.EvidenceFiles(r.Context(), r.PathValue("id"))
		return files, queryError(err)
	})
}

// queryError gives a query error the HTTP status that says whose fault it
// is.
func queryError(err error) error {
	if err == nil {
		return nil
	}
	var qe *query.Error
	switch {
	case errors.As(err, &qe), errors.Is(err, federation.ErrQueryID):
		return api.BadRequest(err)
	case errors.Is(err, federation.ErrNoSuchQuery):
		return &api.Error{Code: http.StatusNotFound, Err: err}
	case errors.Is(err, federation.ErrLimit):
		return &api.Error{Code: http.StatusTooManyRequests, Err: err}
	}
	return networkError(err)
}
