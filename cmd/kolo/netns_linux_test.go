package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/testnet"
)

const (
	// partitionHold is how long, once each half holds what was done on
	// it, the test watches that nothing crosses the cut.
	partitionHold = 3 * time.Second
	// convergeTimeout bounds the wait for the halves to agree after the
	// heal: two of the nodes' redial periods and a sync.
	convergeTimeout = 90 * time.Second
	// crossDialTimeout bounds one probe dial across the cut.
	crossDialTimeout = 3 * time.Second
	// pollEvery paces the loops that ask the daemons what they hold.
	pollEvery = 200 * time.Millisecond
)

// TestPartitionNetns cuts a network of real `kolo run` daemons in two, each
// daemon in a Linux network namespace of its own, lets each half change
// the network's records, heals the cut and checks that every current
// member ends with the same certificates, member revocations, endorsements
// and withdrawals, with no operator telling any node where the others are.
//
// Half A: a1 (the founder, who admits everyone), a2, and a3, which joins
// during the partition. Half B: b1, b2. Before the cut a1, a2 and b2
// endorse the Declaration. During it, on A, the founder revokes a2 and
// admits a3, which endorses; on B, b1 endorses, b2 restarts and withdraws
// its endorsement. Probe dials across the cut fail; for partitionHold
// after each half holds its own changes (KOLOTEST_PARTITION_HOLD=2m holds
// the cut that long from its start, so that the connections across die
// and the nodes must dial one another again), neither half sees the
// other's. After the heal, a2's endorsement, signed before its revocation,
// stays everywhere (marked "member revoked"), a3 included, which learned
// the revocation first.
func TestPartitionNetns(t *testing.T) {
	if testing.Short() {
		t.Skip("slow (five daemons, a partition and a heal); runs without -short")
	}
	t.Parallel()
	lab := newNetLab(t)
	a1 := lab.host("a1", halfA, 11, testnet.Org(0), "RS")
	a2 := lab.host("a2", halfA, 12, testnet.Org(1), "HR")
	a3 := lab.host("a3", halfA, 13, testnet.Org(2), "BA")
	b1 := lab.host("b1", halfB, 21, testnet.Org(3), "MK")
	b2 := lab.host("b2", halfB, 22, testnet.Org(4), "AL")
	all := []*labHost{a1, a2, a3, b1, b2}
	for _, h := range all {
		h.start(t)
	}
	for _, h := range all {
		h.waitReady(t)
	}

	// The network, formed with the commands, each in its node's namespace.
	a1.kolo(t, "", "network", "create", "--name", "Partition network")
	for _, h := range []*labHost{a2, b1, b2} {
		invite(t, a1, h)
	}
	founded := []*labHost{a1, a2, b1, b2}
	waitViews(t, "every node to hold the four members", founded, func(h *labHost, v labView) bool {
		return v.member(a1) == "member" && v.member(a2) == "member" && v.member(b1) == "member" && v.member(b2) == "member"
	})
	for _, h := range []*labHost{a1, a2, b2} {
		h.kolo(t, "", "declaration", "sign", "--yes")
	}
	waitViews(t, "every node to hold the three endorsements", founded, func(h *labHost, v labView) bool {
		return v.endorsement(a1) == declaration.StateCounted && v.endorsement(a2) == declaration.StateCounted &&
			v.endorsement(b2) == declaration.StateCounted
	})
	if err := a1.dial(t, b1.tcpAddr(), crossDialTimeout); err != nil {
		t.Fatalf("before the cut, a1 cannot reach b1 at %s: %v", b1.tcpAddr(), err)
	}

	lab.cut()
	cutAt := time.Now()
	// New connections across fail; within a half they work.
	if err := a1.dial(t, b1.tcpAddr(), crossDialTimeout); err == nil {
		t.Fatalf("a1 reached b1 at %s across the cut", b1.tcpAddr())
	} else {
		t.Logf("a dial across the cut (a1 → b1 %s) fails: %v", b1.tcpAddr(), err)
	}
	if err := b2.dial(t, a2.tcpAddr(), crossDialTimeout); err == nil {
		t.Fatalf("b2 reached a2 at %s across the cut", a2.tcpAddr())
	}
	for _, pair := range [][2]*labHost{{a1, a2}, {b1, b2}} {
		if err := pair[0].dial(t, pair[1].tcpAddr(), crossDialTimeout); err != nil {
			t.Fatalf("within a half, %s cannot reach %s: %v", pair[0].name, pair[1].name, err)
		}
	}

	// Half A: the founder revokes a2 and admits a3, which endorses.
	a1.kolo(t, "", "members", "revoke", a2.peer, "--yes")
	invite(t, a1, a3)
	a3.kolo(t, "", "declaration", "sign", "--yes")
	// Half B: b1 endorses; b2 restarts (its connections gone, it must
	// find b1 again from the addresses it remembers: the founder, who
	// admitted both, is on the other side) and withdraws.
	b1.kolo(t, "", "declaration", "sign", "--yes")
	b2.restart(t)
	b2.kolo(t, "", "declaration", "revoke")

	sideA, sideB := []*labHost{a1, a3}, []*labHost{b1, b2}
	doneA := func(v labView) bool {
		return v.member(a2) == "revoked" && v.member(a3) == "member" && v.endorsement(a3) == declaration.StateCounted
	}
	doneB := func(v labView) bool {
		return v.endorsement(b1) == declaration.StateCounted && v.endorsement(b2) == declaration.StateRevoked
	}
	crossed := func(h *labHost, v labView) string {
		if slices.Contains(sideA, h) && (v.endorsement(b1) != "" || v.endorsement(b2) != declaration.StateCounted) {
			return "half B's endorsement or withdrawal"
		}
		if slices.Contains(sideB, h) && (v.member(a2) != "member" || v.member(a3) != "") {
			return "half A's revocation or admission"
		}
		return ""
	}
	waitViews(t, "each half to hold its own changes", append(sideA, sideB...), func(h *labHost, v labView) bool {
		if what := crossed(h, v); what != "" {
			t.Fatalf("%s holds %s across the cut:\n%s", h.name, what, v)
		}
		if slices.Contains(sideA, h) {
			return doneA(v)
		}
		return doneB(v)
	})
	hold := partitionHold
	if s := os.Getenv("KOLOTEST_PARTITION_HOLD"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			t.Fatalf("KOLOTEST_PARTITION_HOLD=%q: give a duration such as 2m", s)
		}
		// Counted from the cut: long enough, the connections across die
		// (libp2p's keep-alives) and the nodes must dial one another again.
		hold = max(hold, d-time.Since(cutAt))
	}
	for start := time.Now(); time.Since(start) < hold; {
		hosts := append(sideA, sideB...)
		for i, v := range viewsOf(t, hosts) {
			if what := crossed(hosts[i], v); what != "" {
				t.Fatalf("%s holds %s across the cut:\n%s", hosts[i].name, what, v)
			}
		}
	}
	t.Logf("the partition held for %s; within it each half holds only its own changes", time.Since(cutAt).Round(100*time.Millisecond))

	lab.heal()
	healed := time.Now()
	logMarks := map[*labHost]int{}
	for _, h := range all {
		logMarks[h] = len(h.d.stderr.String())
	}
	// Every current member (a2 was revoked) ends with the same records:
	// the certificates of all five, a2's revocation, every endorsement
	// with its state.
	current := []*labHost{a1, a3, b1, b2}
	final := func(v labView) bool { return doneA(v) && doneB(v) && v.endorsement(a1) == declaration.StateCounted }
	var views []labView
	deadline := healed.Add(convergeTimeout)
	for {
		views = viewsOf(t, current)
		same := true
		for _, v := range views {
			same = same && final(v) && v.equal(views[0])
		}
		if same {
			break
		}
		if time.Now().After(deadline) {
			for i, v := range views {
				t.Logf("%s holds:\n%s", current[i].name, v)
			}
			t.Fatalf("the current members do not agree %s after the heal", convergeTimeout)
		}
	}
	took := time.Since(healed)
	if got := views[0].endorsement(a2); got != declaration.StateMemberRevoked {
		t.Fatalf("a2's endorsement is %q after its revocation, want %q", got, declaration.StateMemberRevoked)
	}
	for _, h := range current {
		var st declaration.Status
		if err := json.Unmarshal([]byte(h.kolo(t, "", "declaration", "status", "--json")), &st); err != nil {
			t.Fatal(err)
		}
		if st.Count != 3 {
			t.Fatalf("%s counts %d endorsements, want 3 (a1, a3, b1)", h.name, st.Count)
		}
	}
	var reconnects []string
	for _, h := range all {
		if n := strings.Count(h.d.stderr.String()[logMarks[h]:], "reconnected to a remembered member"); n > 0 {
			reconnects = append(reconnects, fmt.Sprintf("%s %d", h.name, n))
		}
	}
	t.Logf("converged %s after the heal (partition of %s): %d members (1 revoked), %d endorsements, the same on %d nodes; redials after the heal: %v",
		took.Round(100*time.Millisecond), healed.Sub(cutAt).Round(100*time.Millisecond), len(views[0].Members), len(views[0].Endorsements), len(current), reconnects)
}

// invite has from invite the organisation of h, and h join with the token
// on its standard input.
func invite(t *testing.T, from, h *labHost) {
	t.Helper()
	var st node.Status
	if err := json.Unmarshal([]byte(h.kolo(t, "", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	tok := strings.TrimSpace(from.kolo(t, "", "invite", "--org", st.Org, "--country", st.Country, "--role", "partner"))
	if out := h.kolo(t, tok+"\n", "join"); !strings.Contains(out, "joined ") {
		t.Fatalf("%s: join printed %q", h.name, out)
	}
}

// labView is what a node holds of the network's signed records, as lines
// to compare: its members (certificates, member revocations) and its
// endorsements (with withdrawals), each sorted.
type labView struct {
	Members      []string // PEER ORG/COUNTRY admitted-by=PEER STATE
	Endorsements []string // SHA256 SIGNER DATE STATE
	members      map[string]string
	endorsements map[string]string
}

// view asks the node in h's namespace what it holds.
func (h *labHost) view(t *testing.T) (labView, error) {
	var ms []node.MemberInfo
	var es []node.EndorsementInfo
	for _, q := range []struct {
		args []string
		into any
	}{{[]string{"members", "--json"}, &ms}, {[]string{"declaration", "list", "--json"}, &es}} {
		out, errOut, code := h.try(t, "", q.args...)
		if code != 0 {
			return labView{}, fmt.Errorf("%s: kolo %s: exit %d: %s", h.name, strings.Join(q.args, " "), code, errOut)
		}
		if err := json.Unmarshal([]byte(out), q.into); err != nil {
			return labView{}, fmt.Errorf("%s: kolo %s printed %q: %w", h.name, strings.Join(q.args, " "), out, err)
		}
	}
	v := labView{members: map[string]string{}, endorsements: map[string]string{}}
	for _, m := range ms {
		state := "member"
		if m.Revoked != "" {
			state = "revoked"
		}
		v.members[m.PeerID.String()] = state
		v.Members = append(v.Members, fmt.Sprintf("%s %s/%s admitted-by=%s %s %s", m.PeerID, m.Org, m.Country, m.AdmittedBy, state, m.Revoked))
	}
	for _, e := range es {
		v.endorsements[e.Signer.String()] = e.State
		v.Endorsements = append(v.Endorsements, fmt.Sprintf("%s %s %s %s %s", e.SHA256, e.Signer, e.Date, e.State, e.RevokedOn))
	}
	slices.Sort(v.Members)
	slices.Sort(v.Endorsements)
	return v, nil
}

// member is h's membership state in v: member, revoked, or "" (unknown).
func (v labView) member(h *labHost) string { return v.members[h.peer] }

// endorsement is the state of h's endorsement in v, "" if v has none.
func (v labView) endorsement(h *labHost) string { return v.endorsements[h.peer] }

func (v labView) equal(w labView) bool {
	return slices.Equal(v.Members, w.Members) && slices.Equal(v.Endorsements, w.Endorsements)
}

func (v labView) String() string {
	return "  members:\n    " + strings.Join(v.Members, "\n    ") + "\n  endorsements:\n    " + strings.Join(v.Endorsements, "\n    ")
}

// viewsOf asks the nodes at once, pausing first: it is called in polling
// loops, and each view is two commands.
func viewsOf(t *testing.T, hosts []*labHost) []labView {
	t.Helper()
	time.Sleep(pollEvery) // the pace of a polling loop, not a wait for readiness
	views := make([]labView, len(hosts))
	errs := make([]error, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() { views[i], errs[i] = h.view(t) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return views
}

// waitViews polls the hosts' views until cond holds for each, failing the
// test after readyTimeout.
func waitViews(t *testing.T, what string, hosts []*labHost, cond func(*labHost, labView) bool) {
	t.Helper()
	deadline := time.Now().Add(readyTimeout)
	for {
		views := viewsOf(t, hosts)
		ok := true
		for i, v := range views {
			ok = ok && cond(hosts[i], v)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			for i, v := range views {
				t.Logf("%s holds:\n%s", hosts[i].name, v)
			}
			t.Fatalf("waited %s for %s", readyTimeout, what)
		}
	}
}
