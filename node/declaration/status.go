package declaration

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

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
	RevokedOn   string  // date of the revocation, for StateRevoked
	AdmittedBy  peer.ID // who admitted the signer ("" if its certificate is gone)
}

// CountryCount is how many organisations of a country endorse.
type CountryCount struct {
	Country string `json:"country"`
	Count   int    `json:"count"`
}

// AdmitterCount is how many of the counted organisations one member
// admitted to the network (a founder admitted itself).
type AdmitterCount struct {
	Peer  peer.ID `json:"peer"`
	Org   string  `json:"org"`
	Count int     `json:"count"`
}

// Status is `kolo declaration status`: how many member organisations
// endorse the Declaration, of how many needed, by country, and who
// admitted them.
type Status struct {
	Network     string         `json:"network"`
	Declaration string         `json:"declaration"` // SHA-256 of the text
	Threshold   int            `json:"threshold"`
	Count       int            `json:"count"`
	ByCountry   []CountryCount `json:"by_country"`
	Viable      bool           `json:"viable"` // Count >= Threshold
	// AdmittedBy counts the counted organisations by the member that
	// admitted them, most first: one partner could admit organisations of
	// its own making, and this shows it.
	AdmittedBy []AdmitterCount `json:"admitted_by"`
	// Concentration is set, in words, when one member admitted more than
	// half of the counted organisations (and at least 3).
	Concentration string `json:"concentration,omitempty"`
}

// List returns every endorsement held with its state, oldest date first.
// An organisation counts once: through its earliest endorsement that is
// neither revoked nor from a revoked member. Two members whose certificates
// name the same organisation (the same name once case, accents' forms,
// punctuation and spacing are set aside, in the same country) are one
// organisation.
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
	counted := map[string]bool{}
	for i := range entries {
		e := &entries[i]
		if m, ok := l.reg.Member(e.Endorsement.Signer); ok {
			e.AdmittedBy = m.Certificate.AdmittedBy
		}
		if e.State != StateCounted {
			continue
		}
		org := OrgKey(e.Endorsement.Country, e.Endorsement.Org)
		switch {
		case !l.reg.IsMember(e.Endorsement.Signer):
			e.State = StateMemberRevoked
		case counted[org]:
			e.State = StateRepeated
		default:
			counted[org] = true
		}
	}
	return entries
}

// OrgKey is what makes two organisation names the same organisation: the
// country, and the name in Unicode NFKC, case-folded, with every run of
// characters other than letters and digits read as one space.
func OrgKey(country, org string) string {
	folded := cases.Fold().String(norm.NFKC.String(org))
	words := strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return country + "/" + strings.Join(words, " ")
}

// Status counts the organisations whose endorsement is counted.
func (l *Ledger) Status() Status {
	n, _ := l.reg.Network()
	return statusOf(n, l.List(), l.orgOf)
}

// orgOf names a member's organisation ("" if it holds no certificate).
func (l *Ledger) orgOf(p peer.ID) string {
	m, _ := l.reg.Member(p)
	return m.Certificate.Org
}

func statusOf(n protocol.Network, entries []Entry, orgOf func(peer.ID) string) Status {
	s := Status{Network: n.ID, Declaration: n.Declaration.SHA256, Threshold: n.Policy.Threshold, ByCountry: []CountryCount{}, AdmittedBy: []AdmitterCount{}}
	byCountry := map[string]int{}
	byAdmitter := map[peer.ID]int{}
	for _, e := range entries {
		if e.State == StateCounted {
			s.Count++
			byCountry[e.Endorsement.Country]++
			byAdmitter[e.AdmittedBy]++
		}
	}
	for c, k := range byCountry {
		s.ByCountry = append(s.ByCountry, CountryCount{Country: c, Count: k})
	}
	sort.Slice(s.ByCountry, func(i, j int) bool { return s.ByCountry[i].Country < s.ByCountry[j].Country })
	for p, k := range byAdmitter {
		s.AdmittedBy = append(s.AdmittedBy, AdmitterCount{Peer: p, Org: orgOf(p), Count: k})
	}
	sort.Slice(s.AdmittedBy, func(i, j int) bool {
		if s.AdmittedBy[i].Count != s.AdmittedBy[j].Count {
			return s.AdmittedBy[i].Count > s.AdmittedBy[j].Count
		}
		return s.AdmittedBy[i].Peer < s.AdmittedBy[j].Peer
	})
	if len(s.AdmittedBy) > 0 {
		if top := s.AdmittedBy[0]; top.Count >= 3 && 2*top.Count > s.Count {
			s.Concentration = fmt.Sprintf("%d of the %d organisations counted were admitted to the network by one member, %s", top.Count, s.Count, top.Org)
		}
	}
	s.Viable = s.Threshold > 0 && s.Count >= s.Threshold
	return s
}
