// Package ui is a kolo node's web interface: server-rendered pages, under
// /ui/ on the local API's address (127.0.0.1), for the CSO's monitors,
// its coordinator and analysts, who do in a browser what the kolo
// commands do.
//
// The pages talk only to their own node. Every asset (templates, one CSS
// file, a few small scripts) is embedded in the binary: no CDN, no web
// font, no request to anywhere else, so the interface works on an office
// machine without internet.
//
// The package does not import package node. It declares what it needs of
// the node as small interfaces ([Records], [NodeInfo], [Network],
// [Analyst], together [Backend]); package node implements them in
// node/ui_wiring*.go with the same methods its JSON API handlers call, so
// no rule has a second implementation here.
//
// # Security
//
//   - Login: `kolo ui` asks the daemon (bearer API) for a one-time link,
//     /ui/login?t=TOKEN, valid 5 minutes and spent on first use; it sets a
//     session cookie (HttpOnly, SameSite=Strict, Path=/ui/, Secure over
//     TLS) and redirects so the token leaves the address bar. Sessions
//     live in the daemon's memory: idle timeout 12 h, absolute 7 days.
//   - Every change is a POST with the session's CSRF token (a hidden field
//     "csrf", compared in constant time) and an Origin header equal to the
//     server's own origin (a POST without Origin is refused).
//   - The Host header of every request must name this server (127.0.0.1,
//     localhost or [::1] with the listener's port, or a configured name on
//     the TLS listener): a page of another site that a DNS name was
//     rebound to 127.0.0.1 for is refused.
//   - Every response carries a strict Content-Security-Policy (no inline
//     script or style, nothing from elsewhere), nosniff, no referrer to
//     another site, no framing; pages with data are not cached.
//   - No personal or free-text answer is put in a URL or a log line: record
//     IDs are random, and the text of a search is kept in the session and
//     named by an opaque handle.
//
// # Writing a page
//
// A page is a handler registered with [Server.page] (GET, session needed)
// or [Server.action] (POST, session, Origin and CSRF needed) in the
// routes function of its area (records_*.go, node_*.go, network_*.go,
// analyst_*.go), rendering templates/<name>.html inside templates/
// layout.html with [Server.render]. In a template, .T "key" translates a
// key of the interface's catalogue (plugins/sdk UIText, keys "ui.*"), and
// .Data is the page's own data.
package ui
