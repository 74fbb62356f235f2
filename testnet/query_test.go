package testnet

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/records"
)

// startSeeded starts n nodes with the built-in forms, forms the network
// and enters perNode synthetic records on each.
func startSeeded(ctx context.Context, t *testing.T, n, perNode int, logs *logBuffer) *Net {
	t.Helper()
	net := startNetForms(ctx, t, n, logs)
	if err := net.Form(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := net.Seed(ctx, perNode); err != nil {
		t.Fatal(err)
	}
	return net
}

// judgments returns every node's current judgments, by country.
func judgments(ctx context.Context, t *testing.T, net *Net) map[string][]records.Record {
	t.Helper()
	out := map[string][]records.Record{}
	for i := range net.Len() {
		n := net.Node(i)
		err := n.Records().Each(ctx, records.Filter{Kind: "judgment"}, func(r records.Record) error {
			out[n.Config().Node.Country] = append(out[n.Config().Node.Country], r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// ask asks text from node i and waits for every member's answer.
func ask(ctx context.Context, t *testing.T, net *Net, i int, text string) federation.Status {
	t.Helper()
	q, err := net.Node(i).Ask(ctx, text, federation.AskOptions{Wait: time.Minute})
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	st, err := net.Node(i).Federation().Wait(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Answered() != len(st.Nodes) {
		t.Fatalf("%s: %d of %d nodes answered: %+v", text, st.Answered(), len(st.Nodes), st.Nodes)
	}
	return st
}

// TestFederatedGroundTruth: four nodes (one per country) answer counts,
// means, shares, sums and histograms. Every released figure equals the
// figure computed by hand from the nodes' records; every cell of fewer
// than k = 5 records is suppressed and carries no value.
func TestFederatedGroundTruth(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net := startSeeded(ctx, t, 4, 60, logs)
	byCountry := judgments(ctx, t, net)

	type cell struct {
		n      int64
		sum    float64
		tru    int64
		answer bool
	}
	cases := []struct {
		text  string
		group func(r records.Record) string // "" leaves the record out
		value func(r records.Record) (float64, bool)
		share bool
		get   func(c cell) float64
	}{
		{text: "count judgment by country",
			group: func(r records.Record) string { return r.Country },
			get:   func(c cell) float64 { return float64(c.n) }},
		{text: "mean(sentence_months) judgment by country",
			group: func(r records.Record) string { return r.Country },
			value: func(r records.Record) (float64, bool) {
				v, ok := r.Common["sentence_months"].(int64)
				return float64(v), ok
			},
			get: func(c cell) float64 { return c.sum / float64(c.n) }},
		{text: "sum(assets_confiscated_eur) judgment by country",
			group: func(r records.Record) string { return r.Country },
			value: func(r records.Record) (float64, bool) {
				v, ok := r.Common["assets_confiscated_eur"].(float64)
				return v, ok
			},
			get: func(c cell) float64 { return c.sum }},
		{text: "share(compensation_claimed) judgment by country",
			group: func(r records.Record) string { return r.Country },
			share: true,
			get:   func(c cell) float64 { return float64(c.tru) / float64(c.n) }},
		{text: "count judgment by country, verdict",
			group: func(r records.Record) string {
				v, _ := r.Common["verdict"].(string)
				return r.Country + "/" + v
			},
			get: func(c cell) float64 { return float64(c.n) }},
	}
	for _, tc := range cases {
		want := map[string]*cell{}
		for _, recs := range byCountry {
			for _, r := range recs {
				g := tc.group(r)
				c := want[g]
				if c == nil {
					c = &cell{}
					want[g] = c
				}
				switch {
				case tc.share:
					if b, ok := r.Common["compensation_claimed"].(bool); ok {
						c.n++
						if b {
							c.tru++
						}
					}
				case tc.value != nil:
					if v, ok := tc.value(r); ok {
						c.n++
						c.sum += v
					}
				default:
					c.n++
				}
			}
		}
		st := ask(ctx, t, net, 0, tc.text)
		seen := 0
		for _, got := range st.Combined.Cells {
			key := got.Group[0]
			if len(got.Group) > 1 {
				key += "/" + got.Group[1]
			}
			w := want[key]
			if w == nil {
				t.Errorf("%s: cell %v has no records behind it", tc.text, got.Group)
				continue
			}
			seen++
			small := w.n < 5 || (tc.share && (w.tru > 0 && w.tru < 5 || w.n-w.tru > 0 && w.n-w.tru < 5))
			if small {
				if got.Value != nil || len(got.Suppressed) == 0 {
					t.Errorf("%s: cell %v of %d records released %v", tc.text, got.Group, w.n, *got.Value)
				}
				continue
			}
			if got.Value == nil {
				// The differencing guard may suppress a cell whose records
				// differ by 1..k-1 from a cell released before (an earlier
				// query of this test): that is its job; anything else is not.
				if len(got.Suppressed) != 1 || got.Suppressed[0].Reason != "differencing" {
					t.Errorf("%s: cell %v of %d records suppressed (%+v)", tc.text, got.Group, w.n, got.Suppressed)
				}
				continue
			}
			if want := tc.get(*w); math.Abs(*got.Value-want) > 0.006 {
				t.Errorf("%s: cell %v = %v, want %v", tc.text, got.Group, *got.Value, want)
			}
		}
		if seen == 0 {
			t.Errorf("%s: no cells", tc.text)
		}
		t.Logf("%s: %d cells checked", tc.text, seen)
	}
}

// TestFederatedOfflineMember: a member stopped when the query is asked is
// reported as not answered yet; started again while the query is open, it
// learns the query by sync and answers, and the combined figure then
// covers all four.
func TestFederatedOfflineMember(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net := startSeeded(ctx, t, 4, 20, logs)
	if err := net.StopNode(ctx, 3); err != nil {
		t.Fatal(err)
	}
	asker := net.Node(0)
	q, err := asker.Ask(ctx, "count judgment by country", federation.AskOptions{Wait: 3 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var st federation.Status
	if err := WaitFor(ctx, "the three running members answer", func() bool {
		st, err = asker.Federation().Status(ctx, q.ID)
		return err == nil && st.Answered() == 3
	}); err != nil {
		t.Fatal(err)
	}
	if len(st.Nodes) != 4 || !st.Open || st.Combined.Complete {
		t.Fatalf("with one member stopped: %d nodes, open %v, complete %v", len(st.Nodes), st.Open, st.Combined.Complete)
	}
	waiting := 0
	for _, nd := range st.Nodes {
		if nd.State == federation.NodeWaiting {
			waiting++
			if nd.Country != Countries[3] {
				t.Fatalf("%s (%s) is waiting, not the stopped node", nd.Org, nd.Country)
			}
		}
	}
	if waiting != 1 || len(st.Combined.Cells) != 3 {
		t.Fatalf("partial answer: %d waiting, %d cells", waiting, len(st.Combined.Cells))
	}
	if err := net.StartNode(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := WaitFor(ctx, "the restarted member answers the open query", func() bool {
		st, err = asker.Federation().Status(ctx, q.ID)
		return err == nil && st.Answered() == 4
	}); err != nil {
		t.Fatal(err)
	}
	if len(st.Combined.Cells) != 4 {
		t.Fatalf("after the restart: %d cells, want one per country", len(st.Combined.Cells))
	}
}

// TestEvidenceCheckedWithoutKolo: the evidence of a query (what
// `kolo query --evidence DIR` writes) is checked with Debian's age command
// and the requester's identity file, and with OpenSSL, as docs/query.md
// tells a third party to.
func TestEvidenceCheckedWithoutKolo(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"age", "openssl", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (Debian: apt-get install age openssl coreutils; .ci/run installs them): %v", tool, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net := startSeeded(ctx, t, 4, 20, logs)
	st := ask(ctx, t, net, 1, "count judgment by country")
	files, err := net.Node(1).Federation().EvidenceFiles(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	identity := filepath.Join(net.HomeOf(1), keys.AgeFile)
	checked := 0
	for _, nd := range st.Nodes {
		base := filepath.Join(dir, nd.Peer.String())
		out, err := exec.Command("age", "-d", "-i", identity, base+".age").Output()
		if err != nil {
			t.Fatalf("age -d %s: %v", base+".age", err)
		}
		var sealed federation.Sealed
		if err := json.Unmarshal(out, &sealed); err != nil || sealed.Answerer != nd.Peer || sealed.ID != st.ID || sealed.Answer == nil {
			t.Fatalf("age opened %s to %.200s (%v)", base+".age", out, err)
		}
		res, err := exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", base+".pub.pem", "-rawin",
			"-in", base+".signed", "-sigfile", base+".sig").CombinedOutput()
		if err != nil || !strings.Contains(string(res), "Signature Verified Successfully") {
			t.Fatalf("openssl on %s: %v: %s", base, err, res)
		}
		sum, err := exec.Command("sha256sum", base+".age").Output()
		if err != nil {
			t.Fatal(err)
		}
		signed, _ := os.ReadFile(base + ".signed")
		if !strings.Contains(string(signed), "sealed:"+strings.Fields(string(sum))[0]+"\n") {
			t.Fatalf("%s.signed does not name the SHA-256 of %s.age", base, base)
		}
		// A changed byte in the signed text fails OpenSSL.
		bad := filepath.Join(dir, "bad.signed")
		os.WriteFile(bad, []byte(strings.Replace(string(signed), "answer", "Answer", 1)), 0o600)
		if res, err := exec.Command("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", base+".pub.pem", "-rawin",
			"-in", bad, "-sigfile", base+".sig").CombinedOutput(); err == nil {
			t.Fatalf("openssl verified a changed text: %s", res)
		}
		checked++
	}
	if checked != 4 {
		t.Fatalf("checked %d answers, want 4", checked)
	}
}

// TestFederatedDifferencingAttack: two queries whose difference would
// isolate a few records of one node (sentence_months >= v, then > v, where
// fewer than k records have v): the second figure of that node is never
// released, so the difference recovers nothing.
func TestFederatedDifferencingAttack(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net := startSeeded(ctx, t, 4, 80, logs)
	byCountry := judgments(ctx, t, net)
	// A country and a sentence length that 1..4 of its judgments have.
	country, v := "", int64(-1)
	for cc, recs := range byCountry {
		counts := map[int64]int{}
		for _, r := range recs {
			if s, ok := r.Common["sentence_months"].(int64); ok {
				counts[s]++
			}
		}
		for s, n := range counts {
			if n >= 1 && n < 5 {
				country, v = cc, s
			}
		}
		if v >= 0 {
			break
		}
	}
	if v < 0 {
		t.Fatal("the synthetic records have no rare sentence length to attack")
	}
	first := ask(ctx, t, net, 0, "count judgment by country where sentence_months >= "+itoa(v))
	second := ask(ctx, t, net, 0, "count judgment by country where sentence_months > "+itoa(v))
	value := func(st federation.Status) (float64, bool) {
		for _, c := range st.Combined.Cells {
			if c.Group[0] == country && c.Value != nil {
				return *c.Value, true
			}
		}
		return 0, false
	}
	a, okA := value(first)
	b, okB := value(second)
	if okA && okB {
		t.Fatalf("%s released %v, then %v: the difference isolates %v records with %d months", country, a, b, a-b, v)
	}
	t.Logf("%s: first released %v, second released %v (the difference is not recoverable)", country, okA, okB)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
