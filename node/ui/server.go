package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Prefix is where the interface is served.
const Prefix = "/ui/"

// maxFormBody caps the body of an ordinary form post (a record's answers
// are at most records.MaxRecordBytes as JSON; a form posts less).
const maxFormBody = 1 << 20

// Options configure a Server.
type Options struct {
	Backend Backend
	Logger  *slog.Logger // nil discards; no personal answer is ever logged
	// RemoteHosts are the names the TLS listener may be reached by
	// (config ui.remote.hosts); the local listener takes loopback names.
	RemoteHosts []string
	Org         string           // the organisation running the node, for the header
	Now         func() time.Time // nil means time.Now
}

// Server is the web interface. It is an http.Handler for Prefix (and /,
// which it redirects to Prefix).
type Server struct {
	b           Backend
	log         *slog.Logger
	now         func() time.Time
	remoteHosts []string
	orgName     string
	jobs        *importJobs
	// ctx ends when the server closes: imports running in the background
	// stop with it, and wg waits for them.
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	sessions *sessions
	tmpl     templates
	mux      *http.ServeMux
	static   http.Handler
}

// New returns the interface's server.
func New(opts Options) (*Server, error) {
	if opts.Backend == nil {
		return nil, errors.New("ui: no backend")
	}
	s := &Server{b: opts.Backend, log: opts.Logger, now: opts.Now, orgName: opts.Org}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	for _, h := range opts.RemoteHosts {
		s.remoteHosts = append(s.remoteHosts, strings.ToLower(strings.Trim(h, "[]")))
	}
	s.sessions = newSessions(s.now)
	s.jobs = newImportJobs(s.now)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.tmpl = t
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	s.static = http.StripPrefix(Prefix+"static/", http.FileServerFS(sub))
	s.mux = http.NewServeMux()
	s.routes()
	return s, nil
}

// Close stops the imports running in the background and waits for them
// (an import stopped before its end stores nothing), or until ctx ends.
func (s *Server) Close(ctx context.Context) error {
	s.cancel()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("web interface: imports still running: %w", ctx.Err())
	}
}

// NewLoginToken makes a one-time login token, valid LinkTTL; the link is
// LoginPath(token) on this server's address.
func (s *Server) NewLoginToken() (string, time.Time, error) { return s.sessions.newLink() }

// LoginPath is the path of the login link of token.
func LoginPath(token string) string { return Prefix + "login?t=" + token }

// routes registers every page.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
	})
	s.mux.HandleFunc("GET /ui", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix, http.StatusSeeOther)
	})
	s.mux.HandleFunc("GET "+Prefix+"static/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		s.static.ServeHTTP(w, r)
	})
	s.public("GET "+Prefix+"login", s.login)
	s.action("POST "+Prefix+"logout", s.logout)
	s.publicAction("POST "+Prefix+"lang", s.chooseLanguage)
	s.page("GET "+Prefix+"{$}", s.home)
	s.page("GET "+Prefix, func(w http.ResponseWriter, rq *request) error { return errNotFound })
	s.recordsRoutes()
	s.nodeRoutes()
	s.networkRoutes()
	s.analystRoutes()
}

// ServeHTTP checks the Host header and serves the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	if !s.hostAllowed(r) {
		// Deliberately plain: the page asking is not this server's.
		http.Error(w, "refused: the Host header does not name this kolo node (DNS rebinding?); open the address kolo ui prints", http.StatusMisdirectedRequest)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// request is an incoming request with its session and language.
type request struct {
	*http.Request
	sess *session // nil on a public page without a session
	lang string
}

// handler is a page's handler; an error it returns is shown as an error
// page (see httpError).
type handler func(w http.ResponseWriter, rq *request) error

// httpError is an error page: a status and a catalogue key.
type httpError struct {
	code int
	key  string
	// detail is shown under the key's text (an error message of the
	// node's code, which never holds personal answers).
	detail string
}

func (e *httpError) Error() string { return e.key + ": " + e.detail }

// errorPage is the data of the error page.
type errorPage struct{ Detail string }

var (
	errNotFound  = &httpError{code: http.StatusNotFound, key: "ui.error.not_found"}
	errForbidden = &httpError{code: http.StatusForbidden, key: "ui.error.forbidden"}
)

// badRequest is an error page for input the node refused.
func badRequest(err error) error {
	return &httpError{code: http.StatusBadRequest, key: "ui.error.bad_request", detail: err.Error()}
}

// sessionOf returns the request's live session, or nil.
func (s *Server) sessionOf(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	se, _ := s.sessions.get(c.Value)
	return se
}

// serve runs h, rendering an error it returns.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, se *session, h handler) {
	rq := &request{Request: r, sess: se, lang: s.langOf(r, se)}
	if err := h(w, rq); err != nil {
		s.fail(w, rq, err)
	}
}

// fail renders err as an error page.
func (s *Server) fail(w http.ResponseWriter, rq *request, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		// The node's own errors name what was wrong, never an answer.
		s.log.Error("page failed", "path", rq.URL.Path, "error", err)
		he = &httpError{code: http.StatusInternalServerError, key: "ui.error.internal", detail: err.Error()}
	}
	s.render(w, rq, he.code, "error", Page{Title: T(rq.lang, he.key), Data: errorPage{Detail: he.detail}})
}

// public registers a page that needs no session (it uses one if there is).
func (s *Server) public(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, s.sessionOf(r), h)
	})
}

// page registers a page that needs a session: without one it says how to
// log in.
func (s *Server) page(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		se := s.sessionOf(r)
		if se == nil {
			s.serve(w, r, nil, s.loginNeeded)
			return
		}
		s.serve(w, r, se, h)
	})
}

// action registers a state-changing POST: it needs a session, an Origin
// header naming this server and the session's CSRF token. body caps the
// request body (0: maxFormBody); a multipart form reads its own.
func (s *Server) action(pattern string, h handler) { s.actionWith(pattern, maxFormBody, h) }

func (s *Server) actionWith(pattern string, body int64, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, body)
		se := s.sessionOf(r)
		if se == nil {
			s.serve(w, r, nil, s.loginNeeded)
			return
		}
		if !originAllowed(r) {
			s.serve(w, r, se, func(http.ResponseWriter, *request) error { return errForbidden })
			return
		}
		if !csrfAllowed(csrfField(r), s.sessions.csrfOf(se)) {
			s.serve(w, r, se, func(http.ResponseWriter, *request) error { return errForbidden })
			return
		}
		s.serve(w, r, se, h)
	})
}

// publicAction registers a POST that needs no session but must come from
// this server's pages (the language switch on the login page): Origin,
// and the CSRF token when there is a session.
func (s *Server) publicAction(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		se := s.sessionOf(r)
		if !originAllowed(r) || (se != nil && !csrfAllowed(csrfField(r), s.sessions.csrfOf(se))) {
			s.serve(w, r, se, func(http.ResponseWriter, *request) error { return errForbidden })
			return
		}
		s.serve(w, r, se, h)
	})
}

// csrfField reads the csrf field of a form post.
func csrfField(r *http.Request) string { return r.PostFormValue("csrf") }

// upload registers a state-changing POST of a multipart form (a file):
// as action, but the body is read as it streams, so the form's first
// field must be its csrf field (the hidden input first in the form; a
// browser sends fields in the form's order). h gets the reader of the
// remaining parts.
func (s *Server) upload(pattern string, body int64, h func(w http.ResponseWriter, rq *request, mr *multipart.Reader) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, body)
		se := s.sessionOf(r)
		if se == nil {
			s.serve(w, r, nil, s.loginNeeded)
			return
		}
		refuse := func(http.ResponseWriter, *request) error { return errForbidden }
		if !originAllowed(r) {
			s.serve(w, r, se, refuse)
			return
		}
		mr, err := r.MultipartReader()
		if err != nil {
			s.serve(w, r, se, refuse)
			return
		}
		part, err := mr.NextPart()
		if err != nil || part.FormName() != "csrf" {
			s.serve(w, r, se, refuse)
			return
		}
		tok, err := io.ReadAll(io.LimitReader(part, 256))
		if err != nil || !csrfAllowed(string(tok), s.sessions.csrfOf(se)) {
			s.serve(w, r, se, refuse)
			return
		}
		s.serve(w, r, se, func(w http.ResponseWriter, rq *request) error { return h(w, rq, mr) })
	})
}

// redirect answers a POST with a 303 to path (redirect after POST).
func redirect(w http.ResponseWriter, rq *request, path string) error {
	http.Redirect(w, rq.Request, path, http.StatusSeeOther)
	return nil
}

// languages are the languages offered, from the forms served.
func (s *Server) languages(ctx context.Context) []Language {
	var forms []sdk.FormInfo
	for _, f := range s.b.FormList(ctx) {
		forms = append(forms, sdk.FormInfo{Title: f.Title})
	}
	return languages(forms)
}

// org is the organisation running the node, for the header.
func (s *Server) org(context.Context) string { return s.orgName }
