// Package backup writes a node's backup and restores it.
//
// A backup is one file, encrypted with age (filippo.io/age) to recipients
// the sysadmin chooses: a key kept offline, never the node's own (which is
// inside the backup). Inside is a tar archive:
//
//	kolo-backup.json      the manifest: format, when, whose (peer ID)
//	home/kolo.yaml        the node's configuration
//	home/node.key         its key files as they are in its home (sealed
//	home/age.key          with the node's passphrase if it has one)
//	home/store.key
//	home/identity.json
//	store/000001 ...      a consistent copy of its store (store.Backup:
//	                      Badger's backup stream, decrypted, cut in parts
//	                      of at most 4 MiB)
//	kolo-backup-end.json  how many parts and bytes: a backup without it is
//	                      incomplete
//
// The store is copied from one snapshot while the node runs (Write is
// called by the daemon, through its local API) or from a stopped node's
// store. Restore refuses a home that is not empty, decrypts with the
// sysadmin's age identity, writes everything into a new directory beside
// the home, loads the store, checks that the keys are the manifest's node,
// and only then renames that directory to the home: a restore that fails
// leaves nothing behind. What is not in a backup: the plugins directory
// (install plugins again) and what the daemon writes while it runs
// (api.token, daemon.json).
package backup

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/keys"
)

// Format is the version of the archive's layout (Manifest.Format).
const Format = 1

// Entry names and caps.
const (
	manifestName = "kolo-backup.json"
	endName      = "kolo-backup-end.json"
	homePrefix   = "home/"
	storePrefix  = "store/"
	// partBytes is the most one store part holds.
	partBytes = 4 << 20
	// maxJSON caps the manifest and the end entry.
	maxJSON = 64 << 10
	// maxHomeFile caps a file of the home (kolo.yaml is the largest, a few
	// KiB; key files are under 1 KiB).
	maxHomeFile = 1 << 20
)

// HomeFiles are the files of a node's home that a backup holds, in order.
var HomeFiles = []string{config.FileName, keys.P2PFile, keys.AgeFile, keys.StoreFile, keys.PublicFile}

// Manifest is a backup's first entry.
type Manifest struct {
	Format  int       `json:"format"`
	Created time.Time `json:"created"` // when the copy of the store began
	PeerID  string    `json:"peer_id"` // the node's identity on the network
	Org     string    `json:"org"`
	Country string    `json:"country"`
	Kolo    string    `json:"kolo_version,omitempty"`
	Files   []string  `json:"files"` // HomeFiles, as written
}

// End is a backup's last entry.
type End struct {
	StoreParts int   `json:"store_parts"`
	StoreBytes int64 `json:"store_bytes"`
}

var (
	// ErrOwnRecipient: a backup encrypted to the node's own age key could be
	// opened only with a key that is inside it.
	ErrOwnRecipient = errors.New("that is this node's own age recipient: the backup could be opened only with a key that is inside it; give a recipient whose identity you keep offline (age-keygen -o backup-key.txt prints it)")
	// ErrNoRecipient: Write needs at least one recipient.
	ErrNoRecipient = errors.New("no recipient: give --recipient age1... (age-keygen -o backup-key.txt makes a key pair; keep the file offline)")
	// ErrHomeNotEmpty: Restore writes only into a new or empty directory.
	ErrHomeNotEmpty = errors.New("is not empty: restore into a new directory, or an empty one")
	// ErrBadArchive wraps what is wrong with a backup's content.
	ErrBadArchive = errors.New("not a kolo backup, or a damaged or incomplete one")
)

// ParseRecipient parses an age recipient: X25519 (age1...) or the
// post-quantum hybrid (age1pq1...).
func ParseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	var (
		r   age.Recipient
		err error
	)
	if strings.HasPrefix(s, "age1pq1") {
		r, err = age.ParseHybridRecipient(s)
	} else {
		r, err = age.ParseX25519Recipient(s)
	}
	if err != nil {
		return nil, fmt.Errorf("recipient %q: %v (want an age public key such as age1..., as age-keygen prints)", clip(s, 80), err)
	}
	return r, nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
