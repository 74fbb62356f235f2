package protocol

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
)

// fakeHandler serves a fixed set of records and admits one invite key.
type fakeHandler struct {
	records []Record
	invite  string
	network Network
	cert    Certificate
	gotHave int
}

func (f *fakeHandler) Join(ctx context.Context, from peer.ID, req JoinRequest) (JoinResponse, error) {
	if req.Invite != f.invite {
		return JoinResponse{}, errors.New("unknown invite token")
	}
	if err := req.VerifyProof(); err != nil {
		return JoinResponse{}, err
	}
	return JoinResponse{Network: &f.network, Certificate: &f.cert}, nil
}

func (f *fakeHandler) Admit(ctx context.Context, from peer.ID, req JoinRequest, cert Certificate) error {
	return cert.Verify()
}

func (f *fakeHandler) Missing(ctx context.Context, from peer.ID, network string, have map[Hash]struct{}) ([]Record, error) {
	f.gotHave = len(have)
	if network != vecNetwork {
		return nil, fmt.Errorf("not a member of network %s", network)
	}
	var out []Record
	for _, r := range f.records {
		h, err := r.Hash()
		if err != nil {
			return nil, err
		}
		if _, ok := have[h]; !ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// endorsements makes n signed endorsements by the key of seed 0x07.
func endorsements(t *testing.T, n int) []Record {
	k, id, _ := seedKey(t, 0x07)
	out := make([]Record, n)
	for i := range out {
		e := Endorsement{Network: vecNetwork, Declaration: strings.Repeat("ab", 32),
			Org: fmt.Sprintf("Organisation number %04d with a rather long name", i), Country: "MK", Date: "2026-03-01", Signer: id}
		must(t, e.Sign(k))
		out[i] = Record{Endorsement: &e}
	}
	return out
}

// TestSyncPages pulls enough records and sends enough hashes to need
// several pages each way, over a real in-memory connection.
func TestSyncPages(t *testing.T) {
	t.Parallel()
	recs := endorsements(t, 400)
	h := &fakeHandler{records: recs}
	var have []Hash
	for _, r := range recs[:100] {
		hh, err := r.Hash()
		must(t, err)
		have = append(have, hh)
	}
	for i := range 3000 { // hashes of records the server does not have
		have = append(have, Hash{byte(i), byte(i >> 8), 1})
	}
	client, server := net.Pipe()
	defer client.Close()
	errc := make(chan error, 1)
	go func() { errc <- ServeSync(context.Background(), server, "server", h); server.Close() }()
	got, err := PullRecords(context.Background(), client, vecNetwork, have)
	must(t, err)
	must(t, <-errc)
	if h.gotHave != len(have) {
		t.Errorf("server saw %d hashes, client sent %d", h.gotHave, len(have))
	}
	if len(got) != 300 {
		t.Fatalf("pulled %d records, want the 300 the client lacks", len(got))
	}
	for _, r := range got {
		must(t, r.Endorsement.Verify())
	}
}

func TestSyncRefusedNetwork(t *testing.T) {
	t.Parallel()
	client, server := net.Pipe()
	defer client.Close()
	go func() { ServeSync(context.Background(), server, "server", &fakeHandler{}); server.Close() }()
	_, err := PullRecords(context.Background(), client, "kolovectorsnetworkid22345b", nil)
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "not a member") {
		t.Fatalf("PullRecords for another network = %v", err)
	}
}

func TestJoinExchange(t *testing.T) {
	t.Parallel()
	tok := testToken(t)
	key, err := InviteKey(tok.Secret)
	must(t, err)
	var n Network
	var offered Record
	for _, v := range loadVectors(t) {
		switch v.Name {
		case "network":
			must(t, Decode(v.Record, MaxMessageSize, &n))
		case "member certificate":
			must(t, Decode(v.Record, MaxMessageSize, &offered))
		}
	}
	offer := *offered.Certificate
	offer.PeerSignature = nil
	h := &fakeHandler{invite: key, network: n, cert: offer}
	jkey, joiner, _ := seedKey(t, 0x02)
	accept := func(resp JoinResponse) ([]byte, error) {
		c := *resp.Certificate
		if err := c.VerifyOffer(); err != nil {
			return nil, err
		}
		err := c.Accept(jkey)
		return c.PeerSignature, err
	}

	run := func(req JoinRequest, accept func(JoinResponse) ([]byte, error)) (JoinResponse, error, error) {
		client, server := net.Pipe()
		defer client.Close()
		errc := make(chan error, 1)
		go func() { errc <- ServeJoin(context.Background(), server, joiner, h); server.Close() }()
		resp, err := RequestJoin(context.Background(), client, req, accept)
		if err != nil {
			client.Close()
		}
		return resp, err, <-errc
	}
	req, err := NewJoinRequest(tok, joiner, vecAge)
	must(t, err)
	resp, cerr, serr := run(req, accept)
	if cerr != nil || serr != nil || resp.Network.ID != vecNetwork {
		t.Fatalf("join: client %v, server %v", cerr, serr)
	}
	if err := resp.Certificate.Verify(); err != nil {
		t.Fatalf("the certificate after the exchange: %v", err)
	}
	// A signature that does not verify is refused by the inviter.
	_, cerr, serr = run(req, func(JoinResponse) ([]byte, error) { return make([]byte, 64), nil })
	if !errors.Is(cerr, ErrRefused) || !errors.Is(serr, ErrDenied) {
		t.Fatalf("join with a bad signature: client %v, server %v", cerr, serr)
	}
	other := tok
	other.Secret = make([]byte, 32)
	bad, err := NewJoinRequest(other, joiner, vecAge)
	must(t, err)
	_, cerr, serr = run(bad, accept)
	if !errors.Is(cerr, ErrRefused) || !strings.Contains(cerr.Error(), "unknown invite token") || !errors.Is(serr, ErrDenied) {
		t.Fatalf("join with an unknown invite: client %v, server %v", cerr, serr)
	}
}
