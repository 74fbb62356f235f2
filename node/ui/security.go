package ui

import (
	"crypto/subtle"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// contentSecurityPolicy allows scripts, styles and images from the node
// itself only, and no inline script or style.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: under no-referrer Chromium sends
	// "Origin: null" with a form's POST, and the Origin check needs the
	// real one. No referrer ever goes to another site either way.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// loopbackNames are the names a browser on this machine reaches the local
// listener by.
var loopbackNames = []string{"127.0.0.1", "localhost", "::1"}

// hostAllowed reports whether r's Host header names this server: on the
// plain local listener, a loopback name with the listener's port; on the
// TLS listener, one of the configured remote names with its port. A page
// that a rebound DNS name brought to 127.0.0.1 sends its own name, and is
// refused.
func (s *Server) hostAllowed(r *http.Request) bool {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = r.Host, ""
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if port == "" {
		port = "80"
		if r.TLS != nil {
			port = "443"
		}
	}
	if local := localPort(r); local == "" || port != local {
		return false
	}
	if r.TLS != nil {
		return slices.Contains(s.remoteHosts, host)
	}
	return slices.Contains(loopbackNames, host)
}

// localPort is the port of the listener r came in on ("" if unknown).
func localPort(r *http.Request) string {
	addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return ""
	}
	if ta, ok := addr.(*net.TCPAddr); ok {
		return strconv.Itoa(ta.Port)
	}
	_, p, err := net.SplitHostPort(addr.String())
	if err != nil {
		return ""
	}
	return p
}

// origin is the server's own origin as the browser names it, from r's
// (already checked) Host header.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + strings.ToLower(r.Host)
}

// originAllowed reports whether a state-changing request comes from this
// server's own pages: its Origin header must be the server's origin. A
// browser sends Origin with every POST; a request without one is refused.
func originAllowed(r *http.Request) bool {
	o := r.Header.Get("Origin")
	return o != "" && strings.EqualFold(o, origin(r))
}

// csrfAllowed reports whether the request's csrf form field is the
// session's token, compared in constant time.
func csrfAllowed(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// safeNext returns next if it is a path of the interface (for a redirect
// back after choosing a language), else the home page.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix) || strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") ||
		strings.Contains(next, "/../") || strings.HasSuffix(next, "/..") {
		return Prefix
	}
	return next
}
