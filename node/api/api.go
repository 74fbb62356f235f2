// Package api is the node's local HTTP API: the daemon serves it on
// 127.0.0.1 and the other kolo commands use it while the daemon runs.
//
// Every request carries a bearer token that the daemon writes, mode 0600,
// to api.token in the node's home when it starts; daemon.json beside it
// says where the API listens. Both files go when the daemon stops. Only
// someone who can read the home directory can talk to the node.
package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// Files the daemon writes into the home directory while it runs.
const (
	TokenFile  = "api.token"
	DaemonFile = "daemon.json"
)

// MaxRequestBody caps a request body; record imports send at most this.
const MaxRequestBody = 64 << 20

// Daemon is the content of daemon.json.
type Daemon struct {
	PID int    `json:"pid"`
	URL string `json:"url"`
}

// Problem is the body of every error response.
type Problem struct {
	Error string `json:"error"`
}

// Server is the local API server.
type Server struct {
	mux   *http.ServeMux
	token string
	log   *slog.Logger
	ln    net.Listener
	srv   *http.Server
	// ui, if set, serves uiPrefix without the bearer token (HandleUI).
	ui       http.Handler
	uiPrefix string
}

// NewToken returns a fresh random bearer token.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("api token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// NewServer returns a server that requires token on every request.
func NewServer(token string, log *slog.Logger) *Server {
	return &Server{mux: http.NewServeMux(), token: token, log: log}
}

// HandleJSON registers a handler whose result is sent as JSON. pattern is
// a net/http pattern such as "GET /v1/status". An error that is an *Error
// gives its status code; any other error is a 500 with its message.
func (s *Server) HandleJSON(pattern string, h func(r *http.Request) (any, error)) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBody)
		out, err := h(r)
		if err != nil {
			code := http.StatusInternalServerError
			var ae *Error
			if errors.As(err, &ae) {
				code = ae.Code
			}
			writeJSON(w, code, Problem{Error: err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// HandleStream registers a handler that writes its own response body, for
// an answer too large to hold (a backup). An error it returns before it
// wrote anything is sent as HandleJSON sends one; an error after that cuts
// the connection, so the client reads a broken body, never one that looks
// complete.
func (s *Server) HandleStream(pattern string, h func(w http.ResponseWriter, r *http.Request) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxRequestBody)
		sw := &streamWriter{ResponseWriter: w}
		if err := h(sw, r); err != nil {
			if sw.wrote {
				s.log.Warn("stream cut", "path", r.URL.Path, "err", err)
				panic(http.ErrAbortHandler)
			}
			code := http.StatusInternalServerError
			var ae *Error
			if errors.As(err, &ae) {
				code = ae.Code
			}
			writeJSON(w, code, Problem{Error: err.Error()})
		}
	})
}

// streamWriter notes whether anything was written.
type streamWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *streamWriter) WriteHeader(code int) { w.wrote = true; w.ResponseWriter.WriteHeader(code) }
func (w *streamWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// HandleUI mounts h under prefix ("/ui/"), exempt from the bearer token:
// h authenticates its requests itself (the web interface's session
// cookie, node/ui). A GET of / is redirected to prefix, so the bare
// address opens the interface. Everything else keeps needing the token.
// Call it before Serve.
func (s *Server) HandleUI(prefix string, h http.Handler) {
	s.ui, s.uiPrefix = h, prefix
}

// uiRequest reports whether r goes to the handler of HandleUI.
func (s *Server) uiRequest(r *http.Request) bool {
	if s.ui == nil {
		return false
	}
	p := r.URL.Path
	return strings.HasPrefix(p, s.uiPrefix) || p == strings.TrimSuffix(s.uiPrefix, "/") || p == "/"
}

// Error is an error with an HTTP status code.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// BadRequest wraps err as a 400.
func BadRequest(err error) error { return &Error{Code: http.StatusBadRequest, Err: err} }

// NotFound wraps err as a 404.
func NotFound(err error) error { return &Error{Code: http.StatusNotFound, Err: err} }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func (s *Server) authorised(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}

// Listen binds 127.0.0.1:port (0 picks a free port).
func (s *Server) Listen(port int) error {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return fmt.Errorf("local API on 127.0.0.1:%d: %w (is api.port in use by another program or node?)", port, err)
	}
	s.ln = ln
	// The server is made here, not in Serve, so that a Shutdown racing a
	// Serve started in another goroutine reads a field already set.
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return nil
}

// URL is where the server listens, once Listen has returned.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Serve serves until Shutdown. Call Listen first.
func (s *Server) Serve() error {
	if s.srv == nil {
		return errors.New("local API: Serve called before Listen")
	}
	err := s.srv.Serve(s.ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.uiRequest(r) {
		s.ui.ServeHTTP(w, r)
		return
	}
	if !s.authorised(r) {
		writeJSON(w, http.StatusUnauthorized, Problem{Error: "missing or wrong bearer token (see api.token in the node's home)"})
		return
	}
	s.mux.ServeHTTP(&jsonErrors{ResponseWriter: w, r: r}, r)
}

// Shutdown stops the server, waiting for requests in flight until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		if s.ln != nil {
			return s.ln.Close()
		}
		return nil
	}
	return s.srv.Shutdown(ctx)
}

// jsonErrors makes the answers net/http writes itself, in plain text or
// HTML (no such endpoint, a method the endpoint does not take, a redirect
// to a cleaned path), JSON Problems like every other answer of this API,
// so that a client always reads a JSON error saying what was wrong.
type jsonErrors struct {
	http.ResponseWriter
	r        *http.Request
	replaced bool
}

func (j *jsonErrors) WriteHeader(code int) {
	h := j.Header()
	if code < 300 || h.Get("Content-Type") == "application/json" {
		j.ResponseWriter.WriteHeader(code)
		return
	}
	j.replaced = true
	msg := fmt.Sprintf("no endpoint %s %s", j.r.Method, j.r.URL.Path)
	switch {
	case code == http.StatusMethodNotAllowed:
		msg = fmt.Sprintf("%s %s: method not allowed; this endpoint takes %s", j.r.Method, j.r.URL.Path, h.Get("Allow"))
	case code >= 300 && code < 400:
		msg = fmt.Sprintf("%s %s: the path is written %s", j.r.Method, j.r.URL.Path, h.Get("Location"))
	}
	h.Del("Content-Length")
	writeJSON(j.ResponseWriter, code, Problem{Error: msg})
}

func (j *jsonErrors) Write(b []byte) (int, error) {
	if j.replaced {
		return len(b), nil // net/http's own text, replaced by the Problem
	}
	return j.ResponseWriter.Write(b)
}
