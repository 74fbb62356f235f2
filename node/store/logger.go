package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
)

// badgerLogger passes Badger's logs to slog. Badger's info messages (tables
// opened, compactions, replays) are routine, so they go out at debug with
// Badger's debug messages; warnings and errors keep their level. The slog
// package offers no adapter for printf-style loggers, hence these few lines.
type badgerLogger struct {
	l       *slog.Logger // nil: discard
	opening atomic.Bool  // during Open, Badger's errors are logged at debug
}

func newBadgerLogger(l *slog.Logger) *badgerLogger {
	if l != nil {
		l = l.With("lib", "badger")
	}
	return &badgerLogger{l: l}
}

func (b *badgerLogger) Errorf(f string, v ...any) {
	if b.opening.Load() {
		b.log(slog.LevelDebug, f, v)
		return
	}
	b.log(slog.LevelError, f, v)
}
func (b *badgerLogger) Warningf(f string, v ...any) { b.log(slog.LevelWarn, f, v) }
func (b *badgerLogger) Infof(f string, v ...any)    { b.log(slog.LevelDebug, f, v) }
func (b *badgerLogger) Debugf(f string, v ...any)   { b.log(slog.LevelDebug, f, v) }

func (b *badgerLogger) log(level slog.Level, f string, v []any) {
	if b.l == nil {
		return
	}
	ctx := context.Background()
	if !b.l.Enabled(ctx, level) {
		return
	}
	b.l.Log(ctx, level, strings.TrimSpace(fmt.Sprintf(f, v...)))
}
