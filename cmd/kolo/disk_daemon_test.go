package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stopPromise is what a stop may take: kolo run's 5 s, the half second
// closeNode waits past it for a part that ignores its deadline, and a
// margin for a CI machine that shares two cores.
const stopPromise = shutdownTimeout + stopGrace + 1500*time.Millisecond

// terminate sends SIGTERM and returns the exit error (nil for exit 0) and
// how long the stop took; it fails the test if the daemon outlives
// stopTimeout.
func (d *daemon) terminate(t *testing.T) (error, time.Duration) {
	t.Helper()
	start := time.Now()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.done:
		return err, time.Since(start)
	case <-time.After(stopTimeout):
		t.Fatalf("kolo run still running %s after SIGTERM:\n%s", stopTimeout, tail(d.stderr.String(), 8))
	}
	return nil, 0
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// lastLine is the last line of s.
func lastLine(s string) string { return tail(s, 1) }

// TestStoreRemovedWhileRunning: the store's directory, then the whole home,
// is removed under a running daemon. It is reported at once (one error line
// in the log; kolo status exits 1 and says why), and SIGTERM stops the
// daemon within its 5 s with a non-zero exit and one line saying why.
// Before, the daemon logged "stopping" and then never exited, Badger
// retrying its memtable flush every second.
func TestStoreRemovedWhileRunning(t *testing.T) {
	t.Parallel()
	for _, remove := range []string{"store", "home"} {
		t.Run(remove, func(t *testing.T) {
			t.Parallel()
			home, _ := initNode(t, nil)
			d := startDaemon(t, home, nil)
			gone := filepath.Join(home, "store")
			removed := gone
			if remove == "home" {
				removed = home
			}
			if err := os.RemoveAll(removed); err != nil {
				t.Fatal(err)
			}
			if remove == "store" {
				// kolo status still finds the daemon (daemon.json is in the home).
				deadline := time.Now().Add(10 * time.Second)
				for {
					out, errOut, code := kolo(t, nil, "status", "--home", home)
					if code == exitStoreProblem && strings.Contains(out, "store_health:  CANNOT BE WRITTEN: its directory "+gone+" is gone") &&
						strings.HasPrefix(errOut, "kolo: the store cannot be written: its directory") && strings.Count(errOut, "\n") == 1 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("status 10 s after the store was removed: exit %d\n%s\n%s", code, out, errOut)
					}
				}
			}
			// The daemon's log says it once, before any stop.
			waitLog(t, d, `msg="store cannot be written"`)
			err, took := d.terminate(t)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() == 0 {
				t.Errorf("exit after SIGTERM: %v; want a non-zero exit", err)
			}
			t.Logf("stopped in %s: %s", took.Round(time.Millisecond), lastLine(d.stderr.String()))
			if took > stopPromise {
				t.Errorf("the stop took %s, more than %s", took, stopPromise)
			}
			logs := d.stderr.String()
			last := lastLine(logs)
			if !strings.HasPrefix(last, "kolo: stop: ") || !strings.Contains(last, "close store "+filepath.Join(home, "store")+": not closed in time (its directory "+gone+" is gone") {
				t.Errorf("last line %q; want one line saying the store could not be closed because its directory is gone", last)
			}
			if c := strings.Count(logs, `msg="store cannot be written"`); c != 1 {
				t.Errorf("%d error lines about the store, want 1:\n%s", c, logs)
			}
		})
	}
}

// waitLog waits until the daemon's log holds s.
func waitLog(t *testing.T, d *daemon, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(d.stderr.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("the daemon's log lacks %q after 10 s:\n%s", s, tail(d.stderr.String(), 10))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// judgmentsCSV is a CSV of n valid rs.judgment rows: the header and the
// first row of node/records/testdata/import/judgments-semicolon.csv, the
// row repeated with case numbers "K <tag>-<i>/2024".
func judgmentsCSV(t testing.TB, n int, tag string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "node", "records", "testdata", "import", "judgments-semicolon.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(b), "\n", 3)
	var sb strings.Builder
	sb.WriteString(strings.TrimRight(lines[0], "\r") + "\n")
	_, row, _ := strings.Cut(strings.TrimRight(lines[1], "\r"), ";")
	for i := range n {
		fmt.Fprintf(&sb, "K %s-%d/2024;%s\n", tag, i, row)
	}
	return sb.String()
}

// TestDiskFullDaemon runs a daemon whose home is on a small file system (a
// 64 MiB tmpfs; memtables of 1 MiB, so the store keeps 40 MiB free) and
// fills the disk under it: an import and an endorsement are refused with
// an error that says the disk is full, kolo status says it (exit 1), the
// records imported before are all there, and once space is freed the same
// import and endorsement go through; after a restart, everything
// acknowledged is there. Without the reserve, such a write was not refused:
// Badger wrote past the end of the disk through a memory mapping and the
// kernel killed the daemon (SIGBUS).
func TestDiskFullDaemon(t *testing.T) {
	t.Parallel()
	mnt, err := mountTmpfs(t, 64<<20)
	if err != nil {
		// A daemon is another process: the free space it reads cannot be
		// faked from here. node/store's TestDiskFull covers the refusal
		// with an injected reading where it cannot mount either.
		t.Skipf("cannot run: a full disk needs a small file system and %v", err)
	}
	const reserve = 40 << 20 // 8 memtables of 1 MiB + 32 MiB
	home := filepath.Join(mnt, "node")
	out, errOut, code := kolo(t, nil, "init", "--home", home, "--org", "ASTRA", "--country", "RS")
	if code != 0 {
		t.Fatalf("init: %s %s", out, errOut)
	}
	replaceConfig("memtable_mb: 16", "memtable_mb: 1")(t, home)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small.csv", judgmentsCSV(t, 5, "S"))
	big := write("big.csv", judgmentsCSV(t, 2000, "B"))
	run := func(args ...string) (string, string, int) {
		t.Helper()
		return kolo(t, nil, append(args, "--home", home)...)
	}
	mustRun := func(args ...string) string {
		t.Helper()
		out, errOut, code := run(args...)
		if code != 0 {
			t.Fatalf("kolo %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	count := func() int {
		t.Helper()
		return strings.Count(mustRun("record", "list", "-q"), "\n")
	}

	d := startDaemon(t, home, nil)
	mustRun("network", "create", "--name", "Test network")
	if out := mustRun("record", "import", "--form", "rs.judgment", small); !strings.HasPrefix(out, "imported 5 records") {
		t.Fatalf("import on a disk with room: %s", out)
	}

	// Just above the reserve: the big import starts and is stopped by the
	// store's check after its first MiB; nothing of it stays.
	filler := fillTo(t, mnt, reserve+512<<10)
	_, errOut, code = run("record", "import", "--form", "rs.judgment", big)
	if code == 0 || !strings.Contains(errOut, "disk full") || !strings.Contains(errOut, "free space on this disk") || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("import on a full disk: exit %d, stderr %q; want one line saying the disk is full", code, errOut)
	}
	t.Logf("import refused: %s", strings.TrimSpace(errOut))
	if n := count(); n != 5 {
		t.Fatalf("after the refused import: %d records, want the 5 acknowledged", n)
	}
	// Under the reserve: even an endorsement (one small write) is refused.
	filler2 := fillTo(t, mnt, reserve-1<<20)
	_, errOut, code = run("declaration", "sign", "--yes")
	if code == 0 || !strings.Contains(errOut, "disk full") {
		t.Fatalf("sign on a full disk: exit %d, stderr %q", code, errOut)
	}
	t.Logf("endorsement refused: %s", strings.TrimSpace(errOut))
	out, errOut, code = run("status")
	if code != exitStoreProblem || !strings.Contains(out, "store_health:  CANNOT BE WRITTEN: store "+filepath.Join(home, "store")+": disk full") {
		t.Fatalf("status on a full disk: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := count(); n != 5 {
		t.Fatalf("on the full disk: %d records, want the 5 acknowledged", n)
	}

	// Space again: the store says so, and the same writes go through.
	for _, f := range []string{filler, filler2} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, _, code := run("status"); code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status still unhealthy 10 s after the disk was freed:\n%s", tail(d.stderr.String(), 5))
		}
	}
	waitLog(t, d, `msg="store can be written again"`)
	mustRun("declaration", "sign", "--yes")
	if out := mustRun("record", "import", "--form", "rs.judgment", big); !strings.HasPrefix(out, "imported 2000 records") {
		t.Fatalf("import after freeing space: %s", out)
	}
	d.stop(t)
	if strings.Contains(d.stderr.String(), "SIGBUS") {
		t.Fatalf("the daemon faulted:\n%s", d.stderr)
	}

	d = startDaemon(t, home, nil)
	if n := count(); n != 2005 {
		t.Errorf("after a restart: %d records, want 2005", n)
	}
	if out := mustRun("declaration", "status"); !strings.Contains(out, "ASTRA") {
		t.Errorf("after a restart, the endorsement is missing:\n%s", out)
	}
	d.stop(t)
}
