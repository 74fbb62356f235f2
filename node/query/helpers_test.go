package query

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/forms"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

func TestMain(m *testing.M) {
	if forms.ServeIfAsked(os.Args) {
		os.Exit(0)
	}
	code := m.Run()
	if shared.h != nil {
		shared.h.Close()
	}
	os.Exit(code)
}

// shared is one plugin host for the test binary, serving the four
// built-in countries' forms from this binary, as kolo does.
var shared struct {
	once sync.Once
	h    *host.Host
	err  error
}

func plugins(t testing.TB) *host.Host {
	t.Helper()
	shared.once.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			shared.err = err
			return
		}
		h, err := host.New(host.Options{Executable: exe, BuiltIn: []string{"rs", "hr", "ba", "mk"}, CallTimeout: time.Minute,
			Logger: slog.New(slog.DiscardHandler)})
		if err == nil {
			err = h.Start(context.Background())
		}
		shared.h, shared.err = h, err
	})
	if shared.err != nil {
		t.Fatalf("start plugin host: %v", shared.err)
	}
	return shared.h
}

// testNode is one node's encrypted store with its records.
type testNode struct {
	dir  string
	key  []byte
	st   *store.Store
	book *records.Book
}

func newNode(t testing.TB) *testNode {
	t.Helper()
	n := &testNode{dir: filepath.Join(t.TempDir(), "store"), key: make([]byte, store.KeySize)}
	rand.Read(n.key)
	n.open(t)
	return n
}

func (n *testNode) open(t testing.TB) {
	t.Helper()
	st, err := store.Open(store.Options{Dir: n.dir, Key: n.key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b, err := records.Open(context.Background(), st, plugins(t), "12D3KooWTestNode", records.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n.st, n.book = st, b
}

// reopen closes the store and opens it again, as after a restart.
func (n *testNode) reopen(t testing.TB) {
	t.Helper()
	if err := n.st.Close(); err != nil {
		t.Fatal(err)
	}
	n.open(t)
}

// golden reads a built-in form's golden answers.
func golden(t testing.TB, country, name string) sdk.Answers {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "plugins", "forms", country, "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var a sdk.Answers
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// articles are criminal-code articles of each country's judgment form,
// which the forms map onto offence.
var articles = map[string][]string{
	"rs": {"art_388", "art_388", "art_389", "art_390", "other"},
	"hr": {"art_106", "art_106", "art_106_2", "art_105", "other"},
	"mk": {"art_418a", "art_418a", "art_418d", "art_418b", "other"},
}

var judgmentGolden = map[string]string{"rs": "judgment.v2.json", "hr": "judgment.v1.json", "ba": "judgment.v1.json", "mk": "judgment.v1.json"}

// synthJudgments makes n valid judgments of country cc with varied
// indicators: verdicts, sentences, compensation, court levels, dates from
// 2015 on, victims, amounts with cents, BA's sub-jurisdictions. Some
// records leave sentence_months and compensation_claimed unanswered.
func synthJudgments(t testing.TB, cc string, n int, rng *mrand.Rand) []sdk.Answers {
	t.Helper()
	base := golden(t, cc, judgmentGolden[cc])
	out := make([]sdk.Answers, n)
	verdicts := []string{"convicted", "convicted", "convicted", "acquitted", "dismissed", "plea_agreement"}
	levels := []string{"first_instance", "first_instance", "first_instance", "appeal", "appeal", "supreme"}
	for i := range out {
		a := sdk.Answers{}
		for k, v := range base {
			a[k] = v
		}
		v := verdicts[rng.IntN(len(verdicts))]
		a["verdict"] = v
		delete(a, "sentence_months")
		if (v == "convicted" || v == "plea_agreement") && rng.IntN(8) > 0 {
			a["sentence_months"] = float64(rng.IntN(181))
		}
		a["court_level"] = levels[rng.IntN(len(levels))]
		delete(a, "compensation_claimed")
		if rng.IntN(10) > 0 {
			a["compensation_claimed"] = rng.IntN(3) == 0
		}
		decided := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(3650))
		a["decision_date"] = decided.Format(sdk.DateLayout)
		a["indictment_date"] = decided.AddDate(0, 0, -30-rng.IntN(1000)).Format(sdk.DateLayout)
		victims := 1 + rng.IntN(6)
		a["victims"] = float64(victims)
		a["child_victims"] = float64(rng.IntN(victims + 1))
		if arts := articles[cc]; arts != nil {
			a["article"] = arts[rng.IntN(len(arts))]
		}
		if cc == "ba" {
			sub := []string{"state", "fbih", "rs", "brcko"}[rng.IntN(4)]
			a["sub_jurisdiction"] = sub
			a["article"] = map[string]string{"state": "state_186", "fbih": "fbih_210a", "rs": "rs_145", "brcko": "brcko_207a"}[sub]
		} else {
			a["compensation_awarded_eur"] = float64(rng.IntN(2_000_000)) / 100
		}
		out[i] = a
	}
	return out
}

// importAll imports answers on form ref through the real plugin.
func (n *testNode) importAll(t testing.TB, ref string, answers []sdk.Answers) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, a := range answers {
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
	}
	res, err := n.book.Import(context.Background(), &buf, records.ImportOptions{Form: ref, Format: records.FormatJSONL, AllowDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Records != len(answers) {
		t.Fatalf("imported %d of %d", res.Records, len(answers))
	}
}

// all returns every current record of kind k, read through the records'
// own path (JSON records, fields and all): the ground truth.
func (n *testNode) all(t testing.TB, k sdk.Kind) []records.Record {
	t.Helper()
	var out []records.Record
	err := n.book.Each(context.Background(), records.Filter{Kind: k}, func(r records.Record) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustParse(t testing.TB, text string) *Query {
	t.Helper()
	q, err := Parse(text, Options{})
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return q
}

func newProtector(t testing.TB, st *store.Store, p Policy) *Protector {
	t.Helper()
	pr, err := NewProtector(st, p, ProtectorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

// ask evaluates text on n and protects the result for requester.
func (n *testNode) ask(t testing.TB, pr *Protector, req Request, text string) (*Answer, *Result) {
	t.Helper()
	q := mustParse(t, text)
	res, err := Evaluate(context.Background(), q, n.book, pr.Policy().EvalOptions())
	if err != nil {
		t.Fatal(err)
	}
	ans, err := pr.Protect(context.Background(), req, res)
	if err != nil {
		t.Fatal(err)
	}
	return ans, res
}

func jsonString(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func val(p *int64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}
