package ui

import (
	"context"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/protocol"
)

// Network is what the network pages need of the node: its network and
// members, the Declaration and its endorsements, invites, joining and
// founding (kolo network, members, invite, join, declaration).
type Network interface {
	// NetworkInfo describes the network this node belongs to; false when
	// it belongs to none yet.
	NetworkInfo(ctx context.Context) (NetworkView, bool)
	// NetworkMembers lists every member, revoked ones included.
	NetworkMembers(ctx context.Context) ([]Member, error)
	// CreateNetwork founds a network named name, with this node as its
	// first member.
	CreateNetwork(ctx context.Context, name string) error
	// JoinNetwork joins the network of an invite token.
	JoinNetwork(ctx context.Context, token string) error
	// InviteMember makes a one-time invite token for an organisation;
	// ttl 0 is the network's policy.
	InviteMember(ctx context.Context, org, country string, roles []protocol.Role, ttl time.Duration) (Invitation, error)
	// NetworkInvites lists the invites this node issued, oldest first.
	NetworkInvites(ctx context.Context) []InviteView
	// CancelInvite cancels the invite whose id is given.
	CancelInvite(ctx context.Context, id string) error
	// Endorsements lists the endorsements this node holds, with their state.
	Endorsements(ctx context.Context) ([]Endorsement, error)
	// DeclarationStatus counts the endorsing organisations against the
	// network's threshold, by country.
	DeclarationStatus(ctx context.Context) (declaration.Status, error)
	// SignDeclaration endorses the network's Declaration on behalf of
	// this node's organisation and publishes the endorsement.
	SignDeclaration(ctx context.Context) error
	// MayRevokeMember reports whether this node may revoke member (a peer
	// ID) now: nil if it may (a founder, the member's admitter, or the
	// member itself, leaving), else why not.
	MayRevokeMember(ctx context.Context, member string) error
	// RevokeMember revokes member (a peer ID) and tells the network; the
	// members it admitted lose their membership too when dropAdmitted.
	RevokeMember(ctx context.Context, member string, dropAdmitted bool) error
	// WithdrawEndorsement revokes this node's endorsements and publishes
	// the revocations; it returns how many were withdrawn.
	WithdrawEndorsement(ctx context.Context) (int, error)
}

// NetworkView is the network this node belongs to.
type NetworkView struct {
	ID, Name string
	SHA256   string // of the signed network file
	// Declaration is the text the network endorses, as its network file
	// carries it (the English original).
	Declaration protocol.Declaration
	Threshold   int
	InviteTTL   time.Duration // how long an invite stays valid by default
	Members     int           // current members
	Self        *Member       // nil if this node holds no certificate
}

// Member is one member of the network.
type Member struct {
	Peer          string
	Org, Country  string
	Roles         []protocol.Role
	Issued        string // RFC 3339
	Founder       bool
	AdmittedBy    string // peer ID
	AdmittedByOrg string
	Revoked       string // RFC 3339 time of the revocation; "" for a current member
	Self          bool
}

// IsPartner reports whether the member may invite.
func (m Member) IsPartner() bool { return protocol.HasRole(m.Roles, protocol.RolePartner) }

// Invitation is an invite just made: its token is shown once.
type Invitation struct {
	Token        string
	Org, Country string
	Roles        []protocol.Role
	Expires      string // RFC 3339
}

// InviteView is one invite this node issued (its token is never kept).
type InviteView struct {
	ID                      string
	Org, Country            string
	Roles                   []protocol.Role
	Created, Expires        string
	State                   string // open, used, expired, cancelled
	UsedBy, Used, Cancelled string
}

// Endorsement is one endorsement of the Declaration.
type Endorsement struct {
	Org, Country, Date string
	Signer             string // peer ID
	State              string // counted, revoked, member revoked, repeated
	RevokedOn          string
}
