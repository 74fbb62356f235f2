package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/records"
)

// TestRecordsThroughDaemon: with a daemon running (which holds the store,
// so the commands cannot open it themselves), the record commands go
// through its API; after it stops, they read the same records directly.
func TestRecordsThroughDaemon(t *testing.T) {
	t.Parallel()
	home, peerID := initNode(t, nil)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	v1, err := os.ReadFile(filepath.Join("..", "..", "plugins", "forms", "rs", "testdata", "judgment.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	csvOK, err := os.ReadFile(filepath.Join("..", "..", "node", "records", "testdata", "import", "judgments-semicolon.csv"))
	if err != nil {
		t.Fatal(err)
	}
	csvBad, err := os.ReadFile(filepath.Join("..", "..", "node", "records", "testdata", "import", "judgments-bad-row.csv"))
	if err != nil {
		t.Fatal(err)
	}
	run := func(wantOK bool, args ...string) (string, string) {
		t.Helper()
		out, errOut, code := kolo(t, nil, append(args, "--home", home)...)
		if (code == 0) != wantOK {
			t.Fatalf("kolo %s: exit %d\nstdout %s\nstderr %s", strings.Join(args, " "), code, out, errOut)
		}
		return out, errOut
	}

	d := startDaemon(t, home, nil)
	out, _ := run(true, "forms", "list")
	if !regexp.MustCompile(`(?m)^rs\.judgment +1,2 `).MatchString(out) {
		t.Fatalf("forms list through the daemon:\n%s", out)
	}
	out, _ = run(true, "record", "add", "--form", "rs.judgment@1", write("j.json", string(v1)), "--json")
	var rec records.Record
	if err := json.Unmarshal([]byte(out), &rec); err != nil || rec.Author != peerID || rec.Form != "rs.judgment@1" {
		t.Fatalf("add through the daemon: %v %+v", err, rec)
	}
	edited := strings.Replace(string(v1), `"victims": 3`, `"victims": 4`, 1)
	run(true, "record", "edit", rec.ID, write("e.json", edited))
	_, errOut := run(false, "record", "import", "--form", "rs.judgment", write("bad.csv", string(csvBad)))
	if !strings.Contains(errOut, `row 4, sentence_months: must be a whole number 0..600, written such as 12 or 1500, got "12 mj"`) {
		t.Fatalf("bad import through the daemon: %s", errOut)
	}
	out, errOut = run(true, "record", "import", "--form", "rs.judgment", write("ok.csv", string(csvOK)))
	if !strings.HasPrefix(out, "imported 5 records on rs.judgment@2") || errOut != "" {
		t.Fatalf("import through the daemon: stdout %q stderr %q", out, errOut)
	}
	run(true, "record", "export", "--format", "csv", "--form", "rs.judgment", "-o", filepath.Join(dir, "export.csv"))
	export, err := os.ReadFile(filepath.Join(dir, "export.csv"))
	if err != nil || strings.Count(string(export), "rs.judgment@") != 6 {
		t.Fatalf("export through the daemon: %v\n%s", err, export)
	}
	out, _ = run(true, "record", "show", rec.ID, "--json")
	var h records.WithHistory
	if err := json.Unmarshal([]byte(out), &h); err != nil || h.Record.Version != 2 || len(h.History) != 1 {
		t.Fatalf("show through the daemon: %v %s", err, out)
	}
	out, _ = run(true, "record", "show", rec.ID, "--lang", "sr-Latn")
	if !regexp.MustCompile(`(?m)^  victims +Broj žrtava +4$`).MatchString(out) {
		t.Fatalf("show with labels through the daemon:\n%s", out)
	}
	out, _ = run(true, "forms", "show", "rs.judgment", "--version", "1", "--json")
	if !strings.Contains(out, `"version": 1`) || strings.Contains(out, "appeal_filed") {
		t.Fatalf("forms show --version 1 through the daemon:\n%s", out)
	}
	if _, errOut := run(false, "record", "show", "aaaaaaaaaaaaaaaaaaaaaaaaaa"); !strings.Contains(errOut, "no such record") {
		t.Fatalf("show of a missing record through the daemon: %s", errOut)
	}
	if _, errOut := run(false, "record", "add", "--form", "rs.verdict", filepath.Join(dir, "j.json")); !strings.Contains(errOut, `unknown form "rs.verdict"`) {
		t.Fatalf("add on an unknown form through the daemon: %s", errOut)
	}
	list, _ := run(true, "record", "list", "--json")
	d.stop(t)

	// Without the daemon: the same records, read from the store.
	out, _ = run(true, "record", "list", "--json")
	if out != list {
		t.Fatalf("list without the daemon differs:\n%s\nwith it:\n%s", out, list)
	}
	run(true, "record", "delete", rec.ID)
	out, _ = run(true, "record", "list", "-q")
	if strings.Count(out, "\n") != 5 || strings.Contains(out, rec.ID) {
		t.Fatalf("after delete without the daemon:\n%s", out)
	}
}
