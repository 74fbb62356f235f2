package keys_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kolo-net/kolo/node/keys"
)

// TestReseal changes the passphrase of a home's key files with age's real
// work factor: afterwards the new passphrase opens the same keys, the old
// one does not, the files are sealed again (not the same bytes), 0600,
// and no temporary file is left. Removing the passphrase writes plain key
// files. A wrong old passphrase changes nothing.
func TestReseal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ks.Write(dir, "old secret"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, keys.StoreFile))
	if err := keys.Reseal(ctx, dir, "wrong", "new secret"); !errors.Is(err, keys.ErrWrongPassphrase) {
		t.Fatalf("wrong old passphrase: %v", err)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, keys.StoreFile)); !bytes.Equal(now, before) {
		t.Fatal("a refused change touched the files")
	}
	if err := keys.Reseal(ctx, dir, "old secret", "new secret"); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, keys.StoreFile))
	if bytes.Equal(after, before) || !bytes.HasPrefix(after, []byte("age-encryption.org/v1")) {
		t.Fatal("store.key was not sealed again")
	}
	got, err := keys.Read(ctx, dir, "new secret")
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, ks, got)
	if _, err := keys.Read(ctx, dir, "old secret"); !errors.Is(err, keys.ErrWrongPassphrase) {
		t.Fatalf("old passphrase after the change: %v", err)
	}
	wantModes(t, dir)

	if err := keys.Reseal(ctx, dir, "new secret", ""); err != nil {
		t.Fatal(err)
	}
	plain, err := keys.Read(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, ks, plain)
}
