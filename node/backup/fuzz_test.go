package backup

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"

	"filippo.io/age"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/keys"
)

// FuzzRestoreArchive feeds the archive inside a backup (what age decrypts)
// to the restore: it refuses it or restores it into its directory, within
// its caps, and never panics. The store's stream is read through to its
// end, not loaded: its decoding is FuzzLoad's (node/store), and a Badger
// store opened per input would make this target explore nothing. Seeds: a
// real backup's archive, and that archive cut short at several places.
func FuzzRestoreArchive(f *testing.F) {
	n := newTestNode(f, "")
	n.st.Put("record", []byte("r1"), []byte("v"))
	key := offlineKey(f)
	var enc bytes.Buffer
	if _, err := Write(context.Background(), &enc, n.src, []string{key.Recipient().String()}); err != nil {
		f.Fatal(err)
	}
	r, err := age.Decrypt(&enc, key)
	if err != nil {
		f.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		f.Fatal(err)
	}
	seeds := [][]byte{plain, plain[:512], plain[:len(plain)/2], plain[:len(plain)-1024], nil}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, archive []byte) {
		dir := t.TempDir()
		_, _ = restoreInto(context.Background(), tar.NewReader(bytes.NewReader(archive)), dir, RestoreOptions{}, drain)
	})
}

// drain reads the store's stream through, as a load would, and keeps none.
func drain(_ context.Context, _ string, _ *keys.Set, _ config.Config, stream io.Reader, _ *slog.Logger) error {
	_, err := io.Copy(io.Discard, stream)
	return err
}
