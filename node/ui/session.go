package ui

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"
	"time"
)

// Lifetimes of login links and sessions.
const (
	LinkTTL         = 5 * time.Minute
	SessionIdle     = 12 * time.Hour
	SessionLifetime = 7 * 24 * time.Hour
	// maxSessions caps the sessions held; the least recently used goes
	// first when a new one would pass it.
	maxSessions = 256
	// maxLinks caps the login links not yet spent.
	maxLinks = 64
	// maxSearches caps the searches one session keeps (searchRef).
	maxSearches = 32
)

// sessionCookie names the session's cookie.
const sessionCookie = "kolo_session"

// session is one logged-in browser.
type session struct {
	id      string
	csrf    string
	created time.Time
	seen    time.Time
	lang    string // chosen on a page; "" until then
	// searches maps an opaque handle to the text of a records search, so
	// that the text never goes into a URL.
	searches map[string]string
	order    []string // handles of searches, oldest first
}

// sessions are the interface's login links and sessions, in memory: a
// restart of the daemon logs everyone out.
type sessions struct {
	now func() time.Time

	mu    sync.Mutex
	byID  map[string]*session
	links map[[32]byte]time.Time // SHA-256 of an unspent token → its expiry
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, byID: map[string]*session{}, links: map[[32]byte]time.Time{}}
}

// randomToken returns 32 random bytes, base64url without padding.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errTooManyLinks refuses a link when too many are unspent.
var errTooManyLinks = errors.New("too many unspent login links: use one, or wait 5 minutes")

// newLink makes a one-time login token, valid LinkTTL.
func (s *sessions) newLink() (string, time.Time, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, exp := range s.links {
		if !now.Before(exp) {
			delete(s.links, h)
		}
	}
	if len(s.links) >= maxLinks {
		return "", time.Time{}, errTooManyLinks
	}
	tok := randomToken()
	exp := now.Add(LinkTTL)
	s.links[sha256.Sum256([]byte(tok))] = exp
	return tok, exp, nil
}

// login spends token and opens a session; ok is false for a token that
// is unknown, spent or expired.
func (s *sessions) login(token string) (*session, bool) {
	now := s.now()
	h := sha256.Sum256([]byte(token))
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, found := s.links[h]
	delete(s.links, h)
	if !found || !now.Before(exp) {
		return nil, false
	}
	s.sweepLocked(now)
	if len(s.byID) >= maxSessions {
		var oldest *session
		for _, se := range s.byID {
			if oldest == nil || se.seen.Before(oldest.seen) {
				oldest = se
			}
		}
		delete(s.byID, oldest.id)
	}
	se := &session{id: randomToken(), csrf: randomToken(), created: now, seen: now, searches: map[string]string{}}
	s.byID[se.id] = se
	return se, true
}

// sweepLocked forgets expired sessions.
func (s *sessions) sweepLocked(now time.Time) {
	for id, se := range s.byID {
		if s.expired(se, now) {
			delete(s.byID, id)
		}
	}
}

func (s *sessions) expired(se *session, now time.Time) bool {
	return now.Sub(se.seen) > SessionIdle || now.Sub(se.created) > SessionLifetime
}

// get returns the live session of id and notes it was used.
func (s *sessions) get(id string) (*session, bool) {
	if id == "" {
		return nil, false
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	if s.expired(se, now) {
		delete(s.byID, id)
		return nil, false
	}
	se.seen = now
	return se, true
}

// logout ends session id.
func (s *sessions) logout(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

// csrfOf returns the session's CSRF token.
func (s *sessions) csrfOf(se *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return se.csrf
}

// setLang notes the language the session chose.
func (s *sessions) setLang(se *session, lang string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	se.lang = lang
}

// langOf returns the language the session chose, or "".
func (s *sessions) langOf(se *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return se.lang
}

// keepSearch keeps the text of a search in the session and returns its
// handle, for the URL of the results.
func (s *sessions) keepSearch(se *session, text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, t := range se.searches {
		if t == text {
			return h
		}
	}
	h := randomToken()[:16]
	se.searches[h] = text
	se.order = append(se.order, h)
	if len(se.order) > maxSearches {
		delete(se.searches, se.order[0])
		se.order = se.order[1:]
	}
	return h
}

// search returns the text of search handle h.
func (s *sessions) search(se *session, h string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := se.searches[h]
	return t, ok
}
