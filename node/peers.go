package node

import (
	"net/http"
	"slices"
	"strings"

	"github.com/kolo-net/kolo/plugins/host"
)

// PeerInfo is one peer connected now, as `GET /v1/peers` and the web
// interface's node pages show it.
type PeerInfo struct {
	ID      string   `json:"id"`
	Org     string   `json:"org,omitempty"` // "" when it is not a member
	Country string   `json:"country,omitempty"`
	Roles   []string `json:"roles,omitempty"`
	Revoked bool     `json:"revoked,omitempty"`
	Addrs   []string `json:"addrs"` // the addresses of its open connections
}

// Peers lists the peers connected now, members by organisation first.
func (n *Node) Peers() []PeerInfo {
	out := []PeerInfo{}
	for _, p := range n.host.Network().Peers() {
		pi := PeerInfo{ID: p.String(), Addrs: []string{}}
		for _, c := range n.host.Network().ConnsToPeer(p) {
			pi.Addrs = append(pi.Addrs, c.RemoteMultiaddr().String())
		}
		if m, ok := n.reg.Member(p); ok {
			pi.Org, pi.Country, pi.Revoked = m.Certificate.Org, m.Certificate.Country, m.Revoked != ""
			for _, r := range m.Certificate.Roles {
				pi.Roles = append(pi.Roles, string(r))
			}
		}
		out = append(out, pi)
	}
	slices.SortFunc(out, func(a, b PeerInfo) int {
		if (a.Org == "") != (b.Org == "") {
			if a.Org == "" {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.Org, b.Org); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// PluginInfo is one form plugin and its health, as `GET /v1/plugins` and
// the web interface show it.
type PluginInfo struct {
	Name     string   `json:"name"`
	Command  string   `json:"command"`
	BuiltIn  bool     `json:"built_in"`
	Forms    []string `json:"forms"`
	Running  bool     `json:"running"`
	Restarts int      `json:"restarts"`
	Problem  string   `json:"problem,omitempty"` // "" when healthy
}

// PluginHealth reports every form plugin the node runs.
func (n *Node) PluginHealth() []host.PluginStatus {
	if n.plugins == nil {
		return nil
	}
	return n.plugins.Plugins()
}

// pluginInfos is PluginHealth for JSON.
func pluginInfos(ps []host.PluginStatus) []PluginInfo {
	out := make([]PluginInfo, len(ps))
	for i, p := range ps {
		out[i] = PluginInfo{Name: p.Name, Command: p.Command, BuiltIn: p.BuiltIn, Forms: p.Forms, Running: p.Running, Restarts: p.Restarts}
		if out[i].Forms == nil {
			out[i].Forms = []string{}
		}
		if p.Err != nil {
			out[i].Problem = p.Err.Error()
		}
	}
	return out
}

// peerRoutes registers the endpoints of the node's peers and plugins.
func (n *Node) peerRoutes() {
	n.api.HandleJSON("GET /v1/peers", func(*http.Request) (any, error) { return n.Peers(), nil })
	n.api.HandleJSON("GET /v1/plugins", func(*http.Request) (any, error) { return pluginInfos(n.PluginHealth()), nil })
}
