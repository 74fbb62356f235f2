package config

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	ma "github.com/multiformats/go-multiaddr"
	"golang.org/x/text/language"
)

// Validate checks a configuration built in code (as testnet does).
func (c Config) Validate() error {
	return c.validate(func(string) string { return "value" })
}

func (c Config) validate(origin func(key string) string) error {
	bad := func(key, format string, args ...any) error {
		return &Error{Key: key, Source: origin(key), Problem: fmt.Sprintf(format, args...)}
	}
	if strings.TrimSpace(c.Node.Org) == "" {
		return bad("node.org", "must name the organisation running this node")
	}
	if len(c.Node.Org) > 200 {
		return bad("node.org", "must be at most 200 bytes, got %d", len(c.Node.Org))
	}
	if err := CheckCountry(c.Node.Country); err != nil {
		return bad("node.country", "%v", err)
	}
	for _, s := range c.Network.Listen {
		if err := checkMultiaddr(s, false); err != nil {
			return bad("network.listen", "%q: %v", s, err)
		}
	}
	for _, s := range c.Network.Bootstrap {
		if err := checkMultiaddr(s, true); err != nil {
			return bad("network.bootstrap", "%q: %v", s, err)
		}
	}
	if c.API.Port < 0 || c.API.Port > 65535 {
		return bad("api.port", "must be 0..65535 (0 picks a free port), got %d", c.API.Port)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "must be one of debug, info, warn, error; got %q", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return bad("log.format", "must be text or json, got %q", c.Log.Format)
	}
	for _, s := range []struct {
		key string
		v   int
	}{{"store.index_cache_mb", c.Store.IndexCacheMB}, {"store.block_cache_mb", c.Store.BlockCacheMB}, {"store.memtable_mb", c.Store.MemTableMB}} {
		if s.v < 1 || s.v > 4096 {
			return bad(s.key, "must be 1..4096 (MiB), got %d", s.v)
		}
	}
	if c.Plugins.Dir == "" {
		return bad("plugins.dir", "must name a directory (relative to the home directory or absolute)")
	}
	if c.Plugins.CallTimeout < 100e6 || c.Plugins.CallTimeout > 600e9 {
		return bad("plugins.call_timeout", "must be between 100ms and 10m, got %s", c.Plugins.CallTimeout)
	}
	if c.Records.RetentionYears < 0 || c.Records.RetentionYears > 100 {
		return bad("records.retention_years", "must be 0..100 (years; 0 keeps personal answers until purged by hand), got %d", c.Records.RetentionYears)
	}
	if err := c.UI.validate(bad); err != nil {
		return err
	}
	return c.Query.validate(bad)
}

// validate checks the web interface's keys one by one. That a remote
// listener has a certificate, a key and host names is checked when the
// node starts it (node.CheckUIRemote), as keys are set one at a time.
func (u UI) validate(bad func(key, format string, args ...any) error) error {
	r := u.Remote
	if r.Listen != "" {
		host, port, err := net.SplitHostPort(r.Listen)
		if err != nil {
			return bad("ui.remote.listen", "%q must be host:port, e.g. 0.0.0.0:8443 or 192.168.1.20:8443: %v", r.Listen, err)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			return bad("ui.remote.listen", "%q: the port must be 0..65535 (0 picks a free port)", r.Listen)
		}
		if host != "" && net.ParseIP(host) == nil {
			return bad("ui.remote.listen", "%q: give an IP address to listen on (0.0.0.0 for every interface), not a name", r.Listen)
		}
	}
	for _, h := range r.Hosts {
		if !hostName.MatchString(h) && net.ParseIP(strings.Trim(h, "[]")) == nil {
			return bad("ui.remote.hosts", "%q is not a host name or IP address (no scheme, no port, no path)", h)
		}
	}
	return nil
}

// hostName matches a DNS name: letters, digits, hyphens, dots.
var hostName = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// validate checks the query policy's values; the node checks the record
// kinds against the forms' catalogue when it starts.
func (q Query) validate(bad func(key, format string, args ...any) error) error {
	if len(q.AllowRoles) == 0 {
		return bad("query.allow_roles", "must name at least one role (analyst, associate, partner); to answer no one, list one requester in query.allow_requesters")
	}
	for _, r := range q.AllowRoles {
		if r != "analyst" && r != "associate" && r != "partner" {
			return bad("query.allow_roles", "%q is not a role; allowed are analyst, associate, partner", r)
		}
	}
	if q.MaxPerDay < 1 || q.MaxPerDay > 1_000_000 {
		return bad("query.max_per_day", "must be 1..1000000, got %d", q.MaxPerDay)
	}
	if q.NFilterTab < 3 || q.NFilterTab > 1000 {
		return bad("query.nfilter_tab", "must be 3..1000 (3 is DataSHIELD's floor, 5 the default, 11 what IOM's CTDC publishes with), got %d", q.NFilterTab)
	}
	if q.NFilterSubset != 0 && (q.NFilterSubset < 3 || q.NFilterSubset > 1000) {
		return bad("query.nfilter_subset", "must be 0 (the same as nfilter_tab) or 3..1000, got %d", q.NFilterSubset)
	}
	switch q.Noise.Mode {
	case "off", "on_request", "always":
	default:
		return bad("query.noise.mode", "must be off, on_request or always; got %q", q.Noise.Mode)
	}
	for _, e := range []struct {
		key string
		v   float64
	}{{"query.noise.epsilon", q.Noise.Epsilon}, {"query.noise.max_epsilon", q.Noise.MaxEpsilon}, {"query.noise.budget", q.Noise.Budget}} {
		if !(e.v >= 0.001 && e.v <= 1000) {
			return bad(e.key, "must be 0.001..1000, got %g", e.v)
		}
	}
	if q.Noise.Epsilon > q.Noise.MaxEpsilon {
		return bad("query.noise.epsilon", "%g is above query.noise.max_epsilon (%g)", q.Noise.Epsilon, q.Noise.MaxEpsilon)
	}
	if q.Noise.MaxEpsilon > q.Noise.Budget {
		return bad("query.noise.max_epsilon", "%g is above query.noise.budget (%g): no query could spend it", q.Noise.MaxEpsilon, q.Noise.Budget)
	}
	switch q.Noise.Period {
	case "day", "month", "year":
	default:
		return bad("query.noise.period", "must be day, month or year; got %q", q.Noise.Period)
	}
	for _, l := range []struct {
		key    string
		v, max int
	}{{"query.max_bytes", q.MaxBytes, 65536}, {"query.max_groups", q.MaxGroups, 16}, {"query.max_nesting", q.MaxNesting, 32}} {
		if l.v < 1 || l.v > l.max {
			return bad(l.key, "must be 1..%d, got %d", l.max, l.v)
		}
	}
	return nil
}

// CheckCountry accepts an ISO 3166-1 alpha-2 country code in upper case,
// and XK, the code in use for Kosovo.
func CheckCountry(cc string) error {
	if len(cc) != 2 || strings.ToUpper(cc) != cc {
		return fmt.Errorf("must be an ISO 3166-1 alpha-2 country code in upper case such as RS, HR, BA, MK, AL, ME, XK; got %q", cc)
	}
	// golang.org/x/text carries the ISO 3166 registry; we use it rather
	// than keep a list of our own. It also knows CLDR's regions that are
	// not countries of ISO 3166-1: the exceptionally reserved codes (UN,
	// EZ, AC, TA, ...) have no UN M49 number, and codes replaced by one
	// other (UK, DD, FX, ZR) canonicalise to it.
	r, err := language.ParseRegion(cc)
	if err != nil || !r.IsCountry() || r.Canonicalize().String() != cc || r.M49() == 0 || cc == "UK" || withdrawn[cc] {
		return fmt.Errorf("%q is not an ISO 3166-1 alpha-2 country code (examples: RS, HR, BA, MK, AL, ME, XK)", cc)
	}
	return nil
}

// withdrawn are codes of countries that split into several, which x/text
// still knows as regions (with no single code to canonicalise to).
// Serbia and Montenegro (CS) and Yugoslavia (YU) matter here: a node in
// Serbia is RS, in Montenegro ME.
var withdrawn = map[string]bool{"AN": true, "CS": true, "NT": true, "SU": true, "YU": true}

func checkMultiaddr(s string, needPeer bool) error {
	a, err := ma.NewMultiaddr(s)
	if err != nil {
		return fmt.Errorf("not a multiaddr (example: /ip4/0.0.0.0/tcp/4710): %v", err)
	}
	for _, p := range []int{ma.P_TCP, ma.P_UDP} {
		if v, err := a.ValueForProtocol(p); err == nil {
			var n int
			if _, err := fmt.Sscan(v, &n); err != nil || n < 0 || n > 65535 {
				return fmt.Errorf("port must be 0..65535, got %s", v)
			}
		}
	}
	if needPeer {
		// The peer ID must be last (libp2p's AddrInfoFromString reads it
		// from there); a /p2p/ in the middle names a relay, not the peer.
		if _, last := ma.SplitLast(a); last == nil || last.Protocol().Code != ma.P_P2P {
			return fmt.Errorf("must end in /p2p/<peer id> so the peer can be authenticated")
		}
	}
	return nil
}
