package node

import (
	"context"
	"fmt"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/ui"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// The network pages of the web interface (node/ui's Network): the same
// methods the JSON API's network and Declaration handlers call
// (network.go), with their results in node/ui's types.

func (b uiBackend) NetworkInfo(context.Context) (ui.NetworkView, bool) {
	info, ok := b.n.Network()
	if !ok {
		return ui.NetworkView{}, false
	}
	net, _ := b.n.reg.Network()
	v := ui.NetworkView{ID: info.ID, Name: info.Name, SHA256: info.SHA256, Declaration: net.Declaration,
		Threshold: info.Policy.Threshold, InviteTTL: time.Duration(info.Policy.InviteTTLSeconds) * time.Second, Members: info.Members}
	if info.Self != nil {
		m := uiMember(*info.Self)
		v.Self = &m
	}
	return v, true
}

func uiMember(m MemberInfo) ui.Member {
	return ui.Member{Peer: m.PeerID.String(), Org: m.Org, Country: m.Country, Roles: m.Roles, Issued: m.Issued, Founder: m.Founder,
		AdmittedBy: m.AdmittedBy.String(), AdmittedByOrg: m.AdmittedByOrg, Revoked: m.Revoked, Self: m.Self}
}

func (b uiBackend) NetworkMembers(context.Context) ([]ui.Member, error) {
	ms, err := b.n.MemberList()
	if err != nil {
		return nil, err
	}
	out := make([]ui.Member, len(ms))
	for i, m := range ms {
		out[i] = uiMember(m)
	}
	return out, nil
}

func (b uiBackend) CreateNetwork(ctx context.Context, name string) error {
	_, err := b.n.CreateNetwork(ctx, name)
	return err
}

func (b uiBackend) JoinNetwork(ctx context.Context, token string) error {
	_, err := b.n.Join(ctx, token)
	return err
}

func (b uiBackend) InviteMember(ctx context.Context, org, country string, roles []protocol.Role, ttl time.Duration) (ui.Invitation, error) {
	inv, err := b.n.Invite(ctx, org, country, roles, ttl)
	if err != nil {
		return ui.Invitation{}, err
	}
	return ui.Invitation{Token: inv.Token, Org: inv.Org, Country: inv.Country, Roles: inv.Roles, Expires: inv.Expires}, nil
}

func (b uiBackend) NetworkInvites(context.Context) []ui.InviteView {
	invs := b.n.Invites()
	out := make([]ui.InviteView, len(invs))
	for i, inv := range invs {
		out[i] = ui.InviteView{ID: inv.ID, Org: inv.Org, Country: inv.Country, Roles: inv.Roles, Created: inv.Created, Expires: inv.Expires,
			State: inv.State, UsedBy: inv.UsedBy.String(), Used: inv.Used, Cancelled: inv.Cancelled}
	}
	return out
}

func (b uiBackend) CancelInvite(ctx context.Context, id string) error {
	_, err := b.n.CancelInvite(ctx, id)
	return err
}

func (b uiBackend) Endorsements(context.Context) ([]ui.Endorsement, error) {
	es, err := b.n.Endorsements()
	if err != nil {
		return nil, err
	}
	out := make([]ui.Endorsement, len(es))
	for i, e := range es {
		out[i] = ui.Endorsement{Org: e.Org, Country: e.Country, Date: e.Date, Signer: e.Signer.String(), State: e.State, RevokedOn: e.RevokedOn}
	}
	return out, nil
}

func (b uiBackend) DeclarationStatus(context.Context) (declaration.Status, error) {
	return b.n.DeclarationStatus()
}

func (b uiBackend) SignDeclaration(ctx context.Context) error {
	_, err := b.n.Sign(ctx)
	return err
}

func (b uiBackend) WithdrawEndorsement(ctx context.Context) (int, error) {
	rs, err := b.n.Revoke(ctx)
	return len(rs), err
}

func (b uiBackend) MayRevokeMember(_ context.Context, member string) error {
	p, err := decodeMember(member)
	if err != nil {
		return err
	}
	return b.n.MayRevokeMember(p)
}

func (b uiBackend) RevokeMember(ctx context.Context, member string, dropAdmitted bool) error {
	p, err := decodeMember(member)
	if err != nil {
		return err
	}
	_, err = b.n.RevokeMember(ctx, p, dropAdmitted)
	return err
}

// decodeMember reads the peer ID of a member named in a page's address.
func decodeMember(s string) (peer.ID, error) {
	p, err := peer.Decode(s)
	if err != nil {
		return "", fmt.Errorf("member %q: not a peer ID such as 12D3KooW...: %w", s, err)
	}
	return p, nil
}
