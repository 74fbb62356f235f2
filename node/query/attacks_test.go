package query

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// rsJudgment is the Serbian golden judgment with changes.
func rsJudgment(t testing.TB, changes map[string]any) sdk.Answers {
	t.Helper()
	a := golden(t, "rs", "judgment.v2.json")
	a["verdict"] = "convicted"
	for k, v := range changes {
		if v == nil {
			delete(a, k)
		} else {
			a[k] = v
		}
	}
	return a
}

// attackBook holds 30 convicted judgments with victims 1..5 and no child
// victims, dated 2016-2020, plus the target: the only one with three child
// victims and the only one of 2021. Its sentence, 177 months, is what the
// attacks try to learn.
func attackBook(t *testing.T) *testNode {
	n := newNode(t)
	var as []sdk.Answers
	for i := range 30 {
		as = append(as, rsJudgment(t, map[string]any{
			"victims": float64(1 + i%5), "child_victims": 0.0, "sentence_months": float64(12 + i),
			"indictment_date": "2015-06-01", "decision_date": fmt.Sprintf("20%02d-%02d-10", 16+i%5, 1+i%12),
		}))
	}
	as = append(as, rsJudgment(t, map[string]any{
		"victims": 4.0, "child_victims": 3.0, "sentence_months": 177.0,
		"indictment_date": "2019-01-01", "decision_date": "2021-03-15",
	}))
	n.importAll(t, "rs.judgment", as)
	return n
}

func only(t *testing.T, ans *Answer) Cell {
	t.Helper()
	if ans.Refused != nil || len(ans.Cells) != 1 {
		t.Fatalf("want one cell, got %s", jsonString(t, ans))
	}
	return ans.Cells[0]
}

// TestSubsetRuleAttack: the difference between "all records" and "all but
// one" (or a where that selects one or two) would single out a record;
// the subset rule refuses such a where, so the attack recovers nothing.
func TestSubsetRuleAttack(t *testing.T) {
	t.Parallel()
	n := attackBook(t)
	pr := newProtector(t, n.st, Policy{})
	req := Request{Requester: "analyst"}
	all := only(t, ask(t, n, pr, req, "sum(sentence_months) judgment"))
	if all.Suppressed || *all.Sum != 177+(12+41)*30/2 {
		t.Fatalf("the whole: %s", jsonString(t, all))
	}
	for _, text := range []string{
		"sum(sentence_months) judgment where child_victims = 0",                 // leaves out the target alone
		"sum(sentence_months) judgment where not (child_victims = 3)",           // the same, through not
		"sum(sentence_months) judgment where child_victims = 3",                 // selects the target alone
		"sum(sentence_months) judgment where victims = 4 and child_victims > 0", // idem
		"count judgment where child_victims >= 1 or decision_date > 2020-12-31", // selects one
	} {
		ans := ask(t, n, pr, req, text)
		if ans.Refused == nil || ans.Refused.Reason != ReasonSubset || len(ans.Cells) != 0 {
			t.Errorf("%s: not refused by the subset rule: %s", text, jsonString(t, ans))
			continue
		}
		if strings.Contains(jsonString(t, ans), "177") {
			t.Errorf("%s: the refusal holds the target's sentence: %s", text, jsonString(t, ans))
		}
		t.Logf("%s: %s", text, ans.Refused.Message)
	}
	// A where that leaves out k or more is answered.
	if c := only(t, ask(t, n, pr, req, "count judgment where victims >= 2")); c.Suppressed || *c.N != 25 {
		t.Errorf("a where leaving out 6: %s", jsonString(t, c))
	}
}

func ask(t testing.TB, n *testNode, pr *Protector, req Request, text string) *Answer {
	t.Helper()
	ans, _ := n.ask(t, pr, req, text)
	return ans
}

// TestDifferencingAttack: two overlapping queries whose difference is one
// record (by where, by between, or by a rerun after a record was added)
// recover nothing from the same requester; the earlier figure is shown
// instead, with its date; the guard holds across a restart and holds no
// record ID. A second requester is not linked to the first (the known
// limit: colluding requesters, docs/privacy.md).
func TestDifferencingAttack(t *testing.T) {
	t.Parallel()
	n := attackBook(t)
	pr := newProtector(t, n.st, Policy{})
	a := Request{Requester: "12D3KooWAnalystA"}

	// By where: both wheres leave out at least k, so the subset rule lets
	// them through; their cells differ by the target alone.
	q1 := only(t, ask(t, n, pr, a, "sum(sentence_months) judgment where victims >= 2"))
	q2 := only(t, ask(t, n, pr, a, "sum(sentence_months) judgment where victims >= 2 and child_victims != 3"))
	if q1.Suppressed || q1.Sum == nil {
		t.Fatalf("first query: %s", jsonString(t, q1))
	}
	if !q2.Suppressed || q2.Reason != SuppressedDifferencing || q2.Sum != nil || q2.Earlier != nil {
		t.Fatalf("second query, one record apart: %s", jsonString(t, q2))
	}
	// Asked again, the first query's cell is the same set: answered alike.
	if again := only(t, ask(t, n, pr, a, "sum(sentence_months) judgment where victims >= 2")); again.Suppressed || *again.Sum != *q1.Sum {
		t.Fatalf("the same query again: %s", jsonString(t, again))
	}

	// By between: the second range leaves out the target's date alone.
	c := Request{Requester: "12D3KooWAnalystC"}
	q3 := only(t, ask(t, n, pr, c, "mean(sentence_months) judgment between 2015-01-01 and 2021-12-31"))
	q4 := only(t, ask(t, n, pr, c, "mean(sentence_months) judgment between 2015-01-01 and 2021-03-14"))
	if q3.Suppressed || !q4.Suppressed || q4.Reason != SuppressedDifferencing || q4.Sum != nil || q4.N != nil {
		t.Fatalf("between attack: %s then %s", jsonString(t, q3), jsonString(t, q4))
	}

	// Another requester gets the second query: the guard is per requester.
	b := Request{Requester: "12D3KooWAnalystB"}
	if other := only(t, ask(t, n, pr, b, "sum(sentence_months) judgment where victims >= 2 and child_victims != 3")); other.Suppressed {
		t.Fatalf("requester B: %s", jsonString(t, other))
	} else if *q1.Sum-*other.Sum != 177 {
		t.Fatalf("A's first and B's figure differ by %d, not by the target's 177: the fixture is wrong", *q1.Sum-*other.Sum)
	}

	// Across time: a periodic count; a rerun after 1..k-1 new records shows
	// the earlier figure and its date; after k new records, the new one.
	d := Request{Requester: "12D3KooWAnalystD"}
	first := only(t, ask(t, n, pr, d, "count judgment by verdict"))
	if first.Suppressed || *first.N != 31 {
		t.Fatalf("periodic count: %s", jsonString(t, first))
	}
	n.reopen(t) // the guard is in the store: a restart keeps it
	pr = newProtector(t, n.st, Policy{})
	for i, want := range []struct {
		add        int
		suppressed bool
	}{{1, true}, {3, true}, {1, false}} {
		var as []sdk.Answers
		for range want.add {
			as = append(as, rsJudgment(t, map[string]any{"victims": 2.0, "child_victims": 0.0}))
		}
		n.importAll(t, "rs.judgment", as)
		got := only(t, ask(t, n, pr, d, "count judgment by verdict"))
		if got.Suppressed != want.suppressed {
			t.Fatalf("rerun %d: %s", i, jsonString(t, got))
		}
		if got.Suppressed {
			if got.Reason != SuppressedDifferencing || got.N != nil || got.Earlier == nil || *got.Earlier.N != 31 || got.Earlier.Released.IsZero() {
				t.Fatalf("rerun %d: want the earlier figure 31 with its date: %s", i, jsonString(t, got))
			}
			continue
		}
		if *got.N != 36 {
			t.Fatalf("rerun %d after k new records: %s", i, jsonString(t, got))
		}
	}

	// The guard keeps salted hashes, never record IDs.
	ids := n.all(t, sdk.KindJudgment)
	entries := 0
	err := n.st.Scan(context.Background(), spaceReleased, nil, func(k, v []byte) error {
		entries++
		for _, r := range ids {
			if strings.Contains(string(k)+string(v), r.ID) {
				return fmt.Errorf("released-cell entry %q holds record ID %s", k, r.ID)
			}
		}
		return nil
	})
	if err != nil || entries == 0 {
		t.Fatalf("%d guard entries: %v", entries, err)
	}
}

// TestSuppressedValuesAppearNowhere: a cell of two records with unusual
// amounts is suppressed in sum, mean, median, histogram and count
// answers, and neither amount, nor their sum, nor any record ID appears
// in the answers' encoding.
func TestSuppressedValuesAppearNowhere(t *testing.T) {
	t.Parallel()
	n := newNode(t)
	var as []sdk.Answers
	for range 8 {
		as = append(as, rsJudgment(t, map[string]any{"court_level": "first_instance", "compensation_awarded_eur": 100.0, "sentence_months": 30.0}))
	}
	as = append(as,
		rsJudgment(t, map[string]any{"court_level": "supreme", "compensation_awarded_eur": 4321.09, "sentence_months": 173.0}),
		rsJudgment(t, map[string]any{"court_level": "supreme", "compensation_awarded_eur": 5432.17, "sentence_months": 171.0}))
	n.importAll(t, "rs.judgment", as)
	pr := newProtector(t, n.st, Policy{})
	secrets := []string{"432109", "4321.09", "543217", "5432.17", "975326", "9753.26", "487663", "173", "171", "344", "172"}
	for i, text := range []string{
		"sum(compensation_awarded_eur) judgment by court_level",
		"mean(compensation_awarded_eur) judgment by court_level",
		"median(sentence_months) judgment by court_level",
		"histogram(sentence_months; 100, 200) judgment by court_level",
		"count judgment by court_level",
	} {
		ans := ask(t, n, pr, Request{Requester: fmt.Sprint("analyst-", i)}, text)
		enc := jsonString(t, ans)
		supreme := 0
		for _, c := range ans.Cells {
			if c.Group[0] == "supreme" && (len(c.Group) == 1 || c.Group[1] == "[100,200)") {
				supreme++
				if !c.Suppressed || jsonString(t, c.Figures) != "{}" {
					t.Errorf("%s: the supreme cell is not suppressed or carries figures: %s", text, jsonString(t, c))
				}
			}
		}
		if supreme != 1 {
			t.Errorf("%s: %d supreme cells in %s", text, supreme, enc)
		}
		for _, s := range secrets {
			if strings.Contains(enc, s) {
				t.Errorf("%s: the answer holds %s: %s", text, s, enc)
			}
		}
		for _, r := range n.all(t, sdk.KindJudgment) {
			if strings.Contains(enc, r.ID) {
				t.Errorf("%s: the answer holds record ID %s", text, r.ID)
			}
		}
	}
}
