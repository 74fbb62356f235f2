package ui

import (
	"context"
	"net/http"
	"slices"
)

// revokeRoutes registers the revocation of a member (kolo members revoke),
// behind a confirmation page. The node decides who may revoke whom
// (Network.MayRevokeMember): the page only asks it.
func (s *Server) revokeRoutes() {
	s.page("GET "+Prefix+"network/members/{peer}/revoke", s.revokePage)
	s.action("POST "+Prefix+"network/members/{peer}/revoke", s.revokeMember)
}

// revokeData is the confirmation page of a member's revocation.
type revokeData struct {
	Member      memberRow
	CountryName string
	// Leaving: the member is this node, which leaves the network.
	Leaving bool
	// Admitted are the current members the member admitted (founders
	// admit no one: they are in the network file).
	Admitted []string
	// DropAdmitted is the "also drop the members it admitted" box as posted.
	DropAdmitted bool
	// Problem: the confirmation box was not ticked.
	Problem string
	// Refused: this node may not revoke the member (Detail: the node's
	// reason); the page offers no button then.
	Refused, Detail string
}

// revokePage shows what revoking the member does before it is done, or
// why this node may not revoke it.
func (s *Server) revokePage(w http.ResponseWriter, rq *request) error {
	d, err := s.revokeData(rq)
	if err != nil || d == nil {
		return s.noMember(w, rq, err)
	}
	code := http.StatusOK
	if d.Refused != "" {
		code = http.StatusForbidden
	}
	return s.renderRevoke(w, rq, code, *d)
}

// revokeMember revokes the member once the reader ticked the box, and
// only if the node says this node may: otherwise the page again with the
// problem beside the box, and nothing revoked.
func (s *Server) revokeMember(w http.ResponseWriter, rq *request) error {
	d, err := s.revokeData(rq)
	if err != nil || d == nil {
		return s.noMember(w, rq, err)
	}
	d.DropAdmitted = rq.PostFormValue("drop_admitted") == "yes"
	if d.Refused != "" {
		return s.renderRevoke(w, rq, http.StatusForbidden, *d)
	}
	if rq.PostFormValue("confirm") != "yes" {
		d.Problem = T(rq.lang, "ui.revoke.unticked")
		return s.renderRevoke(w, rq, formProblem, *d)
	}
	if err := s.b.RevokeMember(rq.Context(), d.Member.Peer, d.DropAdmitted); err != nil {
		return badRequest(err)
	}
	s.log.Info("web interface: revoked a member", "member", d.Member.Peer, "drop_admitted", d.DropAdmitted, "leaving", d.Leaving)
	if d.Leaving {
		return redirect(w, rq, Prefix+"network?done=left")
	}
	return redirect(w, rq, Prefix+"network?done=revoked")
}

// noMember answers a revocation page whose member is not known here (or
// whose node belongs to no network: then the network page).
func (s *Server) noMember(w http.ResponseWriter, rq *request, err error) error {
	if err != nil {
		return err
	}
	if _, ok := s.b.NetworkInfo(rq.Context()); !ok {
		return redirect(w, rq, Prefix+"network")
	}
	return errNotFound
}

// revokeData describes the member of the page's address, and whether
// this node may revoke it; nil when the node knows no such member.
func (s *Server) revokeData(rq *request) (*revokeData, error) {
	ctx := rq.Context()
	if _, ok := s.b.NetworkInfo(ctx); !ok {
		return nil, nil
	}
	members, err := s.b.NetworkMembers(ctx)
	if err != nil {
		return nil, err
	}
	peerID := rq.PathValue("peer")
	i := slices.IndexFunc(members, func(m Member) bool { return m.Peer == peerID })
	if i < 0 {
		return nil, nil
	}
	m := members[i]
	d := &revokeData{Member: rowOf(rq.lang, m), CountryName: countryLabel(rq.lang, m.Country), Leaving: m.Self}
	for _, a := range members {
		if a.AdmittedBy == m.Peer && !a.Founder && a.Revoked == "" {
			d.Admitted = append(d.Admitted, a.Org)
		}
	}
	d.Refused, d.Detail = s.mayRevoke(ctx, rq.lang, m)
	return d, nil
}

// mayRevoke is why this node may not revoke m ("" if it may): the
// node's rule, with its reason as detail.
func (s *Server) mayRevoke(ctx context.Context, lang string, m Member) (refused, detail string) {
	if m.Revoked != "" {
		return T(lang, "ui.revoke.already"), ""
	}
	if err := s.b.MayRevokeMember(ctx, m.Peer); err != nil {
		return T(lang, "ui.revoke.refused"), err.Error()
	}
	return "", ""
}

func (s *Server) renderRevoke(w http.ResponseWriter, rq *request, code int, d revokeData) error {
	title := "ui.revoke.title"
	if d.Leaving {
		title = "ui.revoke.leave_title"
	}
	s.render(w, rq, code, "member_revoke", Page{Title: T(rq.lang, title), Nav: "network", Data: d})
	return nil
}
