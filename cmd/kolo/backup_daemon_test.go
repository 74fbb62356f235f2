package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/records"
)

// TestBackupRestore backs up a running node (RS, the founder of a network
// that HR joined, with records, an endorsement and an audit log) while
// imports go on, through its daemon, to a key kept "offline"; restores it
// into a fresh home; and runs it there: same peer ID, the same members and
// endorsement, every record imported before the backup began, no import
// half there, an audit log that verifies, and a connection to HR, which
// admits only members. A backup of the stopped node, made from the home
// directly, restores the records imported since. Refusals leave nothing:
// the node's own recipient, a home that is not empty, another identity.
func TestBackupRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rs, rsID := initNode(t, nil)
	hr := filepath.Join(t.TempDir(), "node")
	if _, errOut, code := kolo(t, nil, "init", "--home", hr, "--org", "Hrabri telefon", "--country", "HR"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	run := func(home string, args ...string) string {
		t.Helper()
		out, errOut, code := kolo(t, nil, append(args, "--home", home)...)
		if code != 0 {
			t.Fatalf("kolo %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	dir := t.TempDir()
	key, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "backup-key.txt")
	if err := os.WriteFile(keyFile, []byte(key.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "j.csv")
	if err := os.WriteFile(csv, []byte(judgmentsCSV(t, 20, "R")), 0o600); err != nil {
		t.Fatal(err)
	}

	d := startDaemon(t, rs, nil)
	dh := startDaemon(t, hr, nil)
	run(rs, "network", "create", "--name", "WB network")
	token := strings.TrimSpace(run(rs, "invite", "--org", "Hrabri telefon", "--country", "HR", "--role", "partner"))
	if _, errOut, code := koloIn(t, nil, token, "join", "--home", hr); code != 0 {
		t.Fatalf("join: %s", errOut)
	}
	run(rs, "declaration", "sign", "--yes")
	for range 3 {
		run(rs, "record", "import", "--form", "rs.judgment", "--allow-duplicates", csv)
	}
	run(hr, "query", "count judgment by country", "--timeout", "60s")
	var audit node.AuditVerify
	if err := json.Unmarshal([]byte(run(rs, "audit", "verify", "--json")), &audit); err != nil || !audit.Valid || audit.Head.Seq == 0 {
		t.Fatalf("audit verify before the backup: %+v %v", audit, err)
	}

	// The node's own recipient is refused, and no file is left.
	own := filepath.Join(dir, "own.age")
	pub := readFile(t, filepath.Join(rs, "identity.json"))
	var id struct {
		Age string `json:"age_recipient"`
	}
	json.Unmarshal([]byte(pub), &id)
	if _, errOut, code := kolo(t, nil, "backup", "-o", own, "--recipient", id.Age, "--home", rs); code == 0 || !strings.Contains(errOut, "own age recipient") {
		t.Fatalf("backup to the node's own recipient: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(own); !os.IsNotExist(err) {
		t.Fatalf("a refused backup left %s: %v", own, err)
	}

	// The backup, while imports go on.
	cl, err := api.Dial(ctx, rs)
	if err != nil {
		t.Fatal(err)
	}
	before := importIDs(t, run(rs, "record", "list", "--json"))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			f, _ := os.Open(csv)
			var res records.ImportResult
			cl.Do(ctx, http.MethodPost, "/v1/records/import?form=rs.judgment&format=csv", f, &res)
			f.Close()
		}
	})
	file := filepath.Join(dir, "rs.age")
	out := run(rs, "backup", "-o", file, "--recipient", key.Recipient().String())
	close(stop)
	wg.Wait()
	if !strings.HasPrefix(out, "backup of "+rsID) || !strings.Contains(out, "kolo restore "+file) {
		t.Fatalf("backup printed %q", out)
	}
	d.stop(t)

	// Refusals: a home that is not empty (the node's own), another key.
	other, _ := age.GenerateX25519Identity()
	otherFile := filepath.Join(dir, "other-key.txt")
	os.WriteFile(otherFile, []byte(other.String()+"\n"), 0o600)
	if _, errOut, code := kolo(t, nil, "restore", file, "--home", rs, "--identity", keyFile); code == 0 || !strings.Contains(errOut, "is not empty") {
		t.Fatalf("restore over the node's home: exit %d, %s", code, errOut)
	}
	fresh := filepath.Join(t.TempDir(), "restored")
	if _, errOut, code := kolo(t, nil, "restore", file, "--home", fresh, "--identity", otherFile); code == 0 || !strings.Contains(errOut, "not encrypted to the identity given") {
		t.Fatalf("restore with another identity: exit %d, %s", code, errOut)
	}
	if entries, _ := os.ReadDir(filepath.Dir(fresh)); len(entries) != 0 {
		t.Fatalf("a refused restore left %v", entries)
	}

	// The restore, and the restored node running.
	out = run(fresh, "restore", file, "--identity", keyFile)
	if !strings.HasPrefix(out, "restored "+rsID) {
		t.Fatalf("restore printed %q", out)
	}
	d2 := startDaemon(t, fresh, nil)
	if !strings.Contains(d2.ready, "peer="+rsID) {
		t.Fatalf("the restored node's ready line %q lacks peer=%s", d2.ready, rsID)
	}
	var members []node.MemberInfo
	json.Unmarshal([]byte(run(fresh, "members", "--json")), &members)
	if len(members) != 2 {
		t.Fatalf("restored members: %+v", members)
	}
	if out := run(fresh, "declaration", "status"); !strings.Contains(out, "ASTRA") {
		t.Fatalf("the restored node lost its endorsement:\n%s", out)
	}
	after := importIDs(t, run(fresh, "record", "list", "--json"))
	t.Logf("imports before the backup began: %d; in the restored node: %d", len(before), len(after))
	for imp := range before {
		if after[imp] != 20 {
			t.Errorf("import %s (before the backup) holds %d records after the restore, want 20", imp, after[imp])
		}
	}
	for imp, n := range after {
		if n != 20 {
			t.Errorf("import %s holds %d records after the restore: half in the backup", imp, n)
		}
	}
	var audit2 node.AuditVerify
	if err := json.Unmarshal([]byte(run(fresh, "audit", "verify", "--json")), &audit2); err != nil || !audit2.Valid || audit2.Head.Seq < audit.Head.Seq {
		t.Fatalf("audit verify after the restore: %+v %v (before: %+v)", audit2, err, audit.Head)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		st, _ := status(t, fresh)
		if st.Peers >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the restored node did not reconnect to HR within a minute:\n%s", tail(d2.stderr.String(), 10))
		}
		time.Sleep(200 * time.Millisecond)
	}
	d2.stop(t)
	dh.stop(t)

	// A backup of the stopped node, from its home: everything it holds.
	file2 := filepath.Join(dir, "rs-stopped.age")
	run(rs, "backup", "-o", file2, "--recipient", key.Recipient().String())
	fresh2 := filepath.Join(t.TempDir(), "restored")
	run(fresh2, "restore", file2, "--identity", keyFile)
	if a, b := run(rs, "record", "list", "--json"), run(fresh2, "record", "list", "--json"); a != b {
		t.Fatalf("records after restoring the stopped node's backup differ:\n%s\nwant\n%s", b, a)
	}
}

// importIDs counts the records of each import in `kolo record list --json`.
func importIDs(t *testing.T, list string) map[string]int {
	t.Helper()
	var ss []records.Summary
	if err := json.Unmarshal([]byte(list), &ss); err != nil {
		t.Fatalf("record list --json: %v", err)
	}
	m := map[string]int{}
	for _, s := range ss {
		m[s.Import]++
	}
	return m
}
