package main

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkDaemonReady measures the time from starting `kolo run` to its
// ready line: process start, config, keys, store, libp2p host, local API.
// The target is under 500 ms. Run:
//
//	go test -run '^$' -bench DaemonReady -benchtime 20x ./cmd/kolo
func BenchmarkDaemonReady(b *testing.B) {
	home := benchHome(b)
	for b.Loop() {
		cmd := exec.Command("kolo", append([]string{"run", "--home", home, "--log-level", "warn"}, loopback...)...)
		cmd.Env = cleanEnv()
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		ready := false
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "ready ") {
				ready = true
				break
			}
		}
		b.StopTimer()
		if !ready {
			cmd.Process.Kill()
			b.Fatal("kolo run exited without a ready line")
		}
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				b.Fatalf("kolo run: %v", err)
			}
		case <-time.After(stopTimeout):
			cmd.Process.Kill()
			b.Fatal("kolo run did not stop")
		}
		b.StartTimer()
	}
}

func benchHome(b *testing.B) string {
	b.Helper()
	home := b.TempDir() + "/node"
	cmd := exec.Command("kolo", "init", "--home", home, "--org", "Bench", "--country", "RS")
	cmd.Env = cleanEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("kolo init: %v\n%s", err, out)
	}
	return home
}
