package ui

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/kolo-net/kolo/node/declaration"
)

// declarationRoutes registers the Declaration's page and the two
// changes it offers, each behind a confirmation page: sign (endorse) and
// withdraw (revoke this organisation's endorsement).
func (s *Server) declarationRoutes() {
	s.page("GET "+Prefix+"network/declaration", s.declarationPage)
	s.page("GET "+Prefix+"network/declaration/sign", s.confirmPage(confirmSign))
	s.page("GET "+Prefix+"network/declaration/withdraw", s.confirmPage(confirmWithdraw))
	s.action("POST "+Prefix+"network/declaration/sign", s.signDeclaration)
	s.action("POST "+Prefix+"network/declaration/withdraw", s.withdrawEndorsement)
}

// declarationData is the Declaration's page.
type declarationData struct {
	networkTab
	Version, SHA256 string
	Status          declaration.Status
	ByCountry       []countryCount
	Viable          bool
	// Mine is this organisation's counted endorsement, if any.
	Mine *Endorsement
	// CanSign: this node is a current member that does not endorse yet.
	CanSign bool
	Text    template.HTML // in the page's language where translated
	// Original is the signed English text, when Text is a translation.
	Original     template.HTML
	Translation  bool
	Endorsements []endorsementRow
	Notice       string
}

type countryCount struct {
	Code, Name string
	Count      int
}

type endorsementRow struct {
	Endorsement
	CountryName, StateText string
}

// declarationPage shows the Declaration in the reader's language with
// the SHA-256 of the signed text, how many organisations endorse it
// against the threshold by country, this organisation's endorsement and
// every endorsement this node holds.
func (s *Server) declarationPage(w http.ResponseWriter, rq *request) error {
	ctx := rq.Context()
	net, ok := s.b.NetworkInfo(ctx)
	if !ok {
		return redirect(w, rq, Prefix+"network")
	}
	st, err := s.b.DeclarationStatus(ctx)
	if err != nil {
		return err
	}
	es, err := s.b.Endorsements(ctx)
	if err != nil {
		return err
	}
	d := declarationData{networkTab: tabOf("declaration", net), Version: net.Declaration.Version, SHA256: net.Declaration.SHA256,
		Status: st, Viable: st.Viable, Notice: notice(rq, networkNotices)}
	for _, c := range st.ByCountry {
		d.ByCountry = append(d.ByCountry, countryCount{Code: c.Country, Name: declaration.CountryName(rq.lang, c.Country), Count: c.Count})
	}
	for _, e := range es {
		if net.Self != nil && e.Signer == net.Self.Peer && (e.State == declaration.StateCounted || e.State == declaration.StateRepeated) && d.Mine == nil {
			d.Mine = &e
		}
		d.Endorsements = append(d.Endorsements, endorsementRow{Endorsement: e, CountryName: declaration.CountryName(rq.lang, e.Country),
			StateText: T(rq.lang, "ui.decl.state."+stateKey(e.State))})
	}
	d.CanSign = net.Self != nil && net.Self.Revoked == "" && d.Mine == nil
	if d.Text, d.Original, d.Translation, err = declarationText(net, rq.lang); err != nil {
		return err
	}
	s.render(w, rq, http.StatusOK, "declaration", Page{Title: T(rq.lang, "ui.net.declaration"), Nav: "network", Data: d})
	return nil
}

// stateKey is an endorsement state as a catalogue key ends.
func stateKey(state string) string {
	switch state {
	case declaration.StateMemberRevoked:
		return "member_revoked"
	case declaration.StateCounted, declaration.StateRevoked, declaration.StateRepeated:
		return state
	}
	return "unknown"
}

// declarationText renders the network's Declaration in lang: the
// translation this kolo ships of the very text the network endorses
// (same version, same SHA-256 of the original), with the original
// beside it; or the original from the network file when there is none.
func declarationText(net NetworkView, lang string) (text, original template.HTML, translation bool, err error) {
	original, err = declaration.RenderMarkdown(net.Declaration.Text)
	if err != nil {
		return "", "", false, err
	}
	t, err := declaration.Lookup(net.Declaration.Version, lang)
	if err != nil || t.Identity != net.Declaration.SHA256 || !t.IsTranslation() {
		return original, "", false, nil
	}
	text, err = declaration.RenderMarkdown(t.Markdown)
	if err != nil {
		return "", "", false, err
	}
	return text, original, true, nil
}

// confirmKind is what a confirmation page confirms.
type confirmKind string

const (
	confirmSign     confirmKind = "sign"
	confirmWithdraw confirmKind = "withdraw"
)

// confirmData is a confirmation page: what the change does, for which
// organisation and which text, and the button that makes it.
type confirmData struct {
	Kind            confirmKind
	Org, Country    string
	Version, SHA256 string
	Problem         string // the box was not ticked
}

// confirmPage shows what signing or withdrawing does before it is done.
func (s *Server) confirmPage(kind confirmKind) handler {
	return func(w http.ResponseWriter, rq *request) error {
		return s.renderConfirm(w, rq, http.StatusOK, kind, "")
	}
}

func (s *Server) renderConfirm(w http.ResponseWriter, rq *request, code int, kind confirmKind, problem string) error {
	net, ok := s.b.NetworkInfo(rq.Context())
	if !ok {
		return redirect(w, rq, Prefix+"network")
	}
	if net.Self == nil {
		return badRequest(errors.New("this node holds no member certificate of the network"))
	}
	d := confirmData{Kind: kind, Org: net.Self.Org, Country: net.Self.Country, Version: net.Declaration.Version,
		SHA256: net.Declaration.SHA256, Problem: problem}
	s.render(w, rq, code, "declaration_confirm", Page{Title: T(rq.lang, "ui.decl."+string(kind)+".title"), Nav: "network", Data: d})
	return nil
}

// errDeclarationChanged refuses a confirmation of another text than the
// network's (the page was older than a change of the network file).
var errDeclarationChanged = errors.New("the Declaration confirmed is not the network's: open the Declaration's page again and read it before you sign")

// signDeclaration endorses the Declaration once the reader confirmed it,
// for the SHA-256 shown on the confirmation page.
func (s *Server) signDeclaration(w http.ResponseWriter, rq *request) error {
	net, ok := s.b.NetworkInfo(rq.Context())
	if !ok {
		return redirect(w, rq, Prefix+"network")
	}
	if rq.PostFormValue("sha256") != net.Declaration.SHA256 {
		return badRequest(errDeclarationChanged)
	}
	if rq.PostFormValue("confirm") != "yes" {
		return s.renderConfirm(w, rq, formProblem, confirmSign, T(rq.lang, "ui.decl.sign.unticked"))
	}
	if err := s.b.SignDeclaration(rq.Context()); err != nil {
		return badRequest(err)
	}
	s.log.Info("web interface: endorsed the Declaration")
	return redirect(w, rq, Prefix+"network/declaration?done=signed")
}

// withdrawEndorsement revokes this organisation's endorsement once the
// reader confirmed it.
func (s *Server) withdrawEndorsement(w http.ResponseWriter, rq *request) error {
	if _, ok := s.b.NetworkInfo(rq.Context()); !ok {
		return redirect(w, rq, Prefix+"network")
	}
	if rq.PostFormValue("confirm") != "yes" {
		return s.renderConfirm(w, rq, formProblem, confirmWithdraw, T(rq.lang, "ui.decl.withdraw.unticked"))
	}
	n, err := s.b.WithdrawEndorsement(rq.Context())
	if err != nil {
		return badRequest(err)
	}
	if n == 0 {
		return badRequest(errors.New("this organisation has no endorsement to withdraw"))
	}
	s.log.Info("web interface: withdrew the endorsement of the Declaration", "revocations", n)
	return redirect(w, rq, Prefix+"network/declaration?done=withdrawn")
}
