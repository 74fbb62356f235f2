package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/store"
)

// testNode is a home made as kolo init makes one, with its store open.
type testNode struct {
	home string
	src  Source
	st   *store.Store
}

func newTestNode(t testing.TB, passphrase string) *testNode {
	t.Helper()
	home := filepath.Join(t.TempDir(), "node")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := ks.Write(home, passphrase); err != nil {
		t.Fatal(err)
	}
	c := config.Defaults()
	c.Home = home
	c.Node = config.Node{Org: "ASTRA", Country: "RS"}
	file, err := config.File(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteFile(filepath.Join(home, config.FileName), file); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(store.Options{Dir: filepath.Join(home, StoreDir), Key: ks.Store, HealthInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pid, _ := peer.IDFromPrivateKey(ks.P2P)
	return &testNode{home: home, st: st, src: Source{Home: home, Store: st, PeerID: pid.String(), Org: "ASTRA", Country: "RS",
		AgeRecipient: ks.Age.Recipient().String(), Version: "test"}}
}

// offlineKey is the sysadmin's key pair, kept away from the node.
func offlineKey(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRoundTrip: a backup restored into a new home gives the same key
// files, configuration and entries, a store that opens with the restored
// store key, and the manifest of the node.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, pass := range []string{"", "correct horse"} {
		t.Run(fmt.Sprintf("passphrase=%v", pass != ""), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			n := newTestNode(t, pass)
			// More than one part of the store's stream: 4 MiB parts.
			val := bytes.Repeat([]byte("r"), 3000)
			for i := range 3000 {
				if err := n.st.Put("record", fmt.Appendf(nil, "r%05d", i), val); err != nil {
					t.Fatal(err)
				}
			}
			key := offlineKey(t)
			var buf bytes.Buffer
			m, err := Write(ctx, &buf, n.src, []string{key.Recipient().String()})
			if err != nil {
				t.Fatal(err)
			}
			if m.PeerID != n.src.PeerID || m.Format != Format {
				t.Fatalf("manifest %+v", m)
			}
			if bytes.Contains(buf.Bytes(), val[:100]) || bytes.Contains(buf.Bytes(), []byte("ASTRA")) {
				t.Fatal("the backup holds the store's or the configuration's content in clear")
			}

			home := filepath.Join(t.TempDir(), "restored")
			got, err := Restore(ctx, bytes.NewReader(buf.Bytes()), RestoreOptions{Home: home, Identities: []age.Identity{key}, Passphrase: pass})
			if err != nil {
				t.Fatal(err)
			}
			if got.PeerID != m.PeerID || !got.Created.Equal(m.Created) {
				t.Errorf("restored manifest %+v, written %+v", got, m)
			}
			for _, f := range HomeFiles {
				a, _ := os.ReadFile(filepath.Join(n.home, f))
				b, err := os.ReadFile(filepath.Join(home, f))
				if err != nil || !bytes.Equal(a, b) {
					t.Errorf("%s differs after the restore (%v)", f, err)
				}
				if fi, err := os.Stat(filepath.Join(home, f)); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("%s: mode %v (%v), want 0600", f, fi.Mode().Perm(), err)
				}
			}
			if fi, err := os.Stat(home); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("home mode %v (%v), want 0700", fi.Mode().Perm(), err)
			}
			ks, err := keys.Read(ctx, home, pass)
			if err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(store.Options{Dir: filepath.Join(home, StoreDir), Key: ks.Store, HealthInterval: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			count := 0
			st.Scan(ctx, "record", nil, func(_, v []byte) error {
				if bytes.Equal(v, val) {
					count++
				}
				return nil
			})
			if count != 3000 {
				t.Fatalf("restored store holds %d of 3000 records", count)
			}
			if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(home), ".restored.restoring-*")); len(leftovers) != 0 {
				t.Errorf("left behind: %v", leftovers)
			}
		})
	}
}

// TestWriteRefuses: no recipient, a malformed one, and the node's own are
// refused before anything is written.
func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	n := newTestNode(t, "")
	for name, c := range map[string]struct {
		recipients []string
		want       error
		text       string
	}{
		"none":      {nil, ErrNoRecipient, "--recipient"},
		"malformed": {[]string{"age1notakey"}, nil, `recipient "age1notakey"`},
		"own":       {[]string{n.src.AgeRecipient}, ErrOwnRecipient, "offline"},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := Write(context.Background(), &buf, n.src, c.recipients)
			if err == nil || (c.want != nil && !errors.Is(err, c.want)) || !strings.Contains(err.Error(), c.text) {
				t.Fatalf("Write = %v; want %v saying %q", err, c.want, c.text)
			}
			if buf.Len() != 0 {
				t.Fatalf("%d bytes written before the refusal", buf.Len())
			}
		})
	}
}

// TestRestoreRefuses: a home that is not empty, another identity, a
// truncated backup, a backup without its end, and bytes that are no backup
// are refused, and nothing is left behind: the home is as it was.
func TestRestoreRefuses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	n := newTestNode(t, "")
	n.st.Put("record", []byte("r1"), []byte("v"))
	key := offlineKey(t)
	var good bytes.Buffer
	if _, err := Write(ctx, &good, n.src, []string{key.Recipient().String()}); err != nil {
		t.Fatal(err)
	}
	// A backup cut just before its end entry, re-encrypted: complete as an
	// age file, incomplete as a backup.
	noEnd := reencrypt(t, key, good.Bytes(), func(plain []byte) []byte {
		// The entry's name opens its 512-byte tar header.
		return plain[:bytes.Index(plain, []byte(endName))]
	})
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "notes.txt"), []byte("x"), 0o600)
	for name, c := range map[string]struct {
		backup []byte
		home   string
		ids    []age.Identity
		want   string
	}{
		"home not empty": {good.Bytes(), full, []age.Identity{key}, "is not empty: restore into a new directory"},
		"other identity": {good.Bytes(), "", []age.Identity{offlineKey(t)}, "not encrypted to the identity given"},
		"truncated":      {good.Bytes()[:good.Len()/2], "", []age.Identity{key}, ""},
		"no end":         {noEnd, "", []age.Identity{key}, "where kolo-backup-end.json should be"},
		"not a backup":   {[]byte("hello"), "", []age.Identity{key}, "not an age-encrypted kolo backup"},
	} {
		t.Run(name, func(t *testing.T) {
			home := c.home
			if home == "" {
				home = filepath.Join(t.TempDir(), "restored")
			}
			before := listDir(t, filepath.Dir(home))
			_, err := Restore(ctx, bytes.NewReader(c.backup), RestoreOptions{Home: home, Identities: c.ids})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Restore = %v; want an error saying %q", err, c.want)
			}
			if after := listDir(t, filepath.Dir(home)); after != before {
				t.Errorf("left behind: before %s, after %s", before, after)
			}
		})
	}
}

// reencrypt decrypts a backup, changes its plain archive and encrypts it
// again to the same key.
func reencrypt(t *testing.T, key *age.X25519Identity, backup []byte, change func([]byte) []byte) []byte {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(backup), key)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w, err := age.Encrypt(&out, key.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	w.Write(change(plain))
	w.Close()
	return out.Bytes()
}

func listDir(t *testing.T, dir string) string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, ",")
}
