package query

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/kolo-net/kolo/node/store"
)

// spaceBudget is the ε ledger: "<requester hash>/<period>" → ε spent by
// that requester in that period, in millionths (8 bytes, big-endian).
const spaceBudget store.Space = "query-budget"

// ErrBudgetSpent is matched by the error of a spend that would take a
// requester over its budget for the period.
var ErrBudgetSpent = errors.New("ε budget for the period is spent")

// Ledger keeps each requester's ε spending per period in the store. Spend
// is one transaction that reads what was spent and writes the new total,
// retried on a conflict, so no interleaving of concurrent spends can take
// a requester over its budget.
type Ledger struct {
	st     *store.Store
	budget Epsilon
	policy NoisePolicy
	now    func() time.Time
}

// NewLedger returns the ledger of st for the budget and period of p.
func NewLedger(st *store.Store, p NoisePolicy, now func() time.Time) (*Ledger, error) {
	b, err := EpsilonOf(p.Budget)
	if err != nil {
		return nil, fmt.Errorf("noise.budget: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Ledger{st: st, budget: b, policy: p, now: now}, nil
}

// requesterKey is the hash that stands for a requester in keys (keys may
// appear in logs; a hash keeps them short and uniform).
func requesterKey(requester string) string {
	h := sha256.Sum256([]byte("kolo query requester\x00" + requester))
	return hex.EncodeToString(h[:16])
}

func (l *Ledger) key(requester string, t time.Time) []byte {
	return []byte(requesterKey(requester) + "/" + l.policy.period(t))
}

// maxSpendRetries bounds the retries of a spend that keeps conflicting.
const maxSpendRetries = 1000

// Spend charges eps to requester's budget for the current period and
// returns what is left, or an error matching ErrBudgetSpent (and charges
// nothing) if eps is more than what is left.
func (l *Ledger) Spend(ctx context.Context, requester string, eps Epsilon) (left Epsilon, err error) {
	if eps <= 0 {
		return 0, fmt.Errorf("spend ε %v: must be positive", eps)
	}
	key := l.key(requester, l.now())
	for range maxSpendRetries {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		err = l.st.Update(func(tx *store.Tx) error {
			spent, err := readSpent(tx, key)
			if err != nil {
				return err
			}
			if spent+eps > l.budget {
				left = l.budget - spent
				return fmt.Errorf("%w: %v of %v left, the query asks %v", ErrBudgetSpent, left, l.budget, eps)
			}
			left = l.budget - spent - eps
			return tx.Put(spaceBudget, key, binary.BigEndian.AppendUint64(nil, uint64(spent+eps)))
		})
		if !errors.Is(err, store.ErrConflict) {
			return left, err
		}
	}
	return 0, fmt.Errorf("spend ε: %d conflicting attempts: %w", maxSpendRetries, err)
}

// Spent returns what requester has spent in the current period.
func (l *Ledger) Spent(ctx context.Context, requester string) (Epsilon, error) {
	var spent Epsilon
	err := l.st.View(func(tx *store.Tx) error {
		var err error
		spent, err = readSpent(tx, l.key(requester, l.now()))
		return err
	})
	return spent, err
}

func readSpent(tx *store.Tx, key []byte) (Epsilon, error) {
	v, err := tx.Get(spaceBudget, key)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("ε ledger entry %q: %d bytes, want 8", key, len(v))
	}
	return Epsilon(binary.BigEndian.Uint64(v)), nil
}
