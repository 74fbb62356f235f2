package keys_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// newHome writes a fresh, unencrypted set of keys into a new directory.
func newHome(t *testing.T) (string, *keys.Set) {
	t.Helper()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ks.Write(dir, ""); err != nil {
		t.Fatal(err)
	}
	return dir, ks
}

// sameKeys fails unless a and b hold the same keys.
func sameKeys(t *testing.T, a, b *keys.Set) {
	t.Helper()
	if !a.P2P.Equals(b.P2P) {
		t.Error("libp2p keys differ")
	}
	if a.Age.String() != b.Age.String() {
		t.Error("age identities differ")
	}
	if !bytes.Equal(a.Store, b.Store) {
		t.Error("store keys differ")
	}
	pa, err := a.Public()
	if err != nil {
		t.Fatal(err)
	}
	pb, err := b.Public()
	if err != nil {
		t.Fatal(err)
	}
	if pa != pb {
		t.Errorf("public identities differ: %+v and %+v", pa, pb)
	}
}

// wantModes checks that every file of the home is mode 0600 and no
// temporary file is left behind.
func wantModes(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode(); mode != 0o600 {
			t.Errorf("%s: mode %v, want -rw-------", e.Name(), mode)
		}
	}
	want := append(append([]string{}, keys.Files...), keys.PublicFile)
	if len(names) != len(want) {
		t.Errorf("home holds %v, want exactly %v", names, want)
	}
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	a, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	b, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if a.P2P.Type() != crypto.Ed25519 {
		t.Errorf("libp2p key type %v, want Ed25519", a.P2P.Type())
	}
	if len(a.Store) != 32 {
		t.Errorf("store key %d bytes, want 32", len(a.Store))
	}
	if a.P2P.Equals(b.P2P) || a.Age.String() == b.Age.String() || bytes.Equal(a.Store, b.Store) {
		t.Error("two Generate calls gave a key in common")
	}
	pub, err := a.Public()
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.Decode(pub.PeerID)
	if err != nil || !id.MatchesPrivateKey(a.P2P) {
		t.Errorf("peer ID %s does not match the key (%v)", pub.PeerID, err)
	}
	if _, err := age.ParseX25519Recipient(pub.AgeRecipient); err != nil || !strings.HasPrefix(pub.AgeRecipient, "age1") {
		t.Errorf("age recipient %q: %v", pub.AgeRecipient, err)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	t.Parallel()
	dir, ks := newHome(t)
	wantModes(t, dir)

	got, err := keys.Read(context.Background(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, ks, got)

	pub, err := keys.ReadPublic(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ks.Public()
	if pub != want {
		t.Errorf("ReadPublic = %+v, want %+v", pub, want)
	}

	// The files hold what their names say, in the formats documented.
	age1, _ := os.ReadFile(filepath.Join(dir, keys.AgeFile))
	if !bytes.HasPrefix(age1, []byte("AGE-SECRET-KEY-1")) {
		t.Errorf("%s starts %q, want AGE-SECRET-KEY-1", keys.AgeFile, age1[:min(16, len(age1))])
	}
	store, _ := os.ReadFile(filepath.Join(dir, keys.StoreFile))
	if !bytes.Equal(store, ks.Store) {
		t.Errorf("%s does not hold the 32 raw bytes of the store key", keys.StoreFile)
	}

	// Writing again over existing files keeps 0600, even over a file a
	// user made readable by others.
	if err := os.Chmod(filepath.Join(dir, keys.P2PFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := ks.Write(dir, ""); err != nil {
		t.Fatal(err)
	}
	wantModes(t, dir)
}

// TestPassphrase runs the passphrase cases in sequence on one home, with
// age's real work factor: scrypt costs about a second per file by design,
// so this test takes three rounds of it (Write, a wrong Read, a right Read).
func TestPassphrase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ks, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const pass = "correct horse battery staple"
	if err := ks.Write(dir, pass); err != nil {
		t.Fatal(err)
	}
	wantModes(t, dir)
	for _, name := range keys.Files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("age-encryption.org/v1\n-> scrypt ")) {
			t.Errorf("%s does not start with an age scrypt header: %q", name, b[:min(40, len(b))])
		}
		if bytes.Contains(b, []byte("AGE-SECRET-KEY")) || bytes.Contains(b, ks.Store) {
			t.Errorf("%s holds a key in the clear", name)
		}
	}

	// The public file needs no passphrase.
	pub, err := keys.ReadPublic(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := ks.Public(); pub != want {
		t.Errorf("ReadPublic = %+v, want %+v", pub, want)
	}

	// No passphrase: a clear error, and no scrypt work.
	_, err = keys.Read(ctx, dir, "")
	if !errors.Is(err, keys.ErrPassphraseNeeded) {
		t.Fatalf("Read without passphrase: %v, want ErrPassphraseNeeded", err)
	}
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "KOLO_PASSPHRASE") {
		t.Errorf("error %q does not name the file and KOLO_PASSPHRASE", err)
	}

	// A wrong passphrase on files sealed by Write.
	_, err = keys.Read(ctx, dir, "incorrect horse")
	if !errors.Is(err, keys.ErrWrongPassphrase) {
		t.Fatalf("Read with a wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Errorf("error %q does not name the file and the wrong passphrase", err)
	}

	// The right one.
	got, err := keys.Read(ctx, dir, pass)
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, ks, got)
}

// sealCheap encrypts plain with passphrase at scrypt work factor 2, so
// tests of broken files cost no time. Read accepts any work factor up to
// age's limit.
func sealCheap(t *testing.T, plain []byte, passphrase string) []byte {
	t.Helper()
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(2)
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// sealX25519 encrypts plain to a fresh age X25519 recipient: an age file,
// but not a passphrase-encrypted one.
func sealX25519(t *testing.T, plain []byte) []byte {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w, err := age.Encrypt(&out, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	w.Write(plain)
	w.Close()
	return out.Bytes()
}

// TestReadBrokenFiles damages one file of a good home at a time; Read
// must fail with an error that names the file and says what is wrong.
func TestReadBrokenFiles(t *testing.T) {
	t.Parallel()
	secp, _, err := crypto.GenerateSecp256k1Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secpBytes, err := crypto.MarshalPrivateKey(secp)
	if err != nil {
		t.Fatal(err)
	}
	const pass = "pw"
	cases := []struct {
		name       string
		file       string
		content    func(good []byte) []byte // nil: delete the file
		passphrase string
		want       string
		is         error
	}{
		{name: "node.key missing", file: keys.P2PFile, want: "is missing"},
		{name: "age.key missing", file: keys.AgeFile, want: "is missing"},
		{name: "store.key missing", file: keys.StoreFile, want: "is missing"},
		{name: "node.key truncated", file: keys.P2PFile, content: func(g []byte) []byte { return g[:len(g)/2] }, want: "not a libp2p private key"},
		{name: "node.key garbage", file: keys.P2PFile, content: func([]byte) []byte { return []byte("not a key at all\n") }, want: "not a libp2p private key"},
		{name: "node.key empty", file: keys.P2PFile, content: func([]byte) []byte { return nil }, want: "not a libp2p private key"},
		{name: "node.key not Ed25519", file: keys.P2PFile, content: func([]byte) []byte { return secpBytes }, want: "must hold an Ed25519 key"},
		{name: "age.key truncated", file: keys.AgeFile, content: func(g []byte) []byte { return g[:30] }, want: "not an age X25519 identity"},
		{name: "age.key garbage", file: keys.AgeFile, content: func([]byte) []byte { return []byte("AGE-SECRET-KEY-1XYZ\n") }, want: "not an age X25519 identity"},
		{name: "store.key short", file: keys.StoreFile, content: func(g []byte) []byte { return g[:31] }, want: "must hold 32 bytes, holds 31"},
		{name: "store.key long", file: keys.StoreFile, content: func(g []byte) []byte { return append(g, '\n') }, want: "must hold 32 bytes, holds 33"},
		{name: "store.key huge", file: keys.StoreFile, content: func([]byte) []byte { return make([]byte, 1<<20) }, want: "larger than"},
		{name: "age header, no passphrase", file: keys.StoreFile, content: func([]byte) []byte { return []byte("age-encryption.org/v1\n") }, is: keys.ErrPassphraseNeeded},
		{name: "age header cut", file: keys.StoreFile, passphrase: pass, content: func([]byte) []byte { return []byte("age-encryption.org/v1\n-> scrypt") }, want: "decrypt"},
		{name: "sealed payload cut", file: keys.StoreFile, passphrase: pass, content: func(g []byte) []byte {
			s := sealCheap(t, g, pass)
			return s[:len(s)-10]
		}, want: "decrypt"},
		{name: "sealed, wrong passphrase", file: keys.AgeFile, passphrase: "not " + pass, content: func(g []byte) []byte { return sealCheap(t, g, pass) }, is: keys.ErrWrongPassphrase},
		{name: "sealed to a recipient, not a passphrase", file: keys.AgeFile, passphrase: pass, content: func(g []byte) []byte { return sealX25519(t, g) }, want: "not passphrase-encrypted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, _ := newHome(t)
			path := filepath.Join(dir, tc.file)
			if tc.content == nil {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			} else {
				good, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, tc.content(good), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			ks, err := keys.Read(context.Background(), dir, tc.passphrase)
			if err == nil {
				t.Fatalf("Read succeeded (%v)", ks != nil)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			if tc.want != "" && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if tc.is == nil && errors.Is(err, keys.ErrWrongPassphrase) {
				t.Errorf("error %q blames the passphrase", err)
			}
		})
	}
}

// TestReadCheapPassphrase: files sealed at any work factor open with the
// right passphrase (a cheap check of the decrypting path, beside TestPassphrase).
func TestReadCheapPassphrase(t *testing.T) {
	t.Parallel()
	dir, ks := newHome(t)
	for _, name := range keys.Files {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, sealCheap(t, b, "pw"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	got, err := keys.Read(context.Background(), dir, "pw")
	if err != nil {
		t.Fatal(err)
	}
	sameKeys(t, ks, got)
}

func TestReadPublic(t *testing.T) {
	t.Parallel()
	good, _ := keys.Generate()
	pub, _ := good.Public()
	cases := []struct {
		name, content, want string
	}{
		{"missing", "", "is missing"},
		{"not JSON", "peer_id: x\n", "invalid character"},
		{"unknown field", `{"peer_id":"` + pub.PeerID + `","age_recipient":"` + pub.AgeRecipient + `","name":"x"}`, "unknown field"},
		{"empty fields", `{"peer_id":"","age_recipient":""}`, "peer_id and age_recipient are required"},
		{"bad peer id", `{"peer_id":"QmNotAPeer","age_recipient":"` + pub.AgeRecipient + `"}`, "not a libp2p peer ID"},
		{"bad recipient", `{"peer_id":"` + pub.PeerID + `","age_recipient":"age1nope"}`, "not an age X25519 recipient"},
		{"huge", strings.Repeat(" ", 20<<10), "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, keys.PublicFile)
			if tc.name != "missing" {
				if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := keys.ReadPublic(dir)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadPublic: %v; want an error naming %s and saying %q", err, path, tc.want)
			}
		})
	}
}

func TestExists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if keys.Exists(dir) {
		t.Error("Exists of an empty directory")
	}
	for _, name := range append(append([]string{}, keys.Files...), keys.PublicFile) {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if !keys.Exists(d) {
			t.Errorf("Exists is false for a directory holding %s", name)
		}
	}
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "api.token")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(b) != "new" || fi.Mode() != 0o600 {
		t.Errorf("after WriteFile: %q, mode %v; want \"new\", -rw-------", b, fi.Mode())
	}
	missing := filepath.Join(dir, "no", "such", "dir", "x")
	if err := keys.WriteFile(missing, nil); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("WriteFile into a missing directory: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// seedKeyFiles reads the key files Write put in dir into good, and
// refuses seeds that would start the fuzzer from nothing: fewer than the
// three secret files and identity.json, or an empty one.
func seedKeyFiles(dir string, names []string, good map[string][]byte) error {
	if len(names) < 4 {
		return fmt.Errorf("fuzz seeds: %d key files (%v); want the 3 secret files and %s", len(names), names, keys.PublicFile)
	}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("fuzz seeds: %w", err)
		}
		if len(b) == 0 {
			return fmt.Errorf("fuzz seeds: Write left %s empty", name)
		}
		good[name] = b
	}
	return nil
}

// FuzzRead puts arbitrary bytes in one key file of a good home (or in
// identity.json) and reads it. Nothing may panic; what Read accepts must
// be a usable set of keys. No passphrase is given, so no scrypt work is done.
func FuzzRead(f *testing.F) {
	ks, err := keys.Generate()
	if err != nil {
		f.Fatal(err)
	}
	seedDir := f.TempDir()
	if err := ks.Write(seedDir, ""); err != nil {
		f.Fatal(err)
	}
	names := append(append([]string{}, keys.Files...), keys.PublicFile)
	good := map[string][]byte{}
	if err := seedKeyFiles(seedDir, names, good); err != nil {
		f.Fatal(err)
	}
	for i, name := range names {
		b := good[name]
		f.Add(uint8(i), b)
		f.Add(uint8(i), b[:len(b)/2])
	}
	f.Add(uint8(0), []byte("age-encryption.org/v1\n-> scrypt AAAA 18\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		dir := t.TempDir()
		name := names[int(which)%len(names)]
		for _, n := range names {
			b := good[n]
			if n == name {
				b = data
			}
			if err := os.WriteFile(filepath.Join(dir, n), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if name == keys.PublicFile {
			if p, err := keys.ReadPublic(dir); err == nil && (p.PeerID == "" || p.AgeRecipient == "") {
				t.Fatalf("ReadPublic accepted an empty identity: %+v", p)
			}
			return
		}
		got, err := keys.Read(context.Background(), dir, "")
		if err != nil {
			return
		}
		if got.P2P.Type() != crypto.Ed25519 || len(got.Store) != 32 {
			t.Fatalf("Read accepted keys of the wrong kind: %v, %d-byte store key", got.P2P.Type(), len(got.Store))
		}
		if _, err := got.Public(); err != nil {
			t.Fatalf("Read accepted keys without a public identity: %v", err)
		}
	})
}
