package declaration

import (
	"context"
	"fmt"
	"slices"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// A revoked member's Declaration records. Its endorsement stays in the
// record, marked "member revoked" and no longer counted, on every node:
// the revocation of the member keeps (protocol.MemberRevocation.Keep) the
// endorsements and withdrawals it signed that the revoking node held, so
// that a node that learns the revocation first (it joined later, or was on
// the other side of a partition) still takes them, and one that held
// others drops them (Prune). Dates decide nothing: what a revoked member
// signs afterwards, whatever its date, is refused.

// SignedBy returns the hashes of the endorsements and withdrawals signer
// signed that the ledger holds: what a revocation of signer keeps.
func (l *Ledger) SignedBy(signer peer.ID) []protocol.Hash {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []protocol.Hash
	for h, e := range l.endorsements {
		if e.Signer == signer {
			out = append(out, h)
		}
	}
	for h, r := range l.revocations {
		if r.Signer == signer {
			out = append(out, h)
		}
	}
	return out
}

// Prune deletes the endorsements and withdrawals of revoked members that
// the revocations did not keep (with the withdrawals of such an
// endorsement): they no longer count and no node takes them again, so
// every node ends with the same records whatever order it learned them
// in. It returns how many records it deleted.
func (l *Ledger) Prune(ctx context.Context) (int, error) {
	stands := func(signer peer.ID, h protocol.Hash) bool {
		m, ok := l.reg.Member(signer)
		return !ok || m.Active() || l.reg.Keeps(signer, h)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var drop []protocol.Hash
	for h, e := range l.endorsements {
		if !stands(e.Signer, h) {
			drop = append(drop, h)
			drop = append(drop, l.revokes[h]...)
		}
	}
	for h, r := range l.revocations {
		if !stands(r.Signer, h) {
			drop = append(drop, h)
		}
	}
	deleted := 0
	for _, h := range drop {
		if err := ctx.Err(); err != nil {
			return deleted, err
		}
		if e, ok := l.endorsements[h]; ok {
			if err := l.delete(prefixEndorsement, h); err != nil {
				return deleted, fmt.Errorf("delete endorsement by %s: %w", e.Signer, err)
			}
			delete(l.endorsements, h)
			l.bySigner[e.Signer]--
			deleted++
			l.log.Info("endorsement dropped: its signer's revocation did not keep it", "signer", e.Signer, "date", e.Date)
			continue
		}
		if r, ok := l.revocations[h]; ok {
			if err := l.delete(prefixRevocation, h); err != nil {
				return deleted, fmt.Errorf("delete withdrawal by %s: %w", r.Signer, err)
			}
			delete(l.revocations, h)
			eh, _ := protocol.ParseHash(r.Endorsement)
			l.revokes[eh] = slices.DeleteFunc(l.revokes[eh], func(x protocol.Hash) bool { return x == h })
			if len(l.revokes[eh]) == 0 {
				delete(l.revokes, eh)
			}
			deleted++
			l.log.Info("withdrawal dropped: its signer's revocation did not keep it", "signer", r.Signer, "date", r.Date)
		}
	}
	return deleted, nil
}

func (l *Ledger) delete(prefix []byte, h protocol.Hash) error {
	if l.kv == nil {
		return nil
	}
	return l.kv.Delete(append(append([]byte{}, prefix...), h.String()...))
}
