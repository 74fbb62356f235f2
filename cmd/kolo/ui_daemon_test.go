package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestUICommand: `kolo ui --no-open` prints a one-time link of the running
// daemon that logs a browser in once; --json says when it expires;
// --remote without ui.remote says how to turn it on; without a daemon it
// says to start one.
func TestUICommand(t *testing.T) {
	t.Parallel()
	home, _ := initNode(t, nil)
	if _, errOut, code := kolo(t, nil, "ui", "--home", home, "--no-open"); code == 0 || !strings.Contains(errOut, "kolo run") {
		t.Errorf("kolo ui without a daemon: exit %d, %q; want a failure saying to start kolo run", code, errOut)
	}
	d := startDaemon(t, home, nil)
	out, errOut, code := kolo(t, []string{"DISPLAY="}, "ui", "--home", home, "--no-open")
	link := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(link, "http://127.0.0.1:") || !strings.Contains(link, "/ui/login?t=") || strings.Contains(link, "\n") {
		t.Fatalf("kolo ui: exit %d, printed %q, %s", code, out, errOut)
	}
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i, want := range []int{http.StatusSeeOther, http.StatusForbidden} {
		resp, err := client.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("use %d of the link: %s, want %d", i+1, resp.Status, want)
		}
	}
	out, _, code = kolo(t, nil, "ui", "--home", home, "--json")
	var l struct {
		URL     string    `json:"url"`
		Expires time.Time `json:"expires"`
	}
	if err := json.Unmarshal([]byte(out), &l); code != 0 || err != nil || l.URL == link || time.Until(l.Expires) > 5*time.Minute || time.Until(l.Expires) < 4*time.Minute {
		t.Errorf("kolo ui --json: exit %d, %q (%v)", code, out, err)
	}
	if _, errOut, code := kolo(t, nil, "ui", "--home", home, "--remote"); code == 0 || !strings.Contains(errOut, "ui.remote.listen") {
		t.Errorf("kolo ui --remote without ui.remote: exit %d, %q", code, errOut)
	}
	d.stop(t)
}
