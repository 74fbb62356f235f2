package node

import (
	"fmt"
	"slices"
	"testing"

	ma "github.com/multiformats/go-multiaddr"
)

// TestInviteAddrs: an invite token carries public addresses first, then
// LAN ones, then relay ones, keeps one slot for loopback, skips addresses
// nobody else can dial, and holds at most 8.
func TestInviteAddrs(t *testing.T) {
	t.Parallel()
	parse := func(ss ...string) []ma.Multiaddr {
		var out []ma.Multiaddr
		for _, s := range ss {
			out = append(out, ma.StringCast(s))
		}
		return out
	}
	relay := "/ip4/198.51.100.7/tcp/4710/p2p/12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq/p2p-circuit"
	tests := []struct {
		name string
		in   []ma.Multiaddr
		want []string
	}{
		{"loopback only (testnet)", parse("/ip4/127.0.0.1/tcp/1", "/ip4/127.0.0.1/udp/2/quic-v1"),
			[]string{"/ip4/127.0.0.1/tcp/1", "/ip4/127.0.0.1/udp/2/quic-v1"}},
		{"office node", parse("/ip4/127.0.0.1/tcp/4710", "/ip4/192.168.1.20/tcp/4710", "/ip6/fe80::1/tcp/4710",
			"/ip4/0.0.0.0/tcp/4710", relay, "/ip4/100.101.102.103/tcp/4710", "/ip4/93.184.216.34/udp/4710/quic-v1", "/ip4/192.168.1.20/tcp/4710"),
			[]string{"/ip4/93.184.216.34/udp/4710/quic-v1", "/ip4/192.168.1.20/tcp/4710", "/ip4/100.101.102.103/tcp/4710", relay, "/ip4/127.0.0.1/tcp/4710"}},
	}
	var many []string
	for i := range 12 {
		many = append(many, fmt.Sprintf("/ip4/93.184.216.%d/tcp/4710", i+1))
	}
	tests = append(tests, struct {
		name string
		in   []ma.Multiaddr
		want []string
	}{"at most 8, loopback kept", parse(append(many, "/ip4/127.0.0.1/tcp/4710", "/ip6/::1/tcp/4710")...),
		append(slices.Clone(many[:7]), "/ip4/127.0.0.1/tcp/4710")})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inviteAddrs(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("inviteAddrs =\n  %v\nwant\n  %v", got, tt.want)
			}
		})
	}
}
