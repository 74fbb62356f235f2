package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kolo-net/kolo/config"
	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/keys"
	"github.com/kolo-net/kolo/protocol"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// addNetworkCommands registers kolo network, invite, join, members and
// declaration.
func addNetworkCommands(root *cobra.Command, g *globals) {
	root.AddCommand(newNetworkCmd(g), newInviteCmd(g), newJoinCmd(g), newMembersCmd(g), newDeclarationCmd(g))
}

// errNoDaemon is what a command that needs the node says when none runs.
var errNoDaemon = errors.New("start the daemon first (kolo run)")

// daemon connects to the daemon of the home, saying clearly what to do
// when there is none.
func (g *globals) daemon(ctx context.Context) (*api.Client, error) {
	home, err := g.homeDir()
	if err != nil {
		return nil, err
	}
	cl, err := api.Dial(ctx, home)
	if errors.Is(err, api.ErrNotRunning) {
		if _, serr := os.Stat(filepath.Join(home, config.FileName)); serr != nil {
			return nil, fmt.Errorf("no kolo node in %s (create one with kolo init, or give --home): %w", home, errNoDaemon)
		}
		return nil, fmt.Errorf("no kolo daemon is running for %s: %w", home, errNoDaemon)
	}
	return cl, err
}

// call sends one request to the daemon of the home.
func (g *globals) call(ctx context.Context, method, path string, in, out any) error {
	cl, err := g.daemon(ctx)
	if err != nil {
		return err
	}
	return cl.Do(ctx, method, path, in, out)
}

func newNetworkCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "network",
		Short: "Found the network, or show the network this node belongs to",
		Long: `A kolo network is a group of organisations that each run a node, founded
around the regional Declaration. One founder creates it; everyone else joins
with an invite (kolo invite, kolo join). See docs/declaration.md.`,
		// An unknown subcommand is an error, not a silent help page.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var name string
	var createJSON bool
	create := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Found a new network with this node's organisation as its founder",
		Long: `create writes the network file: a fresh network id, the name, the Declaration
(version, text, SHA-256), the policy (20 endorsements needed, invites valid 7
days) and this node's founder certificate, signed with this node's key. The
organisation and country are this node's (node.org, node.country in kolo.yaml).
It prints the network hash: publish it, exports are checked against it.
The signed network file is also written to network.json in the node's home,
for the other founders; kolo network show --file prints it again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if strings.TrimSpace(name) == "" {
				return errors.New("--name is required: the network's name, such as \"Western Balkans CSO network against trafficking\"")
			}
			var info node.NetworkInfo
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/network", map[string]string{"name": name}, &info); err != nil {
				return err
			}
			if path, err := g.writeNetworkFile(cmd.Context()); err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "network created, but the network file was not written: %v\n", err)
			} else {
				fmt.Fprintf(cmd.ErrOrStderr(), "network file written to %s\n", path)
			}
			if createJSON {
				return printJSON(cmd.OutOrStdout(), info)
			}
			return printNetwork(cmd.OutOrStdout(), info)
		},
	}
	create.Flags().StringVar(&name, "name", "", "the network's name (required)")
	create.Flags().BoolVar(&createJSON, "json", false, "print as JSON")

	var showJSON, showFile bool
	show := &cobra.Command{
		Use:   "show",
		Short: "Show the network: id, name, network hash, Declaration, policy, founders",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if showFile {
				var file json.RawMessage
				if err := g.call(cmd.Context(), http.MethodGet, "/v1/network/file", nil, &file); err != nil {
					return err
				}
				return printJSON(cmd.OutOrStdout(), file)
			}
			var info node.NetworkInfo
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/network", nil, &info); err != nil {
				return err
			}
			if showJSON {
				return printJSON(cmd.OutOrStdout(), info)
			}
			return printNetwork(cmd.OutOrStdout(), info)
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print as JSON")
	show.Flags().BoolVar(&showFile, "file", false, "print the signed network file (JSON) that founders share")
	c.AddCommand(create, show)
	return c
}

func printNetwork(w io.Writer, n node.NetworkInfo) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "network:\t%s\n", n.Name)
	fmt.Fprintf(tw, "id:\t%s\n", n.ID)
	fmt.Fprintf(tw, "network hash:\t%s\n", n.SHA256)
	fmt.Fprintf(tw, "declaration:\t%s (%s)\n", n.Declaration.Title, n.Declaration.Version)
	fmt.Fprintf(tw, "declaration sha256:\t%s\n", n.Declaration.SHA256)
	fmt.Fprintf(tw, "threshold:\t%d endorsing organisations\n", n.Policy.Threshold)
	fmt.Fprintf(tw, "invites valid:\t%s\n", time.Duration(n.Policy.InviteTTLSeconds)*time.Second)
	for i, f := range n.Founders {
		label := ""
		if i == 0 {
			label = "founders:"
		}
		fmt.Fprintf(tw, "%s\t%s (%s) %s\n", label, f.Org, f.Country, f.PeerID)
	}
	fmt.Fprintf(tw, "members:\t%d\n", n.Members)
	if n.Self != nil {
		fmt.Fprintf(tw, "this node:\t%s (%s), %s\n", n.Self.Org, n.Self.Country, protocol.JoinRoles(n.Self.Roles))
	}
	return tw.Flush()
}

func newInviteCmd(g *globals) *cobra.Command {
	var (
		org, country, roles string
		ttl                 time.Duration
		asJSON              bool
	)
	c := &cobra.Command{
		Use:   "invite --org NAME --country CC --role ROLE [--ttl 72h]",
		Short: "Print a one-time invite token for a new organisation",
		Long: `invite prints a one-time, expiring token, a single word starting with kolo1,
and nothing else on standard output. Send it to the new organisation over a
channel you trust: it lets its holder join as that organisation. The new
organisation runs "kolo join TOKEN" while this node's daemon runs.

Roles (comma separated): partner (monitors, may invite), associate (takes part,
may endorse), analyst (may ask for aggregates). The country is an ISO 3166-1
alpha-2 code (XK for Kosovo). The token is valid for --ttl, by default the
network's invite validity (7 days). Only partners may invite.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var missing []string
			for flag, v := range map[string]string{"--org": org, "--country": country, "--role": roles} {
				if strings.TrimSpace(v) == "" {
					missing = append(missing, flag)
				}
			}
			if len(missing) > 0 {
				slices.Sort(missing)
				return fmt.Errorf("%s required: who is invited (--org NAME --country CC --role partner|associate|analyst)", strings.Join(missing, ", "))
			}
			if _, err := protocol.ParseRoles(roles); err != nil {
				return fmt.Errorf("--role: %w", err)
			}
			if !protocol.IsCountry(strings.ToUpper(strings.TrimSpace(country))) {
				return fmt.Errorf("--country %q: give an ISO 3166-1 alpha-2 code such as RS, HR, BA, MK, AL, ME (XK for Kosovo)", country)
			}
			if ttl < 0 || (ttl > 0 && ttl < time.Minute) {
				return fmt.Errorf("--ttl %s: give at least 1m (or leave it out for the network's invite validity)", ttl)
			}
			in := map[string]string{"org": org, "country": country, "roles": roles}
			if ttl > 0 {
				in["ttl"] = ttl.String()
			}
			var inv node.InviteInfo
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/invites", in, &inv); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), inv)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "invite for %s (%s, %s), valid until %s, one node only; send it over a channel you trust\n",
				inv.Org, inv.Country, protocol.JoinRoles(inv.Roles), inv.Expires)
			_, err := fmt.Fprintln(cmd.OutOrStdout(), inv.Token)
			return err
		},
	}
	c.AddCommand(newInviteListCmd(g), newInviteCancelCmd(g))
	f := c.Flags()
	f.StringVar(&org, "org", "", "the invited organisation's name, as it will appear to the network")
	f.StringVar(&country, "country", "", "its country, ISO 3166-1 alpha-2 (XK for Kosovo)")
	f.StringVar(&roles, "role", "", "its roles, comma separated: partner, associate, analyst")
	f.DurationVar(&ttl, "ttl", 0, "how long the token is valid, e.g. 72h (default: the network's invite validity, 7 days)")
	f.BoolVar(&asJSON, "json", false, "print the token with its details as JSON")
	return c
}

func newInviteListCmd(g *globals) *cobra.Command {
	var asJSON, all bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List the invites this node issued that are still open (--all: every one)",
		Long: `list shows the invites this node issued: their ID (for kolo invite cancel), the
organisation, country and roles invited, when they expire, and their state
(open, used, expired, cancelled). The tokens themselves are not kept and cannot
be shown again. While an invite is open, this node lets peers that are not
members connect, to join and for nothing else.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var invs []node.InviteState
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/invites", nil, &invs); err != nil {
				return err
			}
			if !all {
				invs = slices.DeleteFunc(invs, func(inv node.InviteState) bool { return inv.State != "open" })
			}
			if asJSON {
				if invs == nil {
					invs = []node.InviteState{}
				}
				return printJSON(cmd.OutOrStdout(), invs)
			}
			if len(invs) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no open invites (--all lists used, expired and cancelled ones too)")
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tORGANISATION\tCOUNTRY\tROLES\tEXPIRES\tSTATE")
			for _, inv := range invs {
				state := inv.State
				switch {
				case inv.State == "used":
					state = fmt.Sprintf("used %s by %s", inv.Used, inv.UsedBy)
				case inv.State == "cancelled":
					state = "cancelled " + inv.Cancelled
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", inv.ID, inv.Org, inv.Country, protocol.JoinRoles(inv.Roles), inv.Expires, state)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().BoolVar(&all, "all", false, "list used, expired and cancelled invites too")
	return c
}

func newInviteCancelCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "cancel ID",
		Short: "Cancel an open invite: its token can no longer be used",
		Long: `cancel makes an open invite unusable, for instance when its token was sent to
the wrong address. ID is the first column of kolo invite list (its first 8
characters are enough when no other invite starts with them).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var inv node.InviteState
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/invites/cancel", map[string]string{"id": args[0]}, &inv); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), inv)
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "cancelled invite %s for %s (%s)\n", inv.ID, inv.Org, inv.Country)
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the cancelled invite as JSON")
	return c
}

// maxTokenInput caps what join reads from standard input or a file.
const maxTokenInput = 64 << 10

// readToken reads an invite token from r (standard input or a file).
func readToken(r io.Reader, from string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxTokenInput+1))
	if err != nil {
		return "", fmt.Errorf("read the invite token from %s: %w", from, err)
	}
	if len(b) > maxTokenInput {
		return "", fmt.Errorf("%s holds more than %d bytes; an invite token is one word of about 400 characters", from, maxTokenInput)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("no invite token in %s", from)
	}
	return tok, nil
}

func newJoinCmd(g *globals) *cobra.Command {
	var asJSON bool
	var tokenFile string
	c := &cobra.Command{
		Use:   "join [TOKEN | -] [--token-file FILE]",
		Short: "Join a network with the invite token another organisation gave you",
		Long: `join connects to the inviting node at the addresses in the token, proves this
node holds the token, checks the member certificate the inviter offers and
signs it too, and receives the network file. It then catches up with the
network's records. The inviting node's daemon must be running and reachable.

Give the token on standard input (kolo join < token.txt, or paste it when
asked) or in a file (--token-file token.txt). A token on the command line
works, but other users of this machine can read it (ps, /proc) while join
runs and your shell history keeps it: kolo warns when it is given so.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var tok string
			var err error
			switch {
			case tokenFile != "" && len(args) > 0:
				return errors.New("give the token once: as --token-file or on standard input, not both")
			case tokenFile != "":
				f, ferr := os.Open(tokenFile)
				if ferr != nil {
					return fmt.Errorf("--token-file: %w", ferr)
				}
				tok, err = readToken(f, tokenFile)
				f.Close()
			case len(args) == 0 || args[0] == "-":
				in := cmd.InOrStdin()
				if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
					fmt.Fprint(cmd.ErrOrStderr(), "paste the invite token, then press Enter and Ctrl-D: ")
				}
				tok, err = readToken(in, "standard input")
			default:
				tok = args[0]
				fmt.Fprintln(cmd.ErrOrStderr(), "warning: the invite token was given on the command line, where other users of this machine can read it while join runs and your shell history keeps it; next time use kolo join < token.txt or --token-file")
			}
			if err != nil {
				return err
			}
			parsed, err := protocol.ParseInviteToken(tok)
			if err != nil {
				return err
			}
			g.warnOtherOrg(cmd, parsed)
			var info node.NetworkInfo
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/join", map[string]string{"token": tok}, &info); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), info)
			}
			who := ""
			if info.Self != nil {
				who = fmt.Sprintf(" as %s (%s), admitted by %s", info.Self.Org, info.Self.Country, orgOr(info.Self.AdmittedByOrg, info.Self.AdmittedBy.String()))
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "joined %q (%s)%s; %d members known so far\n", info.Name, info.ID, who, info.Members)
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the network as JSON")
	c.Flags().StringVar(&tokenFile, "token-file", "", "read the invite token from FILE")
	return c
}

// warnOtherOrg warns when the invite names another organisation or
// country than this node's node.org and node.country: the certificate the
// inviter offers carries the invite's, and the network will know this node
// by them. A token from before tokens named the organisation says nothing.
func (g *globals) warnOtherOrg(cmd *cobra.Command, tok protocol.InviteToken) {
	if tok.Org == "" {
		return
	}
	var st node.Status
	if err := g.call(cmd.Context(), http.MethodGet, "/v1/status", nil, &st); err != nil {
		return // join itself says why the daemon cannot be reached
	}
	if declaration.OrgKey(tok.Country, tok.Org) == declaration.OrgKey(st.Country, st.Org) {
		return
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "warning: the invite is for %q (%s), but this node is %q (%s) in its kolo.yaml (node.org, node.country); "+
		"the network will know this node as %q (%s), the name the inviter wrote into its member certificate; if that is not your organisation, tell the inviter\n",
		tok.Org, tok.Country, st.Org, st.Country, tok.Org, tok.Country)
}

func orgOr(org, fallback string) string {
	if org != "" {
		return org
	}
	return fallback
}

func newMembersCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "members",
		Short: "List the network's members and who admitted whom",
		Long: `members lists every organisation with a member certificate: founders first,
then in the order they were admitted, with their roles, the organisation that
admitted them, and whether their membership was revoked.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var ms []node.MemberInfo
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/members", nil, &ms); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), ms)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ORGANISATION\tCOUNTRY\tROLES\tADMITTED BY\tSINCE\tSTATE\tPEER")
			for _, m := range ms {
				by, state := orgOr(m.AdmittedByOrg, m.AdmittedBy.String()), "member"
				if m.Founder {
					by = "(founder)"
				}
				if m.Revoked != "" {
					state = "revoked " + m.Revoked
				}
				if m.Self {
					state += " (this node)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Org, m.Country, protocol.JoinRoles(m.Roles), by, m.Issued, state, m.PeerID)
			}
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.AddCommand(newMembersRevokeCmd(g))
	return c
}

func newMembersRevokeCmd(g *globals) *cobra.Command {
	var asJSON, drop, yes bool
	c := &cobra.Command{
		Use:   "revoke PEER [--drop-admitted] [--yes]",
		Short: "Revoke a member (a founder, the member's admitter, or the member itself)",
		Long: `revoke ends the membership of PEER (its peer ID, as kolo members shows it),
for good: that key cannot be admitted again. A founder may revoke any member,
a partner the members it admitted, and a member itself (leaving). The
revocation is sent to every node, which closes its connections to the member.

The members PEER admitted and the revocations it signed keep counting: the
revocation lists them. Nothing PEER signs afterwards counts, whatever date it
carries. With --drop-admitted, the members it admitted lose their membership
too (use it when the member's key was stolen); another partner may invite
them again.

On a terminal, revoke asks before it signs; --yes answers for scripts.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p := strings.TrimSpace(args[0])
			if !yes {
				in, ok := cmd.InOrStdin().(*os.File)
				if !ok || !term.IsTerminal(int(in.Fd())) {
					return errors.New("revoking a member is final: confirm with --yes")
				}
				extra := ""
				if drop {
					extra = " and the members it admitted"
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "Revoke %s%s, for good? Type yes: ", p, extra)
				var answer string
				fmt.Fscanln(in, &answer)
				if strings.ToLower(strings.TrimSpace(answer)) != "yes" {
					return errors.New("not revoked")
				}
			}
			var rev protocol.MemberRevocation
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/members/revoke", map[string]any{"peer": p, "drop_admitted": drop}, &rev); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), rev)
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "revoked %s at %s; %d of its records keep counting\n", rev.Member, rev.Revoked, len(rev.Keep))
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the signed revocation as JSON")
	c.Flags().BoolVar(&drop, "drop-admitted", false, "the members PEER admitted lose their membership too")
	c.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation")
	return c
}

// writeNetworkFile writes the node's signed network file to
// HOME/network.json and returns the path.
func (g *globals) writeNetworkFile(ctx context.Context) (string, error) {
	var file json.RawMessage
	if err := g.call(ctx, http.MethodGet, "/v1/network/file", nil, &file); err != nil {
		return "", err
	}
	home, err := g.homeDir()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, file, "", "  "); err != nil {
		return "", err
	}
	b.WriteByte('\n')
	path := filepath.Join(home, "network.json")
	return path, keys.WriteFile(path, b.Bytes())
}
