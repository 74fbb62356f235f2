package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/report"
)

// TestTestnetCommand runs the README's main job, `kolo testnet`, as a
// process: the nodes found a network, join, endorse and enter records,
// the analyst's report is written; then, while it runs, the other
// commands work against its nodes, `kolo report` among them.
func TestTestnetCommand(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "net")
	cmd := exec.Command("kolo", "testnet", "--nodes", "2", "--records", "12", "--dir", dir)
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
	var stdout syncBuffer
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			stdout.Write([]byte(sc.Text() + "\n"))
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
	if !strings.Contains(stdout.String(), "report: "+filepath.Join(dir, "report.html")+"\n") {
		t.Errorf("no report line before ready:\n%s", stdout.String())
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
		o, e, code = kolo(t, nil, "record", "list", "--kind", "judgment", "--home", home, "--json")
		var recs []json.RawMessage
		want := 12
		if i == 2 {
			want = 0 // the analyst holds no records
		}
		if code != 0 || json.Unmarshal([]byte(o), &recs) != nil || len(recs) != want {
			t.Errorf("node %d: record list exit %d: %d judgments (%s); want %d", i, code, len(recs), e, want)
		}
	}

	// The analyst asks for the report again, in Croatian Markdown; a
	// partner writes the first one again as CSV without asking.
	md := filepath.Join(t.TempDir(), "izvjesce.md")
	o, e, code := kolo(t, nil, "report", "--home", filepath.Join(dir, "node-02"), "-o", md, "--lang", "hr")
	if code != 0 || strings.TrimSpace(o) != md {
		t.Fatalf("kolo report exit %d: %s\n%s", code, o, e)
	}
	page, err := os.ReadFile(md)
	if err != nil || !strings.Contains(string(page), "# Regionalno usporedno izvješće") || !strings.Contains(string(page), "| Hrvatska |") {
		t.Errorf("the Croatian report (%v):\n%.600s", err, page)
	}
	entries, err := os.ReadDir(report.EvidencePath(md))
	if err != nil || len(entries) != len(report.Catalogue())+1 {
		t.Errorf("evidence beside the report: %d entries (%v); want a folder per query and README.txt", len(entries), err)
	}
	csv := filepath.Join(t.TempDir(), "again.csv")
	if o, e, code := kolo(t, nil, "report", "--from", filepath.Join(dir, "report.json"), "-o", csv); code != 0 {
		t.Errorf("kolo report --from exit %d: %s\n%s", code, o, e)
	}
	if data, err := os.ReadFile(csv); err != nil || !strings.HasPrefix(string(data), "query,figure,query_text,") {
		t.Errorf("kolo report --from wrote (%v):\n%.300s", err, data)
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

// TestTestnetExit: `kolo testnet --exit`, as CI and scripts run it, with
// its defaults (four partners, an analyst, 100 judgments each): it writes
// the report under --dir with its JSON and evidence, prints its path and
// five lines of summary, and exits 0.
func TestTestnetExit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "net")
	o, e, code := kolo(t, nil, "testnet", "--exit", "--dir", dir)
	if code != 0 {
		t.Fatalf("kolo testnet --exit: exit %d\n%s\n%s", code, o, e)
	}
	lines := strings.Split(strings.TrimSpace(o), "\n")
	var at int
	for at < len(lines) && !strings.HasPrefix(lines[at], "report: ") {
		at++
	}
	html := filepath.Join(dir, "report.html")
	if at == len(lines) || lines[at] != "report: "+html || len(lines)-at-1 != 5 {
		t.Fatalf("want the report's path and five lines of summary, got:\n%s", o)
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[at+1]), "Judgments collected: BA 100, HR 100, MK 100, RS 100") {
		t.Errorf("summary: %q", lines[at+1])
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), `<svg class="chart"`); n != len(report.Catalogue()) {
		t.Errorf("the HTML report has %d charts; want one per figure, %d", n, len(report.Catalogue()))
	}
	f, err := os.Open(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range rep.Countries {
		codes = append(codes, c.Code)
	}
	if strings.Join(codes, " ") != "BA HR MK RS" || rep.Asker.Country != "FR" {
		t.Errorf("report columns %v, asked by %+v; want BA HR MK RS, asked by the FR analyst", codes, rep.Asker)
	}
	if _, err := os.Stat(filepath.Join(report.EvidencePath(html), "README.txt")); err != nil {
		t.Errorf("no evidence beside the report: %v", err)
	}
}
