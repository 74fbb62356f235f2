package node

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// lazyForms is the offline path's records.Forms: it starts a plugin host
// (StartPlugins, as the daemon does) when first asked about a form: the
// built-in plugin of the form's country and the plugins directory, or
// every plugin when all forms are wanted.
type lazyForms struct {
	ctx        context.Context
	cfg        config.Config
	executable string
	log        *slog.Logger

	mu     sync.Mutex
	all    bool
	closed bool
	hosts  map[string]*host.Host // by scope: a built-in country, "" for external plugins only, "*" for all
	err    error
}

var _ records.Forms = (*lazyForms)(nil)

// allScope is the scope of a host that serves every plugin.
const allScope = "*"

// wantAll makes Forms list every plugin's forms.
func (l *lazyForms) wantAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = true
}

// startErr is the failure of the last plugin host that did not start.
func (l *lazyForms) startErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// host returns the host of scope, starting it if needed; nil if it could
// not start (startErr says why).
func (l *lazyForms) host(scope string) *host.Host {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		l.err = ErrOfflineClosed
		return nil
	}
	if h, ok := l.hosts[allScope]; ok {
		return h
	}
	if h, ok := l.hosts[scope]; ok {
		return h
	}
	var countries []string // nil: every built-in
	if scope != allScope {
		countries = []string{}
		if scope != "" {
			countries = []string{scope}
		}
	}
	h, err := StartPlugins(l.ctx, l.cfg, l.executable, countries, l.log)
	if err != nil {
		l.err = err
		return nil
	}
	if l.hosts == nil {
		l.hosts = map[string]*host.Host{}
	}
	l.hosts[scope] = h
	return h
}

// formScope is the host scope that serves form id: its country if built in.
func formScope(id string) string {
	cc, _, _ := strings.Cut(id, ".")
	if slices.Contains(host.BuiltInCountries(), cc) {
		return cc
	}
	return ""
}

func (l *lazyForms) Forms() []sdk.FormInfo {
	l.mu.Lock()
	all := l.all
	l.mu.Unlock()
	if all {
		if h := l.host(allScope); h != nil {
			return h.Forms()
		}
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []sdk.FormInfo
	for _, h := range l.hosts {
		out = append(out, h.Forms()...)
	}
	slices.SortFunc(out, func(a, b sdk.FormInfo) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Version, b.Version))
	})
	return out
}

func (l *lazyForms) Form(id string, version int) (sdk.FormInfo, bool) {
	if h := l.host(formScope(id)); h != nil {
		return h.Form(id, version)
	}
	return sdk.FormInfo{}, false
}

func (l *lazyForms) Latest(id string) (sdk.FormInfo, bool) {
	if h := l.host(formScope(id)); h != nil {
		return h.Latest(id)
	}
	return sdk.FormInfo{}, false
}

func (l *lazyForms) Check(ctx context.Context, id string, version int, answers []sdk.Answers) ([]sdk.Result, error) {
	h := l.host(formScope(id))
	if h == nil {
		return nil, l.startErr()
	}
	return h.Check(ctx, id, version, answers)
}

// close stops every host started; none starts afterwards.
func (l *lazyForms) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	var errs []error
	for _, h := range l.hosts {
		errs = append(errs, h.Close())
	}
	l.hosts = nil
	return errors.Join(errs...)
}
