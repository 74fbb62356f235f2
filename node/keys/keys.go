// Package keys creates, writes and reads a node's secret keys: its libp2p
// Ed25519 key (its identity on the network and the key that signs
// endorsements and certificates), its age X25519 identity (aggregates are
// sealed to it) and the AES-256 key of its encrypted store.
//
// Each key is a file of its own in the node's home directory, mode 0600;
// Read refuses key files that other users could read and a home they
// could write to (perm.go). With a passphrase, each file is itself encrypted with age's passphrase
// (scrypt) mode, so a copied disk or backup does not give the keys away.
package keys

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/sync/errgroup"
)

// File names inside the home directory.
const (
	P2PFile    = "node.key"      // libp2p Ed25519 private key (libp2p protobuf encoding)
	AgeFile    = "age.key"       // age X25519 identity, AGE-SECRET-KEY-1...
	StoreFile  = "store.key"     // 32 random bytes: the store's AES-256 key
	PublicFile = "identity.json" // peer ID and age recipient, public, so `kolo id` needs no passphrase
)

// Files lists the secret key files.
var Files = []string{P2PFile, AgeFile, StoreFile}

// maxKeyFile caps a key file read from disk; the largest is under 1 KiB.
const maxKeyFile = 16 << 10

var (
	// ErrPassphraseNeeded: a key file is passphrase-protected and no passphrase was given.
	ErrPassphraseNeeded = errors.New("key files are passphrase-protected: set KOLO_PASSPHRASE")
	// ErrWrongPassphrase: the passphrase does not open a key file.
	ErrWrongPassphrase = errors.New("wrong passphrase (KOLO_PASSPHRASE does not open the key files)")
)

// Set is a node's secret keys.
type Set struct {
	P2P   crypto.PrivKey
	Age   *age.X25519Identity
	Store []byte
}

// Public is what may be shown of a node's keys.
type Public struct {
	PeerID       string `json:"peer_id"`
	AgeRecipient string `json:"age_recipient"`
}

// Generate makes a new set of keys.
func Generate() (*Set, error) {
	priv, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate libp2p key: %w", err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("generate age identity: %w", err)
	}
	sk := make([]byte, 32)
	if _, err := rand.Read(sk); err != nil {
		return nil, fmt.Errorf("generate store key: %w", err)
	}
	return &Set{P2P: priv, Age: id, Store: sk}, nil
}

// Public returns the shareable half of the keys.
func (s *Set) Public() (Public, error) {
	pid, err := peer.IDFromPrivateKey(s.P2P)
	if err != nil {
		return Public{}, fmt.Errorf("peer ID: %w", err)
	}
	return Public{PeerID: pid.String(), AgeRecipient: s.Age.Recipient().String()}, nil
}

// Exists reports whether dir holds any key file.
func Exists(dir string) bool {
	for _, f := range append(Files, PublicFile) {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// Write stores the keys in dir, each file mode 0600, encrypted with
// passphrase unless it is empty. Files are written to a temporary name and
// renamed, so a crash leaves either the old file or the new one.
func (s *Set) Write(dir, passphrase string) error {
	p2p, err := crypto.MarshalPrivateKey(s.P2P)
	if err != nil {
		return fmt.Errorf("encode libp2p key: %w", err)
	}
	pub, err := s.Public()
	if err != nil {
		return err
	}
	pubJSON, err := json.MarshalIndent(pub, "", "  ")
	if err != nil {
		return err
	}
	// In the order of Files.
	data := [][]byte{p2p, []byte(s.Age.String() + "\n"), s.Store}
	if passphrase != "" {
		// Encrypt every file before writing any, so a failure leaves no
		// half-written set; in parallel, as Read decrypts them.
		var g errgroup.Group
		for i, name := range Files {
			plain := data[i]
			g.Go(func() error {
				sealed, err := seal(plain, passphrase)
				if err != nil {
					return fmt.Errorf("encrypt %s: %w", name, err)
				}
				data[i] = sealed
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	for i, name := range Files {
		if err := WriteFile(filepath.Join(dir, name), data[i]); err != nil {
			return err
		}
	}
	return WriteFile(filepath.Join(dir, PublicFile), append(pubJSON, '\n'))
}

// WriteFile writes data to path with mode 0600 through a temporary file
// and a rename.
func WriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Read loads the keys from dir. passphrase may be empty when the files
// are not encrypted. The files are decrypted in parallel: scrypt takes
// about a second per file by design.
//
// Read refuses a home that group or others may write to, and a key file
// that they may read (see CheckHome), with one line that says how to fix
// it, as ssh does.
func Read(ctx context.Context, dir, passphrase string) (*Set, error) {
	if err := CheckHome(dir); err != nil {
		return nil, err
	}
	raw := make([][]byte, len(Files))
	g, _ := errgroup.WithContext(ctx)
	for i, name := range Files {
		g.Go(func() error {
			b, err := readKeyFile(filepath.Join(dir, name), passphrase)
			raw[i] = b
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	priv, err := crypto.UnmarshalPrivateKey(raw[0])
	if err != nil {
		return nil, fmt.Errorf("key file %s: not a libp2p private key: %w", filepath.Join(dir, P2PFile), err)
	}
	if priv.Type() != crypto.Ed25519 {
		return nil, fmt.Errorf("key file %s: must hold an Ed25519 key, holds %s", filepath.Join(dir, P2PFile), priv.Type())
	}
	id, err := age.ParseX25519Identity(strings.TrimSpace(string(raw[1])))
	if err != nil {
		return nil, fmt.Errorf("key file %s: not an age X25519 identity: %w", filepath.Join(dir, AgeFile), err)
	}
	if len(raw[2]) != 32 {
		return nil, fmt.Errorf("key file %s: must hold 32 bytes, holds %d", filepath.Join(dir, StoreFile), len(raw[2]))
	}
	return &Set{P2P: priv, Age: id, Store: raw[2]}, nil
}

// ReadPublic reads the public identity file; no passphrase is needed.
func ReadPublic(dir string) (Public, error) {
	path := filepath.Join(dir, PublicFile)
	b, err := readCapped(path, nil)
	if err != nil {
		return Public{}, err
	}
	var p Public
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Public{}, fmt.Errorf("%s: %w", path, err)
	}
	if p.PeerID == "" || p.AgeRecipient == "" {
		return Public{}, fmt.Errorf("%s: peer_id and age_recipient are required", path)
	}
	if _, err := peer.Decode(p.PeerID); err != nil {
		return Public{}, fmt.Errorf("%s: peer_id %q is not a libp2p peer ID: %w", path, p.PeerID, err)
	}
	if _, err := age.ParseX25519Recipient(p.AgeRecipient); err != nil {
		return Public{}, fmt.Errorf("%s: age_recipient %q is not an age X25519 recipient: %w", path, p.AgeRecipient, err)
	}
	return p, nil
}

// readCapped reads a file of the home; check, if set, judges the file
// opened before it is read.
func readCapped(path string, check func(string, fs.FileInfo) error) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("key file %s is missing (was this home made by kolo init?)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	if check != nil {
		fi, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w", path, err)
		}
		if err := check(path, fi); err != nil {
			return nil, err
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("key file %s: larger than %d bytes, not a kolo key", path, maxKeyFile)
	}
	return b, nil
}

func readKeyFile(path, passphrase string) ([]byte, error) {
	b, err := readCapped(path, checkKeyFile)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte("age-encryption.org/")) {
		return b, nil
	}
	if passphrase == "" {
		return nil, fmt.Errorf("key file %s: %w", path, ErrPassphraseNeeded)
	}
	plain, err := open(b, passphrase)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return plain, nil
}

func seal(plain []byte, passphrase string) ([]byte, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	w, err := age.Encrypt(&out, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func open(sealed []byte, passphrase string) ([]byte, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		// age v1.3.2 returns a *NoIdentityMatchError for a wrong
		// passphrase (its one error wraps ErrIncorrectIdentity, "incorrect
		// passphrase") and also for a file that is not passphrase-encrypted
		// at all; the stanza types tell the two apart.
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			if len(noMatch.StanzaTypes) == 1 && noMatch.StanzaTypes[0] == "scrypt" {
				return nil, ErrWrongPassphrase
			}
			return nil, fmt.Errorf("decrypt: an age file, but not passphrase-encrypted (recipient types %s)", strings.Join(noMatch.StanzaTypes, ", "))
		}
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxKeyFile))
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	return plain, nil
}

// Reseal changes the passphrase of the key files in dir: it reads them
// with oldPass ("" for files that are not encrypted), seals each with
// newPass ("" writes them unencrypted) and replaces them. Every new file
// is written and synced under a temporary name before the first is
// renamed over its old one, so a failure before the renames leaves the old
// files as they were; the renames themselves take microseconds. The
// public identity file does not change.
func Reseal(ctx context.Context, dir, oldPass, newPass string) error {
	ks, err := Read(ctx, dir, oldPass)
	if err != nil {
		return err
	}
	p2p, err := crypto.MarshalPrivateKey(ks.P2P)
	if err != nil {
		return fmt.Errorf("encode libp2p key: %w", err)
	}
	data := [][]byte{p2p, []byte(ks.Age.String() + "\n"), ks.Store} // in the order of Files
	if newPass != "" {
		var g errgroup.Group
		for i, name := range Files {
			plain := data[i]
			g.Go(func() error {
				sealed, err := seal(plain, newPass)
				if err != nil {
					return fmt.Errorf("encrypt %s: %w", name, err)
				}
				data[i] = sealed
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	staged := make([]string, len(Files))
	defer func() {
		for _, s := range staged {
			if s != "" {
				os.Remove(s)
			}
		}
	}()
	for i, name := range Files {
		tmp, err := os.CreateTemp(dir, "."+name+".reseal*")
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		staged[i] = tmp.Name()
		_, err = tmp.Write(data[i])
		if err == nil {
			err = tmp.Chmod(0o600)
		}
		if err == nil {
			err = tmp.Sync()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	for i, name := range Files {
		if err := os.Rename(staged[i], filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("replace %s (the key files may now be under two passphrases; run the change again with each): %w", filepath.Join(dir, name), err)
		}
		staged[i] = ""
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the renames reach the disk
		d.Close()
	}
	return nil
}
