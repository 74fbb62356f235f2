package ui

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/protocol"
)

// inviteRoutes registers the invites of a partner: a new invite (its
// token shown once), the invites issued and their cancellation.
func (s *Server) inviteRoutes() {
	s.page("GET "+Prefix+"network/invites", s.invitesPage)
	s.action("POST "+Prefix+"network/invites", s.newInvite)
	s.action("POST "+Prefix+"network/invites/{id}/cancel", s.cancelInvite)
}

// inviteValidity are the validities offered, in days; 0 is the network's
// policy.
var inviteValidity = []int{0, 1, 3, 7, 14, 30}

// invitesData is the invites page.
type invitesData struct {
	networkTab
	Form    inviteForm
	Invites []inviteRow
	Notice  string
}

// inviteForm is the new-invite form, with what was typed and the
// problem of each field.
type inviteForm struct {
	Org, Country string
	Roles        []roleChoice
	Days         []dayChoice
	Problems     map[string]string // by field: org, country, roles, days
	Problem      string            // not about one field
}

type roleChoice struct {
	Value, Label string
	Checked      bool
}

type dayChoice struct {
	Value    int
	Label    string
	Selected bool
}

type inviteRow struct {
	InviteView
	RoleNames, StateText, CreatedOn, ExpiresAt string
	Open                                       bool
}

// tokenData is the page that shows a new invite's token, once.
type tokenData struct {
	Invitation
	RoleNames, ExpiresAt string
}

// invitesPage lists the invites this node issued and offers a new one.
func (s *Server) invitesPage(w http.ResponseWriter, rq *request) error {
	return s.renderInvites(w, rq, http.StatusOK, s.newInviteForm(rq, nil, "", 0, nil))
}

func (s *Server) newInviteForm(rq *request, roles []protocol.Role, country string, days int, problems map[string]string) inviteForm {
	if roles == nil {
		roles = []protocol.Role{protocol.RolePartner}
	}
	f := inviteForm{Country: country, Problems: problems}
	for _, r := range protocol.Roles {
		f.Roles = append(f.Roles, roleChoice{Value: string(r), Label: T(rq.lang, "ui.role."+string(r)), Checked: slices.Contains(roles, r)})
	}
	for _, d := range inviteValidity {
		label := T(rq.lang, "ui.inv.days.policy")
		if d > 0 {
			label = strconv.Itoa(d) + " " + T(rq.lang, "ui.inv.days")
		}
		f.Days = append(f.Days, dayChoice{Value: d, Label: label, Selected: d == days})
	}
	return f
}

func (s *Server) renderInvites(w http.ResponseWriter, rq *request, code int, f inviteForm) error {
	net, ok := s.b.NetworkInfo(rq.Context())
	if !ok {
		return redirect(w, rq, Prefix+"network")
	}
	d := invitesData{networkTab: tabOf("invites", net), Form: f, Notice: notice(rq, networkNotices)}
	for _, inv := range s.b.NetworkInvites(rq.Context()) {
		d.Invites = append(d.Invites, inviteRow{InviteView: inv, RoleNames: roleNames(rq.lang, inv.Roles),
			StateText: T(rq.lang, "ui.inv.state."+inv.State), CreatedOn: day(inv.Created), ExpiresAt: when(inv.Expires), Open: inv.State == "open"})
	}
	slices.Reverse(d.Invites) // newest first
	s.render(w, rq, code, "invites", Page{Title: T(rq.lang, "ui.net.invites"), Nav: "network", Data: d})
	return nil
}

// newInvite makes an invite and shows its token, once: the node keeps
// only its public half, so the token is in this response and nowhere
// else (it is never logged or put in a URL).
func (s *Server) newInvite(w http.ResponseWriter, rq *request) error {
	org := strings.TrimSpace(rq.PostFormValue("org"))
	country := strings.ToUpper(strings.TrimSpace(rq.PostFormValue("country")))
	problems := map[string]string{}
	var roles []protocol.Role
	for _, v := range rq.PostForm["role"] {
		if !slices.Contains(protocol.Roles, protocol.Role(v)) {
			problems["roles"] = T(rq.lang, "ui.inv.roles_unknown")
			continue
		}
		roles = append(roles, protocol.Role(v))
	}
	days, err := strconv.Atoi(rq.PostFormValue("days"))
	if err != nil || !slices.Contains(inviteValidity, days) {
		problems["days"] = T(rq.lang, "ui.inv.days_unknown")
	}
	if org == "" {
		problems["org"] = T(rq.lang, "ui.inv.org_missing")
	}
	if country == "" {
		problems["country"] = T(rq.lang, "ui.inv.country_missing")
	}
	if len(roles) == 0 && problems["roles"] == "" {
		problems["roles"] = T(rq.lang, "ui.inv.roles_missing")
	}
	form := func() inviteForm {
		f := s.newInviteForm(rq, roles, country, days, problems)
		f.Org = org
		if roles == nil {
			for i := range f.Roles {
				f.Roles[i].Checked = false
			}
		}
		return f
	}
	if len(problems) > 0 {
		return s.renderInvites(w, rq, formProblem, form())
	}
	slices.Sort(roles) // protocol.Roles' canonical order
	inv, err := s.b.InviteMember(rq.Context(), org, country, roles, time.Duration(days)*24*time.Hour)
	if err != nil {
		var fe *protocol.FieldError
		f := form()
		if errors.As(err, &fe) && slices.Contains([]string{"org", "country", "roles"}, fe.Field) {
			f.Problems[fe.Field] = err.Error()
		} else {
			f.Problem = err.Error()
		}
		return s.renderInvites(w, rq, formProblem, f)
	}
	s.log.Info("web interface: invite made", "country", inv.Country)
	s.render(w, rq, http.StatusOK, "invite_token", Page{Title: T(rq.lang, "ui.inv.made"), Nav: "network",
		Data: tokenData{Invitation: inv, RoleNames: roleNames(rq.lang, inv.Roles), ExpiresAt: when(inv.Expires)}})
	return nil
}

// cancelInvite cancels an open invite: its token can no longer be used.
func (s *Server) cancelInvite(w http.ResponseWriter, rq *request) error {
	if err := s.b.CancelInvite(rq.Context(), rq.PathValue("id")); err != nil {
		return badRequest(err)
	}
	return redirect(w, rq, Prefix+"network/invites?done=cancelled")
}
