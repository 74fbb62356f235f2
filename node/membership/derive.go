package membership

import (
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// standing is what the registry derives for one peer from the records it
// holds. The rules (doc.go, docs/SECURITY.md) use no time a signer chose.
type standing struct {
	admitted   bool // holds exactly one valid certificate
	equivocal  bool // holds two valid certificates: admitted by neither
	valid      []protocol.Hash
	cert       protocol.Hash // its certificate, when admitted
	revocation []protocol.Hash
	// revokedAt is the earliest time the effective revocations give: shown
	// to people, never compared with anything.
	revokedAt string
}

// revoked reports whether s has an effective revocation.
func (s *standing) revoked() bool { return len(s.revocation) > 0 }

// derivation computes every peer's standing from the stored records. Each
// peer's standing depends only on its admitter's and the founders', so the
// recursion follows admission chains up to a founder; a chain that loops
// never reaches one and admits nobody, whichever peer it is entered from.
type derivation struct {
	r        *Registry
	state    map[peer.ID]*standing
	visiting map[peer.ID]bool
}

func (r *Registry) derive() map[peer.ID]*standing {
	d := &derivation{r: r, state: make(map[peer.ID]*standing, len(r.byPeer)), visiting: map[peer.ID]bool{}}
	for p := range r.byPeer {
		d.of(p)
	}
	return d.state
}

var notAdmitted = &standing{}

// of returns p's standing, computing it on first use.
func (d *derivation) of(p peer.ID) *standing {
	if s, ok := d.state[p]; ok {
		return s
	}
	if d.visiting[p] {
		return notAdmitted // an admission loop: it never reaches a founder
	}
	d.visiting[p] = true
	defer delete(d.visiting, p)
	s := &standing{}
	for _, h := range d.r.byPeer[p] {
		if d.certValid(h) {
			s.valid = append(s.valid, h)
		}
	}
	switch {
	case len(s.valid) > 1:
		s.equivocal = true
	case len(s.valid) == 1:
		s.admitted, s.cert = true, s.valid[0]
		for _, vh := range d.r.revsOf[p] {
			if d.revocationEffective(vh, s) {
				s.revocation = append(s.revocation, vh)
				if at := d.r.mrevs[vh].Revoked; s.revokedAt == "" || at < s.revokedAt {
					s.revokedAt = at
				}
			}
		}
	}
	d.state[p] = s
	return s
}

// certValid applies the certificate rule: a founder's certificate is valid
// if the network file lists it; any other if its admitter is admitted, has
// the partner role, and is either not revoked or kept this certificate in
// every revocation that counts against it.
func (d *derivation) certValid(h protocol.Hash) bool {
	c := d.r.certs[h]
	if c.Founder() {
		return d.r.founders[h]
	}
	a := d.of(c.AdmittedBy)
	if !a.admitted || !protocol.HasRole(d.r.certs[a.cert].Roles, protocol.RolePartner) {
		return false
	}
	return d.r.keptByAll(a, h)
}

// revocationEffective applies the revocation rule to vh, a revocation of
// the admitted peer whose standing is t (being computed): it counts if the
// peer signed it itself; if a founder revokes a founder (founders check one
// another without appeal); otherwise if its signer is a founder or the
// peer's admitter and is in good standing for it: admitted, and either not
// revoked or kept this revocation in every revocation against it.
func (d *derivation) revocationEffective(vh protocol.Hash, t *standing) bool {
	v := d.r.mrevs[vh]
	target := d.r.certs[t.cert]
	if v.Signer == v.Member {
		return true
	}
	signerFounder := d.r.isFounder(v.Signer)
	if target.Founder() {
		return signerFounder
	}
	if !signerFounder && v.Signer != target.AdmittedBy {
		return false
	}
	s := d.of(v.Signer)
	return s.admitted && d.r.keptByAll(s, vh)
}

// keptByAll reports whether every effective revocation of the peer whose
// standing is s keeps the record h (trivially, if it has none).
func (r *Registry) keptByAll(s *standing, h protocol.Hash) bool {
	for _, vh := range s.revocation {
		if !r.mrevs[vh].Keeps(h) {
			return false
		}
	}
	return true
}

// isFounder reports whether p is listed in the network file.
func (r *Registry) isFounder(p peer.ID) bool {
	if r.network == nil {
		return false
	}
	_, ok := r.network.Founder(p)
	return ok
}
