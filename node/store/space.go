package store

import (
	"bytes"
	"fmt"
)

// Space is a typed key space, e.g. "meta" or "record". On disk a key is
// space + 0x00 + key. A Space must be non-empty and contain no 0x00 byte.
type Space string

// check reports why sp cannot be used as a key space, or nil.
func (sp Space) check() error {
	if sp == "" {
		return fmt.Errorf("key space is empty: a Space needs a name such as %q", "record")
	}
	if i := bytes.IndexByte([]byte(sp), 0); i >= 0 {
		return fmt.Errorf("key space %q contains a 0x00 byte at offset %d: 0x00 separates space and key", string(sp), i)
	}
	return nil
}

// maxDiskKey is Badger's limit on a key, space and separator included.
const maxDiskKey = 65000

// MaxValueBytes is the largest value Put accepts: one value-log file.
const MaxValueBytes = valueLogFileSize

// checkEntry reports why key in sp, with a value of valLen bytes, cannot be
// stored, or nil. Badger checks these limits too, but its error carries a hex
// dump of the value, which must not reach a log.
func (sp Space) checkEntry(key []byte, valLen int) error {
	if err := sp.check(); err != nil {
		return err
	}
	if n := len(sp) + 1 + len(key); n > maxDiskKey {
		return fmt.Errorf("key is %d bytes with its space, at most %d allowed", n, maxDiskKey)
	}
	if valLen > MaxValueBytes {
		return fmt.Errorf("value is %d bytes, at most %d allowed", valLen, MaxValueBytes)
	}
	return nil
}

// key is the on-disk key of key in sp: sp + 0x00 + key, in a fresh slice.
func (sp Space) key(key []byte) []byte {
	k := make([]byte, 0, len(sp)+1+len(key))
	k = append(k, sp...)
	k = append(k, 0)
	return append(k, key...)
}

// split is the inverse of key: it returns the space and key of an on-disk
// key, and false if k holds no separator.
func split(k []byte) (Space, []byte, bool) {
	i := bytes.IndexByte(k, 0)
	if i < 0 {
		return "", nil, false
	}
	return Space(k[:i]), k[i+1:], true
}

// maxKeyInError is how much of a key an error message shows.
const maxKeyInError = 64

// describe names an operation on key in sp for an error message, shortening
// long keys.
func describe(op string, sp Space, key []byte) string {
	if len(key) > maxKeyInError {
		return fmt.Sprintf("%s %s key %q... (%d bytes)", op, sp, key[:maxKeyInError], len(key))
	}
	return fmt.Sprintf("%s %s key %q", op, sp, key)
}
