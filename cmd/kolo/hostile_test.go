package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	libp2pprotocol "github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// hostile is a peer written with go-libp2p alone that speaks kolo's
// documented protocols as it likes: a member's key gone bad.
type hostile struct {
	t     *testing.T
	key   crypto.PrivKey
	id    peer.ID
	age   *age.X25519Identity
	host  host.Host
	net   protocol.Network
	cert  protocol.Certificate
	topic *pubsub.Topic
	// answers are the sealed answers nodes delivered to it.
	mu      sync.Mutex
	answers []protocol.Answer
}

func newHostile(t *testing.T) *hostile {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(k)
	ai, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	h, err := libp2p.New(libp2p.Identity(k), libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"),
		libp2p.Transport(tcp.NewTCPTransport), libp2p.DisableRelay(), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	x := &hostile{t: t, key: k, id: id, age: ai, host: h}
	h.SetStreamHandler(protocol.AnswerID, func(s network.Stream) {
		c := protocol.NewConnSize(s, protocol.MaxAnswerSize)
		var a protocol.Answer
		if err := c.Receive(&a); err == nil {
			x.mu.Lock()
			x.answers = append(x.answers, a)
			x.mu.Unlock()
			c.Send(protocol.AnswerAck{})
		}
		s.Close()
	})
	return x
}

// join presents token over the join protocol, accepting whatever it is
// offered, and then connects again as a member.
func (x *hostile) join(ctx context.Context, token string) {
	t := x.t
	t.Helper()
	tok, err := protocol.ParseInviteToken(token)
	if err != nil {
		t.Fatal(err)
	}
	info, err := tok.AddrInfo()
	if err != nil {
		t.Fatal(err)
	}
	if err := x.host.Connect(ctx, info); err != nil {
		t.Fatal(err)
	}
	s, err := x.host.NewStream(ctx, info.ID, protocol.JoinID)
	if err != nil {
		t.Fatal(err)
	}
	req, err := protocol.NewJoinRequest(tok, x.id, x.age.Recipient().String())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := protocol.RequestJoin(ctx, s, req, func(offer protocol.JoinResponse) ([]byte, error) {
		c := *offer.Certificate
		err := c.Accept(x.key)
		return c.PeerSignature, err
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	x.net, x.cert = *resp.Network, *resp.Certificate
	x.host.Network().ClosePeer(info.ID)
	if err := x.host.Connect(ctx, info); err != nil {
		t.Fatal(err)
	}
	ps, err := pubsub.NewGossipSub(ctx, x.host, pubsub.WithFloodPublish(true))
	if err != nil {
		t.Fatal(err)
	}
	if x.topic, err = ps.Join(protocol.RecordsTopic(x.net.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := x.topic.Subscribe(); err != nil {
		t.Fatal(err)
	}
}

// publish sends raw bytes on the records topic.
func (x *hostile) publish(ctx context.Context, data []byte) {
	x.t.Helper()
	if err := x.topic.Publish(ctx, data); err != nil {
		x.t.Fatal(err)
	}
}

func (x *hostile) publishRecord(ctx context.Context, rec protocol.Record) {
	x.t.Helper()
	b, err := protocol.Encode(rec)
	if err != nil {
		x.t.Fatal(err)
	}
	x.publish(ctx, b)
}

// query signs a query as this member.
func (x *hostile) query(text string, issued time.Time, wait time.Duration, id string) protocol.Query {
	x.t.Helper()
	if id == "" {
		id, _ = protocol.NewQueryID()
	}
	q := protocol.Query{Network: x.net.ID, ID: id, Requester: x.id, Text: text,
		Issued: protocol.FormatTime(issued), Expires: protocol.FormatTime(issued.Add(wait))}
	if err := q.Sign(x.key); err != nil {
		x.t.Fatal(err)
	}
	return q
}

// answerFrom returns the opened answer node delivered to query id, if any.
func (x *hostile) answerFrom(node peer.ID, qh string) (*federation.Sealed, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, a := range x.answers {
		if a.Answerer != node || a.Query != qh {
			continue
		}
		r, err := age.Decrypt(bytes.NewReader(a.Sealed), x.age)
		if err != nil {
			x.t.Fatal(err)
		}
		var s federation.Sealed
		if err := json.NewDecoder(r).Decode(&s); err != nil {
			x.t.Fatal(err)
		}
		return &s, true
	}
	return nil, false
}

// logHas waits until d's log holds a line with every one of parts.
func logHas(t *testing.T, d *daemon, within time.Duration, parts ...string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		for _, l := range strings.Split(d.stderr.String(), "\n") {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(l, p)
			}
			if all {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the node did not log a line with %q within %s:\n%s", parts, within, tail(d.stderr.String(), 40))
		}
		time.Sleep(20 * time.Millisecond) // polling another process's log
	}
}

// peakRSS is the largest resident memory process pid had (VmHWM), in KiB.
func peakRSS(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// TestHostilePeers attacks a real daemon (A) from a hostile member (H)
// and a passer-by (S), both plain go-libp2p hosts speaking kolo's
// protocols, while an honest member (B) keeps working with A: forged and
// backdated records, a replayed and an oversize query, messages over the
// size caps, streams that never finish, 5,000 streams at once, a gossip
// flood, a non-member during an open invite and, last, H revoked. Each is
// refused or cut off with a log line; A keeps answering B; A's peak memory
// stays bounded and is reported.
func TestHostilePeers(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	a, _ := initNode(t, nil)
	b := filepath.Join(t.TempDir(), "node")
	if _, errOut, code := kolo(t, nil, "init", "--home", b, "--org", "Hrabri telefon", "--country", "HR"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	run := func(home string, args ...string) string {
		t.Helper()
		out, errOut, code := kolo(t, nil, append(args, "--home", home)...)
		if code != 0 {
			t.Fatalf("kolo %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	da := startDaemon(t, a, nil)
	startDaemon(t, b, nil)
	run(a, "network", "create", "--name", "WB network")
	tokB := strings.TrimSpace(run(a, "invite", "--org", "Hrabri telefon", "--country", "HR", "--role", "partner,analyst"))
	if _, errOut, code := koloIn(t, nil, tokB, "join", "--home", b); code != 0 {
		t.Fatalf("join: %s", errOut)
	}
	run(a, "record", "import", "--form", "rs.judgment", judgmentsJSONL(t, "rs", "judgment.v2.json", 8))
	x := newHostile(t)
	x.join(ctx, strings.TrimSpace(run(a, "invite", "--org", "Hostile Org", "--country", "AL", "--role", "partner,analyst")))
	var aID peer.ID
	for _, f := range strings.Fields(da.ready) {
		if v, ok := strings.CutPrefix(f, "peer="); ok {
			aID, _ = peer.Decode(v)
		}
	}
	// Wait until A's GossipSub takes H as a topic peer.
	deadline := time.Now().Add(20 * time.Second)
	for !slicesContains(x.topic.ListPeers(), aID) {
		if time.Now().After(deadline) {
			t.Fatal("A and H never saw each other on the records topic")
		}
		time.Sleep(20 * time.Millisecond) // polling go-libp2p's view
	}

	t.Run("forged record", func(t *testing.T) {
		e := protocol.Endorsement{Network: x.net.ID, Declaration: x.net.Declaration.SHA256, Org: x.cert.Org, Country: x.cert.Country,
			Date: protocol.FormatDate(time.Now()), Signer: x.id}
		if err := e.Sign(x.key); err != nil {
			t.Fatal(err)
		}
		e.Signature[3] ^= 0xff
		x.publishRecord(ctx, protocol.Record{Endorsement: &e})
		logHas(t, da, 10*time.Second, "gossip: rejected record", "signature does not verify", x.id.String())
	})

	t.Run("oversize messages", func(t *testing.T) {
		for _, p := range []struct {
			id   string
			size int
		}{{string(protocol.SyncID), protocol.MaxMessageSize + 1}, {string(protocol.AnswerID), protocol.MaxAnswerSize + 1}} {
			s, err := x.host.NewStream(ctx, aID, protocolID(p.id))
			if err != nil {
				t.Fatal(err)
			}
			var hdr [binary.MaxVarintLen64]byte
			n := binary.PutUvarint(hdr[:], uint64(p.size))
			s.Write(hdr[:n])
			s.Write(make([]byte, 4096))
			buf := make([]byte, 1)
			s.SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, err := s.Read(buf); err == nil {
				t.Fatalf("%s: A answered an oversize message", p.id)
			}
			s.Reset()
		}
		logHas(t, da, 10*time.Second, "sync answer failed", "longer than 65536 bytes", x.id.String())
		logHas(t, da, 10*time.Second, "answer refused", "longer than 1048576 bytes", x.id.String())
	})

	t.Run("hostile queries", func(t *testing.T) {
		now := time.Now()
		big := x.query("count judgment by country, year, court_level, verdict, offence", now, time.Minute, "")
		junk := x.query("drop table judgments", now, time.Minute, "")
		for _, q := range []protocol.Query{big, junk} {
			x.publishRecord(ctx, protocol.Record{Query: &q})
		}
		for q, reason := range map[*protocol.Query]string{&big: query.ReasonLimits, &junk: federation.ReasonInvalid} {
			h, _ := q.Hash()
			deadline := time.Now().Add(20 * time.Second)
			for {
				s, ok := x.answerFrom(aID, h.String())
				if ok {
					if s.Answer.Refused == nil || s.Answer.Refused.Reason != reason || len(s.Answer.Cells) != 0 {
						t.Fatalf("A's answer to %q: %+v %+v", q.Text, s.Answer, s.Answer.Refused)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("A sent no refusal for %q", q.Text)
				}
				time.Sleep(20 * time.Millisecond) // polling what A delivered
			}
		}
		// The same id again with another text: a replay.
		replay := x.query("count police_case by country", now, time.Minute, big.ID)
		x.publishRecord(ctx, protocol.Record{Query: &replay})
		// An expired query, and one dated next week.
		old := x.query("count judgment by country", now.Add(-2*time.Hour), time.Hour, "")
		future := x.query("count judgment by country", now.Add(7*24*time.Hour), time.Hour, "")
		x.publishRecord(ctx, protocol.Record{Query: &old})
		x.publishRecord(ctx, protocol.Record{Query: &future})
		logHas(t, da, 10*time.Second, "gossip: rejected record", "kind=query", "seen before", x.id.String())
		logHas(t, da, 10*time.Second, "gossip: rejected record", "kind=query", "expired", x.id.String())
		logHas(t, da, 10*time.Second, "gossip: rejected record", "kind=query", "later than now", x.id.String())
		var es []audit.Entry
		if err := json.Unmarshal([]byte(run(a, "audit", "--json", "--event", "query_refused")), &es); err != nil {
			t.Fatal(err)
		}
		reasons := map[string]bool{}
		for _, e := range es {
			reasons[e.Reason] = true
		}
		for _, r := range []string{query.ReasonLimits, federation.ReasonInvalid, "replay", "expired", "issued_in_future"} {
			if !reasons[r] {
				t.Errorf("A's audit log has no refusal %q: %v", r, reasons)
			}
		}
	})

	t.Run("streams that never finish, 5,000 at once, a gossip flood", func(t *testing.T) {
		var opened, refused atomic.Int64
		var wg sync.WaitGroup
		sem := make(chan struct{}, 256)
		for range 5000 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				s, err := x.host.NewStream(ctx, aID, protocol.SyncID)
				if err != nil {
					refused.Add(1)
					return
				}
				opened.Add(1)
				// A first page that announces more, then nothing.
				c := protocol.NewConn(s)
				c.Send(protocol.SyncRequest{Network: x.net.ID, More: true})
				go func() { time.Sleep(45 * time.Second); s.Reset() }() // the hostile side lets go eventually
			}()
		}
		go func() {
			for i := range 20000 {
				x.topic.Publish(ctx, []byte(fmt.Sprintf("{\"garbage\":%d}", i)))
			}
		}()
		// Meanwhile the honest member signs; A counts it.
		run(b, "declaration", "sign", "--yes")
		counted := time.Now().Add(30 * time.Second)
		for {
			var st declaration.Status
			if err := json.Unmarshal([]byte(run(a, "declaration", "status", "--json")), &st); err != nil {
				t.Fatal(err)
			}
			if st.Count == 1 {
				break
			}
			if time.Now().After(counted) {
				t.Fatalf("A did not count the honest member's endorsement during the attack")
			}
			time.Sleep(50 * time.Millisecond) // polling another process
		}
		wg.Wait()
		t.Logf("5,000 streams: %d opened, %d refused by A", opened.Load(), refused.Load())
		logHas(t, da, 10*time.Second, "gossip: rejected malformed record", x.id.String())
		if n := strings.Count(da.stderr.String(), "gossip: rejected malformed record"); n > 30 {
			t.Fatalf("the gossip flood made A log %d lines", n)
		}
		// A resets the streams left hanging once their deadline passes.
		logHas(t, da, 45*time.Second, "sync answer failed", x.id.String(), "deadline")
	})

	t.Run("the honest member still asks and is answered", func(t *testing.T) {
		var st federation.Status
		if err := json.Unmarshal([]byte(run(b, "query", "count judgment by country", "--json", "--timeout", "15s")), &st); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range st.Combined.Cells {
			if c.Group[0] == "RS" && c.Value != nil && *c.Value == 8 {
				found = true
			}
		}
		if !found {
			t.Fatalf("B's query after the attacks: %+v", st.Combined.Cells)
		}
	})

	t.Run("a non-member during an open invite", func(t *testing.T) {
		run(a, "invite", "--org", "Someone", "--country", "ME", "--role", "associate")
		s := newHostile(t)
		info := peer.AddrInfo{ID: aID, Addrs: x.host.Peerstore().Addrs(aID)}
		if err := s.host.Connect(ctx, info); err != nil {
			t.Fatalf("with an invite open a passer-by cannot even connect: %v", err)
		}
		for _, p := range []string{string(protocol.SyncID), string(protocol.AnswerID)} {
			st, err := s.host.NewStream(ctx, aID, protocolID(p))
			if err == nil {
				st.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, err = st.Read(make([]byte, 1))
			}
			if err == nil {
				t.Fatalf("%s answered a non-member", p)
			}
		}
		logHas(t, da, 10*time.Second, "sync refused: not a member", s.id.String())
		logHas(t, da, 10*time.Second, "answer refused: not a member", s.id.String())
		gone := time.Now().Add(30 * time.Second)
		for s.host.Network().Connectedness(aID) == network.Connected {
			if time.Now().After(gone) {
				t.Fatal("A kept a non-member that did not join connected for 30 s")
			}
			time.Sleep(50 * time.Millisecond) // polling go-libp2p's view
		}
		logHas(t, da, 5*time.Second, "non-member that did not join", s.id.String())
	})

	t.Run("a revoked member", func(t *testing.T) {
		run(a, "members", "revoke", x.id.String(), "--yes")
		gone := time.Now().Add(20 * time.Second)
		for x.host.Network().Connectedness(aID) == network.Connected {
			if time.Now().After(gone) {
				t.Fatal("A kept the revoked member connected")
			}
			time.Sleep(50 * time.Millisecond) // polling go-libp2p's view
		}
		x.host.Connect(ctx, peer.AddrInfo{ID: aID, Addrs: x.host.Peerstore().Addrs(aID)}) // the outcome on the dialling side depends on the transport
		// An invite is open (for someone else), but a revoked member is
		// refused all the same.
		logHas(t, da, 10*time.Second, "gater: refused connection from a revoked member", x.id.String())
	})

	kib := peakRSS(t, da.cmd.Process.Pid)
	t.Logf("A's peak resident memory through the attacks: %d MiB", kib/1024)
	if kib > 512*1024 {
		t.Fatalf("A's peak resident memory was %d MiB, over the daemon's 512 MiB soft limit", kib/1024)
	}
}

func protocolID(s string) libp2pProtocolID { return libp2pProtocolID(s) }

func slicesContains(ps []peer.ID, p peer.ID) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

type libp2pProtocolID = libp2pprotocol.ID
