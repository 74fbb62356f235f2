// Package host runs kolo's form plugins: each as its own process, spoken to
// over gRPC with hashicorp/go-plugin, watched and restarted.
//
// The forms shipped with kolo are served by the kolo binary itself
// ("kolo plugin serve rs hr ba mk", one process for the four), and third-party forms
// by executables in a plugins directory; both take the same path. The host
// checks each plugin's handshake when it starts it, lists its forms, and
// routes every check of a record to the plugin serving the record's form
// and version. A plugin that dies is restarted by the next call to it (with
// backoff when it keeps dying); a call that exceeds Options.CallTimeout
// kills the plugin; a plugin that fails to start, or answers with
// indicators that do not exist, is reported with a *PluginError naming the
// plugin and the form, and the host goes on serving the other plugins.
package host

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// Options configure a Host. The zero value serves the built-in forms with
// the running executable and no external plugins.
type Options struct {
	// Executable is the kolo binary that serves the built-in forms, started
	// as "<Executable> plugin serve <country>...", one process for all. Default: os.Executable().
	Executable string
	// BuiltIn lists the countries whose forms Executable serves. Nil means
	// BuiltInCountries(); an empty, non-nil slice means none.
	BuiltIn []string
	// Dir holds external plugins: every executable regular file in it is
	// started as a plugin. Hidden files and non-executables are skipped
	// (with a warning). Empty, or a directory that does not exist, means
	// no external plugins.
	Dir string
	// CallTimeout bounds each call to a plugin (a batch of records). A
	// plugin that has not answered by then is killed and restarted by the
	// next call. Default 10 s.
	CallTimeout time.Duration
	// StartTimeout bounds starting a plugin process up to its handshake.
	// Default 20 s.
	StartTimeout time.Duration
	// RestartBackoff is the wait before restarting a plugin that died again
	// without having answered a call since its last restart; it doubles
	// with every further death, up to MaxRestartBackoff. The first restart
	// after a plugin has worked is immediate. Defaults 1 s and 1 min.
	RestartBackoff    time.Duration
	MaxRestartBackoff time.Duration
	// Logger receives the host's messages and the plugins' standard error.
	// Default slog.Default().
	Logger *slog.Logger
}

// BuiltInName names the plugin process that serves the built-in forms.
const BuiltInName = "built-in"

// BuiltInCountries are the countries whose forms ship with kolo.
func BuiltInCountries() []string { return []string{"rs", "hr", "ba", "mk"} }

func (o Options) withDefaults() (Options, error) {
	if o.Executable == "" && (o.BuiltIn == nil || len(o.BuiltIn) > 0) {
		exe, err := os.Executable()
		if err != nil {
			return o, fmt.Errorf("find kolo executable for the built-in forms: %w", err)
		}
		o.Executable = exe
	}
	if o.BuiltIn == nil {
		o.BuiltIn = BuiltInCountries()
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 10 * time.Second
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 20 * time.Second
	}
	if o.RestartBackoff <= 0 {
		o.RestartBackoff = time.Second
	}
	if o.MaxRestartBackoff <= 0 {
		o.MaxRestartBackoff = time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o, nil
}

// ErrUnknownForm is wrapped by errors for a form id or version no plugin serves.
var ErrUnknownForm = errors.New("unknown form")

// ErrClosed is returned by calls on a closed Host.
var ErrClosed = errors.New("plugin host is closed")

// PluginError is a failure of one plugin: it did not start, broke the
// handshake, died, hung, or answered with something kolo does not accept.
// The node goes on running; the plugin's forms fail until it works again.
type PluginError struct {
	Plugin string // the plugin's name: the country for a built-in, the file name for an external plugin
	Path   string // the command that runs it
	Form   string // the form reference concerned ("al.judgment@1"), or ""
	Err    error
}

func (e *PluginError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %s (%s)", e.Plugin, e.Path)
	if e.Form != "" {
		fmt.Fprintf(&b, ", form %s", e.Form)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *PluginError) Unwrap() error { return e.Err }

// Host starts, watches and calls the form plugins. Create it with New,
// start it with Start, and Close it when the node stops. Its methods are
// safe for concurrent use.
type Host struct {
	opts Options
	log  *slog.Logger

	mu      sync.RWMutex
	started bool
	closed  bool
	procs   []*proc
	byRef   map[formRef]served
	forms   []sdk.FormInfo // sorted by id, then version
}

type formRef struct {
	id      string
	version int
}

type served struct {
	info sdk.FormInfo
	proc *proc
}

// New returns a Host configured by opts. It starts nothing; see Start.
func New(opts Options) (*Host, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Host{opts: o, log: o.Logger}, nil
}

// Start starts every plugin, checks its handshake and lists its forms. A
// plugin that fails is logged and reported by Plugins, and its forms are
// absent; Start still succeeds, so that one broken plugin does not keep the
// node from running. Start fails when the plugins directory cannot be read
// or when two plugins serve the same form version (the error names both);
// it then stops every plugin it started.
func (h *Host) Start(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	if h.started {
		return errors.New("plugin host already started")
	}
	procs, err := h.discover()
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.startFirst(ctx); err != nil {
				h.log.Error("plugin failed to start; its forms are unavailable", "plugin", p.name, "error", err)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		closeAll(procs)
		return fmt.Errorf("start plugins: %w", err)
	}

	byRef := make(map[formRef]served)
	for _, p := range procs {
		for _, fi := range p.infos {
			ref := formRef{fi.ID, fi.Version}
			if other, dup := byRef[ref]; dup {
				closeAll(procs)
				return fmt.Errorf("form %s is served by two plugins, %s (%s) and %s (%s): remove one of them",
					fi.Ref(), other.proc.name, other.proc.command(), p.name, p.command())
			}
			byRef[ref] = served{info: fi, proc: p}
		}
	}
	h.procs = procs
	h.byRef = byRef
	h.forms = make([]sdk.FormInfo, 0, len(byRef))
	for _, s := range byRef {
		h.forms = append(h.forms, s.info)
	}
	slices.SortFunc(h.forms, func(a, b sdk.FormInfo) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
	h.started = true
	h.log.Info("plugins started", "plugins", len(procs), "forms", len(h.forms))
	return nil
}

// Close stops every plugin process. It is safe to call more than once.
func (h *Host) Close() error {
	h.mu.Lock()
	procs := h.procs
	h.closed = true
	h.mu.Unlock()
	closeAll(procs)
	return nil
}

func closeAll(procs []*proc) {
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.close()
		}()
	}
	wg.Wait()
}

// Forms lists every form version the plugins serve, by id, then version.
func (h *Host) Forms() []sdk.FormInfo {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return slices.Clone(h.forms)
}

// Form returns version version of form id.
func (h *Host) Form(id string, version int) (sdk.FormInfo, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	s, ok := h.byRef[formRef{id, version}]
	return s.info, ok
}

// Latest returns the highest version of form id: the one new records are
// entered on.
func (h *Host) Latest(id string) (sdk.FormInfo, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var latest sdk.FormInfo
	found := false
	for _, fi := range h.forms {
		if fi.ID == id {
			latest, found = fi, true
		}
	}
	return latest, found
}

// Check validates records entered on version version of form id and
// normalises the valid ones, through the plugin serving that form. It
// returns one sdk.Result per record, in order: the record's field errors,
// or its common indicators. The error is for everything else: an unknown
// form (ErrUnknownForm), a plugin that failed (*PluginError), ctx done.
// Large batches are sent in several calls; each call is bounded by
// Options.CallTimeout.
func (h *Host) Check(ctx context.Context, id string, version int, answers []sdk.Answers) ([]sdk.Result, error) {
	s, err := h.lookup(id, version)
	if err != nil {
		return nil, err
	}
	if len(answers) == 0 {
		return []sdk.Result{}, nil
	}
	ref := s.info.Ref()
	var results []sdk.Result
	err = s.proc.call(ctx, ref, func(ctx context.Context, rf *sdk.RemoteForms) error {
		var err error
		results, err = rf.Check(ctx, id, version, answers)
		return err
	})
	if err != nil {
		return nil, err
	}
	// A plugin is code kolo did not write: check that what it says are
	// indicators are indicators, with values in their lists, and hand them
	// on in their canonical Go types.
	for i, r := range results {
		if !r.Valid() {
			continue
		}
		c, err := sdk.CheckCanonical(s.info.Kind, r.Common)
		if err != nil {
			// Log which indicators, not their values: a plugin that maps a
			// personal field onto an indicator must not get it logged.
			var names []string
			var ice *sdk.InvalidCommonError
			if errors.As(err, &ice) {
				for _, fe := range ice.Errors {
					names = append(names, fe.Field)
				}
			}
			h.log.Error("plugin returned invalid indicators", "plugin", s.proc.name, "form", ref, "record", i, "indicators", names)
			return nil, s.proc.fail(ref, fmt.Errorf("record %d: the plugin's indicators are not valid %s indicators: %w", i, s.info.Kind, err))
		}
		results[i].Common = c
	}
	return results, nil
}

func (h *Host) lookup(id string, version int) (served, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed {
		return served{}, ErrClosed
	}
	if !h.started {
		return served{}, errors.New("plugin host not started")
	}
	if s, ok := h.byRef[formRef{id, version}]; ok {
		return s, nil
	}
	var versions []string
	for _, fi := range h.forms {
		if fi.ID == id {
			versions = append(versions, fmt.Sprint(fi.Version))
		}
	}
	if len(versions) > 0 {
		return served{}, fmt.Errorf("%w %s@%d: served versions of %s: %s", ErrUnknownForm, id, version, id, strings.Join(versions, ", "))
	}
	var failed []string
	for _, p := range h.procs {
		if st := p.status(); len(st.Forms) == 0 && st.Err != nil {
			failed = append(failed, p.name)
		}
	}
	if len(failed) > 0 {
		return served{}, fmt.Errorf("%w %q: no plugin serves it; these plugins failed to start, so their forms are unknown: %s (see kolo's log)",
			ErrUnknownForm, id, strings.Join(failed, ", "))
	}
	return served{}, fmt.Errorf("%w %q: no plugin serves it (see kolo forms list)", ErrUnknownForm, id)
}

// PluginStatus describes one plugin for operators.
type PluginStatus struct {
	Name     string   // the country for a built-in, the file name for an external plugin
	Command  string   // how the host runs it
	BuiltIn  bool     // served by the kolo binary
	Forms    []string // references of the forms it serves, "al.judgment@1"
	Running  bool     // a process is up now
	Restarts int      // restarts since Start
	Err      error    // why it does not serve, or its last failure since it last answered well; nil when healthy
}

// Plugins reports every plugin the host knows, built-ins first.
func (h *Host) Plugins() []PluginStatus {
	h.mu.RLock()
	procs := h.procs
	h.mu.RUnlock()
	out := make([]PluginStatus, len(procs))
	for i, p := range procs {
		out[i] = p.status()
	}
	return out
}
