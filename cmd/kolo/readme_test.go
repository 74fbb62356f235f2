package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/kolo-net/kolo/node/declaration"
)

// readmeBlock returns the lines of the README's shell block that follows
// the line starting with intro, comments and blank lines left out.
func readmeBlock(t *testing.T, intro string) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+intro)
	if !ok {
		t.Fatalf("README.md has no line starting %q", intro)
	}
	_, rest, ok = strings.Cut(rest, "```sh\n")
	if !ok {
		t.Fatalf("no shell block after %q", intro)
	}
	block, _, _ := strings.Cut(rest, "```")
	comment := regexp.MustCompile(`\s+#\s.*$`)
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(comment.ReplaceAllString(l, "")); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// onTerminal runs a shell command line on a pseudo-terminal, as a person
// at a terminal runs it: kolo's questions are asked there, and answered
// "yes". It returns what the terminal showed (standard output and error)
// and the exit code.
func onTerminal(t *testing.T, dir string, env []string, line string) (string, int) {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Fatalf("start %q on a pseudo-terminal: %v", line, err)
	}
	defer tty.Close()
	var (
		mu       sync.Mutex
		out      bytes.Buffer
		answered bool
	)
	read := make(chan error, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			if !answered && strings.Contains(out.String(), "Type yes: ") {
				answered = true
				tty.Write([]byte("yes\n"))
			}
			mu.Unlock()
			if err != nil {
				read <- err // EIO once the command's side of the terminal is closed
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-done:
	case <-time.After(readyTimeout):
		cmd.Process.Kill()
		t.Fatalf("%q still running after %s", line, readyTimeout)
	}
	<-read
	code := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	} else if werr != nil && !errors.Is(werr, io.EOF) {
		t.Fatalf("%q: %v", line, werr)
	}
	mu.Lock()
	defer mu.Unlock()
	return strings.ReplaceAll(out.String(), "\r\n", "\n"), code
}

// TestReadmeDeclarationWalkthrough runs the README's lines for a new CSO
// joining the network and signing the Declaration, as written, each on a
// terminal, on two real daemons: the founder's node creates the network
// and invites; the new node joins, reads the text in Macedonian, signs
// (asked, answering yes), exports the evidence and the page, and verifies
// the evidence offline; the founder revokes it at the end (PEER is the
// new node's peer ID).
func TestReadmeDeclarationWalkthrough(t *testing.T) {
	t.Parallel()
	lines := readmeBlock(t, "A new CSO joining the network and signing the Declaration")
	founder := filepath.Join(t.TempDir(), "founder")
	joiner := filepath.Join(t.TempDir(), "joiner")
	if _, errOut, code := kolo(t, nil, "init", "--home", founder, "--org", "ASTRA – Anti Trafficking Action", "--country", "RS"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	out, errOut, code := kolo(t, nil, "init", "--home", joiner, "--org", "Open Gate – La Strada", "--country", "MK", "--json")
	if code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	joinerID := regexp.MustCompile(`"peer_id": "([^"]+)"`).FindStringSubmatch(out)[1]
	startDaemon(t, founder, nil)
	startDaemon(t, joiner, nil)

	// The founder's node runs what the README says runs on a member's or
	// the founder's node; the new node the rest.
	onFounder := regexp.MustCompile(`^kolo (network create|invite|members revoke)`)
	work := t.TempDir()
	shown := map[string]string{}
	for _, line := range lines {
		home := joiner
		if onFounder.MatchString(line) {
			home = founder
		}
		run := strings.ReplaceAll(line, "PEER", joinerID)
		out, code := onTerminal(t, work, []string{"KOLO_HOME=" + home}, run)
		if code != 0 {
			t.Fatalf("README line %q: exit %d\n%s", line, code, out)
		}
		shown[line] = out
	}
	// what a line starting with prefix showed.
	showed := func(prefix string) string {
		for l, out := range shown {
			if strings.HasPrefix(l, prefix) {
				return out
			}
		}
		t.Fatalf("the README block has no line starting %q", prefix)
		return ""
	}
	sha := declaration.Current().SHA256
	for cmd, wants := range map[string][]string{
		"kolo network create":     {"network hash:"},
		"kolo join <":             {`joined "Western Balkans CSO network"`, "as Open Gate – La Strada (MK), admitted by ASTRA"},
		"kolo declaration show":   {"Декларација на граѓанското општество"},
		"kolo declaration sign":   {"Endorse, in the name of Open Gate – La Strada (MK)", "SHA-256 " + sha, "Sign? Type yes: yes", "endorsed: Open Gate – La Strada (MK)"},
		"kolo declaration status": {"1 of 20 organisations endorse the Declaration (19 more needed)"},
		"kolo declaration verify": {"OK: every signature and the count in declaration.json verify"},
		"kolo members revoke":     {"Revoke " + joinerID, "revoked " + joinerID},
	} {
		for _, w := range wants {
			if !strings.Contains(showed(cmd), w) {
				t.Errorf("%s showed no %q:\n%s", cmd, w, showed(cmd))
			}
		}
	}
	if strings.Contains(showed("kolo join <"), "warning") {
		t.Errorf("join warned:\n%s", showed("kolo join <"))
	}
	if page := readFile(t, filepath.Join(work, "declaration.html")); !strings.Contains(page, "Декларацијата ја поддржа 1 организација.") {
		t.Errorf("declaration.html is not the page in Macedonian: %.1000s", page)
	}
}
