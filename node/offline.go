package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/backup"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// OfflineOptions are what the offline path needs besides the configuration.
type OfflineOptions struct {
	Logger     *slog.Logger // nil discards logs
	Passphrase string       // unseals the key files (KOLO_PASSPHRASE); "" for unsealed ones
	Version    string       // written into a backup's manifest
	// FormsExecutable is as Options.FormsExecutable: the binary that serves
	// the built-in forms, "" for this one.
	FormsExecutable string
}

// Offline is a node's home opened by a command while no daemon runs. It
// opens what the daemon opens, with the same functions (keys.Read,
// OpenStore, StartPlugins, records.Open), so a record entered, imported or
// purged here follows the same rules as through the daemon; but it opens
// each part only when an operation needs it: the key files and the store
// on the first operation on records (so listing the forms needs no
// passphrase), and the form plugins of the country of the form at hand, or
// all of them to list every form. An operation that needs no form (a list
// of records) starts no plugin. Close stops what was started.
//
// Its methods are those of the records commands, as the daemon's local
// API serves them. It is safe for concurrent use.
type Offline struct {
	ctx   context.Context // plugins started lazily start under it
	cfg   config.Config
	opts  OfflineOptions
	log   *slog.Logger
	forms *lazyForms

	mu     sync.Mutex
	closed bool
	ks     *keys.Set
	peerID peer.ID
	st     *store.Store
	book   *records.Book
}

// ErrDaemonRuns says that a kolo daemon holds the home's store, so that a
// command cannot open it: the command goes through the daemon instead.
// It matches ErrHomeInUse too.
var ErrDaemonRuns = errors.New("a kolo daemon runs on this home and holds its store")

// ErrOfflineClosed is returned by an Offline's operations after Close.
var ErrOfflineClosed = errors.New("the home was closed")

// OpenOffline prepares the home of cfg for the commands to work on without
// a daemon. It opens nothing yet: see Offline. ctx bounds the plugins the
// Offline starts, which run until Close.
func OpenOffline(ctx context.Context, cfg config.Config, opts OfflineOptions) (*Offline, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	o := &Offline{ctx: ctx, cfg: cfg, opts: opts, log: log}
	o.forms = &lazyForms{ctx: ctx, cfg: cfg, executable: opts.FormsExecutable, log: log}
	return o, nil
}

// openLocked reads the keys and opens the store, once. o.mu is held.
func (o *Offline) openLocked() (*store.Store, error) {
	if o.closed {
		return nil, ErrOfflineClosed
	}
	if o.st != nil {
		return o.st, nil
	}
	ks, err := keys.Read(o.ctx, o.cfg.Home, o.opts.Passphrase)
	if err != nil {
		return nil, err
	}
	pid, err := peer.IDFromPrivateKey(ks.P2P)
	if err != nil {
		return nil, fmt.Errorf("peer ID: %w", err)
	}
	st, err := OpenStore(o.cfg, ks, o.log)
	if errors.Is(err, ErrHomeInUse) {
		return nil, homeHeld(o.cfg.Home)
	}
	if err != nil {
		return nil, err
	}
	o.ks, o.peerID, o.st = ks, pid, st
	return st, nil
}

// homeHeld explains why the store of home cannot be opened: a daemon holds
// it (its daemon.json is there), or another command, or a daemon that is
// still starting (it writes daemon.json when ready).
func homeHeld(home string) error {
	_, err := os.Stat(filepath.Join(home, api.DaemonFile))
	return &heldError{home: home, daemon: err == nil}
}

// heldError is a home whose store another process holds. It matches
// ErrHomeInUse, and ErrDaemonRuns when that process is a daemon.
type heldError struct {
	home   string
	daemon bool
}

func (e *heldError) Error() string {
	if e.daemon {
		return fmt.Sprintf("%s: %v: use it; the commands go through its local API as soon as it answers (kolo status shows when), or stop it to work without it",
			e.home, ErrDaemonRuns)
	}
	return fmt.Sprintf("%s: another kolo process is using this home's store: a daemon that is still starting (kolo status shows when it is ready; then the commands go through it), or another command (wait until it is done)",
		e.home)
}

func (e *heldError) Is(target error) bool {
	return target == ErrHomeInUse || e.daemon && target == ErrDaemonRuns
}

// Book is the home's records book, the same as a daemon's, on the store
// opened for it. The first call opens the keys and the store.
func (o *Offline) Book(ctx context.Context) (*records.Book, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.book != nil && !o.closed {
		return o.book, nil
	}
	st, err := o.openLocked()
	if err != nil {
		return nil, err
	}
	b, err := openBook(ctx, st, o.forms, o.peerID, o.log)
	if err != nil {
		return nil, err
	}
	o.book = b
	return b, nil
}

// openBook opens the records book on st as the daemon's startForms does.
func openBook(ctx context.Context, st *store.Store, forms records.Forms, pid peer.ID, log *slog.Logger) (*records.Book, error) {
	b, err := records.Open(ctx, st, forms, pid.String(), records.Options{Logger: log.With("component", "records")})
	if err != nil {
		return nil, fmt.Errorf("open records: %w", err)
	}
	return b, nil
}

// failed prefers the failure of the plugins to start, if any, to err: a
// form that is unknown because its plugin did not start says so.
func (o *Offline) failed(err error) error {
	if err != nil {
		if perr := o.forms.startErr(); perr != nil {
			return perr
		}
	}
	return err
}

// Forms summarises every form the plugins serve; it starts all of them.
func (o *Offline) Forms(ctx context.Context) ([]records.FormSummary, error) {
	o.forms.wantAll()
	out := records.FormList(o.forms)
	return out, o.forms.startErr()
}

// Form returns the form version ref names ("rs.judgment", "rs.judgment@1");
// it starts the plugins of the form's country only.
func (o *Offline) Form(ctx context.Context, ref string) (sdk.FormInfo, error) {
	fi, err := records.Resolve(o.forms, ref)
	return fi, o.failed(err)
}

// Add enters a record on form from its answers (a JSON object).
func (o *Offline) Add(ctx context.Context, form string, answers []byte) (records.Record, error) {
	a, err := records.ParseAnswers(answers)
	if err != nil {
		return records.Record{}, err
	}
	b, err := o.Book(ctx)
	if err != nil {
		return records.Record{}, err
	}
	rec, err := b.Add(ctx, form, a)
	return rec, o.failed(err)
}

// Import enters the records of a file, all or none.
func (o *Offline) Import(ctx context.Context, r io.Reader, opts records.ImportOptions) (records.ImportResult, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return records.ImportResult{}, err
	}
	res, err := b.Import(ctx, r, opts)
	return res, o.failed(err)
}

// List lists the records f selects; it starts no plugin.
func (o *Offline) List(ctx context.Context, f records.Filter) ([]records.Summary, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return nil, err
	}
	return b.List(ctx, f)
}

// History returns a record with its earlier versions.
func (o *Offline) History(ctx context.Context, id string) (records.WithHistory, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return records.WithHistory{}, err
	}
	return b.History(ctx, id)
}

// Edit writes a new version of a record from its answers (a JSON object).
func (o *Offline) Edit(ctx context.Context, id string, answers []byte) (records.Record, error) {
	a, err := records.ParseAnswers(answers)
	if err != nil {
		return records.Record{}, err
	}
	b, err := o.Book(ctx)
	if err != nil {
		return records.Record{}, err
	}
	rec, err := b.Edit(ctx, id, a)
	return rec, o.failed(err)
}

// Delete marks a record deleted; its history is kept.
func (o *Offline) Delete(ctx context.Context, id string) (records.Record, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return records.Record{}, err
	}
	return b.Delete(ctx, id)
}

// Purge removes a record's personal and free-text answers, from every version.
func (o *Offline) Purge(ctx context.Context, id, by string) (records.Record, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return records.Record{}, err
	}
	rec, err := b.Purge(ctx, id, by)
	return rec, o.failed(err)
}

// Expired lists the records older than years that still hold personal answers.
func (o *Offline) Expired(ctx context.Context, years int) ([]records.Summary, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return nil, err
	}
	out, err := b.Expired(ctx, years, time.Now())
	return out, o.failed(err)
}

// PurgeExpired purges the records Expired lists.
func (o *Offline) PurgeExpired(ctx context.Context, years int, by string) ([]string, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return nil, err
	}
	out, err := b.PurgeExpired(ctx, years, time.Now(), by)
	return out, o.failed(err)
}

// Export writes the records f selects to w.
func (o *Offline) Export(ctx context.Context, w io.Writer, f records.Filter, opts records.ExportOptions) (int, error) {
	b, err := o.Book(ctx)
	if err != nil {
		return 0, err
	}
	n, err := b.ExportWith(ctx, w, f, opts)
	return n, o.failed(err)
}

// Backup writes the home's backup to w, encrypted to recipients, as the
// daemon's POST /v1/backup does; it starts no plugin.
func (o *Offline) Backup(ctx context.Context, w io.Writer, recipients []string) (backup.Manifest, error) {
	o.mu.Lock()
	st, err := o.openLocked()
	if err != nil {
		o.mu.Unlock()
		return backup.Manifest{}, err
	}
	src := backup.Source{Home: o.cfg.Home, Store: st, PeerID: o.peerID.String(), Org: o.cfg.Node.Org,
		Country: o.cfg.Node.Country, AgeRecipient: o.ks.Age.Recipient().String(), Version: o.opts.Version}
	o.mu.Unlock()
	return backup.Write(ctx, w, src, recipients)
}

// Close stops the plugins the Offline started and closes the store. It is
// safe to call more than once.
func (o *Offline) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return nil
	}
	o.closed = true
	errs := []error{o.forms.close()}
	if o.st != nil {
		errs = append(errs, o.st.Close())
	}
	return errors.Join(errs...)
}
