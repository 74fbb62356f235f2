package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/kolo-net/kolo/config"
)

// labSeq tells apart the labs of one test process (-count=N).
var labSeq atomic.Int64

// netLab is a small LAN of Linux network namespaces made with ip(8): a
// switch namespace holds two bridges, one per half of the LAN, joined by a
// trunk (a veth pair); each host is a namespace of its own with one veth
// into its half's bridge. Cutting the trunk partitions the LAN: packets
// across are dropped, as when a cable is pulled or a VPN goes down, and
// nothing tells the hosts. The namespaces' names carry the test process's
// ID, so parallel runs do not collide; all of them are deleted when the
// test ends, whatever its outcome.
type netLab struct {
	t      *testing.T
	prefix string
	sw     string   // the switch namespace
	made   []string // namespaces to delete
}

// Halves of a netLab: the bridge each host's veth joins.
const (
	halfA = "brA"
	halfB = "brB"
)

// labSubnet is the LAN's private subnet; each lab has its own switch, so
// parallel labs may use the same addresses.
const labSubnet = "10.77.0.%d"

// newNetLab makes the switch namespace, or skips the test with the reason
// this machine does not allow network namespaces.
func newNetLab(t *testing.T) *netLab {
	t.Helper()
	const covered = "testnet's TestConvergence covers the partition in process"
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skipf("no ip(8) (iproute2) to make network namespaces with: %v; %s", err, covered)
	}
	l := &netLab{t: t, prefix: fmt.Sprintf("kolo%d-%d", os.Getpid(), labSeq.Add(1))}
	l.sw = l.prefix + "-sw"
	if out, err := exec.Command("ip", "netns", "add", l.sw).CombinedOutput(); err != nil {
		t.Skipf("ip netns add %s failed (%v: %s): network namespaces need root, or CAP_NET_ADMIN and CAP_SYS_ADMIN; %s",
			l.sw, err, strings.TrimSpace(string(out)), covered)
	}
	l.made = append(l.made, l.sw)
	t.Cleanup(l.close)
	if out, err := exec.Command("ip", "netns", "exec", l.sw, "true").CombinedOutput(); err != nil {
		t.Skipf("ip netns exec %s true failed (%v: %s): running a process in a network namespace needs CAP_SYS_ADMIN; %s",
			l.sw, err, strings.TrimSpace(string(out)), covered)
	}
	l.ip("-n", l.sw, "link", "add", halfA, "type", "bridge")
	l.ip("-n", l.sw, "link", "add", halfB, "type", "bridge")
	l.ip("-n", l.sw, "link", "add", "trunkA", "type", "veth", "peer", "name", "trunkB")
	l.ip("-n", l.sw, "link", "set", "trunkA", "master", halfA)
	l.ip("-n", l.sw, "link", "set", "trunkB", "master", halfB)
	for _, dev := range []string{"lo", halfA, halfB, "trunkA", "trunkB"} {
		l.ip("-n", l.sw, "link", "set", dev, "up")
	}
	return l
}

// close deletes the lab's namespaces (and so their veths).
func (l *netLab) close() {
	for _, ns := range l.made {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			l.t.Errorf("ip netns del %s: %v: %s", ns, err, out)
		}
	}
}

// ip runs ip(8) and fails the test if it fails.
func (l *netLab) ip(args ...string) {
	l.t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		l.t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// cut partitions the LAN: the trunk between the halves goes down.
func (l *netLab) cut() {
	l.t.Helper()
	l.ip("-n", l.sw, "link", "set", "trunkA", "down")
	l.ip("-n", l.sw, "link", "set", "trunkB", "down")
}

// heal joins the halves again.
func (l *netLab) heal() {
	l.t.Helper()
	l.ip("-n", l.sw, "link", "set", "trunkA", "up")
	l.ip("-n", l.sw, "link", "set", "trunkB", "up")
}

// labHost is one namespace of a netLab with a kolo node's home.
type labHost struct {
	lab   *netLab
	name  string // its veth's name in the switch namespace
	ns    string
	ip    string
	org   string
	home  string
	peer  string // its peer ID
	d     *labDaemon
	dials []string // its libp2p addresses
}

// host makes a namespace on half with address 10.77.0.octet and a node's
// home (kolo init) for org in country.
func (l *netLab) host(name, half string, octet int, org, country string) *labHost {
	t := l.t
	t.Helper()
	h := &labHost{lab: l, name: name, ns: l.prefix + "-" + name, ip: fmt.Sprintf(labSubnet, octet), org: org}
	l.ip("netns", "add", h.ns)
	l.made = append(l.made, h.ns)
	l.ip("-n", l.sw, "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", h.ns)
	l.ip("-n", l.sw, "link", "set", name, "master", half)
	l.ip("-n", l.sw, "link", "set", name, "up")
	l.ip("-n", h.ns, "addr", "add", h.ip+"/24", "dev", "eth0")
	l.ip("-n", h.ns, "link", "set", "eth0", "up")
	l.ip("-n", h.ns, "link", "set", "lo", "up")
	h.home = t.TempDir() + "/node"
	out := h.kolo(t, "", "init", "--org", org, "--country", country, "--json")
	var pub struct {
		PeerID string `json:"peer_id"`
	}
	if err := json.Unmarshal([]byte(out), &pub); err != nil || pub.PeerID == "" {
		t.Fatalf("%s: kolo init --json printed %q: %v", name, out, err)
	}
	h.peer = pub.PeerID
	// Each namespace has its own ports: every node listens on the default
	// port, as it would on its own machine.
	p := config.DefaultP2PPort
	h.dials = []string{fmt.Sprintf("/ip4/%s/tcp/%d", h.ip, p), fmt.Sprintf("/ip4/%s/udp/%d/quic-v1", h.ip, p)}
	return h
}

// tcpAddr is the host's libp2p TCP address as host:port.
func (h *labHost) tcpAddr() string { return fmt.Sprintf("%s:%d", h.ip, config.DefaultP2PPort) }

// try runs `kolo ARGS --home HOME` in the host's namespace, with stdin.
func (h *labHost) try(t testing.TB, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	argv := append([]string{"netns", "exec", h.ns, "kolo"}, args...)
	cmd := exec.CommandContext(ctx, "ip", append(argv, "--home", h.home)...)
	cmd.Env = cleanEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s: kolo %v still running after %s; stderr:\n%s", h.name, args, readyTimeout, e.String())
	}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: kolo %v: %v", h.name, args, err)
		}
		code = ee.ExitCode()
	}
	return o.String(), e.String(), code
}

// kolo is try that fails the test unless the command succeeds.
func (h *labHost) kolo(t testing.TB, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := h.try(t, stdin, args...)
	if code != 0 {
		t.Fatalf("%s: kolo %s: exit %d\n%s", h.name, strings.Join(args, " "), code, errOut)
	}
	return out
}

// labDaemon is `kolo run` in a host's namespace.
type labDaemon struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	ready  chan struct{}
	exited chan struct{} // closed when the process has exited
	err    error         // its exit, once exited is closed
}

// start launches `kolo run` in the host's namespace, listening on the
// host's address on the default port (TCP and QUIC); wait for it with
// waitReady. The daemon (with its plugin processes, in its process group)
// is stopped when the test ends.
func (h *labHost) start(t *testing.T) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", h.ns, "kolo", "run", "--home", h.home,
		"--api-port", "0", "--listen", strings.Join(h.dials, ","))
	cmd.Env = cleanEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	d := &labDaemon{cmd: cmd, stderr: &syncBuffer{}, ready: make(chan struct{}), exited: make(chan struct{})}
	cmd.Stderr = d.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h.d = d
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "ready ") {
				close(d.ready)
			}
		}
		d.err = cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s's log (last 40 lines):\n%s", h.name, tail(d.stderr.String(), 40))
		}
		d.stop()
	})
}

// stop sends SIGTERM to the daemon's process group and waits for the exit
// (SIGKILL after stopTimeout). It reports whether the daemon stopped on
// SIGTERM.
func (d *labDaemon) stop() bool {
	syscall.Kill(-d.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-d.exited:
		return true
	case <-time.After(stopTimeout):
		syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.exited
		return false
	}
}

// restart stops the host's daemon as systemd does and starts it again.
func (h *labHost) restart(t *testing.T) {
	t.Helper()
	if !h.d.stop() || h.d.err != nil {
		t.Fatalf("%s: kolo run did not stop cleanly on SIGTERM (%v):\n%s", h.name, h.d.err, tail(h.d.stderr.String(), 20))
	}
	h.start(t)
	h.waitReady(t)
}

// waitReady waits for the daemon's ready line.
func (h *labHost) waitReady(t *testing.T) {
	t.Helper()
	select {
	case <-h.d.ready:
	case <-h.d.exited:
		t.Fatalf("%s: kolo run exited before ready (%v):\n%s", h.name, h.d.err, tail(h.d.stderr.String(), 20))
	case <-time.After(readyTimeout):
		t.Fatalf("%s: kolo run not ready after %s:\n%s", h.name, readyTimeout, tail(h.d.stderr.String(), 20))
	}
}

// dial opens (and closes) a TCP connection from the host's namespace to
// addr, as the host's daemon would: nil if it connected. The test
// process's own threads stay in the root namespace: the dial runs on a
// thread of its own that enters the host's namespace and is never given
// back to the Go runtime (it ends with its goroutine).
func (h *labHost) dial(t *testing.T, addr string, timeout time.Duration) error {
	t.Helper()
	type result struct{ setup, dial error }
	res := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		f, err := os.Open("/run/netns/" + h.ns)
		if err != nil {
			res <- result{setup: err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			res <- result{setup: fmt.Errorf("setns %s: %w", h.ns, err)}
			return
		}
		c, err := net.DialTimeout("tcp", addr, timeout)
		if err == nil {
			c.Close()
		}
		res <- result{dial: err}
	}()
	r := <-res
	if r.setup != nil {
		t.Fatalf("%s: enter its namespace: %v", h.name, r.setup)
	}
	return r.dial
}
