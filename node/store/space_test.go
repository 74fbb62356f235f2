package store

import (
	"bytes"
	"testing"
)

// FuzzSpaceKey checks that an on-disk key splits back into its space and
// key, so no entry of one space can be read as another's.
func FuzzSpaceKey(f *testing.F) {
	for _, seed := range []struct{ sp, key string }{
		{"record", "r1"}, {"rec", "ord\x00r1"}, {"meta", ""}, {"", "k"}, {"a\x00b", "c"},
	} {
		f.Add(seed.sp, []byte(seed.key))
	}
	f.Fuzz(func(t *testing.T, sp string, key []byte) {
		if err := Space(sp).check(); err != nil {
			if sp != "" && !bytes.Contains([]byte(sp), []byte{0}) {
				t.Fatalf("check(%q) = %v for a valid space", sp, err)
			}
			return
		}
		k := Space(sp).key(key)
		gotSp, gotKey, ok := split(k)
		if !ok || gotSp != Space(sp) || !bytes.Equal(gotKey, key) {
			t.Fatalf("split(key(%q, %q)) = %q, %q, %v", sp, key, gotSp, gotKey, ok)
		}
	})
}
