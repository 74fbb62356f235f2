package federation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/protocol"
)

// Policy is a node's own rule of who may ask it what, after the network's
// rule (a current member): vantage6's node policies (allowed users,
// organisations, algorithms) are the model. Disclosure control, what the
// node does to the figures it releases, is query.Policy.
type Policy struct {
	// AllowRoles are the roles whose members may ask (default analyst and
	// partner).
	AllowRoles []protocol.Role
	// AllowRequesters, when not empty, are the only members that may ask:
	// peer IDs or organisation names (case does not matter).
	AllowRequesters []string
	// AllowKinds, when not empty, are the only record kinds this node
	// answers about.
	AllowKinds []sdk.Kind
	// MaxPerDay caps the queries one member may ask this node per UTC day
	// (default 200).
	MaxPerDay int
}

// Policy defaults.
const DefaultMaxPerDay = 200

// WithDefaults fills in what p leaves unset.
func (p Policy) WithDefaults() Policy {
	if len(p.AllowRoles) == 0 {
		p.AllowRoles = []protocol.Role{protocol.RoleAnalyst, protocol.RolePartner}
	}
	if p.MaxPerDay == 0 {
		p.MaxPerDay = DefaultMaxPerDay
	}
	return p
}

// Refusal reasons this package gives (query's own, such as subset_rule or
// budget_spent, come from query.Protect).
const (
	ReasonRole      = "role"              // the requester's roles may not ask
	ReasonRequester = "requester_refused" // this node's policy lists other requesters
	ReasonKind      = "kind_refused"      // this node does not answer about this kind
	ReasonRate      = "rate"              // too many queries from this requester today
	ReasonInvalid   = "invalid_query"     // the query does not parse or check here
)

// authorise applies p to a query from member m about kind; it returns the
// reason and a message for the requester, or "" when allowed.
func (p Policy) authorise(m membership.Member, kind sdk.Kind) (reason, msg string) {
	c := m.Certificate
	if !slices.ContainsFunc(c.Roles, func(r protocol.Role) bool { return slices.Contains(p.AllowRoles, r) }) {
		return ReasonRole, fmt.Sprintf("this node answers members with the role %s; %s (%s) has %s",
			protocol.JoinRoles(p.AllowRoles), c.Org, c.Country, protocol.JoinRoles(c.Roles))
	}
	if len(p.AllowRequesters) > 0 && !slices.ContainsFunc(p.AllowRequesters, func(s string) bool {
		return s == c.Peer.String() || strings.EqualFold(strings.TrimSpace(s), c.Org)
	}) {
		return ReasonRequester, fmt.Sprintf("this node's policy (query.allow_requesters) does not list %s (%s)", c.Org, c.Peer)
	}
	if len(p.AllowKinds) > 0 && !slices.Contains(p.AllowKinds, kind) {
		names := make([]string, len(p.AllowKinds))
		for i, k := range p.AllowKinds {
			names[i] = string(k)
		}
		return ReasonKind, fmt.Sprintf("this node answers about %s only, not %s (query.allow_kinds)", strings.Join(names, ", "), kind)
	}
	return "", ""
}
