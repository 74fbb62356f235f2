package ui

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/protocol"
)

// networkRoutes registers the network pages: the members, the
// Declaration (network_declaration.go), invites (network_invites.go),
// and, on a node with no network yet, joining and founding one.
func (s *Server) networkRoutes() {
	s.page("GET "+Prefix+"network", s.networkPage)
	s.action("POST "+Prefix+"network/create", s.createNetwork)
	s.action("POST "+Prefix+"network/join", s.joinNetwork)
	s.declarationRoutes()
	s.inviteRoutes()
	s.revokeRoutes()
}

// networkTab names the tab of the network area's sub-navigation.
type networkTab struct {
	Tab     string // members, declaration, invites
	Partner bool   // this node may invite: show the invites tab
}

// networkData is the members page.
type networkData struct {
	networkTab
	Net       NetworkView
	Self      *Member
	SelfRoles string
	Countries []countryMembers
	Status    declaration.Status
	Notice    string
}

// countryMembers are the members of one country.
type countryMembers struct {
	Code, Name string
	Members    []memberRow
}

// memberRow is a member as the page shows it.
type memberRow struct {
	Member
	RoleNames string
	Since     string
	RevokedOn string
	Admitter  string
	// Revocable: this node may revoke the member (or, for itself, leave):
	// the page links to the revocation's confirmation.
	Revocable bool
}

// noNetworkData is the page of a node that belongs to no network yet.
type noNetworkData struct {
	Token, Name  string // what was typed, shown again with its error
	TokenProblem string
	NameProblem  string
	Org, Country string
}

// networkPage shows the network's members by country, or, when this node
// belongs to no network, how to join one or found one.
func (s *Server) networkPage(w http.ResponseWriter, rq *request) error {
	net, ok := s.b.NetworkInfo(rq.Context())
	if !ok {
		return s.renderNoNetwork(w, rq, http.StatusOK, noNetworkData{})
	}
	members, err := s.b.NetworkMembers(rq.Context())
	if err != nil {
		return err
	}
	st, err := s.b.DeclarationStatus(rq.Context())
	if err != nil {
		return err
	}
	d := networkData{networkTab: tabOf("members", net), Net: net, Self: net.Self, Status: st,
		Countries: byCountry(rq.lang, members), Notice: notice(rq, networkNotices)}
	if net.Self != nil {
		d.SelfRoles = roleNames(rq.lang, net.Self.Roles)
	}
	for _, c := range d.Countries {
		for i := range c.Members {
			m := &c.Members[i]
			m.Revocable = m.Revoked == "" && s.b.MayRevokeMember(rq.Context(), m.Peer) == nil
		}
	}
	s.render(w, rq, http.StatusOK, "network", Page{Title: T(rq.lang, "ui.nav.network"), Nav: "network", Data: d})
	return nil
}

// tabOf is the sub-navigation of the network area.
func tabOf(tab string, net NetworkView) networkTab {
	return networkTab{Tab: tab, Partner: net.Self != nil && net.Self.Revoked == "" && net.Self.IsPartner()}
}

// byCountry groups members by country, countries in code order, members
// in the order the node lists them (founders first, then as admitted).
func byCountry(lang string, members []Member) []countryMembers {
	var out []countryMembers
	for _, m := range members {
		i := slices.IndexFunc(out, func(c countryMembers) bool { return c.Code == m.Country })
		if i < 0 {
			out = append(out, countryMembers{Code: m.Country, Name: declaration.CountryName(lang, m.Country)})
			i = len(out) - 1
		}
		out[i].Members = append(out[i].Members, rowOf(lang, m))
	}
	slices.SortFunc(out, func(a, b countryMembers) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// rowOf is a member as the members page shows it.
func rowOf(lang string, m Member) memberRow {
	row := memberRow{Member: m, RoleNames: roleNames(lang, m.Roles), Since: day(m.Issued), RevokedOn: day(m.Revoked)}
	switch {
	case m.Founder:
		row.Admitter = T(lang, "ui.net.founder")
	case m.AdmittedByOrg != "":
		row.Admitter = m.AdmittedByOrg
	default:
		row.Admitter = shortPeer(m.AdmittedBy)
	}
	return row
}

// roleNames names roles in lang, comma separated.
func roleNames(lang string, roles []protocol.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = T(lang, "ui.role."+string(r))
	}
	return strings.Join(names, ", ")
}

// countryLabel names a country in lang, with its code.
func countryLabel(lang, code string) string {
	return declaration.CountryName(lang, code) + " (" + code + ")"
}

// shortPeer shortens a peer ID for a table; the full one is in its title.
func shortPeer(p string) string {
	if len(p) <= 16 {
		return p
	}
	return p[:8] + "…" + p[len(p)-6:]
}

// day is the date of an RFC 3339 time ("" stays "").
func day(ts string) string {
	if t, err := time.Parse(time.RFC3339, ts); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return ts
}

// when is an RFC 3339 time to the minute, in UTC.
func when(ts string) string {
	if t, err := time.Parse(time.RFC3339, ts); err == nil {
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
	return ts
}

// formProblem is the status of a form drawn again with what is wrong
// beside its fields: a page like any other, 200, as the records pages
// have it (a browser logs a 4xx page as a failed load).
const formProblem = http.StatusOK

// networkNotices are the notices a network page shows after a change:
// the value of its "done" parameter, to the key of its text.
var networkNotices = map[string]string{
	"created":   "ui.net.notice.created",
	"joined":    "ui.net.notice.joined",
	"signed":    "ui.decl.notice.signed",
	"withdrawn": "ui.decl.notice.withdrawn",
	"cancelled": "ui.inv.notice.cancelled",
	"revoked":   "ui.revoke.notice.revoked",
	"left":      "ui.revoke.notice.left",
}

// notice is the text of the page's "done" parameter, if it is one of
// known (a redirect after a POST sets it).
func notice(rq *request, known map[string]string) string {
	if key, ok := known[rq.URL.Query().Get("done")]; ok {
		return T(rq.lang, key)
	}
	return ""
}

func (s *Server) renderNoNetwork(w http.ResponseWriter, rq *request, code int, d noNetworkData) error {
	st := s.b.NodeStatus(rq.Context())
	d.Org, d.Country = st.Org, st.Country
	s.render(w, rq, code, "network_none", Page{Title: T(rq.lang, "ui.nav.network"), Nav: "network", Data: d})
	return nil
}

// joinNetwork joins the network of the invite token posted: the node
// dials the inviter, proves it holds the token and catches up.
func (s *Server) joinNetwork(w http.ResponseWriter, rq *request) error {
	token := strings.TrimSpace(rq.PostFormValue("token"))
	d := noNetworkData{Token: token}
	switch {
	case token == "":
		d.TokenProblem = T(rq.lang, "ui.net.join.token_missing")
	case len(token) > protocol.MaxTokenLength:
		d.Token, d.TokenProblem = "", T(rq.lang, "ui.net.join.token_long")
	}
	if d.TokenProblem != "" {
		return s.renderNoNetwork(w, rq, formProblem, d)
	}
	if err := s.b.JoinNetwork(rq.Context(), token); err != nil {
		if _, ok := s.b.NetworkInfo(rq.Context()); ok {
			return badRequest(err) // already in a network: the forms are gone
		}
		d.TokenProblem = err.Error()
		return s.renderNoNetwork(w, rq, formProblem, d)
	}
	s.log.Info("web interface: joined a network")
	return redirect(w, rq, Prefix+"network?done=joined")
}

// createNetwork founds a network with this node as its first member.
func (s *Server) createNetwork(w http.ResponseWriter, rq *request) error {
	name := strings.TrimSpace(rq.PostFormValue("name"))
	d := noNetworkData{Name: name}
	if name == "" {
		d.NameProblem = T(rq.lang, "ui.net.create.name_missing")
		return s.renderNoNetwork(w, rq, formProblem, d)
	}
	if err := s.b.CreateNetwork(rq.Context(), name); err != nil {
		var fe *protocol.FieldError
		if _, ok := s.b.NetworkInfo(rq.Context()); ok && !errors.As(err, &fe) {
			return badRequest(err)
		}
		d.NameProblem = err.Error()
		return s.renderNoNetwork(w, rq, formProblem, d)
	}
	s.log.Info("web interface: founded a network")
	return redirect(w, rq, Prefix+"network?done=created")
}
