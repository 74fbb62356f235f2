package host_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/forms"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// binDir holds the binaries built once for the whole test run.
var binDir string

func TestMain(m *testing.M) {
	if forms.ServeIfAsked(os.Args) {
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "kolo-host-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var builds sync.Map // package path -> *build

type build struct {
	once sync.Once
	path string
	err  error
}

// goBuild builds the main package pkg once per test run and returns the
// binary's path.
func goBuild(t testing.TB, pkg string) string {
	t.Helper()
	v, _ := builds.LoadOrStore(pkg, &build{})
	b := v.(*build)
	b.once.Do(func() {
		b.path = filepath.Join(binDir, filepath.Base(pkg))
		out, err := exec.Command("go", "build", "-o", b.path, pkg).CombinedOutput()
		if err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

const testPlugin = "github.com/kolo-net/kolo/plugins/host/internal/testplugin"

// pluginDir returns a plugins dir holding the test plugin under each of
// names; the name selects its behaviour (see internal/testplugin).
func pluginDir(t testing.TB, names ...string) string {
	t.Helper()
	bin := goBuild(t, testPlugin)
	dir := t.TempDir()
	for _, n := range names {
		placePlugin(t, bin, filepath.Join(dir, n))
	}
	return dir
}

// placePlugin puts the binary bin at path as a user installs a plugin: a
// regular file (the host does not follow symbolic links), here a hard
// link to the binary built once, or a copy where a link cannot be made.
// The binary is mode 0755, whatever the umask.
func placePlugin(t testing.TB, bin, path string) {
	t.Helper()
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(bin, path); err == nil {
		return
	}
	copyPlugin(t, bin, path)
}

// copyPlugin copies the binary bin to path, mode 0755: a file of its own,
// whose mode a test may change.
func copyPlugin(t testing.TB, bin, path string) {
	t.Helper()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is a log sink the tests read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startHost starts a host with opts (no built-ins unless opts say so) and
// closes it when the test ends. It returns the host and its log.
func startHost(t testing.TB, opts host.Options) (*host.Host, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if opts.BuiltIn == nil {
		opts.BuiltIn = []string{}
	}
	h, err := host.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatalf("start: %v\nlog:\n%s", err, logs)
	}
	return h, logs
}

func check(t testing.TB, h *host.Host, id string, version int, answers ...sdk.Answers) ([]sdk.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return h.Check(ctx, id, version, answers)
}

func mustCheckOK(t testing.TB, h *host.Host, id string) {
	t.Helper()
	res, err := check(t, h, id, 1, sdk.Answers{"verdict": "convicted", "sentence_months": 36.0})
	if err != nil {
		t.Fatalf("check %s: %v", id, err)
	}
	if len(res) != 1 || !res[0].Valid() || res[0].Common["sentence_months"] != int64(36) {
		t.Fatalf("check %s: got %+v", id, res)
	}
}

func pluginStatus(t testing.TB, h *host.Host, name string) host.PluginStatus {
	t.Helper()
	for _, st := range h.Plugins() {
		if st.Name == name {
			return st
		}
	}
	t.Fatalf("no plugin %s in %+v", name, h.Plugins())
	return host.PluginStatus{}
}

func TestBuiltInAndExternal(t *testing.T) {
	t.Parallel()
	h, logs := startHost(t, host.Options{
		Executable: goBuild(t, testPlugin),
		BuiltIn:    []string{"xk"},
		Dir:        pluginDir(t, "ok"),
	})
	var refs []string
	for _, fi := range h.Forms() {
		refs = append(refs, fi.Ref())
	}
	if got, want := strings.Join(refs, " "), "me.judgment@1 me.judgment@2 xk.judgment@1 xk.judgment@2"; got != want {
		t.Fatalf("forms: got %s, want %s", got, want)
	}
	if fi, ok := h.Latest("xk.judgment"); !ok || fi.Version != 2 || fi.Country != "XK" {
		t.Fatalf("latest xk.judgment: %+v %v", fi, ok)
	}
	if fi, ok := h.Form("me.judgment", 1); !ok || len(fi.Fields) != 4 || fi.Fields[1].Max == nil || *fi.Fields[1].Max != 600 {
		t.Fatalf("form me.judgment@1: %+v %v", fi, ok)
	}
	if _, ok := h.Form("me.judgment", 3); ok {
		t.Fatal("form me.judgment@3 should not exist")
	}
	st := pluginStatus(t, h, host.BuiltInName)
	if !st.BuiltIn || !st.Running || !strings.HasSuffix(st.Command, "plugin serve xk") || st.Err != nil {
		t.Fatalf("built-in status: %+v", st)
	}

	res, err := check(t, h, "xk.judgment", 2,
		sdk.Answers{"verdict": "acquitted", "appeal": true},
		sdk.Answers{"verdict": "pardoned", "sentence_months": 700.0},
		sdk.Answers{"verdict": "convicted", "sentence_months": 12.0},
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("got %d results", len(res))
	}
	if !res[0].Valid() || res[0].Common["verdict"] != "acquitted" {
		t.Errorf("record 0: %+v", res[0])
	}
	if res[1].Valid() || len(res[1].Errors) != 2 || res[1].Errors[0].Field != "verdict" || res[1].Errors[1].Field != "sentence_months" || res[1].Common != nil {
		t.Errorf("record 1: %+v", res[1])
	} else if e := res[1].Errors[1]; e.Code != sdk.RuleRange || !slices.Equal(e.Args, []string{"0", "600"}) || e.Rule != "must be 0..600" {
		// The rule's code and args cross from the plugin's process, for
		// the web interface to word the problem in the monitor's language.
		t.Errorf("record 1's sentence: %#v, want code range with args 0, 600", e)
	}
	if !res[2].Valid() || res[2].Common["sentence_months"] != int64(12) {
		t.Errorf("record 2: %+v", res[2])
	}
	// Version 1 does not know version 2's field.
	res, err = check(t, h, "xk.judgment", 1, sdk.Answers{"verdict": "acquitted", "appeal": true})
	if err != nil || len(res) != 1 || res[0].Valid() || res[0].Errors[0].Field != "appeal" {
		t.Fatalf("v1 with a v2 field: %+v, %v", res, err)
	}

	_, err = check(t, h, "me.judgment", 9, sdk.Answers{})
	if !errors.Is(err, host.ErrUnknownForm) || !strings.Contains(err.Error(), "served versions of me.judgment: 1, 2") {
		t.Errorf("unknown version: %v", err)
	}
	_, err = check(t, h, "al.judgment", 1, sdk.Answers{})
	if !errors.Is(err, host.ErrUnknownForm) || !strings.Contains(err.Error(), `"al.judgment"`) {
		t.Errorf("unknown form: %v", err)
	}
	// Answers never reach the log.
	if strings.Contains(logs.String(), "pardoned") {
		t.Errorf("an answer reached the log:\n%s", logs)
	}
}

// The four built-in countries, each in its own process started as
// "<executable> plugin serve <country>", with the forms kolo ships.
func TestRealBuiltIns(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	h, _ := startHost(t, host.Options{Executable: exe, BuiltIn: host.BuiltInCountries()})
	perCountry := map[string]int{}
	for _, fi := range h.Forms() {
		perCountry[fi.Country]++
	}
	for _, cc := range []string{"RS", "HR", "BA", "MK"} {
		if perCountry[cc] < len(sdk.Kinds) {
			t.Errorf("%s: %d forms, want at least one per kind (%d)", cc, perCountry[cc], len(sdk.Kinds))
		}
	}
	for _, st := range h.Plugins() {
		if st.Err != nil || !st.Running || !st.BuiltIn {
			t.Errorf("built-in %s: %+v", st.Name, st)
		}
	}
	res, err := check(t, h, "rs.judgment", 2, benchJudgment)
	if err != nil || !res[0].Valid() || res[0].Common["offence"] != "thb_child" {
		t.Fatalf("rs.judgment@2: %+v, %v", res, err)
	}
}

func TestCrashedPluginRestarts(t *testing.T) {
	t.Parallel()
	h, _ := startHost(t, host.Options{
		Executable: goBuild(t, testPlugin),
		BuiltIn:    []string{"xk"},
		Dir:        pluginDir(t, "ok"),
	})
	_, err := check(t, h, "me.judgment", 1, sdk.Answers{"verdict": "convicted"}, sdk.Answers{"crash": true})
	var perr *host.PluginError
	if !errors.As(err, &perr) || perr.Plugin != "ok" || perr.Form != "me.judgment@1" || !strings.Contains(err.Error(), "died during the call") {
		t.Fatalf("crash: got %v", err)
	}
	t.Log(err)
	// The other plugin never noticed.
	mustCheckOK(t, h, "xk.judgment")
	if st := pluginStatus(t, h, host.BuiltInName); st.Restarts != 0 || !st.Running {
		t.Fatalf("xk: %+v", st)
	}
	// The next call restarts the crashed one.
	if st := pluginStatus(t, h, "ok"); st.Err == nil || !strings.Contains(st.Err.Error(), "died during a call") {
		t.Fatalf("status after the crash: %+v", st)
	}
	mustCheckOK(t, h, "me.judgment")
	if st := pluginStatus(t, h, "ok"); st.Restarts != 1 || !st.Running || st.Err != nil {
		t.Fatalf("after restart: %+v", st)
	}
}

func TestCrashLoopBacksOff(t *testing.T) {
	t.Parallel()
	h, _ := startHost(t, host.Options{Dir: pluginDir(t, "ok"), RestartBackoff: time.Hour})
	crash := sdk.Answers{"crash": true}
	if _, err := check(t, h, "me.judgment", 1, crash); err == nil {
		t.Fatal("first crash: no error")
	}
	// Restarted at once, and crashes again: now the host backs off.
	if _, err := check(t, h, "me.judgment", 1, crash); err == nil || !strings.Contains(err.Error(), "died during the call") {
		t.Fatalf("second crash: %v", err)
	}
	_, err := check(t, h, "me.judgment", 1, sdk.Answers{"verdict": "convicted"})
	if err == nil || !strings.Contains(err.Error(), "is down") || !strings.Contains(err.Error(), "next restart in") {
		t.Fatalf("during backoff: %v", err)
	}
	if st := pluginStatus(t, h, "ok"); st.Restarts != 1 || st.Running {
		t.Fatalf("status during backoff: %+v", st)
	}
}

func TestHungPluginIsKilled(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	h, _ := startHost(t, host.Options{
		Executable:  goBuild(t, testPlugin),
		BuiltIn:     []string{"xk"},
		Dir:         pluginDir(t, "ok"),
		CallTimeout: timeout,
	})
	start := time.Now()
	_, err := check(t, h, "me.judgment", 1, sdk.Answers{"hang": true})
	took := time.Since(start)
	var perr *host.PluginError
	if !errors.As(err, &perr) || perr.Plugin != "ok" || perr.Form != "me.judgment@1" || !strings.Contains(err.Error(), "no answer within 1s: killed the plugin") {
		t.Fatalf("hang: got %v", err)
	}
	t.Log(err)
	if took < timeout {
		t.Fatalf("hang: returned after %s, before the %s deadline", took, timeout)
	}
	if st := pluginStatus(t, h, "ok"); st.Running {
		t.Fatalf("hung plugin still running: %+v", st)
	}
	mustCheckOK(t, h, "xk.judgment")
	mustCheckOK(t, h, "me.judgment")
	if st := pluginStatus(t, h, "ok"); st.Restarts != 1 || !st.Running {
		t.Fatalf("after restart: %+v", st)
	}
}

// A caller that gives up is not a hung plugin: the plugin is not killed.
func TestCallerCancelKeepsPlugin(t *testing.T) {
	t.Parallel()
	h, _ := startHost(t, host.Options{Dir: pluginDir(t, "ok")})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := h.Check(ctx, "me.judgment", 1, []sdk.Answers{{"hang": true}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the caller's deadline", err)
	}
	mustCheckOK(t, h, "me.judgment")
	if st := pluginStatus(t, h, "ok"); st.Restarts != 0 || !st.Running {
		t.Fatalf("status: %+v", st)
	}
}

func TestBadHandshakes(t *testing.T) {
	t.Parallel()
	h, _ := startHost(t, host.Options{Dir: pluginDir(t, "ok", "wrongcookie", "wrongversion", "notaplugin"), StartTimeout: 20 * time.Second})
	for name, want := range map[string]string{
		"wrongcookie":  "it exited without printing a handshake line (a kolo forms plugin is built with plugins/sdk: handshake KOLO_FORMS_PLUGIN, protocol 1); it wrote: \"This binary is a plugin.",
		"wrongversion": "incompatible API version with plugin. Plugin version: 2, Client versions: [1]",
		"notaplugin":   "Unrecognized remote plugin message: hello, I am not a plugin",
	} {
		st := pluginStatus(t, h, name)
		if st.Err == nil || st.Running || len(st.Forms) != 0 {
			t.Errorf("%s: %+v", name, st)
			continue
		}
		var perr *host.PluginError
		msg := st.Err.Error()
		if !errors.As(st.Err, &perr) || perr.Plugin != name || !strings.Contains(msg, "handshake failed") || !strings.Contains(msg, want) {
			t.Errorf("%s: error %q should name the plugin, say the handshake failed and contain %q", name, msg, want)
		}
		t.Logf("%s: %v", name, st.Err)
	}
	mustCheckOK(t, h, "me.judgment")
	_, err := check(t, h, "xx.judgment", 1, sdk.Answers{})
	if !errors.Is(err, host.ErrUnknownForm) || !strings.Contains(err.Error(), "failed to start, so their forms are unknown: notaplugin, wrongcookie, wrongversion") {
		t.Errorf("unknown form with failed plugins: %v", err)
	}
	if len(h.Forms()) != 2 {
		t.Fatalf("forms: %+v", h.Forms())
	}
}

func TestPluginsDir(t *testing.T) {
	t.Parallel()
	dir := pluginDir(t, "ok")
	os.WriteFile(filepath.Join(dir, "README"), []byte("not a plugin"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden"), []byte("#!/bin/sh\nexit 1\n"), 0o755)
	os.Mkdir(filepath.Join(dir, "subdir"), 0o755)
	h, logs := startHost(t, host.Options{Dir: dir})
	if st := h.Plugins(); len(st) != 1 || st[0].Name != "ok" {
		t.Fatalf("plugins: %+v", st)
	}
	if !strings.Contains(logs.String(), "not an executable") || !strings.Contains(logs.String(), "README") {
		t.Errorf("the README was skipped silently:\n%s", logs)
	}
	// A plugins dir that does not exist holds no plugins.
	h, _ = startHost(t, host.Options{Dir: filepath.Join(t.TempDir(), "none")})
	if len(h.Plugins()) != 0 || len(h.Forms()) != 0 {
		t.Fatalf("missing dir: %+v", h.Plugins())
	}
	// A plugins dir that is a file is an error.
	h, err := host.New(host.Options{Dir: filepath.Join(dir, "README"), BuiltIn: []string{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "read plugins dir") {
		t.Fatalf("file as dir: %v", err)
	}
}

func TestDuplicateForms(t *testing.T) {
	t.Parallel()
	dir := pluginDir(t, "ok", "ok2")
	h, err := host.New(host.Options{Dir: dir, BuiltIn: []string{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	err = h.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "form me.judgment@1 is served by two plugins, ok (") || !strings.Contains(err.Error(), "and ok2 (") {
		t.Fatalf("got %v", err)
	}
	if st := h.Plugins(); len(st) != 0 {
		t.Fatalf("plugins left after a failed start: %+v", st)
	}
}

func TestBadIndicatorsAreRefused(t *testing.T) {
	t.Parallel()
	h, logs := startHost(t, host.Options{Dir: pluginDir(t, "ok", "badindicators")})
	_, err := check(t, h, "si.judgment", 1, sdk.Answers{"verdict": "convicted"})
	var perr *host.PluginError
	if !errors.As(err, &perr) || perr.Plugin != "badindicators" || perr.Form != "si.judgment@1" ||
		!strings.Contains(err.Error(), "record 0: the plugin's indicators are not valid judgment indicators") ||
		!strings.Contains(err.Error(), "no_such_indicator") {
		t.Fatalf("got %v", err)
	}
	t.Log(err)
	if !strings.Contains(logs.String(), "indicators=[no_such_indicator]") {
		t.Errorf("the log does not name the bad indicator:\n%s", logs)
	}
	mustCheckOK(t, h, "me.judgment")
}

// The worked example, built with go build and dropped into the plugins
// dir, is served like any plugin.
func TestExamplePluginFromDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	placePlugin(t, goBuild(t, "github.com/kolo-net/kolo/plugins/examples/al"), filepath.Join(dir, "al"))
	h, _ := startHost(t, host.Options{Dir: dir})
	var refs []string
	for _, fi := range h.Forms() {
		refs = append(refs, fi.Ref())
	}
	want := "al.engagement@1 al.judgment@1 al.judgment@2 al.legislation@1 al.police_case@1 al.trial_hearing@1 al.victim_support@1"
	if strings.Join(refs, " ") != want {
		t.Fatalf("forms: got %s, want %s", strings.Join(refs, " "), want)
	}
	fi, ok := h.Latest("al.judgment")
	if !ok || fi.Version != 2 || fi.Title["sq"] == "" || !strings.Contains(fi.CodeVersion, "7895") {
		t.Fatalf("latest al.judgment: %+v", fi)
	}
	judgment := sdk.Answers{
		"court": "Gjykata e Apelit Tiranë", "court_level": "appeal", "article": "art_128b",
		"decision_date": "2024-01-15", "defendants": 1.0, "victims": 1.0, "verdict": "convicted", "sentence_months": 96.0,
		"notes": "free text that never leaves the node",
	}
	for _, v := range []int{1, 2} {
		res, err := check(t, h, "al.judgment", v, judgment, sdk.Answers{"verdict": "convicted"})
		if err != nil {
			t.Fatal(err)
		}
		c := res[0].Common
		if !res[0].Valid() || c["offence"] != "thb_child" || c["sentence_months"] != int64(96) || c["below_statutory_minimum"] != true || c["notes"] != nil {
			t.Errorf("al.judgment@%d valid record: %+v", v, res[0])
		}
		if res[1].Valid() {
			t.Errorf("al.judgment@%d incomplete record is valid", v)
		}
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	h, err := host.New(host.Options{Dir: pluginDir(t, "ok"), BuiltIn: []string{}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := check(t, h, "me.judgment", 1, sdk.Answers{}); err == nil || !strings.Contains(err.Error(), "not started") {
		t.Fatalf("before start: %v", err)
	}
	if err := h.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := h.Start(context.Background()); err == nil {
		t.Fatal("started twice")
	}
	mustCheckOK(t, h, "me.judgment")
	h.Close()
	h.Close()
	if st := pluginStatus(t, h, "ok"); st.Running {
		t.Fatalf("running after close: %+v", st)
	}
	if _, err := check(t, h, "me.judgment", 1, sdk.Answers{}); !errors.Is(err, host.ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
}
