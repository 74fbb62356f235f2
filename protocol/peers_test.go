package protocol

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/record"
	ma "github.com/multiformats/go-multiaddr"
)

// signedPeerRecord is peer id's record with addrs, sealed with key (id's
// own key, or another to forge one).
func signedPeerRecord(t testing.TB, key crypto.PrivKey, id peer.ID, seq uint64, addrs ...string) []byte {
	t.Helper()
	rec := &peer.PeerRecord{PeerID: id, Seq: seq}
	for _, a := range addrs {
		rec.Addrs = append(rec.Addrs, ma.StringCast(a))
	}
	env, err := record.Seal(rec, key)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := env.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestPeersExchange: a member's answer carries the signed peer records it
// holds; each opens to its peer and addresses; a record sealed by another
// key than its peer's, one too large, and an answer for another network
// are refused.
func TestPeersExchange(t *testing.T) {
	t.Parallel()
	k1, id1, _ := seedKey(t, 0x11)
	k2, id2, _ := seedKey(t, 0x12)
	good := signedPeerRecord(t, k1, id1, 7, "/ip4/10.77.0.11/tcp/4710", "/ip4/10.77.0.11/udp/4710/quic-v1")
	forged := signedPeerRecord(t, k2, id1, 8, "/ip4/203.0.113.9/tcp/4710") // id1's record, sealed by id2
	big := make([]byte, MaxPeerRecordSize+1)

	client, server := net.Pipe()
	errc := make(chan error, 1)
	go func() { errc <- ServePeers(server, id2, vecNetwork, [][]byte{good, big, forged}); server.Close() }()
	recs, err := RequestPeers(client, vecNetwork)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || !bytes.Equal(recs[0], good) {
		t.Fatalf("the answer carries %d records; want the good and the forged one (the oversized left out)", len(recs))
	}
	pr, err := OpenPeerRecord(recs[0])
	if err != nil || pr.PeerID != id1 || pr.Seq != 7 || len(pr.Addrs) != 2 || pr.Addrs[0].String() != "/ip4/10.77.0.11/tcp/4710" {
		t.Fatalf("OpenPeerRecord: %+v, %v", pr, err)
	}
	if _, err := OpenPeerRecord(recs[1]); err == nil || !strings.Contains(err.Error(), "not by "+id1.String()) {
		t.Fatalf("a record sealed by another key: %v", err)
	}
	if _, err := OpenPeerRecord(big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("an oversized record: %v", err)
	}
	if _, err := OpenPeerRecord([]byte("not an envelope")); err == nil {
		t.Fatal("garbage opened")
	}

	client, server = net.Pipe()
	go func() { errc <- ServePeers(server, id2, vecNetwork, [][]byte{good}); server.Close() }()
	if _, err := RequestPeers(client, "aaaaaaaaaaaaaaaaaaaaaaaaaa"); !errors.Is(err, ErrRefused) {
		t.Fatalf("asking about another network: %v", err)
	}
	if err := <-errc; !errors.Is(err, ErrDenied) {
		t.Fatalf("serving another network: %v", err)
	}

	// At most MaxPeerRecords, and within MaxMessageSize.
	many := make([][]byte, MaxPeerRecords+10)
	for i := range many {
		many[i] = good
	}
	client, server = net.Pipe()
	go func() { errc <- ServePeers(server, id2, vecNetwork, many); server.Close() }()
	if recs, err := RequestPeers(client, vecNetwork); err != nil || len(recs) != MaxPeerRecords {
		t.Fatalf("a long answer: %d records, %v; want %d", len(recs), err, MaxPeerRecords)
	}
	<-errc
}

// FuzzOpenPeerRecord feeds arbitrary bytes to the signed peer record
// check, and arbitrary frames to the answer decoder: no panic, and what
// opens names a peer whose key signed it.
func FuzzOpenPeerRecord(f *testing.F) {
	k1, id1, _ := seedKey(f, 0x11)
	k2, _, _ := seedKey(f, 0x12)
	seeds := [][]byte{
		signedPeerRecord(f, k1, id1, 7, "/ip4/10.77.0.11/tcp/4710", "/ip4/10.77.0.11/udp/4710/quic-v1"),
		signedPeerRecord(f, k2, id1, 8, "/ip4/203.0.113.9/tcp/4710"),
		signedPeerRecord(f, k1, id1, 9),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	ans, err := Encode(PeersAnswer{Records: seeds})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(frame(ans))
	f.Add(frame([]byte(`{"network":"kolovectorsnetworkid22345a"}`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if pr, err := OpenPeerRecord(data); err == nil {
			env, _, err := record.ConsumeEnvelope(data, peer.PeerRecordEnvelopeDomain)
			if err != nil {
				t.Fatalf("opened, but the envelope does not: %v", err)
			}
			if signer, _ := peer.IDFromPublicKey(env.PublicKey); signer != pr.PeerID {
				t.Fatalf("opened a record of %s signed by %s", pr.PeerID, signer)
			}
		}
		var ans PeersAnswer
		if err := NewConn(bytes.NewBuffer(data)).Receive(&ans); err == nil {
			for _, r := range ans.Records {
				_, _ = OpenPeerRecord(r)
			}
		}
		var req PeersRequest
		_ = NewConn(bytes.NewBuffer(data)).Receive(&req)
	})
}
