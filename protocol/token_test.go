package protocol

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func testToken(t testing.TB) InviteToken {
	_, id, _ := seedKey(t, 0x01)
	return InviteToken{Network: vecNetwork, Inviter: id, Addrs: []string{"/ip4/192.0.2.1/tcp/4001", "/ip6/2001:db8::1/udp/4001/quic-v1"},
		Secret: bytes.Repeat([]byte{0x03}, 32), Expires: "2026-02-08T12:00:00Z"}
}

func TestInviteTokenRoundTrip(t *testing.T) {
	t.Parallel()
	tok := testToken(t)
	s := tok.String()
	if !strings.HasPrefix(s, TokenPrefix) || strings.ContainsAny(s, "=-_/+ ") || strings.ToLower(s) != s {
		t.Fatalf("token %q is not one lower-case word", s)
	}
	wrapped := s[:40] + "\n  " + s[40:] + "\n"
	got, err := ParseInviteToken(wrapped)
	must(t, err)
	if got.String() != s {
		t.Fatalf("round trip changed the token")
	}
	info, err := got.AddrInfo()
	must(t, err)
	if info.ID != tok.Inviter || len(info.Addrs) != 2 {
		t.Fatalf("AddrInfo = %v", info)
	}
}

func TestInviteTokenRefused(t *testing.T) {
	t.Parallel()
	good := testToken(t).String()
	mutate := func(f func(*InviteToken)) string { tok := testToken(t); f(&tok); return tok.String() }
	cases := map[string]struct{ in, want string }{
		"no prefix":   {strings.TrimPrefix(good, TokenPrefix), "does not start with"},
		"cut short":   {good[:len(good)-7], "not copied whole"},
		"not base32":  {TokenPrefix + "!!!!", `character '!' at position 6 is not part of a token`},
		"upper case":  {strings.ToUpper(good), "does not start with"},
		"bad org":     {mutate(func(t *InviteToken) { t.Org = "   " }), "org"},
		"bad country": {mutate(func(t *InviteToken) { t.Country = "YU" }), "country"},
		"middle lost": {good[:40] + good[60:], "copy it again, whole"},
		"too long":    {TokenPrefix + strings.Repeat("a", MaxTokenLength), "at most"},
		"bad secret":  {mutate(func(t *InviteToken) { t.Secret = t.Secret[:5] }), "secret"},
		"bad addr":    {mutate(func(t *InviteToken) { t.Addrs = []string{"192.0.2.1:4001"} }), "multiaddr"},
		"no addr":     {mutate(func(t *InviteToken) { t.Addrs = nil }), "addresses"},
		"bad expiry":  {mutate(func(t *InviteToken) { t.Expires = "tomorrow" }), "expires"},
		"bad net":     {mutate(func(t *InviteToken) { t.Network = "x" }), "network"},
		"JSON field":  {TokenPrefix + toLower(lowerB32.EncodeToString([]byte(`{"x":1}`))), "unknown field"},
	}
	for name, c := range cases {
		if _, err := ParseInviteToken(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: ParseInviteToken = %v, want error containing %q", name, err, c.want)
		}
	}
}

// TestInviteTokenCut: a token cut short anywhere after its prefix (a
// line lost in copying, a selection that stopped early) says it was not
// copied whole, whatever the length.
func TestInviteTokenCut(t *testing.T) {
	t.Parallel()
	tok := testToken(t)
	tok.Org, tok.Country = "Open Gate – La Strada", "MK"
	good := tok.String()
	for n := len(TokenPrefix); n < len(good); n++ {
		got, err := ParseInviteToken(good[:n])
		if err == nil && got.String() == good {
			continue // only the JSON's final newline was lost
		}
		if err == nil || !strings.Contains(err.Error(), "it ends early") || !strings.Contains(err.Error(), "not copied whole") {
			t.Fatalf("token cut to %d of %d characters: %v", n, len(good), err)
		}
	}
}

// TestInviteTokenOrg: a token names the invited organisation and country;
// a token written without them (before they were added) is read as
// before.
func TestInviteTokenOrg(t *testing.T) {
	t.Parallel()
	tok := testToken(t)
	tok.Org, tok.Country = "Open Gate – La Strada", "MK"
	got, err := ParseInviteToken(tok.String())
	must(t, err)
	if got.Org != tok.Org || got.Country != "MK" {
		t.Fatalf("round trip: %q %q", got.Org, got.Country)
	}
	// The JSON of a token from before: no "o", no "c".
	old := TokenPrefix + toLower(lowerB32.EncodeToString([]byte(`{"n":"`+vecNetwork+`","i":"`+testToken(t).Inviter.String()+
		`","a":["/ip4/192.0.2.1/tcp/4001"],"s":"AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=","e":"2026-02-08T12:00:00Z"}`)))
	if got, err := ParseInviteToken(old); err != nil || got.Org != "" {
		t.Fatalf("token without org: %+v, %v", got, err)
	}
}

func TestJoinProofBindsPeer(t *testing.T) {
	t.Parallel()
	tok := testToken(t)
	_, joiner, _ := seedKey(t, 0x02)
	_, thief, _ := seedKey(t, 0x04)
	req, err := NewJoinRequest(tok, joiner, vecAge)
	must(t, err)
	must(t, req.VerifyProof())
	// A sniffed proof replayed for another peer does not verify.
	stolen := req
	stolen.Peer = thief
	if err := stolen.VerifyProof(); !errors.Is(err, ErrBadSignature) {
		t.Errorf("replayed proof for another peer: %v", err)
	}
	// Nor for another age recipient.
	other := req
	other.Age = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg"
	if err := other.VerifyProof(); !errors.Is(err, ErrBadSignature) {
		t.Errorf("proof with another age recipient: %v", err)
	}
	// A token with another secret cannot make a proof for this invite.
	forged := tok
	forged.Secret = bytes.Repeat([]byte{0x09}, 32)
	f, err := NewJoinRequest(forged, joiner, vecAge)
	must(t, err)
	f.Invite = req.Invite
	if err := f.VerifyProof(); !errors.Is(err, ErrBadSignature) {
		t.Errorf("proof from another secret: %v", err)
	}
}
