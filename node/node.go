// Package node is the kolo node: the one place that wires the encrypted
// store, the libp2p host, the plugins and the local API together.
// cmd/kolo calls New, Start and Close for the daemon; testnet runs several
// in one process. When no daemon runs, the commands open the home through
// OpenOffline (offline.go), which opens the same store, form plugins and
// records book with the daemon's own functions, each only when a command
// needs it.
package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/node/store"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// StoreDir is the store's directory inside the home.
const StoreDir = "store"

// Options are what a node needs besides its configuration and keys.
type Options struct {
	Logger  *slog.Logger // nil discards logs
	Version string       // reported by status
	// Gater, if set, must also allow a connection, besides the membership
	// gater (tests cut a network in two with one).
	Gater connmgr.ConnectionGater
	// FormsExecutable is the kolo binary that serves the built-in forms as
	// "<FormsExecutable> plugin serve <cc>..."; "" means this executable.
	FormsExecutable string
	// BuiltInForms lists the countries whose built-in forms are served:
	// nil means all of them, an empty list none (multi-node tests that
	// need no forms use that).
	BuiltInForms []string
	// Now is the clock of the network's signed records (certificates,
	// invites, endorsements); nil means time.Now. Tests move it to let an
	// invite expire.
	Now func() time.Time
	// WireTap, for tests only, makes the node's connections readable by a
	// test that sits between nodes (the canary test): nil in production,
	// and no configuration key sets it.
	WireTap *WireTap
}

// WireTap lets a test read every byte nodes exchange: the host speaks
// plaintext (libp2p.NoSecurity instead of Noise and TLS), over TCP only,
// and announces what Announce returns instead of the addresses it listens
// on, so that other nodes dial the test's recording proxy.
type WireTap struct {
	Announce func(listen []ma.Multiaddr) []ma.Multiaddr
}

// Node is a running kolo node.
type Node struct {
	cfg     config.Config
	keys    *keys.Set
	log     *slog.Logger
	version string
	peerID  peer.ID
	opts    Options

	store *store.Store
	host  host.Host
	api   *api.Server

	formsPart   // country forms and monitoring records (forms.go)
	networkPart // membership and the Declaration (network.go)
	uiPart      // the web interface (ui_wiring.go)

	started   time.Time
	history   history
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// ErrHomeInUse says that another process (normally a kolo daemon) holds
// this home's store.
var ErrHomeInUse = errors.New("another kolo process is using this home (only one daemon per home; stop it, or use the commands, which talk to it)")

// New opens the node's store and creates its libp2p host. It does not
// yet serve anything; call Start.
func New(ctx context.Context, cfg config.Config, ks *keys.Set, opts Options) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	pid, err := peer.IDFromPrivateKey(ks.P2P)
	if err != nil {
		return nil, fmt.Errorf("peer ID: %w", err)
	}
	n := &Node{cfg: cfg, keys: ks, log: log, version: opts.Version, peerID: pid, opts: opts}

	st, err := OpenStore(cfg, ks, log)
	if err != nil {
		return nil, err
	}
	n.store = st

	gater, err := n.openNetwork(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if opts.Gater != nil {
		gater = bothGaters{gater, opts.Gater}
	}
	h, err := newHost(cfg, ks.P2P, gater, opts.WireTap, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	n.host = h
	return n, nil
}

// OpenStore opens the home's encrypted store, for the daemon (New) and
// for the commands when no daemon runs (OpenOffline). A store another
// process holds is ErrHomeInUse.
func OpenStore(cfg config.Config, ks *keys.Set, log *slog.Logger) (*store.Store, error) {
	dir := filepath.Join(cfg.Home, StoreDir)
	st, err := store.Open(store.Options{
		Dir:             dir,
		Key:             ks.Store,
		IndexCacheBytes: int64(cfg.Store.IndexCacheMB) << 20,
		BlockCacheBytes: int64(cfg.Store.BlockCacheMB) << 20,
		MemTableBytes:   int64(cfg.Store.MemTableMB) << 20,
		Logger:          log.With("component", "store"),
	})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%s: %w", cfg.Home, ErrHomeInUse)
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Start serves the local API and dials the bootstrap peers. The API token
// and daemon.json are written to the home; Close removes them.
func (n *Node) Start(ctx context.Context) error {
	n.started = time.Now()
	if err := CheckUIRemote(n.cfg); err != nil {
		return err
	}
	token, err := api.NewToken()
	if err != nil {
		return err
	}
	if err := n.startForms(ctx); err != nil {
		return err
	}
	if err := n.startNetwork(ctx); err != nil {
		return err
	}
	n.api = api.NewServer(token, n.log.With("component", "api"))
	n.routes()
	if err := n.startUI(); err != nil {
		return err
	}
	if err := n.api.Listen(n.cfg.API.Port); err != nil {
		return err
	}
	if err := n.listenUIRemote(); err != nil {
		return err
	}
	if err := keys.WriteFile(filepath.Join(n.cfg.Home, api.TokenFile), []byte(token+"\n")); err != nil {
		return err
	}
	d := fmt.Sprintf("{\"pid\": %d, \"url\": %q}\n", os.Getpid(), n.api.URL())
	if err := keys.WriteFile(filepath.Join(n.cfg.Home, api.DaemonFile), []byte(d)); err != nil {
		return err
	}
	// Counted last: a start that failed is not a start.
	hist, err := n.recordStart(n.started)
	if err != nil {
		return err
	}
	n.history = hist
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n.cancel = cancel
	n.wg.Add(2)
	go func() {
		defer n.wg.Done()
		if err := n.api.Serve(); err != nil {
			n.log.Error("local API stopped", "err", err)
		}
	}()
	go func() {
		defer n.wg.Done()
		n.bootstrap(runCtx)
	}()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		n.serveUIRemote()
	}()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		n.retention(runCtx)
	}()
	n.log.Info("node started", "peer", n.peerID, "country", n.cfg.Node.Country, "api", n.api.URL())
	return nil
}

// PeerID is the node's libp2p identity.
func (n *Node) PeerID() peer.ID { return n.peerID }

// Host is the node's libp2p host.
func (n *Node) Host() host.Host { return n.host }

// Store is the node's encrypted store.
func (n *Node) Store() *store.Store { return n.store }

// Config is the node's configuration.
func (n *Node) Config() config.Config { return n.cfg }

// APIURL is the local API's address, once started.
func (n *Node) APIURL() string {
	if n.api == nil {
		return ""
	}
	return n.api.URL()
}

// Close stops serving, closes the host and then the store. It returns
// when the store is closed, or when ctx ends.
func (n *Node) Close(ctx context.Context) error {
	n.closeOnce.Do(func() {
		var errs []error
		if n.cancel != nil {
			n.cancel()
		}
		if n.api != nil {
			if err := n.api.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("stop local API: %w", err))
			}
			os.Remove(filepath.Join(n.cfg.Home, api.DaemonFile))
			os.Remove(filepath.Join(n.cfg.Home, api.TokenFile))
		}
		if err := n.closeUI(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stop the web interface: %w", err))
		}
		if err := n.closeNetwork(); err != nil {
			errs = append(errs, fmt.Errorf("stop network services: %w", err))
		}
		if err := n.host.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close libp2p host: %w", err))
		}
		n.wg.Wait()
		if err := n.closeForms(); err != nil {
			errs = append(errs, fmt.Errorf("stop form plugins: %w", err))
		}
		// Bounded by ctx: a store whose directory is gone never finishes
		// its flush, and a stop must keep its deadline.
		if err := n.store.CloseContext(ctx); err != nil {
			errs = append(errs, err)
		}
		n.closeErr = errors.Join(errs...)
		n.log.Info("node stopped", "peer", n.peerID)
	})
	return n.closeErr
}
