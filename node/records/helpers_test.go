package records

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/plugins/forms"
	"github.com/kolo-net/kolo/plugins/host"
	"github.com/kolo-net/kolo/plugins/sdk"
)

func TestMain(m *testing.M) {
	if forms.ServeIfAsked(os.Args) {
		os.Exit(0)
	}
	if dir := os.Getenv(crashEnv); dir != "" {
		crashChild(dir) // exits
	}
	code := m.Run()
	if shared.h != nil {
		shared.h.Close()
	}
	os.Exit(code)
}

// shared is one plugin host for the whole test binary: its processes
// serve every test (the Books, and their stores, are per test).
var shared struct {
	once sync.Once
	h    *host.Host
	err  error
	logs syncBuffer
}

// plugins returns the shared plugin host serving rs and ba.
func plugins(t testing.TB) *host.Host {
	t.Helper()
	shared.once.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			shared.err = err
			return
		}
		log := slog.New(slog.NewTextHandler(&shared.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		h, err := host.New(host.Options{Executable: exe, BuiltIn: []string{"rs", "ba"}, CallTimeout: time.Minute, Logger: log})
		if err == nil {
			err = h.Start(context.Background())
		}
		shared.h, shared.err = h, err
	})
	if shared.err != nil {
		t.Fatalf("start plugin host: %v", shared.err)
	}
	return shared.h
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const testAuthor = "12D3KooWTestAuthorPeerID"

// testBook is a Book on its own encrypted store, with its log.
type testBook struct {
	*Book
	st   *store.Store
	dir  string
	key  []byte
	logs *syncBuffer
}

func newBook(t testing.TB) *testBook {
	t.Helper()
	key := make([]byte, store.KeySize)
	rand.Read(key)
	dir := filepath.Join(t.TempDir(), "store")
	tb := &testBook{dir: dir, key: key, logs: &syncBuffer{}}
	tb.open(t)
	return tb
}

// open opens (again) the store and a Book on it.
func (tb *testBook) open(t testing.TB) {
	t.Helper()
	st, err := store.Open(store.Options{Dir: tb.dir, Key: tb.key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := slog.New(slog.NewTextHandler(tb.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := Open(context.Background(), st, plugins(t), testAuthor, Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	tb.Book, tb.st = b, st
}

// reopen closes the store and opens it again, as after a restart.
func (tb *testBook) reopen(t testing.TB) {
	t.Helper()
	if err := tb.st.Close(); err != nil {
		t.Fatal(err)
	}
	tb.open(t)
}

// allSpaces are every key space a Book writes.
var allSpaces = []store.Space{spaceRecord, spaceHistory, spaceIndex, spaceImport, spaceImportItem, spaceIndicators}

// entries counts the entries of every space of the Book's store.
func (tb *testBook) entries(t testing.TB) map[store.Space]int {
	t.Helper()
	out := map[store.Space]int{}
	for _, sp := range allSpaces {
		err := tb.st.Scan(context.Background(), sp, nil, func(_, _ []byte) error {
			out[sp]++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// assertEmpty fails unless the store holds no record data at all.
func (tb *testBook) assertEmpty(t testing.TB) {
	t.Helper()
	if n := tb.entries(t); len(n) > 0 {
		t.Fatalf("store holds record data: %v", n)
	}
}

// golden reads a built-in form's golden answers or indicators.
func golden(t testing.TB, country, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "plugins", "forms", country, "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func answers(t testing.TB, country, name string) sdk.Answers {
	return sdk.Answers(golden(t, country, name))
}

// with returns a copy of a with the changes; a nil value removes the key.
func with(a sdk.Answers, changes map[string]any) sdk.Answers {
	out := sdk.Answers{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

// jsonOf is v as canonical JSON (sorted keys), to compare values whose Go
// types differ (int64 and float64).
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(x)
	return string(b)
}

// csvOf writes answers as CSV with the given header, separator sep.
func csvOf(header []string, sep string, rows ...sdk.Answers) string {
	var b strings.Builder
	b.WriteString(strings.Join(header, sep) + "\n")
	for _, r := range rows {
		cells := make([]string, len(header))
		for i, h := range header {
			c := cell(r[h])
			if strings.ContainsAny(c, sep+"\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			cells[i] = c
		}
		b.WriteString(strings.Join(cells, sep) + "\n")
	}
	return b.String()
}

// keysOf returns a's keys, sorted.
func keysOf(a sdk.Answers) []string {
	ks := make([]string, 0, len(a))
	for k := range a {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
