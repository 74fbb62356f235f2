package gossip

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
)

// The join fuzz target's invite: a fixed secret, so that the proofs and
// signatures of its seeds verify in every run.
const joiner = 3

var joinSecret = bytes.Repeat([]byte{0x77}, 32)

// inviter returns a node of the cast holding an open invite for the
// joiner's organisation: the founder (which) = 0, or a member the founder
// admitted (1), whose offers carry a chain. It returns the token too.
func (c *cast) inviter(tb testing.TB, which int) (*fuzzNode, protocol.InviteToken) {
	tb.Helper()
	ctx := context.Background()
	idx := 0
	kv := newMemKV()
	if which%2 == 1 {
		idx = 2
		founder := c.node(tb, kv)
		cert := protocol.Certificate{Network: castNetwork, Peer: c.ids[idx], Age: c.age(idx), Org: c.org(idx, 0), Country: c.country(idx),
			Roles: []protocol.Role{protocol.RolePartner}, Issued: protocol.FormatTime(castT0.Add(time.Hour)), AdmittedBy: c.ids[0]}
		if err := cert.Sign(c.keys[0]); err != nil {
			tb.Fatal(err)
		}
		if err := cert.Accept(c.keys[idx]); err != nil {
			tb.Fatal(err)
		}
		if _, err := founder.reg.AddCertificate(ctx, cert); err != nil {
			tb.Fatal(err)
		}
	}
	key, err := protocol.InviteKey(joinSecret)
	if err != nil {
		tb.Fatal(err)
	}
	inv := membership.Invite{Key: key, Org: c.org(joiner, 0), Country: c.country(joiner), Roles: []protocol.Role{protocol.RolePartner},
		Created: protocol.FormatTime(castNow.Add(-time.Hour)), Expires: protocol.FormatTime(castNow.Add(24 * time.Hour))}
	b, err := protocol.Encode(inv)
	if err != nil {
		tb.Fatal(err)
	}
	if err := kv.Put([]byte("reg/invite/"+key), b); err != nil {
		tb.Fatal(err)
	}
	n := c.nodeOf(tb, kv, c.keys[idx], true)
	if n.reg.OpenInvites() != 1 {
		tb.Fatal("the inviter holds no open invite")
	}
	tok := protocol.InviteToken{Network: castNetwork, Inviter: c.ids[idx], Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}, Secret: joinSecret,
		Expires: inv.Expires, Org: inv.Org, Country: inv.Country}
	return n, tok
}

// honestJoin runs a join exchange between the inviter and the joiner over
// an in-memory connection and returns what each side sent.
func honestJoin(tb testing.TB, c *cast, which int) (fromJoiner, fromInviter []byte) {
	tb.Helper()
	ctx := context.Background()
	inv, tok := c.inviter(tb, which)
	j := c.nodeOf(tb, nil, c.keys[joiner], false)
	req, err := protocol.NewJoinRequest(tok, c.ids[joiner], c.age(joiner))
	if err != nil {
		tb.Fatal(err)
	}
	toInviter, toJoiner := newPipeBuffer(), newPipeBuffer()
	done := make(chan error, 1)
	go func() {
		done <- protocol.ServeJoin(ctx, duplex{toInviter, toJoiner}, c.ids[joiner], answerer{inv.g})
	}()
	resp, err := protocol.RequestJoin(ctx, duplex{toJoiner, toInviter}, req, func(r protocol.JoinResponse) ([]byte, error) {
		return j.reg.AcceptOffer(ctx, tok, c.age(joiner), r)
	})
	if err != nil {
		tb.Fatal(err) // ServeJoin's goroutine stays blocked: the test fails anyway
	}
	if err := <-done; err != nil {
		tb.Fatal(err)
	}
	if err := j.reg.Adopt(ctx, tok, resp); err != nil {
		tb.Fatal(err)
	}
	return toInviter.all(), toJoiner.all()
}

// pipeBuffer is a blocking in-memory byte queue that keeps everything
// written, so a test can read what one side sent.
type pipeBuffer struct {
	ch   chan []byte
	rest []byte
	log  bytes.Buffer
}

func newPipeBuffer() *pipeBuffer { return &pipeBuffer{ch: make(chan []byte, 64)} }

func (p *pipeBuffer) Write(b []byte) (int, error) {
	p.log.Write(b)
	p.ch <- append([]byte(nil), b...)
	return len(b), nil
}

func (p *pipeBuffer) Read(b []byte) (int, error) {
	if len(p.rest) == 0 {
		p.rest = <-p.ch
	}
	n := copy(b, p.rest)
	p.rest = p.rest[n:]
	return n, nil
}

func (p *pipeBuffer) all() []byte { return p.log.Bytes() }

type duplex struct {
	r io.Reader
	w io.Writer
}

func (d duplex) Read(b []byte) (int, error)  { return d.r.Read(b) }
func (d duplex) Write(b []byte) (int, error) { return d.w.Write(b) }

// FuzzJoin plays the other end of a join exchange with arbitrary bytes.
//
// As the joining peer (the inviter runs ServeJoin with the node's
// Offer and Admit): a member is admitted only with the invite's
// organisation, country and roles, the request's age recipient and both
// signatures, the invite is then used by that peer, and at most one
// member is added; a refusal before the invite proof verifies does not
// name the network.
//
// As the inviter (the joiner runs RequestJoin with AcceptOffer, then
// Adopt): the joiner signs nothing unless the offer is a certificate for
// itself from the token's inviter, in the token's network; and it ends
// either a member of the token's network with a certificate signed by
// both, or holding no network at all.
func FuzzJoin(f *testing.F) {
	c := newCast(f)
	for which := range 2 {
		fromJoiner, fromInviter := honestJoin(f, c, which)
		f.Add(true, uint8(which), fromJoiner)
		f.Add(false, uint8(which), fromInviter)
	}
	f.Add(true, uint8(0), frameJSON(f, protocol.JoinRequest{Network: castNetwork}))
	f.Add(false, uint8(0), frameJSON(f, protocol.JoinResponse{Error: "no"}))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, asJoiner bool, which uint8, data []byte) {
		inv, tok := c.inviter(t, int(which))
		if asJoiner {
			before := len(inv.reg.Members())
			s := &stream{Reader: bytes.NewReader(data)}
			protocol.ServeJoin(ctx, s, c.ids[joiner], answerer{inv.g})
			var req protocol.JoinRequest
			reqErr := protocol.NewConn(bytes.NewBuffer(data)).Receive(&req)
			proved := reqErr == nil && req.VerifyProof() == nil && req.Network == castNetwork && req.Invite == inv.reg.Invites()[0].Key
			var resp protocol.JoinResponse
			if err := protocol.NewConn(bytes.NewBuffer(s.out.Bytes())).Receive(&resp); err == nil && resp.Error != "" && !proved {
				if strings.Contains(resp.Error, castNetwork) {
					t.Fatalf("a refusal before the invite proof names the network: %q", resp.Error)
				}
			}
			after := inv.reg.Members()
			if len(after) > before+1 {
				t.Fatalf("one join added %d members", len(after)-before)
			}
			m, ok := inv.reg.Member(c.ids[joiner])
			if !ok {
				return
			}
			iv := inv.reg.Invites()[0]
			cert := m.Certificate
			switch {
			case !proved:
				t.Fatal("admitted without a request proving the invite")
			case iv.UsedBy != c.ids[joiner] || iv.Certificate != m.Hash.String():
				t.Fatalf("admitted, but the invite is %+v", iv)
			case cert.Org != iv.Org || cert.Country != iv.Country || protocol.JoinRoles(cert.Roles) != protocol.JoinRoles(iv.Roles) || cert.Age != req.Age:
				t.Fatalf("admitted with %+v; the invite says %+v, the request age %s", cert, iv, req.Age)
			case cert.Verify() != nil:
				t.Fatalf("admitted with a certificate that does not verify: %v", cert.Verify())
			}
			return
		}
		j := c.nodeOf(t, nil, c.keys[joiner], false)
		req, err := protocol.NewJoinRequest(tok, c.ids[joiner], c.age(joiner))
		if err != nil {
			t.Fatal(err)
		}
		s := &stream{Reader: bytes.NewReader(data)}
		var offered *protocol.Certificate
		resp, err := protocol.RequestJoin(ctx, s, req, func(r protocol.JoinResponse) ([]byte, error) {
			sig, err := j.reg.AcceptOffer(ctx, tok, c.age(joiner), r)
			if err == nil {
				offered = r.Certificate
			}
			return sig, err
		})
		sent := protocol.NewConn(bytes.NewBuffer(s.out.Bytes()))
		var echo protocol.JoinRequest
		if sent.Receive(&echo) != nil {
			t.Fatal("the joiner did not send its request first")
		}
		var consent protocol.JoinConsent
		if sent.Receive(&consent) == nil {
			if offered == nil {
				t.Fatal("the joiner signed an offer it refused")
			}
			if offered.Peer != c.ids[joiner] || offered.AdmittedBy != tok.Inviter || offered.Network != tok.Network || offered.Age != c.age(joiner) {
				t.Fatalf("the joiner signed an offer for %s by %s in %s with age %s", offered.Peer, offered.AdmittedBy, offered.Network, offered.Age)
			}
		}
		if err == nil {
			err = j.reg.Adopt(ctx, tok, resp)
		}
		n, inNetwork := j.reg.Network()
		switch {
		case err != nil && inNetwork:
			t.Fatalf("a join that failed (%v) left the joiner in network %s", err, n.ID)
		case err == nil && (!inNetwork || n.ID != tok.Network || !j.reg.IsMember(c.ids[joiner])):
			t.Fatalf("a join that succeeded left the joiner in network %q (member: %v)", n.ID, j.reg.IsMember(c.ids[joiner]))
		case err == nil:
			m, _ := j.reg.Member(c.ids[joiner])
			if m.Certificate.Verify() != nil || m.Certificate.AdmittedBy != tok.Inviter {
				t.Fatalf("joined with a certificate by %s: %v", m.Certificate.AdmittedBy, m.Certificate.Verify())
			}
		}
	})
}

// TestJoinSeedsReplay: FuzzJoin's seeds are whole exchanges that succeed
// when replayed (the invite, clock and keys are fixed), so the fuzzer
// starts from admissions, not refusals.
func TestJoinSeedsReplay(t *testing.T) {
	t.Parallel()
	c := newCast(t)
	ctx := context.Background()
	for which := range 2 {
		fromJoiner, fromInviter := honestJoin(t, c, which)
		inv, tok := c.inviter(t, which)
		s := &stream{Reader: bytes.NewReader(fromJoiner)}
		if err := protocol.ServeJoin(ctx, s, c.ids[joiner], answerer{inv.g}); err != nil || !inv.reg.IsMember(c.ids[joiner]) {
			t.Fatalf("inviter %d: the joiner's recorded side does not join again: %v", which, err)
		}
		j := c.nodeOf(t, nil, c.keys[joiner], false)
		req, err := protocol.NewJoinRequest(tok, c.ids[joiner], c.age(joiner))
		if err != nil {
			t.Fatal(err)
		}
		s = &stream{Reader: bytes.NewReader(fromInviter)}
		resp, err := protocol.RequestJoin(ctx, s, req, func(r protocol.JoinResponse) ([]byte, error) {
			return j.reg.AcceptOffer(ctx, tok, c.age(joiner), r)
		})
		if err == nil {
			err = j.reg.Adopt(ctx, tok, resp)
		}
		if err != nil || !j.reg.IsMember(c.ids[joiner]) {
			t.Fatalf("inviter %d: the inviter's recorded side does not make a member again: %v", which, err)
		}
	}
}
