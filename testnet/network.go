package testnet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// NetworkName is the name Form gives the network node 0 founds.
const NetworkName = "kolo testnet"

// running lists the nodes that are running.
func (t *Net) running() []int {
	var out []int
	for i := range t.Len() {
		if t.Node(i) != nil {
			out = append(out, i)
		}
	}
	return out
}

// Found makes node i the founder of a new network, as `kolo network
// create` does. A node that already belongs to a network is left as it is.
func (t *Net) Found(ctx context.Context, i int) error {
	n := t.Node(i)
	if n == nil {
		return fmt.Errorf("testnet: found a network on node %d: node stopped", i)
	}
	if _, ok := n.Network(); ok {
		return nil
	}
	if _, err := n.CreateNetwork(ctx, NetworkName); err != nil {
		return fmt.Errorf("testnet: node %d founds the network: %w", i, err)
	}
	return nil
}

// Invite issues on node i an invite for node j's organisation and country,
// with node j's roles (Options.Roles; partner by default), valid for ttl
// (zero: the network's policy), and returns the token, as `kolo invite`
// prints it.
func (t *Net) Invite(ctx context.Context, i, j int, ttl time.Duration) (string, error) {
	n := t.Node(i)
	if n == nil {
		return "", fmt.Errorf("testnet: invite on node %d: node stopped", i)
	}
	roles := t.opts.Roles[j]
	if len(roles) == 0 {
		roles = []protocol.Role{protocol.RolePartner}
	}
	inv, err := n.Invite(ctx, Org(j), t.country(j), roles, ttl)
	if err != nil {
		return "", fmt.Errorf("testnet: node %d invites node %d: %w", i, j, err)
	}
	return inv.Token, nil
}

// Join makes node j join with token, as `kolo join TOKEN` does.
func (t *Net) Join(ctx context.Context, j int, token string) error {
	n := t.Node(j)
	if n == nil {
		return fmt.Errorf("testnet: node %d joins: node stopped", j)
	}
	if _, err := n.Join(ctx, token); err != nil {
		return fmt.Errorf("testnet: node %d joins: %w", j, err)
	}
	return nil
}

// Form makes the running nodes one network: node 0 founds it, invites
// every other running node that is not yet a member, and each joins; then
// every node connects to every other, and Form returns when every running
// node knows every member. On homes that already form a network (testnet
// started again on the same directory) it only connects them.
func (t *Net) Form(ctx context.Context) error {
	if t.Node(0) == nil {
		return errors.New("testnet: form: node 0, the founder, is stopped")
	}
	if err := t.Found(ctx, 0); err != nil {
		return err
	}
	founder := t.Node(0)
	for _, j := range t.running() {
		if j == 0 || founder.IsMember(t.Node(j).PeerID()) {
			continue
		}
		tok, err := t.Invite(ctx, 0, j, 0)
		if err != nil {
			return err
		}
		if err := t.Join(ctx, j, tok); err != nil {
			return err
		}
	}
	if err := t.WaitMembers(ctx); err != nil {
		return err
	}
	if err := t.ConnectAll(ctx); err != nil {
		return err
	}
	return t.WaitMesh(ctx)
}

// WaitMesh waits until the running nodes' GossipSub meshes on the records
// topic connect them all: from every node, following mesh links (the
// peers a node forwards records to), every other node can be reached.
// GossipSub forms the meshes at its heartbeats (one a second), and a record
// published before reaches the nodes outside them only through sync; tests
// and benchmarks that measure gossip wait for this, as a long-running
// network has it.
func (t *Net) WaitMesh(ctx context.Context) error {
	nodes := t.running()
	return WaitFor(ctx, fmt.Sprintf("the GossipSub meshes connect all %d running nodes", len(nodes)), func() bool {
		index := map[peer.ID]int{}
		for k, i := range nodes {
			n := t.Node(i)
			if n == nil {
				return false
			}
			index[n.PeerID()] = k
		}
		out := make([][]int, len(nodes))
		in := make([][]int, len(nodes))
		for k, i := range nodes {
			for _, p := range t.Node(i).MeshPeers() {
				if j, ok := index[p]; ok {
					out[k] = append(out[k], j)
					in[j] = append(in[j], k)
				}
			}
		}
		return reachesAll(out) && reachesAll(in)
	})
}

// reachesAll reports whether every vertex of the graph given by its
// adjacency lists can be reached from vertex 0.
func reachesAll(adj [][]int) bool {
	if len(adj) == 0 {
		return true
	}
	seen := make([]bool, len(adj))
	seen[0] = true
	todo, count := []int{0}, 1
	for len(todo) > 0 {
		v := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, w := range adj[v] {
			if !seen[w] {
				seen[w] = true
				count++
				todo = append(todo, w)
			}
		}
	}
	return count == len(adj)
}

// WaitMembers waits until every running node knows every running node as
// a member.
func (t *Net) WaitMembers(ctx context.Context) error {
	nodes := t.running()
	return WaitFor(ctx, fmt.Sprintf("all %d running nodes know each other as members", len(nodes)), func() bool {
		for _, i := range nodes {
			a := t.Node(i)
			for _, j := range nodes {
				b := t.Node(j)
				if a == nil || b == nil || !a.IsMember(b.PeerID()) {
					return false
				}
			}
		}
		return true
	})
}

// Endorse makes node i endorse the Declaration, as `kolo declaration sign`
// does, and returns the endorsement's hash.
func (t *Net) Endorse(ctx context.Context, i int) (protocol.Hash, error) {
	n := t.Node(i)
	if n == nil {
		return protocol.Hash{}, fmt.Errorf("testnet: node %d endorses: node stopped", i)
	}
	e, err := n.Sign(ctx)
	if err != nil {
		return protocol.Hash{}, fmt.Errorf("testnet: node %d endorses: %w", i, err)
	}
	return e.Hash()
}

// EndorseAll makes every running node endorse the Declaration and waits
// until every running node counts them all.
func (t *Net) EndorseAll(ctx context.Context) error {
	nodes := t.running()
	for _, i := range nodes {
		if _, err := t.Endorse(ctx, i); err != nil {
			return err
		}
	}
	return t.WaitCounted(ctx, len(nodes))
}

// WaitCounted waits until every running node counts count endorsing
// organisations.
func (t *Net) WaitCounted(ctx context.Context, count int) error {
	return WaitFor(ctx, fmt.Sprintf("every running node counts %d endorsements", count), func() bool {
		for _, i := range t.running() {
			n := t.Node(i)
			if n == nil {
				return false
			}
			st, err := n.DeclarationStatus()
			if err != nil || st.Count != count {
				return false
			}
		}
		return true
	})
}

// Holds reports whether every running node holds the endorsement or
// revocation h (verified and stored).
func (t *Net) Holds(h protocol.Hash) bool {
	for _, i := range t.running() {
		n := t.Node(i)
		if n == nil || !n.Ledger().Has(h) {
			return false
		}
	}
	return true
}
