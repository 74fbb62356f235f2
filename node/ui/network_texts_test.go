package ui

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/protocol"
)

// netTemplates are the network and analysis pages' templates.
var netTemplates = []string{"network", "network_none", "declaration", "declaration_confirm", "invites", "invite_token", "member_revoke",
	"analysis", "queries", "query", "report_form", "report_job"}

// TestNetworkTextsInCatalogue: every key the network and analysis pages
// translate (written in their templates, or built from a state or reason
// the node gives) is in the catalogue, so no page shows a key; the
// catalogue's own test (plugins/sdk TestUIText) checks that each of its
// keys has a text in all six languages.
func TestNetworkTextsInCatalogue(t *testing.T) {
	t.Parallel()
	var keys []string
	literal := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	for _, name := range netTemplates {
		b, err := fs.ReadFile(templateFS, "templates/"+name+".html")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found %d keys in the templates; the pattern is not finding them", len(keys))
	}
	for _, r := range protocol.Roles {
		keys = append(keys, "ui.role."+string(r))
	}
	for _, s := range []string{declaration.StateCounted, declaration.StateRevoked, "member_revoked", declaration.StateRepeated, "unknown"} {
		keys = append(keys, "ui.decl.state."+s)
	}
	for _, s := range []string{"open", "used", "expired", "cancelled"} { // membership.Invite.State
		keys = append(keys, "ui.inv.state."+s)
	}
	for _, s := range []string{federation.NodeAnswered, federation.NodeRefused, federation.NodeWaiting, federation.NodeMissing} {
		keys = append(keys, "ui.an.state."+s)
	}
	for _, r := range []string{federation.ReasonRole, federation.ReasonRequester, federation.ReasonKind, federation.ReasonRate,
		federation.ReasonInvalid, query.ReasonSubset, query.ReasonBudget, query.ReasonNoiseOff, query.ReasonNoiseUnsupported,
		query.ReasonEpsilon, query.ReasonLimits} {
		keys = append(keys, "ui.an.reason."+r)
	}
	for _, a := range builderAggregates {
		keys = append(keys, "ui.an.agg."+string(a))
	}
	for _, k := range []confirmKind{confirmSign, confirmWithdraw} {
		keys = append(keys, "ui.decl."+string(k)+".title")
	}
	keys = append(keys, "ui.revoke.title", "ui.revoke.leave_title", "ui.revoke.unticked", "ui.revoke.refused", "ui.revoke.already")
	for _, k := range networkNotices {
		keys = append(keys, k)
	}
	keys = append(keys, "report.reason."+query.SuppressedMinCell, "report.reason.differencing", "report.suppressed")
	for _, u := range []string{"records", "months", "days", "items", "EUR", "share"} {
		keys = append(keys, "report.unit."+u)
	}
	for _, key := range keys {
		if got := T("en", key); got == key || strings.TrimSpace(got) == "" {
			t.Errorf("%s is not in the catalogue", key)
		}
	}
}
