package main

import (
	"bufio"
	"context"
	crand "crypto/rand"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
	"github.com/kolo-net/kolo/protocol"
	"github.com/kolo-net/kolo/testnet"
)

// Crash test sizes: kill cycles (KOLOTEST_CRASH_CYCLES overrides; 10 under
// -short), rows per import, synthetic members whose endorsements make the
// burst, and records the peer publishes per cycle.
const (
	crashCyclesFull  = 100
	crashCyclesShort = 10
	crashRowsPer     = 200
	crashMembers     = 50
	crashBurstPer    = 8
	crashRunKill     = time.Second            // anywhere while running
	crashImportPause = 100 * time.Millisecond // at most, between two imports
	crashQueryWait   = federation.MinWait     // a query stays open
)

// TestCrashDaemon SIGKILLs `kolo run` (with its plugin processes) at random
// points, again and again, while it imports records, takes a burst of
// endorsements and revocations from a peer (by gossip while it runs, by
// sync when it comes back) and answers that peer's federated queries. A
// kill lands anywhere: while the daemon starts (Badger replaying its
// write-ahead log, an interrupted import being removed), in an import's
// batch or just before its commit marker, while an endorsement is stored,
// while a query is answered and logged.
//
// After each kill, before the daemon runs again (so no sync can fill a
// gap), the test opens the home as the daemon does and checks that every
// acknowledged write is there: each import the API confirmed, whole; each
// endorsement, revocation and member the daemon listed; each query the peer
// got an answer to, in the audit log, whose hash chain verifies. No import
// is half there: every import holds all its rows or is absent. Every other
// cycle the records are checked by the daemon's own start instead (it
// removes interrupted imports), and by the next check.
//
// The peer is a real node in this process; the daemon is this test binary
// as `kolo run`. The random kill points come from a seed that the test logs
// (KOLOTEST_CRASH_SEED repeats a run).
func TestCrashDaemon(t *testing.T) {
	t.Parallel()
	cycles := crashCyclesFull
	if testing.Short() {
		cycles = crashCyclesShort
	}
	if s := os.Getenv("KOLOTEST_CRASH_CYCLES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("KOLOTEST_CRASH_CYCLES=%q: give a positive number", s)
		}
		cycles = n
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("KOLOTEST_CRASH_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("KOLOTEST_CRASH_SEED=%q: %v", s, err)
		}
		seed = n
	}
	t.Logf("%d kill cycles, seed %d (KOLOTEST_CRASH_SEED=%d repeats them)", cycles, seed, seed)

	c := newCrashRun(t, seed)
	for i := range cycles {
		before := c.losses
		c.cycle(i, i%2 == 1 || i == cycles-1)
		if c.losses > before {
			c.lossy++
		}
	}
	c.finish()
	s := c.stats
	t.Logf("cycles survived with zero loss: %d of %d; kills while starting: %d, with an import in flight: %d; "+
		"acknowledged: %d imports (%d records), %d endorsements (%d revoked), %d members, %d query answers",
		cycles-c.lossy, cycles, s.startupKills, s.importKills, len(c.imports), len(c.imports)*crashRowsPer,
		len(c.endorsements), countTrue(c.endorsements), len(c.members), len(c.answered))
}

// crashRun is the state of TestCrashDaemon: the daemon's home, the peer,
// and what the daemon acknowledged so far.
type crashRun struct {
	t      *testing.T
	rng    *rand.Rand
	home   string
	self   string // the daemon's peer ID
	listen string // its libp2p address, the same at every start
	csv    string // an import file of crashRowsPer rows

	peer  *node.Node // the peer, in this process
	net   *testnet.Net
	burst []protocol.Record // what the peer publishes next
	asked []protocol.Query  // the peer's queries

	mu           sync.Mutex
	imports      map[string]int  // acknowledged import → records
	endorsements map[string]bool // listed endorsement (sha256) → revoked
	members      map[peer.ID]bool
	answered     map[string]bool // queries the peer got the daemon's answer to

	losses int // acknowledged writes found missing, or half-written imports
	lossy  int // cycles with a loss
	// importTook is how long the last import took (ns), as the client saw
	// it: kills aimed at an import fall in that much time after it began.
	importTook atomic.Int64
	startTook  int64 // how long the last start took (ns), launch to ready
	stats      struct{ startupKills, importKills int }
}

func newCrashRun(t *testing.T, seed uint64) *crashRun {
	ctx := context.Background()
	home, self := initNode(t, nil)
	// Memtables of 1 MiB: an import of crashRowsPer rows spans several of
	// Badger's transactions (as a large import does with the default 16
	// MiB), and tables are flushed and compacted all the time, so kills
	// land in those too.
	replaceConfig("memtable_mb: 16", "memtable_mb: 1")(t, home)
	c := &crashRun{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x6b6f6c6f)), home: home, self: self,
		listen: freeListen(t), imports: map[string]int{}, endorsements: map[string]bool{},
		members: map[peer.ID]bool{}, answered: map[string]bool{}}
	csv := judgmentsCSV(t, crashRowsPer, "C")
	c.csv = csv
	c.importTook.Store(int64(100 * time.Millisecond))
	c.startTook = int64(time.Second)

	// The network: the daemon founds it, the peer joins with its invite,
	// and the test, as the daemon's admitter key allows, admits
	// crashMembers synthetic organisations whose records make the burst.
	p := c.start()
	<-p.ready
	run := func(args ...string) string {
		out, errOut, code := kolo(t, nil, append(args, "--home", home)...)
		if code != 0 {
			t.Fatalf("kolo %s: %s", strings.Join(args, " "), errOut)
		}
		return out
	}
	run("network", "create", "--name", "Crash network")
	token := strings.TrimSpace(run("invite", "--org", testnet.Org(0), "--country", testnet.Countries[0], "--role", "partner"))
	tn, err := testnet.Start(ctx, testnet.Options{N: 1, Dir: t.TempDir(), Node: node.Options{BuiltInForms: []string{}}})
	if err != nil {
		t.Fatal(err)
	}
	c.net = tn
	t.Cleanup(func() { tn.Close(context.Background()) })
	c.peer = tn.Node(0)
	if _, err := c.peer.Join(ctx, token); err != nil {
		t.Fatalf("the peer joins: %v", err)
	}
	ks, err := keys.Read(ctx, home, "")
	if err != nil {
		t.Fatal(err)
	}
	c.burst = synthesizeBurst(t, c.peer, ks.P2P)
	for _, rec := range c.burst[:crashMembers] { // the certificates, at once
		if err := c.peer.Gossip().Publish(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	c.burst = c.burst[crashMembers:]
	cl := c.client(ctx)
	waitUntil(t, "the daemon to hold the synthetic members", func() bool {
		var ms []node.MemberInfo
		return cl.Do(ctx, http.MethodGet, "/v1/members", nil, &ms) == nil && len(ms) == crashMembers+2
	})
	p.kill()
	return c
}

// synthesizeBurst makes crashMembers organisations admitted by the
// daemon's key (certificates first), then, in rounds, an endorsement by
// each and its revocation: declaration.MaxEndorsementsPerSigner rounds,
// each endorsement dated a day earlier than the last (a member signs once
// a day).
func synthesizeBurst(t *testing.T, p *node.Node, admitter crypto.PrivKey) []protocol.Record {
	t.Helper()
	n, ok := p.Registry().Network()
	if !ok {
		t.Fatal("the peer has no network")
	}
	admitterID, _ := peer.IDFromPrivateKey(admitter)
	var out []protocol.Record
	keys := make([]crypto.PrivKey, crashMembers)
	certs := make([]protocol.Certificate, crashMembers)
	for i := range crashMembers {
		k, _, err := crypto.GenerateEd25519Key(crand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := peer.IDFromPrivateKey(k)
		ai, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		c := protocol.Certificate{Network: n.ID, Peer: id, Age: ai.Recipient().String(), Org: fmt.Sprintf("Crash CSO %02d", i),
			Country: "HR", Roles: []protocol.Role{protocol.RolePartner}, Issued: protocol.FormatTime(time.Now()), AdmittedBy: admitterID}
		if err := c.Sign(admitter); err != nil {
			t.Fatal(err)
		}
		if err := c.Accept(k); err != nil {
			t.Fatal(err)
		}
		keys[i], certs[i] = k, c
		out = append(out, protocol.Record{Certificate: &certs[i]})
	}
	today := time.Now().UTC()
	for r := range declaration.MaxEndorsementsPerSigner {
		date := today.AddDate(0, 0, -r-1)
		es := make([]protocol.Endorsement, crashMembers)
		for i := range crashMembers {
			e, err := declaration.NewEndorsement(keys[i], n, certs[i], date)
			if err != nil {
				t.Fatal(err)
			}
			es[i] = e
			out = append(out, protocol.Record{Endorsement: &es[i]})
		}
		for i := range crashMembers {
			rv, err := declaration.NewRevocation(keys[i], es[i], date)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, protocol.Record{Revocation: &rv})
		}
	}
	return out
}

// cycle runs the daemon until a random point, kills it, and checks what
// it acknowledged. The point is drawn in one of three ways: while the
// daemon starts (3 cycles in 20: up to as long as the last start took), in
// an import (9 in 20: up to as long as the last import took, after one
// began), or anywhere in the first crashRunKill of its running (8 in 20).
func (c *crashRun) cycle(i int, checkRecords bool) {
	t := c.t
	mode := c.rng.IntN(20)
	var startKill <-chan time.Time
	if mode < 3 {
		// Anywhere in a start: the last one took c.startTook.
		startKill = time.After(time.Duration(c.rng.Int64N(c.startTook + 1)))
	}
	launched := time.Now()
	p := c.start()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	// The peer's burst: by gossip if the daemon is up, else by sync later.
	wg.Go(func() { c.publishBurst(ctx) })
	var importing atomic.Bool
	began := make(chan struct{}, 1)
	select {
	case <-p.ready:
		c.startTook = int64(time.Since(launched))
		cl := c.client(ctx)
		wg.Go(func() { c.importLoop(ctx, cl, &importing, began) })
		wg.Go(func() { c.pollLoop(ctx, cl) })
		if i%2 == 0 {
			wg.Go(func() { c.ask(ctx) })
		}
		var kill <-chan time.Time
		switch {
		case startKill != nil:
			kill = startKill // it was meant for the start, which was quicker
		case mode < 12:
			select {
			case <-began:
			case <-time.After(time.Minute):
				t.Fatalf("cycle %d: no import began in a minute", i)
			}
			// Anywhere in an import: the last one took c.importTook.
			kill = time.After(time.Duration(c.rng.Int64N(int64(c.importTook.Load()) + 1)))
		default:
			kill = time.After(time.Duration(c.rng.Int64N(int64(crashRunKill))))
		}
		select {
		case <-kill:
		case err := <-p.done:
			t.Fatalf("cycle %d: kolo run exited by itself: %v\n%s", i, err, tail(p.stderr.String(), 10))
		}
	case <-startKill:
		c.stats.startupKills++
	case err := <-p.done:
		t.Fatalf("cycle %d: kolo run exited before ready: %v\n%s", i, err, tail(p.stderr.String(), 10))
	}
	if importing.Load() {
		c.stats.importKills++
	}
	p.kill()
	cancel()
	wg.Wait()
	c.check(i, checkRecords)
}

// finish starts the daemon once more, lets it catch up with the peer, and
// checks everything a last time.
func (c *crashRun) finish() {
	t := c.t
	ctx := context.Background()
	p := c.start()
	select {
	case <-p.ready:
	case err := <-p.done:
		t.Fatalf("final start: %v\n%s", err, tail(p.stderr.String(), 10))
	}
	cl := c.client(ctx)
	want, wantRevoked := 0, 0
	for _, e := range c.peer.Ledger().List() {
		want++
		if e.State == declaration.StateRevoked {
			wantRevoked++
		}
	}
	waitUntil(t, "the daemon to hold every endorsement and revocation the peer published", func() bool {
		var es []node.EndorsementInfo
		if cl.Do(ctx, http.MethodGet, "/v1/declaration/endorsements", nil, &es) != nil {
			return false
		}
		revoked := 0
		for _, e := range es {
			if e.State == declaration.StateRevoked {
				revoked++
			}
		}
		return len(es) == want && revoked == wantRevoked
	})
	p.terminate()
	c.check(-1, true)
}

// crashProc is one `kolo run` of the crash test.
type crashProc struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	ready  chan struct{}
	done   chan error
}

// start starts `kolo run` in its own process group (its plugin processes
// with it) on the fixed libp2p address.
func (c *crashRun) start() *crashProc {
	t := c.t
	cmd := exec.Command("kolo", "run", "--home", c.home, "--api-port", "0", "--listen", c.listen)
	cmd.Env = cleanEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &crashProc{cmd: cmd, stderr: &syncBuffer{}, ready: make(chan struct{}), done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "ready ") {
				close(p.ready)
			}
		}
		p.done <- cmd.Wait()
	}()
	return p
}

// kill SIGKILLs the daemon and its plugins and waits for the exit.
func (p *crashProc) kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// terminate stops the daemon as systemd does (SIGTERM).
func (p *crashProc) terminate() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
		p.kill()
	}
}

// client is an API client of the daemon now running.
func (c *crashRun) client(ctx context.Context) *api.Client {
	cl, err := api.Dial(ctx, c.home)
	if err != nil {
		c.t.Fatalf("dial the daemon: %v", err)
	}
	cl.HTTP.Timeout = 30 * time.Second
	return cl
}

// importLoop imports crashRowsPer rows at a time until ctx ends; what the
// API confirms is acknowledged.
func (c *crashRun) importLoop(ctx context.Context, cl *api.Client, importing *atomic.Bool, began chan<- struct{}) {
	for ctx.Err() == nil {
		var res records.ImportResult
		importing.Store(true)
		select {
		case began <- struct{}{}:
		default:
		}
		start := time.Now()
		err := cl.Do(ctx, http.MethodPost, "/v1/records/import?form=rs.judgment&format=csv&allow_duplicates=true", strings.NewReader(c.csv), &res)
		importing.Store(false)
		if err == nil {
			c.importTook.Store(int64(time.Since(start)))
		}
		if err != nil {
			return // the daemon died (or ctx ended): unknown, not acknowledged
		}
		c.mu.Lock()
		c.imports[res.ID] = res.Records
		pause := time.Duration(c.rng.Int64N(int64(crashImportPause)))
		c.mu.Unlock()
		// Paced, so that a hundred cycles leave a store of a few
		// thousand records, not a hundred thousand, and stay quick.
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
	}
}

// pollLoop records, until ctx ends, the endorsements and members the
// daemon lists: what it says it holds is acknowledged.
func (c *crashRun) pollLoop(ctx context.Context, cl *api.Client) {
	for ctx.Err() == nil {
		var es []node.EndorsementInfo
		if cl.Do(ctx, http.MethodGet, "/v1/declaration/endorsements", nil, &es) == nil {
			c.mu.Lock()
			for _, e := range es {
				c.endorsements[e.SHA256] = c.endorsements[e.SHA256] || e.State == declaration.StateRevoked
			}
			c.mu.Unlock()
		}
		var ms []node.MemberInfo
		if cl.Do(ctx, http.MethodGet, "/v1/members", nil, &ms) == nil {
			c.mu.Lock()
			for _, m := range ms {
				c.members[m.PeerID] = true
			}
			c.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// publishBurst has the peer publish the next crashBurstPer records.
func (c *crashRun) publishBurst(ctx context.Context) {
	n := min(crashBurstPer, len(c.burst))
	for i, rec := range c.burst[:n] {
		if err := c.peer.Gossip().Publish(ctx, rec); err != nil {
			if ctx.Err() != nil {
				// The cycle ended mid-publish: this record and the rest
				// wait for the next cycle, so that no revocation goes out
				// before its endorsement.
				c.burst = c.burst[i:]
				return
			}
			c.t.Errorf("the peer publishes a %s: %v", rec.Kind(), err)
		}
	}
	c.burst = c.burst[n:]
}

// ask has the peer ask one federated query, open long enough for the
// daemon to answer it after a restart or two (a member may have 32 open).
func (c *crashRun) ask(ctx context.Context) {
	q, err := c.peer.Ask(ctx, "count judgment by country", federation.AskOptions{Wait: crashQueryWait})
	if err != nil {
		if ctx.Err() == nil {
			c.t.Errorf("the peer asks: %v", err)
		}
		return
	}
	c.mu.Lock()
	c.asked = append(c.asked, q)
	c.mu.Unlock()
}

// check opens the killed daemon's home as the daemon does and looks for
// every acknowledged write; with records, it opens the records too (which
// removes an interrupted import, as the daemon's start would).
func (c *crashRun) check(cycle int, withRecords bool) {
	t := c.t
	ctx := context.Background()
	// The queries the peer got the daemon's answer to, while it ran.
	for _, q := range c.asked {
		st, err := c.peer.Federation().Status(ctx, q.ID)
		if err != nil {
			t.Fatalf("status of the peer's query %s: %v", q.ID, err)
		}
		for _, nd := range st.Nodes {
			if nd.Peer.String() == c.self && (nd.State == federation.NodeAnswered || nd.State == federation.NodeRefused) {
				c.answered[q.ID] = true
			}
		}
	}
	cfg, err := config.Load(config.Options{Home: c.home})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Network.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.Network.NAT = config.NAT{}
	ks, err := keys.Read(ctx, c.home, "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(ctx, cfg, ks, node.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("cycle %d: the store does not open after the kill: %v", cycle, err)
	}
	defer n.Close(ctx)
	lose := func(format string, args ...any) {
		t.Helper()
		c.losses++
		t.Errorf("cycle %d: "+format, append([]any{cycle}, args...)...)
	}

	held := map[string]string{}
	for _, e := range n.Ledger().List() {
		held[e.Hash.String()] = e.State
	}
	for h, revoked := range c.endorsements {
		st, ok := held[h]
		switch {
		case !ok:
			lose("acknowledged endorsement %s is gone", h)
		case revoked && st != declaration.StateRevoked:
			lose("acknowledged revocation of %s is gone (state %s)", h, st)
		}
	}
	for m := range c.members {
		if !n.Registry().IsMember(m) {
			lose("acknowledged member %s is gone", m)
		}
	}

	log := audit.Open(n.Store(), time.Now)
	if _, err := log.Verify(ctx, nil); err != nil {
		lose("the audit log does not verify: %v", err)
	}
	logged := map[string]bool{}
	for _, ev := range []audit.Event{audit.QueryAnswered, audit.QueryRefused} {
		es, err := log.List(ctx, audit.Filter{Event: ev})
		if err != nil {
			lose("audit log: %v", err)
		}
		for _, e := range es {
			logged[e.QueryID] = true
		}
	}
	for id := range c.answered {
		if !logged[id] {
			lose("the peer has the daemon's answer to query %s, but the daemon's audit log does not", id)
		}
	}

	if !withRecords {
		return
	}
	b, err := records.Open(ctx, n.Store(), noForms{}, c.self, records.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		lose("the records do not open: %v", err)
		return
	}
	list, err := b.List(ctx, records.Filter{})
	if err != nil {
		lose("list records: %v", err)
		return
	}
	per := map[string]int{}
	for _, s := range list {
		per[s.Import]++
	}
	for imp, k := range per {
		if k != crashRowsPer {
			lose("import %s holds %d records, not %d: half-written", imp, k, crashRowsPer)
		}
	}
	for imp, k := range c.imports {
		if per[imp] != k {
			lose("acknowledged import %s of %d records holds %d", imp, k, per[imp])
		}
	}
}

// noForms serves no form: the check reads records, it enters none.
type noForms struct{}

func (noForms) Forms() []sdk.FormInfo                 { return nil }
func (noForms) Form(string, int) (sdk.FormInfo, bool) { return sdk.FormInfo{}, false }
func (noForms) Latest(string) (sdk.FormInfo, bool)    { return sdk.FormInfo{}, false }
func (noForms) Check(context.Context, string, int, []sdk.Answers) ([]sdk.Result, error) {
	return nil, fmt.Errorf("the crash check enters no records")
}

// freeListen is a loopback TCP multiaddr on a port free now; the daemon
// listens there at every start, so that the peer finds it again.
func freeListen(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", l.Addr().(*net.TCPAddr).Port)
}

// waitUntil polls cond until it holds, or fails the test after a minute.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func countTrue[K comparable](m map[K]bool) int {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	return n
}
