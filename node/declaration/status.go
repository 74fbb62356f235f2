package declaration

import (
	"sort"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// States of an endorsement in List.
const (
	// StateCounted: counts towards the threshold.
	StateCounted = "counted"
	// StateRevoked: withdrawn by its signer.
	StateRevoked = "revoked"
	// StateMemberRevoked: the signer is no longer a member.
	StateMemberRevoked = "member revoked"
	// StateRepeated: the signer's organisation is already counted through
	// an earlier endorsement.
	StateRepeated = "repeated"
)

// Entry is one endorsement as `kolo declaration list` shows it. Every
// entry was verified before it was stored.
type Entry struct {
	Endorsement protocol.Endorsement
	Hash        protocol.Hash
	State       string
	RevokedOn   string // date of the revocation, for StateRevoked
}

// CountryCount is how many organisations of a country endorse.
type CountryCount struct {
	Country string `json:"country"`
	Count   int    `json:"count"`
}

// Status is `kolo declaration status`: how many member organisations
// endorse the Declaration, of how many needed, by country.
type Status struct {
	Network     string         `json:"network"`
	Declaration string         `json:"declaration"` // SHA-256 of the text
	Threshold   int            `json:"threshold"`
	Count       int            `json:"count"`
	ByCountry   []CountryCount `json:"by_country"`
	Viable      bool           `json:"viable"` // Count >= Threshold
}

// List returns every endorsement held with its state, oldest date first.
// An organisation counts once: through its earliest endorsement that is
// neither revoked nor from a revoked member.
func (l *Ledger) List() []Entry {
	l.mu.RLock()
	entries := make([]Entry, 0, len(l.endorsements))
	for h, e := range l.endorsements {
		entry := Entry{Endorsement: e, Hash: h, State: StateCounted}
		if r, ok := l.revokedBy(h, e); ok {
			entry.State, entry.RevokedOn = StateRevoked, r.Date
		}
		entries = append(entries, entry)
	}
	l.mu.RUnlock()
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i].Endorsement, entries[j].Endorsement
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Org != b.Org {
			return a.Org < b.Org
		}
		return string(entries[i].Hash[:]) < string(entries[j].Hash[:])
	})
	counted := map[peer.ID]bool{}
	for i := range entries {
		e := &entries[i]
		if e.State != StateCounted {
			continue
		}
		signer := e.Endorsement.Signer
		switch {
		case !l.reg.IsMember(signer):
			e.State = StateMemberRevoked
		case counted[signer]:
			e.State = StateRepeated
		default:
			counted[signer] = true
		}
	}
	return entries
}

// Status counts the organisations whose endorsement is counted.
func (l *Ledger) Status() Status {
	n, _ := l.reg.Network()
	return statusOf(n, l.List())
}

func statusOf(n protocol.Network, entries []Entry) Status {
	s := Status{Network: n.ID, Declaration: n.Declaration.SHA256, Threshold: n.Policy.Threshold, ByCountry: []CountryCount{}}
	byCountry := map[string]int{}
	for _, e := range entries {
		if e.State == StateCounted {
			s.Count++
			byCountry[e.Endorsement.Country]++
		}
	}
	for c, k := range byCountry {
		s.ByCountry = append(s.ByCountry, CountryCount{Country: c, Count: k})
	}
	sort.Slice(s.ByCountry, func(i, j int) bool { return s.ByCountry[i].Country < s.ByCountry[j].Country })
	s.Viable = s.Threshold > 0 && s.Count >= s.Threshold
	return s
}
