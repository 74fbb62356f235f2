package store

import (
	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// The Badger settings that are not Options fields. docs/store.md has a table
// with every setting and why; keep the two in step.
const (
	// numMemtables: one memtable being written, one being flushed.
	numMemtables = 2
	// numCompactors: 2 is the least Badger accepts short of none.
	numCompactors = 2
	// valueThreshold: values shorter than this live in the LSM tree with
	// their key; longer ones go to the value log. Records are a few KiB, so
	// nearly everything stays in the LSM tree and reads take one lookup.
	valueThreshold = 64 << 10
	// valueLogFileSize: 64 MiB value-log files instead of 1 GiB, so a small
	// store's files stay small and GC rewrites little at a time.
	valueLogFileSize = 64 << 20
	// minMemTableBytes keeps valueThreshold under Badger's limit of 15% of a
	// memtable.
	minMemTableBytes = 1 << 20
)

// badgerOptions turns opts into Badger's options.
func badgerOptions(opts Options, log *badgerLogger) badger.Options {
	index := opts.IndexCacheBytes
	if index == 0 {
		index = DefaultIndexCacheBytes
	}
	block := opts.BlockCacheBytes
	if block == 0 {
		block = DefaultBlockCacheBytes
	}
	mem := memTableBytes(opts)
	o := badger.DefaultOptions(opts.Dir).
		WithEncryptionKey(opts.Key).
		WithIndexCacheSize(index).
		WithBlockCacheSize(block).
		WithMemTableSize(mem).
		WithNumMemtables(numMemtables).
		WithNumCompactors(numCompactors).
		WithValueThreshold(valueThreshold).
		WithValueLogFileSize(valueLogFileSize).
		WithCompression(options.Snappy)
	if log.l == nil {
		return o.WithLogger(nil) // skip formatting messages nobody reads
	}
	return o.WithLogger(log)
}

// memTableBytes is the size of a memtable with opts.
func memTableBytes(opts Options) int64 {
	if opts.MemTableBytes == 0 {
		return DefaultMemTableBytes
	}
	return opts.MemTableBytes
}
