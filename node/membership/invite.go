package membership

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Invite token refusals, each distinct so the joining side is told exactly
// what went wrong.
var (
	ErrInviteUnknown   = errors.New("unknown invite token (not issued by this node, or from another network)")
	ErrInviteExpired   = errors.New("invite token expired")
	ErrInviteUsed      = errors.New("invite token already used")
	ErrInviteCancelled = errors.New("invite token cancelled by the inviter")
	ErrBadProof        = errors.New("join request does not prove the invite secret")
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
	// Certificate is the hash of the certificate issued with it, once used.
	Certificate string `json:"certificate,omitempty"`
	Cancelled   string `json:"cancelled,omitempty"`
}

// ID is how people name an invite: the first 16 hex digits of its
// public key.
func (inv Invite) ID() string { return inv.Key[:16] }

// State is open, used, expired or cancelled at now.
func (inv Invite) State(now time.Time) string {
	switch {
	case inv.Cancelled != "":
		return "cancelled"
	case inv.UsedBy != "":
		return "used"
	case inv.Expires <= protocol.FormatTime(now):
		return "expired"
	}
	return "open"
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
	tok := protocol.InviteToken{Network: n.ID, Inviter: r.self, Addrs: spec.Addrs, Secret: secret, Expires: protocol.FormatTime(now.Add(ttl)), Org: org, Country: country}
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

// Invites lists the invites this node issued, oldest first.
func (r *Registry) Invites() []Invite {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Invite, 0, len(r.invites))
	for _, inv := range r.invites {
		out = append(out, *inv)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Created != out[j].Created {
			return out[i].Created < out[j].Created
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// OpenInvites counts the invites that are neither used, cancelled nor
// expired. While there is one, the connection gater lets unknown peers
// connect, to join and for nothing else.
func (r *Registry) OpenInvites() int {
	now := r.now()
	r.mu.RLock()
	defer r.mu.RUnlock()
	n := 0
	for _, inv := range r.invites {
		if inv.State(now) == "open" {
			n++
		}
	}
	return n
}

// ErrNoSuchInvite says that no invite has the ID given.
var ErrNoSuchInvite = errors.New("no such invite")

// ErrInviteID says that an ID given cannot name one invite: it is too
// short, or several invites start so. The error's text says which.
var ErrInviteID = errors.New("not the ID of one invite")

// inviteIDError is an ErrInviteID with its own words.
type inviteIDError struct{ msg string }

func (e inviteIDError) Error() string        { return e.msg }
func (e inviteIDError) Is(target error) bool { return target == ErrInviteID }

// CancelInvite cancels the open invite whose ID (or a prefix of its public
// key of at least 8 hex digits) is id: its token can no longer be used.
func (r *Registry) CancelInvite(ctx context.Context, id string) (Invite, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 8 {
		return Invite{}, inviteIDError{fmt.Sprintf("invite %q: give at least the first 8 characters of its ID (kolo invite list shows them)", id)}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var found *Invite
	for key, inv := range r.invites {
		if strings.HasPrefix(key, id) {
			if found != nil {
				return Invite{}, inviteIDError{fmt.Sprintf("invite %q: more than one invite starts so; give more characters", id)}
			}
			found = inv
		}
	}
	if found == nil {
		return Invite{}, fmt.Errorf("invite %q: %w", id, ErrNoSuchInvite)
	}
	if st := found.State(r.now()); st != "open" {
		return *found, fmt.Errorf("invite %s is %s already; only an open invite can be cancelled", found.ID(), st)
	}
	if err := ctx.Err(); err != nil {
		return Invite{}, err
	}
	c := *found
	c.Cancelled = protocol.FormatTime(r.now())
	if err := r.putInvite(&c); err != nil {
		return Invite{}, fmt.Errorf("store invite: %w", err)
	}
	*found = c
	r.log.Info("invite cancelled", "invite", c.ID(), "org", c.Org)
	return c, nil
}

// Offer answers a join request that arrived from peer from: it checks the
// invite (known, proof, not cancelled, not used by another peer, not
// expired) and returns the certificate this node offers, signed by it but
// not yet by the joining peer, with the network file and this node's
// chain. Nothing is stored: Admit does that once the peer has signed. A
// peer that was admitted with this invite and asks again before it expires
// (its answer was lost) gets its stored certificate again, never a new one.
//
// A refusal given before the proof of the invite secret is checked tells
// nothing about this node's network.
func (r *Registry) Offer(ctx context.Context, from peer.ID, req protocol.JoinRequest) (protocol.JoinResponse, error) {
	n, ok := r.Network()
	if !ok || r.key == nil {
		return protocol.JoinResponse{}, ErrInviteUnknown
	}
	inv, err := r.checkJoin(from, req, n)
	if err != nil {
		return protocol.JoinResponse{}, err
	}
	now := r.now()
	if inv.UsedBy == from {
		r.mu.RLock()
		h, _ := protocol.ParseHash(inv.Certificate)
		cert, stored := r.certs[h]
		r.mu.RUnlock()
		if !stored || cert.Age != req.Age || inv.Expires <= protocol.FormatTime(now) {
			return protocol.JoinResponse{}, fmt.Errorf("%w (at %s, by this peer)", ErrInviteUsed, inv.Used)
		}
		return r.joinResponse(n, cert)
	}
	cert := protocol.Certificate{
		Network: n.ID, Peer: from, Age: req.Age, Org: inv.Org, Country: inv.Country,
		Roles: inv.Roles, Issued: protocol.FormatTime(now), AdmittedBy: r.self,
	}
	if err := cert.Sign(r.key); err != nil {
		return protocol.JoinResponse{}, fmt.Errorf("admit %s: %w", from, err)
	}
	h, err := cert.Hash()
	if err != nil {
		return protocol.JoinResponse{}, err
	}
	r.mu.RLock()
	err = r.admissible(h, cert)
	r.mu.RUnlock()
	if err != nil {
		return protocol.JoinResponse{}, fmt.Errorf("admit %s: %w", from, err)
	}
	return r.joinResponse(n, cert)
}

// checkJoin checks a join request against the invite it names and returns
// a copy of the invite.
func (r *Registry) checkJoin(from peer.ID, req protocol.JoinRequest, n protocol.Network) (Invite, error) {
	r.mu.RLock()
	inv, ok := r.invites[req.Invite]
	var snapshot Invite
	if ok {
		snapshot = *inv
	}
	r.mu.RUnlock()
	if !ok || req.Network != n.ID {
		return Invite{}, ErrInviteUnknown
	}
	if req.Peer != from {
		return Invite{}, fmt.Errorf("join request names peer %s but comes from %s: %w", req.Peer, from, ErrBadProof)
	}
	if err := req.VerifyProof(); err != nil {
		return Invite{}, fmt.Errorf("%w: %v", ErrBadProof, err)
	}
	if err := CheckAgeRecipient(req.Age); err != nil {
		return Invite{}, fmt.Errorf("join request: %w", err)
	}
	now := protocol.FormatTime(r.now())
	switch {
	case snapshot.Cancelled != "":
		return Invite{}, fmt.Errorf("%w at %s; ask for a new one", ErrInviteCancelled, snapshot.Cancelled)
	case snapshot.UsedBy != "" && snapshot.UsedBy != from:
		return Invite{}, fmt.Errorf("%w (at %s, by another peer)", ErrInviteUsed, snapshot.Used)
	case snapshot.UsedBy == "" && snapshot.Expires <= now:
		return Invite{}, fmt.Errorf("%w at %s; ask for a new one", ErrInviteExpired, snapshot.Expires)
	}
	return snapshot, nil
}

// Admit completes a join: cert is the certificate Offer made for the peer
// from, now signed by that peer too. It checks the invite again, marks it
// used and stores the certificate. Admitting the same certificate again is
// harmless.
func (r *Registry) Admit(ctx context.Context, from peer.ID, req protocol.JoinRequest, cert protocol.Certificate) (protocol.Certificate, error) {
	n, ok := r.Network()
	if !ok || r.key == nil {
		return cert, ErrInviteUnknown
	}
	if _, err := r.checkJoin(from, req, n); err != nil {
		return cert, err
	}
	if cert.Peer != from || cert.AdmittedBy != r.self || cert.Age != req.Age || cert.Network != n.ID {
		return cert, fmt.Errorf("admit %s: the certificate is not the one this node offered", from)
	}
	h, err := r.verifyCertificate(cert)
	if err != nil {
		return cert, fmt.Errorf("admit %s: %w", from, err)
	}
	// Mark the invite used before storing the certificate: if this node
	// stops in between, the same peer can ask again; no other peer can.
	r.mu.Lock()
	inv := r.invites[req.Invite]
	if inv.UsedBy != "" && inv.UsedBy != from {
		r.mu.Unlock()
		return cert, fmt.Errorf("%w (at %s, by another peer)", ErrInviteUsed, inv.Used)
	}
	if inv.UsedBy == "" {
		used := *inv
		used.UsedBy, used.Used, used.Certificate = from, protocol.FormatTime(r.now()), h.String()
		if err := r.putInvite(&used); err != nil {
			r.mu.Unlock()
			return cert, fmt.Errorf("store invite: %w", err)
		}
		*inv = used
	} else if inv.Certificate != h.String() {
		r.mu.Unlock()
		return cert, fmt.Errorf("%w (at %s, by this peer, with another certificate)", ErrInviteUsed, inv.Used)
	}
	r.mu.Unlock()
	added, err := r.storeCertificate(ctx, h, cert)
	if err != nil {
		return cert, fmt.Errorf("admit %s: %w", from, err)
	}
	if added {
		r.log.Info("member admitted", "member", from, "org", cert.Org, "country", cert.Country, "invite", req.Invite[:16])
	}
	return cert, nil
}

// AcceptOffer is the joining node's side of Offer: it checks the answer to
// its request for tok (the network file is the token's network, the
// certificate is for this node, with its age recipient, signed by the
// inviter, and chains to a founder) and returns this node's signature over
// the certificate, to send back.
func (r *Registry) AcceptOffer(ctx context.Context, tok protocol.InviteToken, age string, resp protocol.JoinResponse) ([]byte, error) {
	if r.key == nil {
		return nil, errors.New("accept: this registry has no node key")
	}
	if resp.Network == nil || resp.Certificate == nil {
		return nil, errors.New("no network file or no certificate")
	}
	c := *resp.Certificate
	switch {
	case resp.Network.ID != tok.Network:
		return nil, fmt.Errorf("network file is for %s, the invite for %s: %w", resp.Network.ID, tok.Network, ErrWrongNetwork)
	case c.Peer != r.self:
		return nil, fmt.Errorf("certificate is for %s, this node is %s", c.Peer, r.self)
	case c.AdmittedBy != tok.Inviter:
		return nil, fmt.Errorf("certificate signed by %s, the invite came from %s", c.AdmittedBy, tok.Inviter)
	case c.Age != age:
		return nil, fmt.Errorf("certificate names age recipient %s, this node's is %s", c.Age, age)
	}
	if err := c.VerifyOffer(); err != nil {
		return nil, err
	}
	given := c.PeerSignature
	if err := c.Accept(r.key); err != nil {
		return nil, err
	}
	if len(given) > 0 && !bytes.Equal(given, c.PeerSignature) {
		return nil, errors.New("the certificate carries a signature of this node that this node did not make")
	}
	check := resp
	check.Certificate = &c
	if err := verifyAnswer(ctx, check, r.now); err != nil {
		return nil, err
	}
	return c.PeerSignature, nil
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
// admitter's chain and its own certificate, signed by both. Everything is
// verified first, in a scratch registry, so a bad answer stores nothing.
func (r *Registry) Adopt(ctx context.Context, tok protocol.InviteToken, resp protocol.JoinResponse) error {
	if resp.Network == nil || resp.Certificate == nil {
		return errors.New("join answer: no network file or no certificate")
	}
	c := *resp.Certificate
	switch {
	case resp.Network.ID != tok.Network:
		return fmt.Errorf("join answer: network file is for %s, the invite for %s: %w", resp.Network.ID, tok.Network, ErrWrongNetwork)
	case c.Peer != r.self:
		return fmt.Errorf("join answer: certificate is for %s, this node is %s", c.Peer, r.self)
	case c.AdmittedBy != tok.Inviter:
		return fmt.Errorf("join answer: certificate signed by %s, the invite came from %s", c.AdmittedBy, tok.Inviter)
	}
	if err := verifyAnswer(ctx, resp, r.now); err != nil {
		return err
	}
	return applyAnswer(ctx, r, resp)
}

// verifyAnswer applies a join answer to a scratch registry: the network
// file, the chain from a founder down, the certificate.
func verifyAnswer(ctx context.Context, resp protocol.JoinResponse, now func() time.Time) error {
	scratch, err := Open(ctx, nil, Options{Now: now, Logger: discardLogger()})
	if err != nil {
		return err
	}
	return applyAnswer(ctx, scratch, resp)
}

func applyAnswer(ctx context.Context, reg *Registry, resp protocol.JoinResponse) error {
	if err := reg.Init(ctx, *resp.Network); err != nil {
		return err
	}
	for i := len(resp.Chain) - 1; i >= 0; i-- {
		if _, err := reg.AddCertificate(ctx, resp.Chain[i]); err != nil {
			return fmt.Errorf("join answer: chain: %w", err)
		}
	}
	if _, err := reg.AddCertificate(ctx, *resp.Certificate); err != nil {
		return fmt.Errorf("join answer: own certificate: %w", err)
	}
	return nil
}
