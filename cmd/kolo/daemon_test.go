package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
)

// Deadlines for conditions the tests wait on. They are generous because CI
// shares two cores; nothing sleeps.
const (
	readyTimeout = 90 * time.Second
	stopTimeout  = 20 * time.Second
)

// loopback are the run flags that keep test daemons on 127.0.0.1 and free
// ports, so tests run in parallel.
var loopback = []string{"--api-port", "0", "--listen", "/ip4/127.0.0.1/tcp/0,/ip4/127.0.0.1/udp/0/quic-v1"}

// kolo runs the kolo command (this test binary, through testscript.Main)
// to completion.
func kolo(t testing.TB, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return koloIn(t, env, "", args...)
}

// koloIn is kolo with stdin as the command's standard input.
func koloIn(t testing.TB, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// A command that should fail but runs on (a daemon that starts after
	// all) is killed at the deadline, failing the test instead of hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "kolo", args...)
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code = 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("kolo %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	if ctx.Err() != nil {
		t.Fatalf("kolo %v still running after %s; stderr:\n%s", args, readyTimeout, e.String())
	}
	return o.String(), e.String(), code
}

// cleanEnv is the environment without KOLO_* variables of the developer's.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KOLO_") {
			out = append(out, kv)
		}
	}
	return out
}

// daemon is a `kolo run` process.
type daemon struct {
	cmd    *exec.Cmd
	ready  string // the ready line
	stderr *syncBuffer
	done   chan error
}

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

// startDaemon starts `kolo run` and waits for its ready line.
func startDaemon(t *testing.T, home string, env []string) *daemon {
	t.Helper()
	cmd := exec.Command("kolo", append([]string{"run", "--home", home}, loopback...)...)
	cmd.Env = append(cleanEnv(), env...)
	d := &daemon{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = d.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-d.done
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "ready ") {
				lines <- sc.Text()
			}
		}
		d.done <- cmd.Wait()
	}()
	select {
	case d.ready = <-lines:
	case err := <-d.done:
		t.Fatalf("kolo run exited before ready (%v):\n%s", err, d.stderr)
	case <-time.After(readyTimeout):
		t.Fatalf("kolo run not ready after %s:\n%s", readyTimeout, d.stderr)
	}
	return d
}

// stop sends SIGTERM and waits for a clean exit.
func (d *daemon) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("kolo run after SIGTERM: %v\n%s", err, d.stderr)
		}
	case <-time.After(stopTimeout):
		t.Fatalf("kolo run did not stop within %s of SIGTERM:\n%s", stopTimeout, d.stderr)
	}
	if !strings.Contains(d.stderr.String(), "node stopped") {
		t.Fatalf("no clean stop logged:\n%s", d.stderr)
	}
}

func initNode(t testing.TB, env []string) (home, peerID string) {
	t.Helper()
	home = filepath.Join(t.TempDir(), "node")
	out, errOut, code := kolo(t, env, "init", "--home", home, "--org", "ASTRA", "--country", "RS", "--json")
	if code != 0 {
		t.Fatalf("kolo init: exit %d: %s", code, errOut)
	}
	var pub struct {
		PeerID string `json:"peer_id"`
	}
	if err := json.Unmarshal([]byte(out), &pub); err != nil || pub.PeerID == "" {
		t.Fatalf("kolo init --json printed %q: %v", out, err)
	}
	return home, pub.PeerID
}

func status(t *testing.T, home string) (node.Status, int) {
	t.Helper()
	out, errOut, code := kolo(t, nil, "status", "--home", home, "--json")
	var st node.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("kolo status --json (exit %d) printed %q, stderr %q: %v", code, out, errOut, err)
	}
	return st, code
}

// TestDaemonLifecycle: init → run → status → SIGTERM → run again: same
// peer ID, and what the first run stored is still there.
func TestDaemonLifecycle(t *testing.T) {
	t.Parallel()
	home, peerID := initNode(t, nil)

	d := startDaemon(t, home, nil)
	if !strings.Contains(d.ready, "peer="+peerID) || !strings.Contains(d.ready, " api=http://127.0.0.1:") {
		t.Fatalf("ready line %q lacks peer=%s or the API URL", d.ready, peerID)
	}
	st, code := status(t, home)
	if code != 0 || !st.Running || st.PeerID != peerID || st.Country != "RS" || st.Org != "ASTRA" || st.Starts != 1 {
		t.Fatalf("status of running node: exit %d, %+v", code, st)
	}
	d.stop(t)
	for _, f := range []string{"daemon.json", "api.token"} {
		if _, err := os.Stat(filepath.Join(home, f)); !os.IsNotExist(err) {
			t.Errorf("%s left behind after stop (err=%v)", f, err)
		}
	}
	st, code = status(t, home)
	if code != exitNotRunning || st.Running || st.PeerID != peerID {
		t.Fatalf("status of stopped node: exit %d, %+v; want exit %d, not running", code, st, exitNotRunning)
	}

	d = startDaemon(t, home, nil)
	st, _ = status(t, home)
	if st.PeerID != peerID || st.Starts != 2 {
		t.Fatalf("after restart: %+v; want peer %s and starts=2 (the store kept the first run's data)", st, peerID)
	}
	d.stop(t)
}

// TestOneDaemonPerHome: a second daemon on the same home is refused with a
// clear message, and the first keeps running.
func TestOneDaemonPerHome(t *testing.T) {
	t.Parallel()
	home, _ := initNode(t, nil)
	d := startDaemon(t, home, nil)
	_, errOut, code := kolo(t, nil, append([]string{"run", "--home", home}, loopback...)...)
	if code == 0 || !strings.Contains(errOut, "another kolo process is using this home") {
		t.Fatalf("second daemon: exit %d, stderr %q", code, errOut)
	}
	if strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("error is not one line: %q", errOut)
	}
	if st, code := status(t, home); code != 0 || !st.Running {
		t.Fatalf("first daemon no longer answers: exit %d %+v", code, st)
	}
	d.stop(t)
}

// TestBadConfig: each problem makes kolo run exit non-zero with one line
// naming it, and leaves the home exactly as it was.
func TestBadConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(t *testing.T, home string)
		env   []string
		wants []string
	}{
		{"unknown key", appendConfig("\nfrobnicate: 1\n"), nil, []string{"frobnicate", "unknown key", "kolo.yaml"}},
		{"unknown nested key", replaceConfig("  port_mapping: true", "  port_mapping: true\n    upnp: true"), nil, []string{"network.nat.upnp", "unknown key", "port_mapping"}},
		{"bad port", replaceConfig("port: 4711", "port: 70000"), nil, []string{"api.port", "0..65535", "70000"}},
		{"port not a number", replaceConfig("port: 4711", "port: eighty"), nil, []string{"api.port", "whole number", "eighty"}},
		{"bad port from env", nil, []string{"KOLO_API_PORT=-5"}, []string{"api.port", "KOLO_API_PORT", "0..65535"}},
		{"unknown variable", nil, []string{"KOLO_API_PROT=4801"}, []string{"KOLO_API_PROT", "no configuration key has this variable", "KOLO_API_PORT"}},
		{"duration without unit", nil, []string{"KOLO_PLUGINS_CALL_TIMEOUT=10"}, []string{"plugins.call_timeout", "has no unit", "10s"}},
		{"bad country", replaceConfig(`country: "RS"`, `country: "YU"`), nil, []string{"node.country", "YU", "ISO 3166"}},
		{"missing key file", removeFile("store.key"), nil, []string{"store.key", "missing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			home, _ := initNode(t, nil)
			if c.edit != nil {
				c.edit(t, home)
			}
			before := snapshot(t, home)
			// No loopback flags here: they would override the file's values
			// under test. A run that wrongly succeeds is killed by kolo's deadline.
			_, errOut, code := kolo(t, c.env, "run", "--home", home)
			if code == 0 {
				t.Fatalf("kolo run succeeded; want failure")
			}
			msg := strings.TrimSpace(errOut)
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line:\n%s", msg)
			}
			for _, w := range c.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			if after := snapshot(t, home); after != before {
				t.Errorf("home changed by a failed run:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// TestPassphrase: keys encrypted with KOLO_PASSPHRASE at init; run needs
// the same passphrase, and a wrong or missing one changes nothing.
func TestPassphrase(t *testing.T) {
	t.Parallel()
	pass := []string{"KOLO_PASSPHRASE=correct horse battery staple"}
	home, peerID := initNode(t, pass)
	b, err := os.ReadFile(filepath.Join(home, "store.key"))
	if err != nil || !bytes.HasPrefix(b, []byte("age-encryption.org/v1")) {
		t.Fatalf("store.key is not age-encrypted: %q %v", b, err)
	}
	before := snapshot(t, home)
	for _, c := range []struct {
		env  []string
		want string
	}{
		{nil, "KOLO_PASSPHRASE"},
		{[]string{"KOLO_PASSPHRASE=wrong"}, "wrong passphrase"},
	} {
		_, errOut, code := kolo(t, c.env, append([]string{"run", "--home", home}, loopback...)...)
		if code == 0 || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("run with %v: exit %d, stderr %q; want one line mentioning %q", c.env, code, errOut, c.want)
		}
	}
	if after := snapshot(t, home); after != before {
		t.Errorf("home changed by failed runs")
	}
	d := startDaemon(t, home, pass)
	if !strings.Contains(d.ready, peerID) {
		t.Fatalf("ready line %q lacks %s", d.ready, peerID)
	}
	d.stop(t)
}

func appendConfig(s string) func(*testing.T, string) {
	return func(t *testing.T, home string) {
		f, err := os.OpenFile(filepath.Join(home, "kolo.yaml"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(s); err != nil {
			t.Fatal(err)
		}
	}
}

func replaceConfig(old, new string) func(*testing.T, string) {
	return func(t *testing.T, home string) {
		p := filepath.Join(home, "kolo.yaml")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("kolo.yaml has no %q", old)
		}
		if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func removeFile(name string) func(*testing.T, string) {
	return func(t *testing.T, home string) {
		if err := os.Remove(filepath.Join(home, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestP2PPortTaken: a second daemon told to listen on a port the first
// one's libp2p host holds fails, as a taken API port does, with one line
// naming the address; it does not say ready beside the first. TCP and
// QUIC (UDP) alike.
func TestP2PPortTaken(t *testing.T) {
	t.Parallel()
	first, _ := initNode(t, nil)
	d := startDaemon(t, first, nil)
	var tcp, quic string
	for _, f := range strings.Fields(d.ready) {
		if addrs, ok := strings.CutPrefix(f, "addrs="); ok {
			for _, a := range strings.Split(addrs, ",") {
				switch {
				case strings.HasSuffix(a, "/quic-v1"):
					quic = a
				case strings.Contains(a, "/tcp/"):
					tcp = a
				}
			}
		}
	}
	if tcp == "" || quic == "" {
		t.Fatalf("ready line %q lacks a TCP or a QUIC address", d.ready)
	}
	for _, addr := range []string{tcp, quic} {
		second, _ := initNode(t, nil)
		_, errOut, code := kolo(t, nil, "run", "--home", second, "--api-port", "0", "--listen", addr)
		msg := strings.TrimSpace(errOut)
		if code == 0 || !strings.Contains(msg, "network.listen "+addr) || !strings.Contains(msg, "address already in use") || strings.Contains(msg, "\n") {
			t.Errorf("second daemon on %s: exit %d, stderr:\n%s\nwant one line naming network.listen %s and the port in use", addr, code, msg, addr)
		}
	}
	if st, code := status(t, first); code != 0 || !st.Running {
		t.Fatalf("first daemon no longer answers: exit %d %+v", code, st)
	}
	d.stop(t)
}

// TestFailedStartNotCounted: a start that fails (here on an API port that
// another daemon holds, which is found after the store is open) is not
// counted in status's starts.
func TestFailedStartNotCounted(t *testing.T) {
	t.Parallel()
	first, _ := initNode(t, nil)
	d := startDaemon(t, first, nil)
	_, api, ok := strings.Cut(d.ready, " api=http://127.0.0.1:")
	if !ok {
		t.Fatalf("ready line %q has no API address", d.ready)
	}
	second, _ := initNode(t, nil)
	for range 2 {
		_, errOut, code := kolo(t, nil, "run", "--home", second, "--listen", "/ip4/127.0.0.1/tcp/0", "--api-port", api)
		if code == 0 || !strings.Contains(errOut, "local API on 127.0.0.1:"+api) {
			t.Fatalf("run on a taken API port: exit %d, %s", code, errOut)
		}
	}
	d2 := startDaemon(t, second, nil)
	if st, code := status(t, second); code != 0 || st.Starts != 1 {
		t.Errorf("after two failed starts and one that worked: starts=%d (exit %d), want 1", st.Starts, code)
	}
	d2.stop(t)
	d.stop(t)
}

// TestStatusWithBadConfig: a mistake in kolo.yaml, made while the daemon
// runs, does not turn status into a failure (health checks read its exit
// status): status says the daemon runs, exit 0, and warns that the next
// start will fail; once the daemon is stopped, exit 3 as always.
func TestStatusWithBadConfig(t *testing.T) {
	t.Parallel()
	home, peerID := initNode(t, nil)
	d := startDaemon(t, home, nil)
	appendConfig("\nfrobnicate: 1\n")(t, home)
	out, errOut, code := kolo(t, nil, "status", "--home", home)
	if code != 0 || !strings.Contains(out, "state:         running") || !strings.Contains(errOut, "frobnicate") || !strings.Contains(errOut, "kolo run will refuse to start") {
		t.Fatalf("status of a running daemon with a typo in kolo.yaml: exit %d\n%s\n%s", code, out, errOut)
	}
	d.stop(t)
	st, code := status(t, home)
	if code != exitNotRunning || st.Running || st.PeerID != peerID {
		t.Fatalf("status of the stopped node: exit %d, %+v", code, st)
	}
}

// TestStatusStoreSize: status shows the disk space the store takes, as du
// counts it, running or not; not 0 (Badger's own figure after a start) nor
// the length of its sparse, preallocated files.
func TestStatusStoreSize(t *testing.T) {
	t.Parallel()
	home, _ := initNode(t, nil)
	du := func() int64 {
		out, err := exec.Command("du", "-sk", filepath.Join(home, "store")).Output()
		if err != nil {
			t.Fatalf("du: %v", err)
		}
		var kib int64
		if _, err := fmt.Sscan(string(out), &kib); err != nil {
			t.Fatalf("du printed %q: %v", out, err)
		}
		return kib << 10
	}
	d := startDaemon(t, home, nil)
	st, _ := status(t, home)
	if want := du(); st.StoreBytes <= 0 || st.StoreBytes > 2*want {
		t.Errorf("running: store_bytes %d, du says %d", st.StoreBytes, want)
	}
	d.stop(t)
	st, _ = status(t, home)
	if want := du(); st.StoreBytes != want {
		t.Errorf("stopped: store_bytes %d, du says %d", st.StoreBytes, want)
	}
}
