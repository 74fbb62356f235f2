package testnet

import (
	"context"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/federation"
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

// TestFederatedCount: four nodes answer a count; every released figure is
// the count of the records behind it, taken from the stores directly.
func TestFederatedCount(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	logs := &logBuffer{}
	net := startSeeded(ctx, t, 4, 40, logs)
	want := map[string]int64{}
	for i := range net.Len() {
		err := net.Node(i).Records().Each(ctx, records.Filter{Kind: "judgment"}, func(r records.Record) error {
			want[net.Node(i).Config().Node.Country]++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	q, err := net.Node(0).Ask(ctx, "count judgment by country", federation.AskOptions{Wait: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	st, err := net.Node(0).Federation().Wait(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Answered() != 4 {
		t.Fatalf("%d of 4 nodes answered: %+v", st.Answered(), st.Nodes)
	}
	got := map[string]int64{}
	for _, c := range st.Combined.Cells {
		if c.Value == nil {
			t.Fatalf("cell %v suppressed", c.Group)
		}
		got[c.Group[0]] = int64(*c.Value)
	}
	for cc, n := range want {
		if got[cc] != n {
			t.Errorf("%s: federated count %d, want %d", cc, got[cc], n)
		}
	}
}
