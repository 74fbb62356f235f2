package membership

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Invite token refusals, each distinct so the joining side is told exactly
// what went wrong.
var (
	ErrInviteUnknown = errors.New("unknown invite token (not issued by this node, or from another network)")
	ErrInviteExpired = errors.New("invite token expired")
	ErrInviteUsed    = errors.New("invite token already used")
	ErrBadProof      = errors.New("join request does not prove the invite secret")
)

var prefixInvite = []byte("invite/")

// InviteSpec is what `kolo invite` asks for: who is invited, with which
// roles, and where the node can be reached.
type InviteSpec struct {
	Org     string
	Country string
	Roles   []protocol.Role
	Addrs   []string      // this node's public multiaddrs, without /p2p
	TTL     time.Duration // zero: the network's policy
}

// Invite is an invite this node issued, as `kolo invite list` could show.
// Only the public invite key is kept, never the secret.
type Invite struct {
	Key     string          `json:"key"` // public invite key, hex
	Org     string          `json:"org"`
	Country string          `json:"country"`
	Roles   []protocol.Role `json:"roles"`
	Created string          `json:"created"`
	Expires string          `json:"expires"`
	UsedBy  peer.ID         `json:"used_by,omitempty"`
	Used    string          `json:"used,omitempty"`
}

func (r *Registry) loadInvites(ctx context.Context) error {
	return r.kv.Scan(ctx, prefixInvite, func(key, val []byte) error {
		var inv Invite
		if err := protocol.Decode(val, protocol.MaxMessageSize, &inv); err != nil {
			return fmt.Errorf("invite %s: %w", key, err)
		}
		r.invites[inv.Key] = &inv
		return nil
	})
}

func (r *Registry) putInvite(inv *Invite) error {
	return r.put(append(append([]byte{}, prefixInvite...), inv.Key...), inv)
}

// Invite issues a one-time invite token for a new organisation. Only a
// partner may invite. The token goes to the new organisation; this node
// keeps only the public invite key, with the organisation, country, roles
// and expiry it will write into the certificate.
func (r *Registry) Invite(ctx context.Context, spec InviteSpec) (protocol.InviteToken, error) {
	n, ok := r.Network()
	if !ok {
		return protocol.InviteToken{}, fmt.Errorf("invite: %w", ErrNoNetwork)
	}
	me, ok := r.Member(r.self)
	switch {
	case r.key == nil:
		return protocol.InviteToken{}, errors.New("invite: this registry has no node key")
	case !ok || !me.Active():
		return protocol.InviteToken{}, fmt.Errorf("invite: this node (%s): %w", r.self, ErrNotMember)
	case !protocol.HasRole(me.Certificate.Roles, protocol.RolePartner):
		return protocol.InviteToken{}, fmt.Errorf("invite: this node's roles are %s; only partners may invite: %w", protocol.JoinRoles(me.Certificate.Roles), ErrNotAllowed)
	}
	org := protocol.NormalizeText(spec.Org)
	country := strings.ToUpper(strings.TrimSpace(spec.Country))
	if err := protocol.CheckText("invite", "org", org, protocol.MaxOrgLength); err != nil {
		return protocol.InviteToken{}, err
	}
	if err := protocol.CheckCountry("invite", "country", country); err != nil {
		return protocol.InviteToken{}, err
	}
	if err := protocol.CheckRoles("invite", "roles", spec.Roles); err != nil {
		return protocol.InviteToken{}, err
	}
	ttl := spec.TTL
	if ttl == 0 {
		ttl = time.Duration(n.Policy.InviteTTLSeconds) * time.Second
	}
	if ttl < time.Minute {
		return protocol.InviteToken{}, fmt.Errorf("invite: validity %s is shorter than a minute", ttl)
	}
	secret, err := protocol.NewInviteSecret()
	if err != nil {
		return protocol.InviteToken{}, err
	}
	key, err := protocol.InviteKey(secret)
	if err != nil {
		return protocol.InviteToken{}, err
	}
	now := r.now()
	tok := protocol.InviteToken{Network: n.ID, Inviter: r.self, Addrs: spec.Addrs, Secret: secret, Expires: protocol.FormatTime(now.Add(ttl))}
	if err := tok.Check(); err != nil {
		return protocol.InviteToken{}, err
	}
	inv := &Invite{Key: key, Org: org, Country: country, Roles: spec.Roles, Created: protocol.FormatTime(now), Expires: tok.Expires}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return protocol.InviteToken{}, err
	}
	if err := r.putInvite(inv); err != nil {
		return protocol.InviteToken{}, fmt.Errorf("store invite: %w", err)
	}
	r.invites[key] = inv
	r.log.Info("invite issued", "invite", key[:16], "org", org, "country", country, "expires", inv.Expires)
	return tok, nil
}

// Invites lists the invites this node issued.
func (r *Registry) Invites() []Invite {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Invite, 0, len(r.invites))
	for _, inv := range r.invites {
		out = append(out, *inv)
	}
	return out
}

// OpenInvites counts the invites that are neither used nor expired. While
// there is one, the connection gater lets unknown peers connect (to join).
func (r *Registry) OpenInvites() int {
	now := protocol.FormatTime(r.now())
	r.mu.RLock()
	defer r.mu.RUnlock()
	n := 0
	for _, inv := range r.invites {
		if inv.UsedBy == "" && inv.Expires > now {
			n++
		}
	}
	return n
}

// Admit answers a join request that arrived from peer from: it checks the
// invite (known, proof, not used by another peer, not expired), marks it
// used, signs the new member's certificate and returns what the joining
// node needs. A peer that already used the invite gets its certificate
// again (its first answer may have been lost).
func (r *Registry) Admit(ctx context.Context, from peer.ID, req protocol.JoinRequest) (protocol.JoinResponse, error) {
	n, ok := r.Network()
	if !ok {
		return protocol.JoinResponse{}, ErrNoNetwork
	}
	if r.key == nil {
		return protocol.JoinResponse{}, errors.New("admit: this registry has no node key")
	}
	if req.Network != n.ID {
		return protocol.JoinResponse{}, fmt.Errorf("join request is for network %s, this node is in %s: %w", req.Network, n.ID, ErrInviteUnknown)
	}
	if req.Peer != from {
		return protocol.JoinResponse{}, fmt.Errorf("join request names peer %s but comes from %s: %w", req.Peer, from, ErrBadProof)
	}
	r.mu.RLock()
	inv, ok := r.invites[req.Invite]
	var snapshot Invite
	if ok {
		snapshot = *inv
	}
	r.mu.RUnlock()
	if !ok {
		return protocol.JoinResponse{}, ErrInviteUnknown
	}
	if err := req.VerifyProof(); err != nil {
		return protocol.JoinResponse{}, fmt.Errorf("%w: %v", ErrBadProof, err)
	}
	if err := CheckAgeRecipient(req.Age); err != nil {
		return protocol.JoinResponse{}, fmt.Errorf("join request: %w", err)
	}
	now := r.now()
	switch {
	case snapshot.UsedBy != "" && snapshot.UsedBy != from:
		return protocol.JoinResponse{}, fmt.Errorf("%w (at %s, by another peer)", ErrInviteUsed, snapshot.Used)
	case snapshot.UsedBy == "" && snapshot.Expires <= protocol.FormatTime(now):
		return protocol.JoinResponse{}, fmt.Errorf("%w at %s; ask for a new one", ErrInviteExpired, snapshot.Expires)
	}
	if snapshot.UsedBy == from {
		if m, ok := r.Member(from); ok && m.Certificate.AdmittedBy == r.self && m.Certificate.Age == req.Age {
			return r.joinResponse(n, m.Certificate)
		}
	}
	cert := protocol.Certificate{
		Network: n.ID, Peer: from, Age: req.Age, Org: snapshot.Org, Country: snapshot.Country,
		Roles: snapshot.Roles, Issued: protocol.FormatTime(now), AdmittedBy: r.self,
	}
	if err := cert.Sign(r.key); err != nil {
		return protocol.JoinResponse{}, fmt.Errorf("admit %s: %w", from, err)
	}
	if err := r.CheckCertificate(cert); err != nil {
		return protocol.JoinResponse{}, fmt.Errorf("admit %s: %w", from, err)
	}
	resp, err := r.joinResponse(n, cert)
	if err != nil {
		return resp, err
	}
	// Mark the invite used before storing the certificate: if this node
	// stops in between, the same peer can ask again; no other peer can.
	r.mu.Lock()
	inv = r.invites[req.Invite]
	if inv.UsedBy != "" && inv.UsedBy != from {
		r.mu.Unlock()
		return protocol.JoinResponse{}, fmt.Errorf("%w (at %s, by another peer)", ErrInviteUsed, inv.Used)
	}
	used := *inv
	used.UsedBy, used.Used = from, protocol.FormatTime(now)
	if err := r.putInvite(&used); err != nil {
		r.mu.Unlock()
		return protocol.JoinResponse{}, fmt.Errorf("store invite: %w", err)
	}
	*inv = used
	r.mu.Unlock()
	if _, err := r.AddCertificate(ctx, cert); err != nil {
		return protocol.JoinResponse{}, fmt.Errorf("admit %s: %w", from, err)
	}
	r.log.Info("member admitted", "member", from, "org", cert.Org, "country", cert.Country, "invite", req.Invite[:16])
	return resp, nil
}

// joinResponse assembles the answer and checks it fits in one message.
func (r *Registry) joinResponse(n protocol.Network, cert protocol.Certificate) (protocol.JoinResponse, error) {
	resp := protocol.JoinResponse{Network: &n, Certificate: &cert, Chain: r.Chain(r.self)}
	b, err := protocol.Encode(resp)
	if err != nil {
		return protocol.JoinResponse{}, err
	}
	if len(b) > protocol.MaxMessageSize {
		return protocol.JoinResponse{}, fmt.Errorf("admit: the answer (network file and %d certificates of the admitter's chain) is %d bytes, over the %d-byte message cap; ask a member closer to a founder to invite",
			len(resp.Chain), len(b), protocol.MaxMessageSize)
	}
	return resp, nil
}

// Adopt stores what a joining node received for tok: the network file, the
// admitter's chain and its own certificate. Everything is verified first,
// in a scratch registry, so a bad answer stores nothing.
func (r *Registry) Adopt(ctx context.Context, tok protocol.InviteToken, resp protocol.JoinResponse) error {
	if resp.Network == nil || resp.Certificate == nil {
		return errors.New("join answer: no network file or no certificate")
	}
	n, c := *resp.Network, *resp.Certificate
	switch {
	case n.ID != tok.Network:
		return fmt.Errorf("join answer: network file is for %s, the invite for %s: %w", n.ID, tok.Network, ErrWrongNetwork)
	case c.Peer != r.self:
		return fmt.Errorf("join answer: certificate is for %s, this node is %s", c.Peer, r.self)
	case c.AdmittedBy != tok.Inviter:
		return fmt.Errorf("join answer: certificate signed by %s, the invite came from %s", c.AdmittedBy, tok.Inviter)
	}
	scratch, err := Open(ctx, nil, Options{Now: r.now, Logger: discardLogger()})
	if err != nil {
		return err
	}
	apply := func(reg *Registry) error {
		if err := reg.Init(ctx, n); err != nil {
			return err
		}
		for i := len(resp.Chain) - 1; i >= 0; i-- {
			if _, err := reg.AddCertificate(ctx, resp.Chain[i]); err != nil {
				return fmt.Errorf("join answer: chain: %w", err)
			}
		}
		if _, err := reg.AddCertificate(ctx, c); err != nil {
			return fmt.Errorf("join answer: own certificate: %w", err)
		}
		return nil
	}
	if err := apply(scratch); err != nil {
		return err
	}
	return apply(r)
}
