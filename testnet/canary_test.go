package testnet

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/keys"
	ma "github.com/multiformats/go-multiaddr"
)

// wire sits between test nodes: a recording TCP proxy in front of each,
// and the address map that makes every node announce its proxy. With
// node.WireTap the nodes speak plaintext, so wire holds every byte they
// exchange, in clear.
type wire struct {
	mu      sync.Mutex
	bytes   bytes.Buffer
	proxies map[string]ma.Multiaddr // a node's TCP listen address -> its proxy's
}

func (w *wire) announce(listen []ma.Multiaddr) []ma.Multiaddr {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []ma.Multiaddr
	for _, a := range listen {
		if p, ok := w.proxies[a.String()]; ok {
			out = append(out, p)
		}
	}
	return out
}

func (w *wire) record(p []byte) {
	w.mu.Lock()
	w.bytes.Write(p)
	w.mu.Unlock()
}

func (w *wire) Write(p []byte) (int, error) { w.record(p); return len(p), nil }

// proxy starts a recording proxy to target (host:port) and maps listen to it.
func (w *wire) proxy(t *testing.T, listen ma.Multiaddr, target string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	addr, err := ma.NewMultiaddr("/ip4/127.0.0.1/tcp/" + strings.Split(l.Addr().String(), ":")[1])
	if err != nil {
		t.Fatal(err)
	}
	w.mu.Lock()
	w.proxies[listen.String()] = addr
	w.mu.Unlock()
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			go func() { io.Copy(io.MultiWriter(out, w), in); out.Close() }()
			go func() { io.Copy(io.MultiWriter(in, w), out); in.Close() }()
		}
	}()
}

func (w *wire) contains(s string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Contains(w.bytes.Bytes(), []byte(s))
}

// TestNoCanaryCrossesTheWire: every personal and free-text answer of every
// record of four nodes holds a canary string; the nodes form the network,
// endorse, and answer a run of queries of every aggregate, while a proxy
// records every byte between them, in plaintext. No canary appears in what
// crossed, in the answers the requester opened, or in any log line at
// any level (debug included), or in clear in any file under a node's
// home.
func TestNoCanaryCrossesTheWire(t *testing.T) {
	t.Parallel()
	const canary = "zq7CANARYzq7"
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	w := &wire{proxies: map[string]ma.Multiaddr{}}
	logs := &logBuffer{}
	net := startNetLevel(ctx, t, 4, logs, node.Options{WireTap: &node.WireTap{Announce: w.announce}}, slog.LevelDebug)
	for i := range net.Len() {
		for _, a := range net.Node(i).Host().Network().ListenAddresses() {
			port, err := a.ValueForProtocol(ma.P_TCP)
			if err != nil {
				t.Fatal(err)
			}
			w.proxy(t, a, "127.0.0.1:"+port)
		}
	}
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	if err := net.EndorseAll(ctx); err != nil {
		t.Fatal(err)
	}
	placed := 0
	for i := range net.Len() {
		_, c, err := SeedCanaries(ctx, net.Node(i), 60, uint64(i+7), canary)
		if err != nil {
			t.Fatal(err)
		}
		placed += c
	}
	if placed < 100 {
		t.Fatalf("only %d canaries placed", placed)
	}
	var ids []string
	for _, text := range []string{
		"count judgment by country, year",
		"mean(sentence_months) judgment by country",
		"share(compensation_claimed) judgment by country",
		"sum(assets_confiscated_eur) judgment by country",
		"median(proceedings_days) judgment by country",
		"histogram(sentence_months; 0, 12, 36, 60, 120) judgment by country",
		"count police_case by country, referral_source",
		"count victim_support by country, age_group",
		"count engagement by country",
		"count legislation by country, stage",
		"count trial_hearing by country",
	} {
		st := ask(ctx, t, net, 0, text)
		ids = append(ids, st.ID)
	}
	// The capture works: the query texts and organisation names crossed
	// in clear.
	for _, control := range []string{"count judgment by country, year", Org(2)} {
		if !w.contains(control) {
			t.Fatalf("the capture does not hold %q: it is not reading the wire", control)
		}
	}
	if w.contains(canary) {
		w.mu.Lock()
		i := bytes.Index(w.bytes.Bytes(), []byte(canary))
		around := w.bytes.Bytes()[max(0, i-200):min(w.bytes.Len(), i+200)]
		w.mu.Unlock()
		t.Fatalf("a canary crossed between nodes: ...%q...", around)
	}
	ks, err := keys.Read(ctx, net.HomeOf(0), "")
	if err != nil {
		t.Fatal(err)
	}
	opened := 0
	for _, id := range ids {
		files, err := net.Node(0).Federation().EvidenceFiles(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f.Name, ".age") {
				continue
			}
			r, err := age.Decrypt(bytes.NewReader(f.Data), ks.Age)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(plain, []byte(canary)) {
				t.Fatalf("a canary is in an answer: %s", plain)
			}
			opened++
		}
	}
	if opened != len(ids)*4 {
		t.Fatalf("opened %d answers, want %d", opened, len(ids)*4)
	}
	// No file under a node's home holds a canary in clear: the store is
	// encrypted (cmd/kolo's TestNoCanaryLeavesTheDaemon shows the same scan
	// finds them in a store without encryption).
	for i := range net.Len() {
		files := 0
		err := filepath.WalkDir(net.HomeOf(i), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			if bytes.Contains(b, []byte(canary)) {
				t.Errorf("node %d: a canary is in clear in %s", i, path)
			}
			return nil
		})
		if err != nil || files == 0 {
			t.Fatalf("node %d: scanned %d files: %v", i, files, err)
		}
	}
	// The logs are kept at every level: debug lines are there.
	if !strings.Contains(logs.String(), "level=DEBUG") {
		t.Fatal("no debug line in the nodes' logs: the check does not cover every level")
	}
	if strings.Contains(logs.String(), canary) {
		t.Fatal("a canary is in the nodes' logs")
	}
}
