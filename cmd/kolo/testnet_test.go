package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTestnetCommand runs the README's main job, `kolo testnet`, as a
// process: the nodes found a network, join, endorse and enter records,
// and the other commands work against its nodes while it runs.
func TestTestnetCommand(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "net")
	cmd := exec.Command("kolo", "testnet", "--nodes", "3", "--records", "4", "--dir", dir)
	cmd.Env = cleanEnv()
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "ready ") {
				ready <- sc.Text()
			}
		}
		done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-done
		}
	})
	select {
	case line := <-ready:
		if line != "ready nodes=3 dir="+dir {
			t.Fatalf("ready line %q", line)
		}
	case err := <-done:
		t.Fatalf("kolo testnet exited before ready (%v):\n%s", err, stderr)
	case <-time.After(readyTimeout):
		t.Fatalf("kolo testnet not ready after %s:\n%s", readyTimeout, stderr)
	}

	for i, home := range []string{"node-00", "node-01", "node-02"} {
		home = filepath.Join(dir, home)
		o, e, code := kolo(t, nil, "declaration", "status", "--home", home, "--json")
		var st struct {
			Count int `json:"count"`
		}
		if code != 0 || json.Unmarshal([]byte(o), &st) != nil || st.Count != 3 {
			t.Errorf("node %d: declaration status exit %d: %s %s; want 3 endorsing organisations", i, code, o, e)
		}
		o, e, code = kolo(t, nil, "record", "list", "--home", home, "--json")
		var recs []json.RawMessage
		if code != 0 || json.Unmarshal([]byte(o), &recs) != nil || len(recs) != 4 {
			t.Errorf("node %d: record list exit %d: %d records (%s); want 4", i, code, len(recs), e)
		}
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("kolo testnet after SIGTERM: %v\n%s", err, stderr)
		}
	case <-time.After(stopTimeout):
		t.Fatalf("kolo testnet did not stop within %s", stopTimeout)
	}
}
