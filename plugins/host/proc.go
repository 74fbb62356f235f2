package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/kolo-net/kolo/plugins/sdk"
)

// proc is one plugin: the command that runs it, the forms it serves, and
// its current process, if any. The process is started by Start and, after
// it died or was killed, by the next call.
type proc struct {
	name    string
	path    string
	args    []string
	builtIn bool
	opts    Options
	log     *slog.Logger

	// infos are the forms the plugin described when it first started; a
	// restarted process must describe the same forms.
	infos []sdk.FormInfo

	mu        sync.Mutex
	client    *plugin.Client // nil when no process runs
	remote    *sdk.RemoteForms
	closed    bool
	lastErr   error     // the last failure, for Plugins
	failures  int       // deaths and failed starts since the last good call
	nextStart time.Time // no restart before this time
	restarts  int
}

func (p *proc) command() string {
	return strings.Join(append([]string{p.path}, p.args...), " ")
}

func (p *proc) perr(form string, err error) *PluginError {
	return &PluginError{Plugin: p.name, Path: p.command(), Form: form, Err: err}
}

// startFirst starts the process the first time and records its forms.
func (p *proc) startFirst(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	infos, err := p.startLocked(ctx)
	if err != nil {
		p.lastErr = p.perr("", err)
		return p.lastErr
	}
	var countries []string
	if p.builtIn {
		countries = p.args[2:] // "plugin", "serve", then the countries
	}
	if err := checkInfos(p.name, countries, infos); err != nil {
		p.killLocked()
		p.lastErr = p.perr("", err)
		return p.lastErr
	}
	p.infos = infos
	return nil
}

// startLocked starts a process, dispenses the Forms client and asks it to
// describe its forms. On any failure it leaves no process behind.
func (p *proc) startLocked(ctx context.Context) ([]sdk.FormInfo, error) {
	stderr := &tail{}
	cmd := exec.Command(p.path, p.args...)
	cmd.Env = pluginEnv()
	dieWithHost(cmd)
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		Plugins:          sdk.PluginSet(),
		Cmd:              cmd,
		SkipHostEnv:      true,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     p.opts.StartTimeout,
		Logger:           newHCLogger(p.log),
		Stderr:           stderr,
		GRPCDialOptions:  sdk.GRPCDialOptions(),
	})

	// go-plugin's start takes no context: run it aside, and kill the
	// process if ctx ends first.
	type dispensed struct {
		remote *sdk.RemoteForms
		err    error
	}
	done := make(chan dispensed, 1)
	go func() {
		rpc, err := client.Client()
		if err != nil {
			done <- dispensed{err: err}
			return
		}
		raw, err := rpc.Dispense(sdk.PluginName)
		if err != nil {
			done <- dispensed{err: fmt.Errorf("dispense %q: %w", sdk.PluginName, err)}
			return
		}
		rf, ok := raw.(*sdk.RemoteForms)
		if !ok {
			done <- dispensed{err: fmt.Errorf("dispense %q: got %T", sdk.PluginName, raw)}
			return
		}
		done <- dispensed{remote: rf}
	}()
	var d dispensed
	select {
	case d = <-done:
	case <-ctx.Done():
		client.Kill()
		<-done
		return nil, ctx.Err()
	}
	if d.err != nil {
		client.Kill()
		return nil, startError(d.err, stderr.String())
	}
	d.remote.CallTimeout = p.opts.CallTimeout
	infos, err := d.remote.Describe(ctx)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("list its forms: %w", err)
	}
	p.client, p.remote = client, d.remote
	return infos, nil
}

// startError explains a failed start in one line. go-plugin reports a
// plugin that refused kolo's magic cookie (one built for another program,
// or not a plugin at all) only as not having printed its handshake line;
// what the plugin wrote on standard error says why.
func startError(err error, stderr string) error {
	first, _, _ := strings.Cut(err.Error(), "\n")
	first = strings.TrimSpace(first)
	if first == "Unrecognized remote plugin message:" {
		first = "it exited without printing a handshake line"
	}
	msg := fmt.Sprintf("handshake failed: %s (a kolo forms plugin is built with plugins/sdk: handshake %s, protocol %d)",
		first, sdk.Handshake.MagicCookieKey, sdk.ProtocolVersion)
	if stderr != "" {
		msg += fmt.Sprintf("; it wrote: %q", strings.Join(strings.Fields(stderr), " "))
	}
	return errors.New(msg)
}

// pluginEnv is the environment a plugin runs with. It is not kolo's own:
// that may hold secrets (a store passphrase) that a third-party plugin has
// no business reading. go-plugin adds its handshake variables.
func pluginEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "TMPDIR", "TZ", "LANG", "LC_ALL", "GOCOVERDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// checkInfos checks what a plugin says it serves: at least one form,
// every form well made and its versions complete (sdk.CheckVersions), and,
// for the built-in process, only the forms of the countries it was
// started for (countries; nil for an external plugin).
func checkInfos(name string, countries []string, infos []sdk.FormInfo) error {
	if len(infos) == 0 {
		return errors.New("it serves no form")
	}
	if err := sdk.CheckVersions(infos); err != nil {
		return fmt.Errorf("its forms are not well made: %w", err)
	}
	if countries != nil {
		for _, fi := range infos {
			cc, _, _ := strings.Cut(fi.ID, ".")
			if !slices.Contains(countries, cc) {
				return fmt.Errorf("%s plugin serves form %s of a country it was not started for (%s)", name, fi.Ref(), strings.Join(countries, ", "))
			}
		}
	}
	return nil
}

// ensure returns the running process's client, restarting the process if
// it died or was killed, unless it is still backing off.
func (p *proc) ensure(ctx context.Context) (*plugin.Client, *sdk.RemoteForms, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, nil, ErrClosed
	}
	if p.client != nil && !p.client.Exited() {
		return p.client, p.remote, nil
	}
	if p.infos == nil {
		return nil, nil, fmt.Errorf("it failed to start: %w", p.lastErr)
	}
	if p.client != nil {
		// It died between calls.
		p.killLocked()
		p.noteFailureLocked(errors.New("its process exited"))
	}
	if wait := time.Until(p.nextStart); wait > 0 {
		return nil, nil, fmt.Errorf("it is down (%v); next restart in %s", p.lastErr, wait.Round(time.Millisecond))
	}
	infos, err := p.startLocked(ctx)
	if err == nil && !sameForms(infos, p.infos) {
		p.killLocked()
		err = errors.New("after a restart it serves other forms than at start; restart kolo to load them")
	}
	if err != nil {
		if ctx.Err() == nil {
			p.noteFailureLocked(fmt.Errorf("restart: %w", err))
		}
		return nil, nil, fmt.Errorf("restart: %w", err)
	}
	p.restarts++
	p.log.Info("plugin restarted", "plugin", p.name, "restarts", p.restarts)
	return p.client, p.remote, nil
}

func sameForms(a, b []sdk.FormInfo) bool {
	refs := func(fs []sdk.FormInfo) []string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = f.Ref()
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(refs(a), refs(b))
}

// noteFailureLocked records a death or failed start and sets the backoff:
// none after the first failure since the last good call, then
// RestartBackoff, doubling up to MaxRestartBackoff.
func (p *proc) noteFailureLocked(err error) {
	p.lastErr = err
	p.failures++
	wait := time.Duration(0)
	if p.failures > 1 {
		wait = p.opts.RestartBackoff
		for i := 2; i < p.failures && wait < p.opts.MaxRestartBackoff; i++ {
			wait *= 2
		}
		wait = min(wait, p.opts.MaxRestartBackoff)
	}
	p.nextStart = time.Now().Add(wait)
}

// call runs fn against the plugin's process, starting it if need be, and
// turns transport failures into a *PluginError: a call past CallTimeout
// kills the process, a process that died is discarded; either way the next
// call starts a new one.
func (p *proc) call(ctx context.Context, form string, fn func(context.Context, *sdk.RemoteForms) error) error {
	client, remote, err := p.ensure(ctx)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("plugin %s, form %s: %w", p.name, form, ctxErr)
		}
		return p.perr(form, err)
	}
	err = fn(ctx, remote)
	if err == nil {
		p.mu.Lock()
		p.failures, p.lastErr = 0, nil
		p.mu.Unlock()
		return nil
	}
	switch {
	case errors.Is(err, sdk.ErrCallTimeout):
		p.discard(client, fmt.Errorf("no answer within %s", p.opts.CallTimeout))
		p.log.Error("plugin call timed out; killed the plugin", "plugin", p.name, "form", form, "timeout", p.opts.CallTimeout)
		return p.perr(form, fmt.Errorf("no answer within %s: killed the plugin; it restarts on the next call: %w", p.opts.CallTimeout, err))
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		// The caller gave up; the plugin may be fine.
		return fmt.Errorf("plugin %s, form %s: %w", p.name, form, err)
	case status.Code(err) == codes.Unavailable || status.Code(err) == codes.Canceled:
		p.discard(client, errors.New("it died during a call"))
		p.log.Error("plugin died during a call", "plugin", p.name, "form", form, "error", err)
		return p.perr(form, fmt.Errorf("it died during the call; it restarts on the next call: %w", err))
	}
	// The plugin answered with an error: it lives, the call failed. Its
	// message is the plugin's and may quote answers: the caller gets it,
	// the log only its code.
	p.log.Error("plugin call failed", "plugin", p.name, "form", form, "code", status.Code(err).String())
	return p.perr(form, err)
}

// fail reports a plugin that answered with something kolo refuses.
func (p *proc) fail(form string, err error) *PluginError {
	perr := p.perr(form, err)
	p.mu.Lock()
	p.lastErr = perr
	p.mu.Unlock()
	return perr
}

// discard kills client's process if it is still the current one.
func (p *proc) discard(client *plugin.Client, why error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != client {
		return // another call already replaced it
	}
	p.killLocked()
	p.noteFailureLocked(why)
}

func (p *proc) killLocked() {
	if p.client != nil {
		p.client.Kill()
	}
	p.client, p.remote = nil, nil
}

func (p *proc) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.killLocked()
}

func (p *proc) status() PluginStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := PluginStatus{
		Name:     p.name,
		Command:  p.command(),
		BuiltIn:  p.builtIn,
		Running:  p.client != nil && !p.client.Exited(),
		Restarts: p.restarts,
		Err:      p.lastErr,
	}
	for _, fi := range p.infos {
		st.Forms = append(st.Forms, fi.Ref())
	}
	return st
}

// tail keeps the end of a plugin's standard error, for start errors.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailBytes = 400

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > tailBytes {
		t.buf = t.buf[len(t.buf)-tailBytes:]
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(strings.ToValidUTF8(string(t.buf), ""))
}
