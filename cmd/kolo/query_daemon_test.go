package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/federation"
)

// judgmentsJSONL writes n copies of country's example judgment (from its
// forms' golden files), each with its own case number, as JSON Lines.
func judgmentsJSONL(t *testing.T, country, form string, n int) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "plugins", "forms", country, "testdata", form))
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range n {
		rec["case_number"] = fmt.Sprintf("K %d/2024", 100+i)
		line, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), country+".jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestQueryWalkthrough runs docs/query.md's commands on two real daemons
// (RS, HR) with records imported: kolo query as a table, --json, --csv
// and --evidence, query list and status, audit and audit verify.
func TestQueryWalkthrough(t *testing.T) {
	t.Parallel()
	rs, _ := initNode(t, nil)
	hr := filepath.Join(t.TempDir(), "node")
	if _, errOut, code := kolo(t, nil, "init", "--home", hr, "--org", "Hrabri telefon", "--country", "HR"); code != 0 {
		t.Fatalf("kolo init: %s", errOut)
	}
	run := func(home string, args ...string) string {
		t.Helper()
		out, errOut, code := kolo(t, nil, append(args, "--home", home)...)
		if code != 0 {
			t.Fatalf("kolo %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	startDaemon(t, rs, nil)
	startDaemon(t, hr, nil)
	run(rs, "network", "create", "--name", "WB network")
	token := strings.TrimSpace(run(rs, "invite", "--org", "Hrabri telefon", "--country", "HR", "--role", "partner,analyst"))
	if _, errOut, code := koloIn(t, nil, token, "join", "--home", hr); code != 0 {
		t.Fatalf("join: %s", errOut)
	}
	run(rs, "record", "import", "--form", "rs.judgment", judgmentsJSONL(t, "rs", "judgment.v2.json", 8))
	run(hr, "record", "import", "--form", "hr.judgment", judgmentsJSONL(t, "hr", "judgment.v2.json", 6))

	// A query that does not check is refused before anything is sent.
	if _, errOut, code := kolo(t, nil, "query", "count judgment by victim_name", "--home", hr); code == 0 || !strings.Contains(errOut, "victim_name") {
		t.Fatalf("a query naming an unknown field: exit %d, %s", code, errOut)
	}

	out := run(hr, "query", "count judgment by country", "--timeout", "60s")
	for _, want := range []string{"RS", "8", "HR", "6", "coverage: 2 of 2 members answered"} {
		if !strings.Contains(out, want) {
			t.Fatalf("kolo query printed:\n%s\nwithout %q", out, want)
		}
	}
	var st federation.Status
	evidence := filepath.Join(t.TempDir(), "evidence")
	if err := json.Unmarshal([]byte(run(hr, "query", "count judgment by country, court_level", "--json", "--evidence", evidence, "--timeout", "60s")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Answered() != 2 || st.Combined == nil || len(st.Combined.Cells) == 0 {
		t.Fatalf("--json: %+v", st)
	}
	files, _ := filepath.Glob(filepath.Join(evidence, "*"))
	if len(files) != 2+2*4 {
		t.Fatalf("--evidence wrote %d files: %v", len(files), files)
	}
	rows, err := csv.NewReader(strings.NewReader(run(hr, "query", "status", st.ID[:8], "--csv"))).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][0] != "query" || rows[0][1] != "country" || rows[0][2] != "court_level" {
		t.Fatalf("status --csv: %v %v", rows, err)
	}
	if out := run(hr, "query", "list"); !strings.Contains(out, st.ID) || !strings.Contains(out, "2 of 2") {
		t.Fatalf("query list:\n%s", out)
	}
	if out := run(rs, "audit", "--event", "query_answered"); !strings.Contains(out, "count judgment by country") {
		t.Fatalf("audit on the answering node:\n%s", out)
	}
	var v node.AuditVerify
	if err := json.Unmarshal([]byte(run(hr, "audit", "verify", "--json")), &v); err != nil || !v.Valid || v.Head.Seq < 4 {
		t.Fatalf("audit verify: %+v %v", v, err)
	}
	anchor := fmt.Sprintf("%d:%s", v.Head.Seq, v.Head.Hash)
	if out := run(hr, "audit", "verify", "--anchor", anchor); !strings.HasPrefix(out, "OK:") {
		t.Fatalf("audit verify --anchor: %s", out)
	}
}
