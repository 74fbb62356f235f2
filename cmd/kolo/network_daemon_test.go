package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/protocol"
)

// TestDeclarationWalkthrough runs docs/declaration.md's walk-through with
// the real commands and two real daemons: a founder creates the network
// and invites a second organisation, which joins; both sign; the status,
// the export and its offline verification agree; a used token is refused.
func TestDeclarationWalkthrough(t *testing.T) {
	t.Parallel()
	founder, _ := initNode(t, nil)
	joiner := filepath.Join(t.TempDir(), "node")
	if _, errOut, code := kolo(t, nil, "init", "--home", joiner, "--org", "La Strada Macedonia", "--country", "MK"); code != 0 {
		t.Fatalf("kolo init: exit %d: %s", code, errOut)
	}
	run := func(home string, args ...string) string {
		t.Helper()
		out, errOut, code := kolo(t, nil, append(args, "--home", home)...)
		if code != 0 {
			t.Fatalf("kolo %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	startDaemon(t, founder, nil)
	startDaemon(t, joiner, nil)

	var nw node.NetworkInfo
	if err := json.Unmarshal([]byte(run(founder, "network", "create", "--name", "Western Balkans CSO network", "--json")), &nw); err != nil {
		t.Fatal(err)
	}
	if nw.Name != "Western Balkans CSO network" || nw.Members != 1 || len(nw.Founders) != 1 || nw.Founders[0].Org != "ASTRA" {
		t.Fatalf("network create: %+v", nw)
	}
	if out := run(founder, "network", "show"); !strings.Contains(out, nw.SHA256) || !strings.Contains(out, "20 endorsing organisations") {
		t.Fatalf("network show:\n%s", out)
	}
	// The signed network file founders share: written to the home, printed
	// by show --file, and it verifies and hashes to the network hash.
	for _, raw := range []string{readFile(t, filepath.Join(founder, "network.json")), run(founder, "network", "show", "--file")} {
		var file protocol.Network
		if err := protocol.Decode([]byte(raw), protocol.MaxMessageSize, &file); err != nil {
			t.Fatalf("network file: %v\n%s", err, raw)
		}
		if err := file.Verify(); err != nil {
			t.Fatalf("network file does not verify: %v", err)
		}
		if h, err := file.Hash(); err != nil || h.String() != nw.SHA256 {
			t.Fatalf("network file hash %v (%v), want %s", h, err, nw.SHA256)
		}
	}

	token := strings.TrimSpace(run(founder, "invite", "--org", "La Strada Macedonia", "--country", "mk", "--role", "partner", "--ttl", "72h"))
	if !strings.HasPrefix(token, "kolo1") || strings.ContainsAny(token, " \n") {
		t.Fatalf("invite printed %q, want the token alone", token)
	}
	var invs []node.InviteState
	if err := json.Unmarshal([]byte(run(founder, "invite", "list", "--json")), &invs); err != nil || len(invs) != 1 || invs[0].State != "open" || invs[0].Org != "La Strada Macedonia" {
		t.Fatalf("invite list: %+v %v", invs, err)
	}
	// Hole 7: the token on standard input, never on the command line.
	out, errOut, code := koloIn(t, nil, token+"\n", "join", "--home", joiner)
	if code != 0 || !strings.Contains(out, `joined "Western Balkans CSO network"`) || !strings.Contains(out, "admitted by ASTRA") || strings.Contains(errOut, "warning") {
		t.Fatalf("join < token: exit %d\n%s\n%s", code, out, errOut)
	}
	if out := run(founder, "invite", "list"); strings.Contains(out, "La Strada") {
		t.Fatalf("a used invite is listed as open:\n%s", out)
	}
	if out := run(founder, "invite", "list", "--all"); !strings.Contains(out, "used ") {
		t.Fatalf("invite list --all:\n%s", out)
	}
	// An invite sent to the wrong address is cancelled and cannot be used.
	wrong := strings.TrimSpace(run(founder, "invite", "--org", "Typo Org", "--country", "AL", "--role", "associate"))
	if err := json.Unmarshal([]byte(run(founder, "invite", "list", "--json")), &invs); err != nil || len(invs) != 1 {
		t.Fatalf("invite list: %+v %v", invs, err)
	}
	if out := run(founder, "invite", "cancel", invs[0].ID[:8]); !strings.Contains(out, "cancelled invite "+invs[0].ID) {
		t.Fatalf("invite cancel: %s", out)
	}
	if _, errOut, code := kolo(t, nil, "invite", "cancel", "ffffffff", "--home", founder); code == 0 || !strings.Contains(errOut, "no such invite") {
		t.Fatalf("cancel an unknown invite: exit %d, %s", code, errOut)
	}
	if out := run(joiner, "members"); !strings.Contains(out, "La Strada Macedonia") || !strings.Contains(out, "(this node)") {
		t.Fatalf("members on the new node:\n%s", out)
	}

	// Off a terminal, sign wants --yes; it says what would be signed.
	if _, errOut, code := kolo(t, nil, "declaration", "sign", "--home", joiner); code == 0 ||
		!strings.Contains(errOut, "confirm with --yes") || !strings.Contains(errOut, declaration.Current().SHA256) {
		t.Fatalf("sign off a terminal without --yes: exit %d, %s", code, errOut)
	}
	if out := run(joiner, "declaration", "sign", "--yes"); !strings.Contains(out, "declaration sha256: "+declaration.Current().SHA256) {
		t.Fatalf("sign --yes: %s", out)
	}
	run(founder, "declaration", "sign", "--yes")
	// Signing again is refused, with the date this organisation signed on.
	if _, errOut, code := kolo(t, nil, "declaration", "sign", "--yes", "--home", joiner); code == 0 ||
		!strings.Contains(errOut, "La Strada Macedonia (MK) already endorses the Declaration: this node signed it on 20") || !strings.Contains(errOut, "nothing was signed") {
		t.Fatalf("sign again: exit %d, %s", code, errOut)
	}
	deadline := time.Now().Add(readyTimeout)
	for _, home := range []string{founder, joiner} {
		for {
			var st declaration.Status
			if err := json.Unmarshal([]byte(run(home, "declaration", "status", "--json")), &st); err != nil {
				t.Fatal(err)
			}
			if st.Count == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s counts %d endorsements, want 2", home, st.Count)
			}
			time.Sleep(50 * time.Millisecond) // polling another process's state
		}
	}
	if out := run(founder, "declaration", "status"); !strings.Contains(out, "2 of 20 organisations endorse the Declaration (18 more needed)") {
		t.Fatalf("status:\n%s", out)
	}

	exp := filepath.Join(t.TempDir(), "declaration.json")
	run(founder, "declaration", "export", "--format", "json", "-o", exp)
	if out := run(joiner, "declaration", "verify", exp); !strings.Contains(out, "OK: every signature") || !strings.Contains(out, nw.SHA256) {
		t.Fatalf("verify:\n%s", out)
	}
	page := run(joiner, "declaration", "export", "--format", "html")
	if !strings.Contains(page, "<html") || !strings.Contains(page, "La Strada Macedonia") {
		t.Fatalf("html export: %.300s", page)
	}
	page = run(joiner, "declaration", "export", "--format", "html", "--lang", "mk")
	for _, want := range []string{`<html lang="mk">`, "Декларацијата ја поддржаа 2 организации.", "<td>Северна Македонија</td>", "<td>Србија</td>", "La Strada Macedonia"} {
		if !strings.Contains(page, want) {
			t.Fatalf("html export in mk lacks %q: %.2000s", want, page)
		}
	}
	if fi, err := os.Stat(exp); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("export file: %v %v", fi, err)
	}

	// The token was for one node. With no open invite left, the founder's
	// node does not even let a stranger connect; the command says why
	// that may be.
	other := filepath.Join(t.TempDir(), "node")
	kolo(t, nil, "init", "--home", other, "--org", "Other", "--country", "AL")
	startDaemon(t, other, nil)
	_, errOut, code = kolo(t, nil, "join", token, "--home", other)
	if code == 0 || !strings.Contains(errOut, "only while it has an open invite") {
		t.Fatalf("join with a used token: exit %d, %s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: the invite token was given on the command line") {
		t.Fatalf("join TOKEN did not warn about the token on the command line: %s", errOut)
	}
	// The token names the organisation invited; this node is another.
	if !strings.Contains(errOut, `warning: the invite is for "La Strada Macedonia" (MK), but this node is "Other" (AL)`) {
		t.Fatalf("join with another organisation's invite did not warn: %s", errOut)
	}
	tokFile := filepath.Join(t.TempDir(), "token.txt")
	if err := os.WriteFile(tokFile, []byte(wrong+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := kolo(t, nil, "join", "--token-file", tokFile, "--home", other); code == 0 || strings.Contains(errOut, "command line") ||
		!strings.Contains(errOut, `warning: the invite is for "Typo Org" (AL), but this node is "Other" (AL)`) {
		t.Fatalf("join --token-file with a cancelled invite: exit %d, %s", code, errOut)
	}
	if _, errOut, code := kolo(t, nil, "join", token, "--home", joiner); code == 0 || !strings.Contains(errOut, "already belongs to a network: Western Balkans CSO network (") {
		t.Fatalf("join again: exit %d, %s", code, errOut)
	}

	// Withdrawing counts down everywhere; withdrawing again is an error.
	run(joiner, "declaration", "revoke")
	if out := run(joiner, "declaration", "list"); !strings.Contains(out, "revoked on") {
		t.Fatalf("list after revoke:\n%s", out)
	}
	if _, errOut, code := kolo(t, nil, "declaration", "revoke", "--home", joiner); code == 0 || !strings.Contains(errOut, "no endorsement to revoke") {
		t.Fatalf("second revoke: exit %d, %s", code, errOut)
	}

	// The founder revokes the member: asked first, then for good.
	var ms []node.MemberInfo
	if err := json.Unmarshal([]byte(run(founder, "members", "--json")), &ms); err != nil || len(ms) != 2 {
		t.Fatalf("members: %+v %v", ms, err)
	}
	joinerID := ms[1].PeerID.String()
	if _, errOut, code := kolo(t, nil, "members", "revoke", joinerID, "--home", founder); code == 0 || !strings.Contains(errOut, "confirm with --yes") {
		t.Fatalf("revoke without --yes off a terminal: exit %d, %s", code, errOut)
	}
	if out := run(founder, "members", "revoke", joinerID, "--yes"); !strings.Contains(out, "revoked "+joinerID) {
		t.Fatalf("members revoke: %s", out)
	}
	if out := run(founder, "members"); !strings.Contains(out, "revoked ") {
		t.Fatalf("members after the revocation:\n%s", out)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
