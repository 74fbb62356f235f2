package gossip

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// logLimiter keeps one peer from flooding the log: per key (a peer and
// what it did), one line per interval, and the next line says how many
// were left out. Hand-written: log/slog has no rate limiting, and
// golang.org/x/time/rate would need its own counting of what it drops.
type logLimiter struct {
	every time.Duration
	now   func() time.Time // time.Now; tests move it
	mu    sync.Mutex
	keys  map[string]*logKey
}

type logKey struct {
	last    time.Time
	dropped int
}

// maxLogKeys bounds the limiter's memory under a flood of distinct peers.
const maxLogKeys = 4096

func newLogLimiter(every time.Duration) *logLimiter {
	return &logLimiter{every: every, now: time.Now, keys: map[string]*logKey{}}
}

// allow reports whether a line for key may be logged now, and how many
// lines for key were left out since the last one.
func (l *logLimiter) allow(key string) (bool, int) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	k := l.keys[key]
	if k == nil {
		if len(l.keys) >= maxLogKeys {
			for old, v := range l.keys {
				if now.Sub(v.last) > l.every {
					delete(l.keys, old)
				}
			}
		}
		if len(l.keys) >= maxLogKeys {
			return false, 0
		}
		l.keys[key] = &logKey{last: now}
		return true, 0
	}
	if now.Sub(k.last) < l.every {
		k.dropped++
		return false, 0
	}
	dropped := k.dropped
	k.last, k.dropped = now, 0
	return true, dropped
}

// warn logs msg at warning level for peer, at most once per interval per
// peer and message; the line says how many were left out before it.
func (l *logLimiter) warn(log interface {
	Warn(msg string, args ...any)
}, peer fmt.Stringer, msg string, args ...any) {
	ok, dropped := l.allow(msg + "\x00" + peer.String())
	if !ok {
		return
	}
	if dropped > 0 {
		args = append(args, "more_not_logged", dropped)
	}
	log.Warn(msg, args...)
}

// warnErr is warn keyed also by the innermost cause of err, so that two
// different refusals of one peer are both logged, and a flood of one kind
// is not.
func (l *logLimiter) warnErr(log interface {
	Warn(msg string, args ...any)
}, peer fmt.Stringer, err error, msg string, args ...any) {
	root := err
	for {
		next := errors.Unwrap(root)
		if next == nil {
			break
		}
		root = next
	}
	key := msg
	if root != nil {
		key += "\x00" + root.Error()
	}
	ok, dropped := l.allow(key + "\x00" + peer.String())
	if !ok {
		return
	}
	if dropped > 0 {
		args = append(args, "more_not_logged", dropped)
	}
	log.Warn(msg, args...)
}
