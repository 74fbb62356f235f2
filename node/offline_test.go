package node_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/backup"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/records"
)

// The tests that count plugin processes do not call t.Parallel: the
// processes they count are the children of the test binary, and parallel
// tests only start once every sequential one is done.

// TestOfflineRecords: without a daemon, a home opened by the offline path
// adds, imports and lists records through real plugin processes, starting
// only the plugins of the form at hand (none to list records), and leaves
// no process behind when closed; what it stored is there when opened again.
func TestOfflineRecords(t *testing.T) {
	ctx := context.Background()
	home, pub := initHome(t)
	o := openOffline(t, home, "")

	l, err := o.List(ctx, records.Filter{})
	if err != nil || len(l) != 0 {
		t.Fatalf("list of a new home: %v %v", l, err)
	}
	wantPlugins(t, "listing the records of a new home")

	rec, err := o.Add(ctx, "rs.judgment@1", readFile(t, "../plugins/forms/rs/testdata/judgment.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Author != pub.PeerID || rec.Form != "rs.judgment@1" || rec.Version != 1 {
		t.Fatalf("added %+v; want author %s, form rs.judgment@1, version 1", rec, pub.PeerID)
	}
	wantPlugins(t, "adding an rs.judgment", "plugin serve rs")

	if _, err := o.Add(ctx, "rs.judgment", []byte(`{"court": "Viši sud u Beogradu", "sentence_months": 700}`)); !errors.Is(err, records.ErrInvalid) {
		t.Fatalf("a record its form refuses: err %v, want records.ErrInvalid", err)
	}
	res, err := o.Import(ctx, bytes.NewReader(readFile(t, "records/testdata/import/judgments-semicolon.csv")),
		records.ImportOptions{Form: "rs.judgment", Format: records.FormatCSV})
	if err != nil || res.Added != 5 || res.Form != "rs.judgment@2" {
		t.Fatalf("import: %+v %v; want 5 added on rs.judgment@2", res, err)
	}
	wantPlugins(t, "an import on the form whose plugin runs", "plugin serve rs")

	fi, err := o.Form(ctx, "ba.judgment@1")
	if err != nil || fi.ID != "ba.judgment" || fi.Version != 1 {
		t.Fatalf("form ba.judgment@1: %+v %v", fi.Ref(), err)
	}
	wantPlugins(t, "showing a Bosnian form", "plugin serve rs", "plugin serve ba")

	fs, err := o.Forms(ctx)
	if err != nil || !slices.ContainsFunc(fs, func(s records.FormSummary) bool { return s.ID == "mk.victim_support" }) {
		t.Fatalf("every form: %v %v; want mk.victim_support among them", fs, err)
	}
	wantPlugins(t, "listing every form", "plugin serve rs", "plugin serve ba", "plugin serve rs hr ba mk")

	list, err := o.List(ctx, records.Filter{})
	if err != nil || len(list) != 6 {
		t.Fatalf("list: %d records, %v; want 6", len(list), err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	wantPlugins(t, "Close")
	if _, err := o.Add(ctx, "rs.judgment@1", readFile(t, "../plugins/forms/rs/testdata/judgment.v1.json")); !errors.Is(err, node.ErrOfflineClosed) {
		t.Fatalf("add after Close: %v, want ErrOfflineClosed", err)
	}
	wantPlugins(t, "an add after Close")

	// Opened again: the same records, and no plugin for listing,
	// showing or backing them up.
	o = openOffline(t, home, "")
	again, err := o.List(ctx, records.Filter{})
	if err != nil || !reflect.DeepEqual(again, list) {
		t.Fatalf("list after reopening: %v\n%+v\nwant\n%+v", err, again, list)
	}
	h, err := o.History(ctx, rec.ID)
	if err != nil || h.Record.ID != rec.ID || h.Record.Author != pub.PeerID {
		t.Fatalf("history of %s: %+v %v", rec.ID, h.Record, err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	m, err := o.Backup(ctx, &file, []string{id.Recipient().String()})
	if err != nil || m.PeerID != pub.PeerID || m.Country != "RS" {
		t.Fatalf("backup: %+v %v", m, err)
	}
	wantPlugins(t, "listing, showing and backing up records")
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(ctx, &file, backup.RestoreOptions{Home: restored, Identities: []age.Identity{id}}); err != nil {
		t.Fatalf("restore the offline backup: %v", err)
	}
	r := openOffline(t, restored, "")
	got, err := r.List(ctx, records.Filter{})
	if err != nil || !reflect.DeepEqual(got, list) {
		t.Fatalf("records of the restored home: %v\n%+v\nwant\n%+v", err, got, list)
	}
}

// TestOfflineFormsNeedNoPassphrase: the forms are read without the key
// files; the records need the passphrase that seals them.
func TestOfflineFormsNeedNoPassphrase(t *testing.T) {
	ctx := context.Background()
	home, _ := initHome(t)
	sealKeys(t, home, "correct horse battery staple")
	o := openOffline(t, home, "")
	if fi, err := o.Form(ctx, "hr.judgment"); err != nil || fi.ID != "hr.judgment" {
		t.Fatalf("a form without the passphrase: %+v %v", fi.Ref(), err)
	}
	wantPlugins(t, "showing a Croatian form", "plugin serve hr")
	if _, err := o.List(ctx, records.Filter{}); !errors.Is(err, keys.ErrPassphraseNeeded) {
		t.Fatalf("records without the passphrase: %v, want keys.ErrPassphraseNeeded", err)
	}
	if _, err := os.Stat(filepath.Join(home, node.StoreDir)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the store was created without the keys to open it: %v", err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	wantPlugins(t, "Close")

	o = openOffline(t, home, "correct horse battery staple")
	if l, err := o.List(ctx, records.Filter{}); err != nil || len(l) != 0 {
		t.Fatalf("records with the passphrase: %v %v", l, err)
	}
}

// TestOfflineRefusedWhileNodeRuns: while a node (a daemon) runs on the
// home, the offline path refuses with an error that says a daemon runs and
// to use it; the daemon sees the records the offline path stored, and the
// offline path works again once the daemon stopped.
func TestOfflineRefusedWhileNodeRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	home, _ := initHome(t)
	o := openOffline(t, home, "")
	res, err := o.Import(ctx, bytes.NewReader(readFile(t, "records/testdata/import/judgments-semicolon.csv")),
		records.ImportOptions{Form: "rs.judgment", Format: records.FormatCSV})
	if err != nil || res.Added != 5 {
		t.Fatalf("import: %+v %v", res, err)
	}
	offline, err := o.List(ctx, records.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}

	n := startNode(t, home)
	daemon, err := n.Records().List(ctx, records.Filter{})
	if err != nil || !reflect.DeepEqual(daemon, offline) {
		t.Fatalf("the daemon's records: %v\n%+v\nwant what the offline path stored:\n%+v", err, daemon, offline)
	}

	o = openOffline(t, home, "")
	_, err = o.List(ctx, records.Filter{})
	if !errors.Is(err, node.ErrDaemonRuns) || !errors.Is(err, node.ErrHomeInUse) {
		t.Fatalf("list while a daemon runs: %v; want ErrDaemonRuns and ErrHomeInUse", err)
	}
	for _, want := range []string{home, "a kolo daemon runs on this home", "use it", "kolo status"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
	if _, err := o.Add(ctx, "rs.judgment", readFile(t, "../plugins/forms/rs/testdata/judgment.v1.json")); !errors.Is(err, node.ErrDaemonRuns) {
		t.Fatalf("add while a daemon runs: %v; want ErrDaemonRuns", err)
	}
	if l, err := n.Records().List(ctx, records.Filter{}); err != nil || len(l) != 5 {
		t.Fatalf("the daemon after the refusals: %d records, %v; want 5", len(l), err)
	}

	if err := n.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if l, err := o.List(ctx, records.Filter{}); err != nil || !reflect.DeepEqual(l, offline) {
		t.Fatalf("list once the daemon stopped: %v\n%+v", err, l)
	}
}

// TestOfflineHeldByAnotherCommand: two commands on one home: the second
// is refused without being told that a daemon runs.
func TestOfflineHeldByAnotherCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	home, _ := initHome(t)
	first := openOffline(t, home, "")
	if _, err := first.List(ctx, records.Filter{}); err != nil {
		t.Fatal(err)
	}
	second := openOffline(t, home, "")
	_, err := second.List(ctx, records.Filter{})
	if !errors.Is(err, node.ErrHomeInUse) || errors.Is(err, node.ErrDaemonRuns) || !strings.Contains(err.Error(), "another command") {
		t.Fatalf("a second command on the home: %v; want ErrHomeInUse naming another command, not ErrDaemonRuns", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := second.List(ctx, records.Filter{}); err != nil {
		t.Fatalf("the second command once the first is done: %v", err)
	}
}

// initHome creates a node's home with loopback ports.
func initHome(t *testing.T) (string, keys.Public) {
	t.Helper()
	c := config.Defaults()
	c.Network.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	c.Network.NAT = config.NAT{}
	c.API.Port = 0
	c.Store = config.Store{IndexCacheMB: 4, BlockCacheMB: 4, MemTableMB: 4}
	home := filepath.Join(t.TempDir(), "node")
	pub, err := node.Init(node.InitOptions{Home: home, Org: "ASTRA", Country: "RS", Config: &c})
	if err != nil {
		t.Fatal(err)
	}
	return home, pub
}

// sealKeys seals the key files of home with passphrase as kolo init
// --passphrase does (age, scrypt), but at work factor 2 instead of age's
// 18, so that the test costs no seconds; keys.Read accepts any factor up
// to age's limit.
func sealKeys(t *testing.T, home, passphrase string) {
	t.Helper()
	for _, name := range keys.Files {
		path := filepath.Join(home, name)
		plain := readFile(t, path)
		r, err := age.NewScryptRecipient(passphrase)
		if err != nil {
			t.Fatal(err)
		}
		r.SetWorkFactor(2)
		var sealed bytes.Buffer
		w, err := age.Encrypt(&sealed, r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(plain); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := keys.WriteFile(path, sealed.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
}

func loadConfig(t *testing.T, home string) config.Config {
	t.Helper()
	cfg, err := config.Load(config.Options{Home: home, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// openOffline opens home through the offline path, closed at the test's end.
func openOffline(t *testing.T, home, passphrase string) *node.Offline {
	t.Helper()
	o, err := node.OpenOffline(t.Context(), loadConfig(t, home), node.OfflineOptions{Passphrase: passphrase})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// startNode starts the daemon's node on home, with the rs forms.
func startNode(t *testing.T, home string) *node.Node {
	t.Helper()
	ctx := t.Context()
	ks, err := keys.Read(ctx, home, "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(ctx, loadConfig(t, home), ks, node.Options{BuiltInForms: []string{"rs"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close(context.Background()) })
	if err := n.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return n
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantPlugins checks that the plugin processes running as children of
// this test binary are exactly those whose command lines end in want,
// after what (for the message).
func wantPlugins(t *testing.T, what string, want ...string) {
	t.Helper()
	got := pluginProcesses(t)
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if len(got) != len(want) {
		t.Fatalf("after %s, plugin processes %q; want %q", what, got, want)
	}
	for i := range got {
		if !strings.HasSuffix(got[i], want[i]) {
			t.Fatalf("after %s, plugin processes %q; want %q", what, got, want)
		}
	}
}

// pluginProcesses lists the command lines of the child processes of this
// test binary that serve forms ("... plugin serve CC..."), read from /proc.
func pluginProcesses(t *testing.T) []string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("counts plugin processes in /proc, which only Linux has")
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	self := os.Getpid()
	var out []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
		end := bytes.LastIndexByte(stat, ')')
		if end < 0 {
			t.Fatalf("/proc/%d/stat: %q", pid, stat)
		}
		fields := strings.Fields(string(stat[end+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(self) {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		line := strings.TrimSpace(strings.ReplaceAll(string(cmdline), "\x00", " "))
		if strings.Contains(line, " plugin serve ") {
			out = append(out, line)
		}
	}
	return out
}
