package declaration

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/kolo-net/kolo/protocol"
)

// benchEndorsements returns n endorsements by 50 members of one network.
func benchEndorsements(b *testing.B, n int) (*world, []protocol.Endorsement) {
	w := newWorld(b)
	var ms []member
	for i := range 50 {
		ms = append(ms, w.admit(b, "Organisation "+string(rune('A'+i%26))+string(rune('a'+i/26)), "RS"))
	}
	out := make([]protocol.Endorsement, n)
	for i := range out {
		out[i] = w.endorse(b, ms[i%len(ms)])
	}
	return w, out
}

// BenchmarkCheckEndorsement measures the full verification of one
// endorsement as it arrives from a peer (decoded): canonical string, network,
// Declaration hash, date, membership, Ed25519 signature, certificate match.
// Run with -cpu 1 for the one-core rate.
func BenchmarkCheckEndorsement(b *testing.B) {
	w, es := benchEndorsements(b, 1)
	e := es[0]
	b.ReportAllocs()
	for b.Loop() {
		if err := w.ledger.Check(e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "endorsements/s")
}

// BenchmarkDecodeAndCheckEndorsement adds the strict JSON decoding of the
// gossip message to the verification.
func BenchmarkDecodeAndCheckEndorsement(b *testing.B) {
	w, es := benchEndorsements(b, 1)
	msg, err := protocol.Encode(protocol.Record{Endorsement: &es[0]})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var r protocol.Record
		if err := protocol.Decode(msg, protocol.MaxMessageSize, &r); err != nil {
			b.Fatal(err)
		}
		if err := w.ledger.Check(*r.Endorsement); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "endorsements/s")
}

// BenchmarkVerifyExportReversed verifies an export of n chained
// certificates listed in reverse (each before its admitter's), the order
// that made verification quadratic (membership hole 8). The export of
// 10,000 is about 13 MB, under the 16 MiB cap.
func BenchmarkVerifyExportReversed(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("certificates=%d", n), func(b *testing.B) {
			data := chainExport(b, n)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := VerifyExport(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
