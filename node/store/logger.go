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
	health  *health      // told of Badger's errors once the store is open
}

func newBadgerLogger(l *slog.Logger, h *health) *badgerLogger {
	if l != nil {
		l = l.With("lib", "badger")
	}
	return &badgerLogger{l: l, health: h}
}

// Errorf: once the store is open, a Badger error means it cannot write its
// files (a flush or a compaction failed; Badger retries every second). The
// store's health reports that in one error line; Badger's own message, which
// repeats with every retry, goes out at debug.
func (b *badgerLogger) Errorf(f string, v ...any) {
	if b.opening.Load() || b.health == nil {
		b.log(slog.LevelDebug, f, v)
		return
	}
	b.health.noteBadger(fmt.Sprintf(f, v...))
	b.log(slog.LevelDebug, f, v)
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
