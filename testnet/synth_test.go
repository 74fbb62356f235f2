package testnet

import (
	"context"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/records"
)

// TestSeed: synthetic records pass every built-in country's real forms,
// through the real plugin processes, and land in the nodes' stores.
func TestSeed(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	net, err := Start(ctx, Options{N: 4, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { net.Close(context.Background()) })
	const per = 12
	total, err := net.Seed(ctx, per)
	if err != nil {
		t.Fatal(err)
	}
	if total != 4*per {
		t.Fatalf("seeded %d records, want %d", total, 4*per)
	}
	for i := range net.Len() {
		list, err := net.Node(i).Records().List(ctx, records.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != per {
			t.Errorf("node %d (%s) holds %d records, want %d", i, net.Node(i).Config().Node.Country, len(list), per)
		}
		judgments, err := net.Node(i).Records().List(ctx, records.Filter{Kind: "judgment"})
		if err != nil {
			t.Fatal(err)
		}
		if len(judgments) < per/2 {
			t.Errorf("node %d holds %d judgments, want at least %d", i, len(judgments), per/2)
		}
	}
}
