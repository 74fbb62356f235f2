package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/audit"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/federation"
	"github.com/kolo-net/kolo/node/gossip"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/node/report"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/connmgr"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Key spaces of the node's store that hold the network's records.
const (
	spaceMembership  store.Space = "membership"
	spaceDeclaration store.Space = "declaration"
)

// networkPart is the node's membership of the network and its Declaration
// ledger.
type networkPart struct {
	reg    *membership.Registry
	ledger *declaration.Ledger
	gossip *gossip.Gossip
	// stopNetwork ends GossipSub and the peer address keeper.
	stopNetwork context.CancelFunc
	peers       *peerBook
	topic       *topicWatcher
	netMu       sync.Mutex // guards gossip while startNetwork sets it
	// fed asks and answers federated queries; auditLog keeps what it did.
	fed      *federation.Federation
	auditLog *audit.Log
	// reports runs `kolo report` in the background (report.go).
	reports *report.Jobs
}

// spaceKV is one key space of the store, as membership and declaration
// need it.
type spaceKV struct {
	st *store.Store
	sp store.Space
}

func (kv spaceKV) Put(key, val []byte) error { return kv.st.Put(kv.sp, key, val) }
func (kv spaceKV) Delete(key []byte) error   { return kv.st.Delete(kv.sp, key) }
func (kv spaceKV) Scan(ctx context.Context, prefix []byte, fn func(key, val []byte) error) error {
	return kv.st.Scan(ctx, kv.sp, prefix, fn)
}

// now is the clock of the network's records.
func (n *Node) now() time.Time {
	if n.opts.Now != nil {
		return n.opts.Now()
	}
	return time.Now()
}

// openNetwork opens membership state from the store before the libp2p host
// exists, and returns the connection gater that admits only members.
func (n *Node) openNetwork(ctx context.Context) (connmgr.ConnectionGater, error) {
	reg, err := membership.Open(ctx, spaceKV{n.store, spaceMembership}, membership.Options{
		Key: n.keys.P2P, Now: n.now, Logger: n.log.With("component", "membership"),
	})
	if err != nil {
		return nil, fmt.Errorf("open membership: %w", err)
	}
	ledger, err := declaration.Open(ctx, spaceKV{n.store, spaceDeclaration}, reg, declaration.Options{
		Key: n.keys.P2P, Now: n.now, Logger: n.log.With("component", "declaration"),
	})
	if err != nil {
		return nil, fmt.Errorf("open declaration ledger: %w", err)
	}
	// A revocation stored just before a crash may have left records it
	// did not keep.
	if _, err := ledger.Prune(ctx); err != nil {
		return nil, fmt.Errorf("open declaration ledger: %w", err)
	}
	n.reg, n.ledger = reg, ledger
	n.peers = &peerBook{st: n.store, log: n.log.With("component", "peers")}
	return gossip.NewGater(reg, n.log.With("component", "gater")), nil
}

// startNetwork starts gossip, sync and the join protocol on the host, and
// dials the members this node remembers.
func (n *Node) startNetwork(ctx context.Context) error {
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n.topic = newTopicWatcher(runCtx, n.reg, func() *gossip.Gossip { n.netMu.Lock(); defer n.netMu.Unlock(); return n.gossip },
		n.log.With("component", "gossip"))
	if err := n.topic.forgetDisconnected(n.host.EventBus()); err != nil {
		cancel()
		return err
	}
	if err := n.startFederation(runCtx); err != nil {
		cancel()
		return err
	}
	ps, err := pubsub.NewGossipSub(runCtx, n.host, append(gossip.PubSubOptions(n.reg), pubsub.WithRawTracer(n.topic))...)
	if err != nil {
		cancel()
		n.fed.Close()
		return fmt.Errorf("start GossipSub: %w", err)
	}
	g, err := gossip.New(runCtx, gossip.Config{
		Host: n.host, PubSub: ps, Registry: n.reg, Ledger: n.ledger, Queries: n.fed,
		Logger: n.log.With("component", "gossip"),
	})
	if err != nil {
		cancel()
		n.fed.Close()
		return err
	}
	n.netMu.Lock()
	n.gossip, n.stopNetwork = g, cancel
	n.netMu.Unlock()
	if err := n.peers.start(runCtx, n.host, n.reg); err != nil {
		n.closeNetwork()
		return err
	}
	if net, ok := n.reg.Network(); ok {
		n.log.Info("network", "id", net.ID, "name", net.Name, "members", len(n.Members()))
	}
	return nil
}

// closeNetwork stops the network services.
func (n *Node) closeNetwork() error {
	var err error
	// GossipSub stops first, so that this node does not leave the topic
	// on its way out: leaving sends every mesh peer a PRUNE that bars it
	// from their meshes for UnsubscribeBackoff, and a node restarted
	// within that time (an upgrade, a crash, a restart by its sysadmin)
	// was refused by its peers and then waited out PruneBackoff before
	// any mesh took it back (TestMeshRecovery failed 2 runs in 20). A peer
	// that sees the connection close drops it from its mesh with no
	// backoff.
	if n.stopNetwork != nil {
		n.stopNetwork()
	}
	if n.reports != nil {
		n.reports.Close() // before the federation it asks through
	}
	if n.gossip != nil {
		err = n.gossip.Close()
	}
	if n.fed != nil {
		err = errors.Join(err, n.fed.Close())
	}
	if n.peers != nil {
		n.peers.wait()
	}
	if n.topic != nil {
		n.topic.wait()
	}
	return err
}

// NetworkInfo is what `kolo network show` prints: the network file without
// the Declaration's text.
type NetworkInfo struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	SHA256 string `json:"network_sha256"` // publish it: an export is checked against it
	// Declaration is the version, title and SHA-256 of the text the network
	// endorses.
	Declaration DeclarationRef  `json:"declaration"`
	Policy      protocol.Policy `json:"policy"`
	Founders    []MemberInfo    `json:"founders"`
	CreatedBy   peer.ID         `json:"created_by"`
	Members     int             `json:"members"` // current members
	Self        *MemberInfo     `json:"self,omitempty"`
}

// DeclarationRef names a Declaration text.
type DeclarationRef struct {
	Version string `json:"version"`
	Title   string `json:"title"`
	SHA256  string `json:"sha256"`
}

// MemberInfo is one member as `kolo members` shows it.
type MemberInfo struct {
	PeerID        peer.ID         `json:"peer_id"`
	Org           string          `json:"org"`
	Country       string          `json:"country"`
	Roles         []protocol.Role `json:"roles"`
	Issued        string          `json:"issued"`
	Founder       bool            `json:"founder"`
	AdmittedBy    peer.ID         `json:"admitted_by"`
	AdmittedByOrg string          `json:"admitted_by_org,omitempty"`
	Revoked       string          `json:"revoked,omitempty"` // time of the revocation
	Self          bool            `json:"self,omitempty"`
}

// InviteInfo is what `kolo invite` gives the inviting organisation.
type InviteInfo struct {
	Token   string          `json:"token"`
	Org     string          `json:"org"`
	Country string          `json:"country"`
	Roles   []protocol.Role `json:"roles"`
	Expires string          `json:"expires"`
	Addrs   []string        `json:"addrs"` // where the new node will look for this one
}

// EndorsementInfo is one endorsement as `kolo declaration list` shows it.
// Every endorsement a node holds was verified before it was stored.
type EndorsementInfo struct {
	Org       string  `json:"org"`
	Country   string  `json:"country"`
	Date      string  `json:"date"`
	Signer    peer.ID `json:"signer"`
	SHA256    string  `json:"sha256"`
	State     string  `json:"state"` // counted, revoked, member revoked, repeated
	RevokedOn string  `json:"revoked_on,omitempty"`
	Verified  bool    `json:"verified"`
}

// ErrAlreadyInNetwork says that this node already belongs to a network.
var ErrAlreadyInNetwork = errors.New("this node already belongs to a network")

// Network describes the network this node belongs to, if any.
func (n *Node) Network() (NetworkInfo, bool) {
	net, ok := n.reg.Network()
	if !ok {
		return NetworkInfo{}, false
	}
	h, _ := net.Hash()
	info := NetworkInfo{
		ID: net.ID, Name: net.Name, SHA256: h.String(),
		Declaration: DeclarationRef{Version: net.Declaration.Version, Title: declaration.Title(net.Declaration.Text), SHA256: net.Declaration.SHA256},
		Policy:      net.Policy, CreatedBy: net.CreatedBy,
	}
	for _, m := range n.Members() {
		if m.Founder {
			info.Founders = append(info.Founders, m)
		}
		if m.Self {
			info.Self = &m
		}
		if m.Revoked == "" {
			info.Members++
		}
	}
	return info, true
}

// Members lists every member with who admitted it, revoked ones included:
// founders first, then in the order they were admitted.
func (n *Node) Members() []MemberInfo {
	ms := n.reg.Members()
	orgs := make(map[peer.ID]string, len(ms))
	for _, m := range ms {
		orgs[m.Certificate.Peer] = m.Certificate.Org
	}
	out := make([]MemberInfo, 0, len(ms))
	for _, m := range ms {
		c := m.Certificate
		out = append(out, MemberInfo{
			PeerID: c.Peer, Org: c.Org, Country: c.Country, Roles: c.Roles, Issued: c.Issued,
			Founder: m.Founder, AdmittedBy: c.AdmittedBy, AdmittedByOrg: orgs[c.AdmittedBy],
			Revoked: m.Revoked, Self: c.Peer == n.peerID,
		})
	}
	return out
}

// MemberList is `kolo members`: every member, as Members lists them, of
// the network this node belongs to (membership.ErrNoNetwork if none).
func (n *Node) MemberList() ([]MemberInfo, error) {
	if _, ok := n.reg.Network(); !ok {
		return nil, membership.ErrNoNetwork
	}
	return n.Members(), nil
}

// IsMember reports whether p is a current member of this node's network.
func (n *Node) IsMember(p peer.ID) bool { return n.reg.IsMember(p) }

// CreateNetwork is `kolo network create`: this node founds a new network
// named name, with the current Declaration and the default policy, and
// joins its records topic. Its organisation and country are the node's
// (node.org, node.country).
func (n *Node) CreateNetwork(ctx context.Context, name string) (NetworkInfo, error) {
	if net, ok := n.reg.Network(); ok {
		return NetworkInfo{}, fmt.Errorf("%w: %s (%s)", ErrAlreadyInNetwork, net.Name, net.ID)
	}
	net, err := membership.CreateNetwork(n.keys.P2P, membership.Founding{
		Name: name, Org: n.cfg.Node.Org, Country: n.cfg.Node.Country, Age: n.keys.Age.Recipient().String(),
		Declaration: declaration.Current().Ref(),
	}, n.now())
	if err != nil {
		return NetworkInfo{}, fmt.Errorf("create network: %w", err)
	}
	if err := n.reg.Init(ctx, net); err != nil {
		return NetworkInfo{}, fmt.Errorf("create network: %w", err)
	}
	if err := n.gossip.JoinTopic(); err != nil {
		return NetworkInfo{}, err
	}
	n.log.Info("network created", "id", net.ID, "name", net.Name)
	info, _ := n.Network()
	return info, nil
}

// Invite is `kolo invite`: a one-time token for organisation org of
// country, with roles, valid for ttl (zero: the network's policy).
//
// The token carries at most 8 of this host's addresses, chosen by
// inviteAddrs: public ones first, then private (LAN) ones, then other
// routable ones (a VPN's), then relay addresses; one slot is kept for a
// loopback address so that a node on the same machine can join too.
func (n *Node) Invite(ctx context.Context, org, country string, roles []protocol.Role, ttl time.Duration) (InviteInfo, error) {
	addrs := inviteAddrs(n.host.Addrs())
	if len(addrs) == 0 {
		return InviteInfo{}, errors.New("invite: this node listens on no address another node could dial (see network.listen)")
	}
	tok, err := n.reg.Invite(ctx, membership.InviteSpec{Org: org, Country: country, Roles: roles, Addrs: addrs, TTL: ttl})
	if err != nil {
		return InviteInfo{}, err
	}
	return InviteInfo{
		Token: tok.String(), Org: protocol.NormalizeText(org), Country: strings.ToUpper(strings.TrimSpace(country)),
		Roles: roles, Expires: tok.Expires, Addrs: tok.Addrs,
	}, nil
}

// InviteState is one invite this node issued, as `kolo invite list` shows
// it. The token itself is never kept: only its public half.
type InviteState struct {
	ID      string          `json:"id"`
	Org     string          `json:"org"`
	Country string          `json:"country"`
	Roles   []protocol.Role `json:"roles"`
	Created string          `json:"created"`
	Expires string          `json:"expires"`
	State   string          `json:"state"` // open, used, expired, cancelled
	UsedBy  peer.ID         `json:"used_by,omitempty"`
	Used    string          `json:"used,omitempty"`
	// Cancelled is when the invite was cancelled.
	Cancelled string `json:"cancelled,omitempty"`
}

func inviteState(inv membership.Invite, now time.Time) InviteState {
	return InviteState{ID: inv.ID(), Org: inv.Org, Country: inv.Country, Roles: inv.Roles, Created: inv.Created,
		Expires: inv.Expires, State: inv.State(now), UsedBy: inv.UsedBy, Used: inv.Used, Cancelled: inv.Cancelled}
}

// Invites lists the invites this node issued, oldest first.
func (n *Node) Invites() []InviteState {
	now := n.now()
	invs := n.reg.Invites()
	out := make([]InviteState, 0, len(invs))
	for _, inv := range invs {
		out = append(out, inviteState(inv, now))
	}
	return out
}

// CancelInvite is `kolo invite cancel ID`: the invite's token can no longer
// be used, and, once no invite is open, this node admits only members.
func (n *Node) CancelInvite(ctx context.Context, id string) (InviteState, error) {
	inv, err := n.reg.CancelInvite(ctx, id)
	if err != nil {
		return InviteState{}, err
	}
	return inviteState(inv, n.now()), nil
}

// RevokeMember is `kolo members revoke PEER`: this node (a founder, the
// member's admitter, or the member itself) revokes member and tells the
// network. The certificates the member issued and the revocations it
// signed keep counting unless dropAdmitted; nothing it signs afterwards
// counts, whatever date it carries.
func (n *Node) RevokeMember(ctx context.Context, member peer.ID, dropAdmitted bool) (protocol.MemberRevocation, error) {
	// The revocation keeps the member's endorsements and withdrawals this
	// node holds: they stay in the record everywhere (declaration/revoked.go).
	rev, err := n.reg.NewMemberRevocation(member, dropAdmitted, n.ledger.SignedBy(member)...)
	if err != nil {
		return rev, err
	}
	if err := n.reg.CheckMemberRevocation(rev); err != nil {
		return rev, err
	}
	n.awaitTopic(ctx)
	if err := n.gossip.Publish(ctx, protocol.Record{MemberRevocation: &rev}); err != nil {
		return rev, err
	}
	n.log.Info("revoked a member", "member", member, "kept", len(rev.Keep), "drop_admitted", dropAdmitted)
	return rev, nil
}

// MayRevokeMember reports whether this node may revoke member now: nil if
// the revocation RevokeMember would sign counts (this node is a founder,
// the member's admitter, or the member itself, and member is a member),
// else why not. It is membership's rule (Registry.MayRevoke), asked before
// anything is signed, so that the web interface offers to revoke only the
// members this node may revoke.
func (n *Node) MayRevokeMember(member peer.ID) error { return n.reg.MayRevoke(member) }

// Join is `kolo join TOKEN`: it connects to the inviter at the token's
// addresses, proves it holds the token, stores the network file and its
// certificate, and catches up with the network's records from the
// inviter. It returns the network and this node's membership.
func (n *Node) Join(ctx context.Context, token string) (info NetworkInfo, err error) {
	tok, err := protocol.ParseInviteToken(token)
	if err != nil {
		return NetworkInfo{}, err
	}
	defer func() {
		if err != nil {
			n.log.Warn("join failed", "inviter", tok.Inviter, "network", tok.Network, "err", err)
		}
	}()
	if net, ok := n.reg.Network(); ok {
		if net.ID == tok.Network {
			return NetworkInfo{}, fmt.Errorf("%w: %s (%s); the token was not used", ErrAlreadyInNetwork, net.Name, net.ID)
		}
		return NetworkInfo{}, fmt.Errorf("%w: %s (%s); a node belongs to one network only", ErrAlreadyInNetwork, net.Name, net.ID)
	}
	if tok.Inviter == n.peerID {
		return NetworkInfo{}, errors.New("join: this token was issued by this node; give it to the organisation it invites")
	}
	// The expiry in the token is informative (the inviter decides, by its
	// clock), but one clearly past would be refused: say so without
	// dialling.
	if exp, err := protocol.ParseTime(tok.Expires); err == nil && !n.now().Add(-5*time.Minute).Before(exp) {
		return NetworkInfo{}, fmt.Errorf("join: %w at %s; ask for a new one", membership.ErrInviteExpired, tok.Expires)
	}
	if _, err := n.gossip.JoinNetwork(ctx, tok, n.keys.Age.Recipient().String()); err != nil {
		if errors.Is(err, protocol.ErrRefused) {
			return NetworkInfo{}, fmt.Errorf("the inviter refused: %w", err)
		}
		if _, ok := n.reg.Network(); !ok && !errors.Is(err, context.Canceled) {
			return NetworkInfo{}, fmt.Errorf("%w (the inviter's node must be running and reachable at one of %v; it accepts a node that is not yet a member only while it has an open invite)", err, tok.Addrs)
		}
		return NetworkInfo{}, err
	}
	if ai, err := tok.AddrInfo(); err == nil {
		n.peers.remember(ai.ID, ai.Addrs)
		n.peers.askSoon(ai.ID) // where the other members are
	}
	info, _ = n.Network()
	return info, nil
}

// Sign is `kolo declaration sign`: this node's organisation endorses the
// network's Declaration, dated today; the organisation and country are
// those of its member certificate. The endorsement is stored and published.
func (n *Node) Sign(ctx context.Context) (protocol.Endorsement, error) {
	e, err := n.ledger.Sign(ctx, time.Time{})
	if err != nil {
		return e, err
	}
	n.awaitTopic(ctx)
	if err := n.gossip.Publish(ctx, protocol.Record{Endorsement: &e}); err != nil {
		return e, err
	}
	n.log.Info("endorsed the Declaration", "org", e.Org, "date", e.Date)
	return e, nil
}

// Revoke is `kolo declaration revoke`: it withdraws this node's
// endorsements and publishes the revocations. It returns them (none if
// nothing was endorsed).
func (n *Node) Revoke(ctx context.Context) ([]protocol.Revocation, error) {
	rs, err := n.ledger.Withdraw(ctx)
	if err != nil {
		return nil, err
	}
	if len(rs) > 0 {
		n.awaitTopic(ctx)
	}
	for i := range rs {
		if err := n.gossip.Publish(ctx, protocol.Record{Revocation: &rs[i]}); err != nil {
			return rs, err
		}
	}
	if len(rs) > 0 {
		n.log.Info("withdrew the endorsement of the Declaration", "revocations", len(rs))
	}
	return rs, nil
}

// topicWait bounds how long a node waits, before publishing, for the
// members it is connected to to show up on the records topic.
const topicWait = 5 * time.Second

// awaitTopic waits until every member this node is connected to is known
// on the records topic, or topicWait has passed. GossipSub sends a record
// only to the peers it knows are on the topic; right after a node joined
// or started, their subscriptions may still be on the way, and a record
// published then would reach nobody and spread only by the next sync.
func (n *Node) awaitTopic(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, topicWait)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		onTopic := n.gossip.TopicPeers()
		missing := false
		for _, p := range n.host.Network().Peers() {
			if n.reg.IsMember(p) && !slices.Contains(onTopic, p) {
				missing = true
				break
			}
		}
		if !missing {
			return
		}
		select {
		case <-ctx.Done():
			return // publish anyway: sync delivers what gossip misses
		case <-tick.C:
		}
	}
}

// Declarations lists the endorsements this node holds, oldest first, with
// their state.
func (n *Node) Declarations() []EndorsementInfo {
	entries := n.ledger.List()
	out := make([]EndorsementInfo, 0, len(entries))
	for _, e := range entries {
		out = append(out, EndorsementInfo{
			Org: e.Endorsement.Org, Country: e.Endorsement.Country, Date: e.Endorsement.Date,
			Signer: e.Endorsement.Signer, SHA256: e.Hash.String(), State: e.State, RevokedOn: e.RevokedOn, Verified: true,
		})
	}
	return out
}

// Endorsements is `kolo declaration list`: the endorsements this node
// holds, as Declarations lists them, once it belongs to a network
// (membership.ErrNoNetwork before).
func (n *Node) Endorsements() ([]EndorsementInfo, error) {
	if _, ok := n.reg.Network(); !ok {
		return nil, membership.ErrNoNetwork
	}
	return n.Declarations(), nil
}

// DeclarationStatus counts the member organisations that endorse the
// Declaration, against the network's threshold, by country.
func (n *Node) DeclarationStatus() (declaration.Status, error) {
	if _, ok := n.reg.Network(); !ok {
		return declaration.Status{}, membership.ErrNoNetwork
	}
	return n.ledger.Status(), nil
}

// Export formats.
const (
	ExportJSON = "json"
	ExportHTML = "html"
)

// Export writes the Declaration's evidence to w: format "json" (what
// `kolo declaration verify` checks) or "html" (a public page).
func (n *Node) Export(w io.Writer, format string) error {
	write := map[string]func(io.Writer, declaration.Export) error{ExportJSON: declaration.WriteJSON, ExportHTML: declaration.WriteHTML}[format]
	if write == nil {
		return fmt.Errorf("export format %q: use json or html", format)
	}
	exp, err := n.ledger.Export()
	if err != nil {
		return err
	}
	return write(w, exp)
}

// Gossip is the node's record exchange (nil before Start).
func (n *Node) Gossip() *gossip.Gossip { return n.gossip }

// MeshPeers lists the peers in this node's GossipSub mesh on the records
// topic: the peers it forwards records to.
func (n *Node) MeshPeers() []peer.ID {
	if n.topic == nil {
		return nil
	}
	// GossipSub drops a peer that disconnects from its mesh without
	// telling the tracer.
	return slices.DeleteFunc(n.topic.peers(), func(p peer.ID) bool {
		return n.host.Network().Connectedness(p) != network.Connected
	})
}

// Registry is the node's membership registry.
func (n *Node) Registry() *membership.Registry { return n.reg }

// Ledger is the node's Declaration ledger.
func (n *Node) Ledger() *declaration.Ledger { return n.ledger }

// networkRoutes registers the network and declaration endpoints of the
// local API.
func (n *Node) networkRoutes() {
	n.api.HandleJSON("GET /v1/network", func(*http.Request) (any, error) {
		info, ok := n.Network()
		if !ok {
			return nil, networkError(membership.ErrNoNetwork)
		}
		return info, nil
	})
	// The signed network file itself, as founders share it.
	n.api.HandleJSON("GET /v1/network/file", func(*http.Request) (any, error) {
		net, ok := n.reg.Network()
		if !ok {
			return nil, networkError(membership.ErrNoNetwork)
		}
		return net, nil
	})
	n.api.HandleJSON("POST /v1/network", func(r *http.Request) (any, error) {
		var in struct {
			Name string `json:"name"`
		}
		if err := decodeBody(r, &in); err != nil {
			return nil, err
		}
		info, err := n.CreateNetwork(r.Context(), in.Name)
		return info, networkError(err)
	})
	n.api.HandleJSON("POST /v1/invites", func(r *http.Request) (any, error) {
		var in struct {
			Org     string `json:"org"`
			Country string `json:"country"`
			Roles   string `json:"roles"` // comma separated
			TTL     string `json:"ttl"`   // Go duration, "" for the network's policy
		}
		if err := decodeBody(r, &in); err != nil {
			return nil, err
		}
		roles, err := protocol.ParseRoles(in.Roles)
		if err != nil {
			return nil, api.BadRequest(err)
		}
		var ttl time.Duration
		if in.TTL != "" {
			if ttl, err = time.ParseDuration(in.TTL); err != nil || ttl <= 0 {
				return nil, api.BadRequest(fmt.Errorf("ttl %q: give a positive duration such as 72h", in.TTL))
			}
		}
		info, err := n.Invite(r.Context(), in.Org, in.Country, roles, ttl)
		return info, networkError(err)
	})
	n.api.HandleJSON("GET /v1/invites", func(*http.Request) (any, error) { return n.Invites(), nil })
	n.api.HandleJSON("POST /v1/invites/cancel", func(r *http.Request) (any, error) {
		var in struct {
			ID string `json:"id"`
		}
		if err := decodeBody(r, &in); err != nil {
			return nil, err
		}
		info, err := n.CancelInvite(r.Context(), in.ID)
		return info, networkError(err)
	})
	n.api.HandleJSON("POST /v1/members/revoke", func(r *http.Request) (any, error) {
		var in struct {
			Peer         string `json:"peer"`
			DropAdmitted bool   `json:"drop_admitted"`
		}
		if err := decodeBody(r, &in); err != nil {
			return nil, err
		}
		p, err := peer.Decode(strings.TrimSpace(in.Peer))
		if err != nil {
			return nil, api.BadRequest(fmt.Errorf("peer %q: not a peer ID such as 12D3KooW... (kolo members shows them): %v", in.Peer, err))
		}
		rev, err := n.RevokeMember(r.Context(), p, in.DropAdmitted)
		return rev, networkError(err)
	})
	n.api.HandleJSON("POST /v1/join", func(r *http.Request) (any, error) {
		var in struct {
			Token string `json:"token"`
		}
		if err := decodeBody(r, &in); err != nil {
			return nil, err
		}
		info, err := n.Join(r.Context(), in.Token)
		return info, networkError(err)
	})
	n.api.HandleJSON("GET /v1/members", func(*http.Request) (any, error) {
		ms, err := n.MemberList()
		return ms, networkError(err)
	})
	n.api.HandleJSON("POST /v1/declaration/sign", func(r *http.Request) (any, error) {
		e, err := n.Sign(r.Context())
		return e, networkError(err)
	})
	n.api.HandleJSON("POST /v1/declaration/revoke", func(r *http.Request) (any, error) {
		rs, err := n.Revoke(r.Context())
		if rs == nil {
			rs = []protocol.Revocation{}
		}
		return rs, networkError(err)
	})
	n.api.HandleJSON("GET /v1/declaration/endorsements", func(*http.Request) (any, error) {
		es, err := n.Endorsements()
		return es, networkError(err)
	})
	n.api.HandleJSON("GET /v1/declaration/status", func(*http.Request) (any, error) {
		st, err := n.DeclarationStatus()
		return st, networkError(err)
	})
	n.api.HandleJSON("GET /v1/declaration/export", func(r *http.Request) (any, error) {
		format := r.URL.Query().Get("format")
		var b strings.Builder
		if err := n.Export(&b, format); err != nil {
			if format != ExportJSON && format != ExportHTML {
				return nil, api.BadRequest(err)
			}
			return nil, networkError(err)
		}
		return ExportFile{Format: format, Content: b.String()}, nil
	})
}

// ExportFile is the answer of the export endpoint: the file as the node
// wrote it.
type ExportFile struct {
	Format  string `json:"format"`
	Content string `json:"content"`
}
