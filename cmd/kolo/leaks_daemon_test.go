package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// leakCanary starts every canary string the leak test enters; each ends
// with its country and number (20 characters in all, to fit fields of 40),
// and the test logs which field each went into.
const leakCanary = "qz8LEAKCANARYqz8"

// canaryRecords writes, for each kind of country cc's forms (its latest
// version), the form's example answers (plugins/forms/cc/testdata) with a
// canary in every personal and free-text answer that holds text, and
// returns the files with their form ids and the canaries placed.
func canaryRecords(t *testing.T, cc string) (files map[string]string, canaries []string) {
	t.Helper()
	dir := filepath.Join("..", "..", "plugins", "forms", cc, "testdata")
	schemas, _ := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	latest := map[string]string{} // kind -> newest schema file
	for _, s := range schemas {
		kind, _, _ := strings.Cut(filepath.Base(s), ".")
		if s > latest[kind] {
			latest[kind] = s
		}
	}
	if len(latest) < 6 {
		t.Fatalf("%d kinds of %s forms in %s; want all 6", len(latest), cc, dir)
	}
	files = map[string]string{}
	out := t.TempDir()
	for kind, schema := range latest {
		var fi sdk.FormInfo
		if err := json.Unmarshal([]byte(readFile(t, schema)), &fi); err != nil {
			t.Fatal(err)
		}
		var a map[string]any
		if err := json.Unmarshal([]byte(readFile(t, strings.TrimSuffix(schema, ".schema.json")+".json")), &a); err != nil {
			t.Fatal(err)
		}
		for _, f := range fi.Fields {
			if f.Private() && (f.Type == sdk.TypeString || f.Type == sdk.TypeText) && len(f.Options) == 0 {
				c := fmt.Sprintf("%s%s%02d", leakCanary, cc, len(canaries))
				t.Logf("%s: %s.%s", c, fi.ID, f.ID)
				a[f.ID] = c
				canaries = append(canaries, c)
			}
		}
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(out, kind+".json")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		files[p] = fi.ID
	}
	return files, canaries
}

// filesHolding walks dir and returns how many files it read and the
// paths of those holding s, byte for byte.
func filesHolding(t *testing.T, dir, s string) (int, []string) {
	t.Helper()
	n := 0
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if bytes.Contains(b, []byte(s)) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, found
}

// TestNoCanaryLeavesTheDaemon enters, with `kolo record add` on two real
// daemons running at log level debug (RS founder, HR member and analyst),
// a canary in every personal and free-text answer of every kind of form,
// then runs what shows the network's data: queries of several aggregates
// (`kolo query --json`, `--csv`, query list and status), `kolo audit`,
// `kolo status --json` and the Declaration export (JSON and the web page).
// No canary is in any of their output, in any log line the daemons or the
// commands wrote, or in any file under either home, while the daemons run
// and after they stop: the store is encrypted at rest.
//
// The controls show each check can fail: the canaries are in the records
// export (the monitor's own data), the daemons' logs hold debug lines, and
// the records the daemon stored, copied into a Badger store without
// encryption, are found by the same scan of the files.
func TestNoCanaryLeavesTheDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("two daemons, a join and queries: slow")
	}
	t.Parallel()
	debug := []string{"KOLO_LOG_LEVEL=debug"}
	rs, _ := initNode(t, nil)
	hr := filepath.Join(t.TempDir(), "node")
	if _, errOut, code := kolo(t, nil, "init", "--home", hr, "--org", "Hrabri telefon", "--country", "HR"); code != 0 {
		t.Fatalf("kolo init: %s", errOut)
	}
	var said strings.Builder // everything the commands printed that must hold no canary
	run := func(home string, args ...string) string {
		t.Helper()
		out, errOut, code := kolo(t, nil, append(args, "--home", home)...)
		if code != 0 {
			t.Fatalf("kolo %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
		}
		said.WriteString(errOut)
		return out
	}
	drs := startDaemon(t, rs, debug)
	dhr := startDaemon(t, hr, debug)
	run(rs, "network", "create", "--name", "WB network")
	token := strings.TrimSpace(run(rs, "invite", "--org", "Hrabri telefon", "--country", "HR", "--role", "partner,analyst"))
	if _, errOut, code := koloIn(t, nil, token, "join", "--home", hr); code != 0 {
		t.Fatalf("join: %s", errOut)
	}
	var canaries []string
	for home, cc := range map[string]string{rs: "rs", hr: "hr"} {
		files, cs := canaryRecords(t, cc)
		canaries = append(canaries, cs...)
		for file, form := range files {
			run(home, "record", "add", "--form", form, file)
		}
	}
	if len(canaries) < 10 {
		t.Fatalf("only %d canaries placed: %v", len(canaries), canaries)
	}
	run(rs, "declaration", "sign", "--yes")
	run(hr, "declaration", "sign", "--yes")

	// What leaves the nodes' data through the commands.
	for _, q := range []string{
		"count judgment by country",
		"count victim_support by country, age_group",
		"count police_case by country",
		"count trial_hearing by country",
		"count engagement by country",
		"count legislation by country",
	} {
		out := run(hr, "query", q, "--json", "--timeout", "60s")
		var st federation.Status
		if err := json.Unmarshal([]byte(out), &st); err != nil || st.Answered() != 2 {
			t.Fatalf("query %q: %d of 2 answered (%v):\n%s", q, st.Answered(), err, out)
		}
		said.WriteString(out)
	}
	said.WriteString(run(hr, "query", "mean(sentence_months) judgment by country", "--csv", "--timeout", "60s"))
	said.WriteString(run(hr, "query", "list"))
	said.WriteString(run(hr, "query", "list", "--json"))
	for _, home := range []string{rs, hr} {
		said.WriteString(run(home, "audit"))
		said.WriteString(run(home, "audit", "--json"))
		said.WriteString(run(home, "status", "--json"))
		said.WriteString(run(home, "declaration", "export", "--format", "json"))
		said.WriteString(run(home, "declaration", "export", "--format", "html"))
	}
	// Control: the canaries are in the monitor's own records export.
	export := run(rs, "record", "export", "--format", "json") + run(hr, "record", "export", "--format", "json")
	for _, c := range canaries {
		if !strings.Contains(export, c) {
			t.Fatalf("canary %s is not in the records export: it was not entered", c)
		}
	}
	if strings.Contains(said.String(), leakCanary) {
		i := strings.Index(said.String(), leakCanary)
		t.Fatalf("a canary is in a command's output: ...%s...", said.String()[max(0, i-300):min(said.Len(), i+100)])
	}
	for _, home := range []string{rs, hr} {
		if n, found := filesHolding(t, home, leakCanary); n == 0 || len(found) > 0 {
			t.Fatalf("while the daemon runs, a canary is in clear in %v (of %d files under %s)", found, n, home)
		}
	}
	drs.stop(t)
	dhr.stop(t)
	for name, d := range map[string]*daemon{"RS": drs, "HR": dhr} {
		logs := d.stderr.String()
		if !strings.Contains(logs, "level=DEBUG") {
			t.Fatalf("the %s daemon logged no debug line: it did not run at level debug\n%s", name, logs)
		}
		if i := strings.Index(logs, leakCanary); i >= 0 {
			t.Fatalf("a canary is in the %s daemon's log: ...%s...", name, logs[max(0, i-300):min(len(logs), i+100)])
		}
	}
	for _, home := range []string{rs, hr} {
		n, found := filesHolding(t, home, leakCanary)
		if n == 0 || len(found) > 0 {
			t.Fatalf("after the daemon stopped, a canary is in clear in %v (of %d files under %s)", found, n, home)
		}
	}

	// Control: the records the daemon stored, copied as they are into a
	// store without encryption, show the canaries to the same scan.
	plain := filepath.Join(t.TempDir(), "plain")
	copyRecords(t, rs, plain)
	if _, found := filesHolding(t, plain, leakCanary); len(found) == 0 {
		t.Fatal("the RS records copied into an unencrypted store hold no canary the scan finds: the scan cannot fail")
	}
}

// copyRecords copies the record spaces of home's store (opened with its
// key, as the node does) into a new store at dir without encryption.
func copyRecords(t *testing.T, home, dir string) {
	t.Helper()
	ctx := context.Background()
	ks, err := keys.Read(ctx, home, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.Home = home
	src, err := node.OpenStore(cfg, ks, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	spaces := []store.Space{"record", "record-history"}
	for _, sp := range spaces {
		err := src.Scan(ctx, sp, nil, func(key, val []byte) error {
			n++
			return dst.Put(sp, key, val)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no entries in the spaces %v of %s", spaces, home)
	}
}
