package store

import (
	"math/rand/v2"
	"testing"
)

// Values are 1 KiB of random bytes: the worst case for Snappy, which would
// shrink real JSON records. Keys are 16 random bytes, like record IDs.

type benchData struct {
	rng *rand.ChaCha8
	key [16]byte
	val [1024]byte
}

func newBenchData() *benchData {
	return &benchData{rng: rand.NewChaCha8([32]byte{1})}
}

func (d *benchData) next() (key, val []byte) {
	d.rng.Read(d.key[:])
	d.rng.Read(d.val[:])
	return d.key[:], d.val[:]
}

func benchStore(b *testing.B, encrypted bool) *Store {
	var key []byte
	if encrypted {
		key = newKey(b)
	}
	return openStore(b, b.TempDir(), key)
}

var encryptionCases = []struct {
	name      string
	encrypted bool
}{{"encryption=off", false}, {"encryption=on", true}}

// BenchmarkPutGet: one Put (its own transaction) and one Get of the same
// 1 KiB value per op. Compare encryption=on with encryption=off.
func BenchmarkPutGet(b *testing.B) {
	for _, c := range encryptionCases {
		b.Run(c.name, func(b *testing.B) {
			s := benchStore(b, c.encrypted)
			d := newBenchData()
			b.SetBytes(1024)
			b.ReportAllocs()
			for b.Loop() {
				key, val := d.next()
				if err := s.Put("record", key, val); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Get("record", key); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBatchWrite: b.N writes of 1 KiB values in one Batch, flushed at
// the end; reports writes/s.
func BenchmarkBatchWrite(b *testing.B) {
	for _, c := range encryptionCases {
		b.Run(c.name, func(b *testing.B) {
			s := benchStore(b, c.encrypted)
			d := newBenchData()
			b.SetBytes(1024)
			b.ReportAllocs()
			b.ResetTimer()
			err := s.Batch(func(bt *Batch) error {
				for range b.N {
					key, val := d.next()
					if err := bt.Put("record", key, val); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}
