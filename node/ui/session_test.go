package ui

import (
	"testing"
	"time"
)

// clock is a settable time for the session tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// TestLoginLinkExpires: a link works within 5 minutes only, and once.
func TestLoginLinkExpires(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := newSessions(c.now)
	tok, exp, err := s.newLink()
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(c.t.Add(LinkTTL)) {
		t.Errorf("expiry %s", exp)
	}
	late, _, _ := s.newLink()
	c.t = c.t.Add(LinkTTL - time.Second)
	if _, ok := s.login(tok); !ok {
		t.Fatal("a link one second before its expiry was refused")
	}
	if _, ok := s.login(tok); ok {
		t.Fatal("a spent link logged in again")
	}
	c.t = c.t.Add(time.Second)
	if _, ok := s.login(late); ok {
		t.Fatal("an expired link logged in")
	}
}

// TestSessionTimeouts: a session ends after 12 idle hours, and after 7
// days however busy.
func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := newSessions(c.now)
	login := func() *session {
		tok, _, _ := s.newLink()
		se, ok := s.login(tok)
		if !ok {
			t.Fatal("login refused")
		}
		return se
	}
	idle := login()
	c.t = c.t.Add(SessionIdle + time.Second)
	if _, ok := s.get(idle.id); ok {
		t.Error("a session idle for more than 12 hours is still open")
	}
	busy := login()
	for c.t.Add(SessionIdle-time.Minute).Sub(busy.created) <= SessionLifetime {
		c.t = c.t.Add(SessionIdle - time.Minute)
		if _, ok := s.get(busy.id); !ok {
			t.Fatalf("a busy session ended after %s", c.t.Sub(busy.created))
		}
	}
	c.t = c.t.Add(SessionIdle - time.Minute)
	if _, ok := s.get(busy.id); ok {
		t.Errorf("a session %s old is still open", c.t.Sub(busy.created))
	}
}

// TestSearchHandles: a search's text is kept under an opaque handle that
// says nothing of it, the same text gets the same handle, and only the
// last maxSearches are kept.
func TestSearchHandles(t *testing.T) {
	t.Parallel()
	s := newSessions(time.Now)
	tok, _, _ := s.newLink()
	se, _ := s.login(tok)
	h := s.keepSearch(se, "Petrović")
	if h == "" || h == "Petrović" || len(h) != 16 {
		t.Errorf("handle %q", h)
	}
	if again := s.keepSearch(se, "Petrović"); again != h {
		t.Errorf("the same search got another handle")
	}
	for i := range maxSearches {
		s.keepSearch(se, string(rune('a'+i)))
	}
	if _, ok := s.search(se, h); ok {
		t.Error("the oldest search is kept beyond the cap")
	}
	if text, ok := s.search(se, s.keepSearch(se, "sud")); !ok || text != "sud" {
		t.Errorf("search: %q, %v", text, ok)
	}
}
