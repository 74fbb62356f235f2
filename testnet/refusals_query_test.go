package testnet

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// auditHas reports whether node n's audit log holds an entry of event for
// query id with reason (any reason if "").
func auditHas(ctx context.Context, t *testing.T, n *node.Node, event audit.Event, id, reason string) bool {
	t.Helper()
	es, err := n.AuditLog().List(ctx, audit.Filter{Event: event})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(es, func(e audit.Entry) bool { return e.QueryID == id && (reason == "" || e.Reason == reason) })
}

// signQuery signs a query as key's peer would, outside any node.
func signQuery(t *testing.T, key crypto.PrivKey, network, text string, issued, expires time.Time, id string) protocol.Query {
	t.Helper()
	p, err := peer.IDFromPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		if id, err = protocol.NewQueryID(); err != nil {
			t.Fatal(err)
		}
	}
	q := protocol.Query{Network: network, ID: id, Requester: p, Text: text,
		Issued: protocol.FormatTime(issued), Expires: protocol.FormatTime(expires)}
	if err := q.Sign(key); err != nil {
		t.Fatal(err)
	}
	return q
}

// TestFederatedRefusals: a member without the role, a node's own policy,
// a spent ε budget, a non-member, a revoked member, a replayed query and
// an expired one are each refused with their reason, nothing is released,
// and each refusal is in the refusing node's audit log.
func TestFederatedRefusals(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	net, err := Start(ctx, Options{N: 5, Dir: t.TempDir(), Logger: log,
		Roles: map[int][]protocol.Role{4: {protocol.RoleAssociate}},
		Configure: func(i int, c *config.Config) {
			switch i {
			case 2: // answers noised queries only within a budget of ε 1 a month
				c.Query.Noise = config.QueryNoise{Mode: "on_request", Epsilon: 1, MaxEpsilon: 1, Budget: 1, Period: "month"}
			case 3: // answers about police cases only
				c.Query.AllowKinds = []string{"police_case"}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the nodes' logs:\n%s", logs.String())
		}
		net.Close(context.Background())
	})
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Seed(ctx, 30); err != nil {
		t.Fatal(err)
	}
	n0, n1, n2, n3 := net.Node(0), net.Node(1), net.Node(2), net.Node(3)
	nw, _ := n0.Registry().Network()

	t.Run("a member without the role", func(t *testing.T) {
		st := ask(ctx, t, net, 4, "count judgment by country")
		for _, nd := range st.Nodes {
			if nd.State != federation.NodeRefused || nd.Reason != federation.ReasonRole {
				t.Fatalf("%s: %s %s, want refused for the role", nd.Org, nd.State, nd.Reason)
			}
		}
		if len(st.Combined.Cells) != 0 {
			t.Fatalf("refusals released %d cells", len(st.Combined.Cells))
		}
		for i := range 5 {
			if !auditHas(ctx, t, net.Node(i), audit.QueryRefused, st.ID, federation.ReasonRole) {
				t.Errorf("node %d's audit log lacks the refusal", i)
			}
		}
	})

	var answered federation.Status
	t.Run("a node's own policy", func(t *testing.T) {
		answered = ask(ctx, t, net, 0, "count judgment by country")
		for _, nd := range answered.Nodes {
			want := federation.NodeAnswered
			if nd.Peer == n3.PeerID() {
				want = federation.NodeRefused
				if nd.Reason != federation.ReasonKind {
					t.Fatalf("node 3 refused for %q, want %q", nd.Reason, federation.ReasonKind)
				}
			}
			if nd.State != want {
				t.Fatalf("%s: %s, want %s", nd.Org, nd.State, want)
			}
		}
		if !auditHas(ctx, t, n3, audit.QueryRefused, answered.ID, federation.ReasonKind) || !auditHas(ctx, t, n1, audit.QueryAnswered, answered.ID, "") {
			t.Fatal("the audit logs do not say who refused and who answered")
		}
		if !auditHas(ctx, t, n0, audit.QuerySent, answered.ID, "") || !auditHas(ctx, t, n0, audit.AnswerReceived, answered.ID, "") {
			t.Fatal("the requester's audit log does not say it sent the query and received answers")
		}
	})

	t.Run("a spent budget", func(t *testing.T) {
		var reasons []string
		for range 2 {
			q, err := n0.Ask(ctx, "count judgment by country", federation.AskOptions{Wait: time.Minute, Epsilon: 1})
			if err != nil {
				t.Fatal(err)
			}
			st, err := n0.Federation().Wait(ctx, q.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, nd := range st.Nodes {
				if nd.Peer == n2.PeerID() {
					reasons = append(reasons, nd.State+" "+nd.Reason)
				}
			}
			if len(reasons) == 2 && !auditHas(ctx, t, n2, audit.QueryRefused, q.ID, "budget_spent") {
				t.Fatal("node 2's audit log lacks the budget refusal")
			}
		}
		if !slices.Equal(reasons, []string{"answered ", "refused budget_spent"}) {
			t.Fatalf("node 2 with a budget of ε 1: %v", reasons)
		}
	})

	now := time.Now()
	answeredCount := func(id string) int {
		es, err := n1.AuditLog().List(ctx, audit.Filter{Event: audit.QueryAnswered})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range es {
			if e.QueryID == id {
				n++
			}
		}
		return n
	}
	inject := func(t *testing.T, q protocol.Query, want error, reason string) {
		t.Helper()
		before := answeredCount(q.ID)
		_, err := n1.Gossip().Accept(ctx, protocol.Record{Query: &q})
		if !errors.Is(err, want) {
			t.Fatalf("node 1 took the query: %v, want %v", err, want)
		}
		if !auditHas(ctx, t, n1, audit.QueryRefused, q.ID, reason) {
			t.Fatalf("node 1's audit log lacks the refusal %q", reason)
		}
		if answeredCount(q.ID) != before {
			t.Fatal("node 1 answered a refused query")
		}
	}
	t.Run("a non-member", func(t *testing.T) {
		stranger, _, _ := crypto.GenerateEd25519Key(nil)
		inject(t, signQuery(t, stranger, nw.ID, "count judgment by country", now, now.Add(time.Hour), ""), membership.ErrNotMember, "requester_not_member")
	})
	t.Run("an expired query", func(t *testing.T) {
		k0, err := keys.Read(ctx, net.HomeOf(0), "")
		if err != nil {
			t.Fatal(err)
		}
		inject(t, signQuery(t, k0.P2P, nw.ID, "count judgment by country", now.Add(-2*time.Hour), now.Add(-time.Hour), ""), federation.ErrExpired, "expired")
	})
	t.Run("a replayed query", func(t *testing.T) {
		k0, err := keys.Read(ctx, net.HomeOf(0), "")
		if err != nil {
			t.Fatal(err)
		}
		// The id of a query node 1 answered, with another text.
		inject(t, signQuery(t, k0.P2P, nw.ID, "count police_case by country", now, now.Add(time.Hour), answered.ID), federation.ErrReplay, "replay")
	})
	t.Run("a revoked member", func(t *testing.T) {
		k4, err := keys.Read(ctx, net.HomeOf(4), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n0.RevokeMember(ctx, net.Node(4).PeerID(), false); err != nil {
			t.Fatal(err)
		}
		if err := WaitFor(ctx, "node 1 learns the revocation", func() bool { return !n1.IsMember(net.Node(4).PeerID()) }); err != nil {
			t.Fatal(err)
		}
		inject(t, signQuery(t, k4.P2P, nw.ID, "count judgment by country", now, now.Add(time.Hour), ""), membership.ErrRevoked, "requester_revoked")
	})
}

// TestOpenQueryLimit: a member with MaxOpenPerRequester open queries is
// refused another, and may ask again as soon as they close, not only once
// the node sweeps closed queries away (every federation.DefaultRetry).
func TestOpenQueryLimit(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	net := startNet(ctx, t, 1, &logBuffer{}, clk.Now)
	if err := net.Found(ctx, 0); err != nil {
		t.Fatal(err)
	}
	n0 := net.Node(0)
	short := federation.AskOptions{Wait: federation.MinWait}
	for i := range federation.MaxOpenPerRequester {
		if _, err := n0.Ask(ctx, "count judgment by country", short); err != nil {
			t.Fatalf("query %d of %d: %v", i+1, federation.MaxOpenPerRequester, err)
		}
	}
	if _, err := n0.Ask(ctx, "count judgment by country", short); !errors.Is(err, federation.ErrLimit) {
		t.Fatalf("query %d while %d are open: %v, want %v", federation.MaxOpenPerRequester+1, federation.MaxOpenPerRequester, err, federation.ErrLimit)
	}
	clk.Add(federation.MinWait + time.Second)
	if _, err := n0.Ask(ctx, "count judgment by country", short); err != nil {
		t.Fatalf("a query after the others closed: %v", err)
	}
}
