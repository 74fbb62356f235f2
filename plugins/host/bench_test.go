package host_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/kolo-net/kolo/plugins/forms/rs"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// benchJudgment is a full Serbian judgment (rs.judgment@2), as a monitor
// enters it: about 800 bytes of JSON.
var benchJudgment = sdk.Answers{
	"case_number": "K 45/2024", "court": "Viši sud u Novom Sadu", "court_level": "appeal", "article": "art_389",
	"indictment_date": "2024-01-09", "decision_date": "2025-03-03", "defendants": 1.0, "victims": 1.0, "child_victims": 1.0,
	"verdict": "plea_agreement", "sentence_months": 48.0, "below_statutory_minimum": false, "compensation_claimed": true,
	"compensation_decision": "partial", "compensation_awarded_eur": 3000.5, "compensation_paid": false, "assets_frozen": false,
	"victim_testimonies": 1.0, "victim_questioning": "prior_recorded", "victim_legal_representative": true,
	"victim_prosecuted": false, "international_law_cited": []any{"palermo", "coe_convention"}, "appeal_filed": true,
	"notes": "Žrtva je saslušana putem snimka ranijeg iskaza; okrivljeni nije bio prisutan.",
}

// BenchmarkJudgment checks one Serbian judgment (validation, normalisation
// and the host's check of the indicators) in-process, and through the real
// plugin process over gRPC in batches of 1 to 10,000 records.
func BenchmarkJudgment(b *testing.B) {
	ctx := context.Background()
	b.Run("in-process", func(b *testing.B) {
		var form sdk.Form
		for _, f := range rs.Forms() {
			if fi, _ := f.Describe(ctx); fi.Ref() == "rs.judgment@2" {
				form = f
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			errs, err := form.Validate(ctx, benchJudgment)
			if err != nil || len(errs) > 0 {
				b.Fatal(err, errs)
			}
			c, err := form.Normalize(ctx, benchJudgment)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sdk.CanonicalCommon(sdk.KindJudgment, c); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	h, _ := startHost(b, host.Options{Executable: exe, BuiltIn: []string{"rs"}, CallTimeout: time.Minute})
	for _, n := range []int{1, 10, 100, 1000, 10000} {
		batch := make([]sdk.Answers, n)
		for i := range batch {
			batch[i] = benchJudgment
		}
		b.Run(fmt.Sprintf("grpc-batch-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := h.Check(ctx, "rs.judgment", 2, batch)
				if err != nil || len(res) != n || !res[n-1].Valid() {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
		})
	}
}
