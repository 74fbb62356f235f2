package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kolo-net/kolo/node"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/protocol"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newDeclarationCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "declaration",
		Short: "Read, endorse and publish the network's regional Declaration",
		Long: `The Declaration on combating trafficking in human beings is the network's
founding document; it becomes viable when 20 organisations endorse it.

show and verify work offline; sign, revoke, list, status and export talk to
the running daemon (kolo run). See docs/declaration.md.`,
		// An unknown subcommand is an error, not a silent help page.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	c.AddCommand(newDeclShowCmd(), newDeclSignCmd(g), newDeclRevokeCmd(g), newDeclListCmd(g),
		newDeclStatusCmd(g), newDeclExportCmd(g), newDeclVerifyCmd())
	return c
}

// declText is what `declaration show --json` prints.
type declText struct {
	Version   string   `json:"version"`
	Language  string   `json:"language"`
	SHA256    string   `json:"sha256"`   // of this text
	Identity  string   `json:"identity"` // SHA-256 of the English original: what endorsements name
	Languages []string `json:"languages"`
	Text      string   `json:"text"`
}

func newDeclShowCmd() *cobra.Command {
	var (
		lang, version string
		asJSON        bool
	)
	c := &cobra.Command{
		Use:   "show [--lang LANG]",
		Short: "Print the Declaration's text (Markdown); works offline",
		Long: `show prints the text of the Declaration that ships with this kolo, in
Markdown, on standard output, and which version and SHA-256 it is on standard
error. The English text is the original: its SHA-256 is what the network and
every endorsement name. Other languages are translations of it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := declaration.Lookup(version, lang)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), declText{Version: t.Version, Language: t.Language, SHA256: t.SHA256,
					Identity: t.Identity, Languages: declaration.Languages(t.Version), Text: t.Markdown})
			}
			if t.Language == declaration.Original {
				fmt.Fprintf(cmd.ErrOrStderr(), "Declaration %s (%s, the original), SHA-256 %s\n", t.Version, t.Language, t.Identity)
			} else {
				fmt.Fprintf(cmd.ErrOrStderr(), "Declaration %s in %s: a translation, for information until the network adopts it; what is signed is the English original, SHA-256 %s\n", t.Version, t.Language, t.Identity)
			}
			_, err = io.WriteString(cmd.OutOrStdout(), t.Markdown)
			return err
		},
	}
	c.Flags().StringVar(&lang, "lang", declaration.Original, "language: "+strings.Join(declaration.Languages(declaration.CurrentVersion), ", "))
	c.Flags().StringVar(&version, "version", declaration.CurrentVersion, "version of the text")
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON, with the hashes")
	return c
}

func newDeclSignCmd(g *globals) *cobra.Command {
	var asJSON, yes bool
	c := &cobra.Command{
		Use:   "sign [--yes]",
		Short: "Endorse the Declaration in this organisation's name, dated today",
		Long: `sign endorses the network's Declaration: the endorsement names the network,
the Declaration's SHA-256, this organisation and country as in its member
certificate, and today's date (UTC), and is signed with this node's Ed25519
key. It is sent to every node, and can be withdrawn (kolo declaration revoke)
but not undone.

sign first shows which text is signed (its title, version and SHA-256, the
hash kolo declaration show prints) and in whose name, and asks; --yes answers
for scripts, and off a terminal it is required. An organisation whose
endorsement counts is told so, with the date it signed on: to sign again,
withdraw first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var nw node.NetworkInfo
			if err := g.call(ctx, http.MethodGet, "/v1/network", nil, &nw); err != nil {
				return err
			}
			if nw.Self == nil {
				return errors.New("this node is not a member of the network: only members endorse")
			}
			var es []node.EndorsementInfo
			if err := g.call(ctx, http.MethodGet, "/v1/declaration/endorsements", nil, &es); err != nil {
				return err
			}
			self := nw.Self
			for _, e := range es {
				if e.Signer == self.PeerID && e.State == declaration.StateCounted {
					return fmt.Errorf("%s (%s) already endorses the Declaration: this node signed it on %s (endorsement sha256 %s); "+
						"nothing was signed. To sign again, withdraw first (kolo declaration revoke)", e.Org, e.Country, e.Date, e.SHA256)
				}
			}
			if !yes {
				in, ok := cmd.InOrStdin().(*os.File)
				if !ok || !term.IsTerminal(int(in.Fd())) {
					return fmt.Errorf("endorsing the Declaration in the name of %s is public and stays on record: confirm with --yes "+
						"(the text signed: %s, SHA-256 %s)", self.Org, nw.Declaration.Version, nw.Declaration.SHA256)
				}
				w := cmd.ErrOrStderr()
				fmt.Fprintf(w, "Endorse, in the name of %s (%s), the network's Declaration\n  %s (%s)\n  SHA-256 %s\n",
					self.Org, self.Country, nw.Declaration.Title, nw.Declaration.Version, nw.Declaration.SHA256)
				fmt.Fprintln(w, "(kolo declaration show prints this text and the same SHA-256.) The endorsement is sent to every member and can be withdrawn, not undone.")
				for _, e := range es {
					if e.State == declaration.StateCounted && declaration.OrgKey(e.Country, e.Org) == declaration.OrgKey(self.Country, self.Org) {
						fmt.Fprintf(w, "Note: %s already counts through an endorsement another node signed on %s; this one will not count twice.\n", e.Org, e.Date)
					}
				}
				fmt.Fprint(w, "Sign? Type yes: ")
				var answer string
				fmt.Fscanln(in, &answer)
				if strings.ToLower(strings.TrimSpace(answer)) != "yes" {
					return errors.New("not signed")
				}
			}
			var e protocol.Endorsement
			if err := g.call(ctx, http.MethodPost, "/v1/declaration/sign", nil, &e); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), e)
			}
			h, err := e.Hash()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "endorsed: %s (%s), %s\ndeclaration sha256: %s\nendorsement sha256: %s\n", e.Org, e.Country, e.Date, e.Declaration, h)
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the signed endorsement as JSON")
	c.Flags().BoolVar(&yes, "yes", false, "do not ask for confirmation (for scripts)")
	return c
}

func newDeclRevokeCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "revoke",
		Short: "Withdraw this organisation's endorsement",
		Long: `revoke signs a revocation of this organisation's endorsement and sends it to
every node. A revocation wins over the endorsement it names. To endorse again
later, sign again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var rs []protocol.Revocation
			if err := g.call(cmd.Context(), http.MethodPost, "/v1/declaration/revoke", nil, &rs); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), rs)
			}
			for _, r := range rs {
				fmt.Fprintf(cmd.OutOrStdout(), "withdrew endorsement %s on %s\n", r.Endorsement, r.Date)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the signed revocations as JSON")
	return c
}

func newDeclListCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List the endorsements this node holds, with their state",
		Long: `list shows every endorsement this node holds, oldest first: organisation,
country, date, and state: counted, revoked (withdrawn by its signer), member
revoked (the organisation is no longer a member), repeated (the organisation
counts once, through an earlier endorsement). Every one was verified before it
was stored.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var es []node.EndorsementInfo
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/declaration/endorsements", nil, &es); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), es)
			}
			return printEndorsements(cmd.OutOrStdout(), es)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func printEndorsements(w io.Writer, es []node.EndorsementInfo) error {
	if len(es) == 0 {
		_, err := fmt.Fprintln(w, "no endorsements yet")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ORGANISATION\tCOUNTRY\tDATE\tSTATE\tVERIFIED\tSIGNER")
	for _, e := range es {
		state := e.State
		if e.RevokedOn != "" {
			state += " on " + e.RevokedOn
		}
		verified := "no"
		if e.Verified {
			verified = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Org, e.Country, e.Date, state, verified, e.Signer)
	}
	return tw.Flush()
}

func newDeclStatusCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "How many organisations endorse the Declaration, of how many needed, by country",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var st declaration.Status
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/declaration/status", nil, &st); err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), st)
			}
			return printDeclStatus(cmd.OutOrStdout(), st)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

func printDeclStatus(w io.Writer, st declaration.Status) error {
	more := "viable"
	if !st.Viable {
		more = fmt.Sprintf("%d more needed", st.Threshold-st.Count)
	}
	fmt.Fprintf(w, "%d of %d organisations endorse the Declaration (%s)\n", st.Count, st.Threshold, more)
	for _, c := range st.ByCountry {
		fmt.Fprintf(w, "  %s  %d\n", c.Country, c.Count)
	}
	if len(st.AdmittedBy) > 0 {
		fmt.Fprintln(w, "admitted to the network by:")
		for _, a := range st.AdmittedBy {
			fmt.Fprintf(w, "  %s  %d\n", orgOr(a.Org, a.Peer.String()), a.Count)
		}
	}
	if st.Concentration != "" {
		fmt.Fprintf(w, "note: %s\n", st.Concentration)
	}
	_, err := fmt.Fprintf(w, "declaration sha256: %s\n", st.Declaration)
	return err
}

func newDeclExportCmd(g *globals) *cobra.Command {
	var format, out, lang string
	c := &cobra.Command{
		Use:   "export --format json|html [--lang LANG] [-o FILE]",
		Short: "Write the endorsements as evidence (json) or as a public web page (html)",
		Long: `export writes everything needed to check the endorsements: with --format json
the network file, every member certificate and revocation, every endorsement
and revocation with the signer's public key, the signature and the exact signed
text (kolo declaration verify checks it offline); with --format html a page a
CSO can publish on its website, in --lang (` + strings.Join(declaration.PageLanguages(), ", ") + `): the
Declaration, how many organisations endorse it and which, by country. A page
in another language than English shows the translation, says that it is one,
and carries the signed English text too. It writes to standard output, or to
FILE with -o (written whole or not at all).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != node.ExportJSON && format != node.ExportHTML {
				return fmt.Errorf("--format %q: use json or html", format)
			}
			if format == node.ExportJSON && lang != declaration.Original {
				return errors.New("--lang is for --format html: the JSON export holds the signed English text")
			}
			if !slices.Contains(declaration.PageLanguages(), declaration.CanonicalTag(lang)) {
				return fmt.Errorf("--lang %q: the page is written in %s", lang, strings.Join(declaration.PageLanguages(), ", "))
			}
			// The page is made here from the JSON export, so that it is
			// written in the language asked for by this command.
			var f node.ExportFile
			if err := g.call(cmd.Context(), http.MethodGet, "/v1/declaration/export?"+url.Values{"format": {node.ExportJSON}}.Encode(), nil, &f); err != nil {
				return err
			}
			content := []byte(f.Content)
			if format == node.ExportHTML {
				var exp declaration.Export
				if err := protocol.Decode(content, declaration.MaxExportSize, &exp); err != nil {
					return fmt.Errorf("the daemon's export: %w", err)
				}
				var page bytes.Buffer
				if err := declaration.WritePage(&page, exp, lang); err != nil {
					return err
				}
				content = page.Bytes()
			}
			if out == "" || out == "-" {
				_, err := cmd.OutOrStdout().Write(content)
				return err
			}
			return writeFileAtomic(out, content)
		},
	}
	c.Flags().StringVar(&format, "format", "", "json (evidence, for kolo declaration verify) or html (a public page)")
	c.Flags().StringVar(&lang, "lang", declaration.Original, "language of the html page: "+strings.Join(declaration.PageLanguages(), ", "))
	c.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	return c
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, so path is either the old file or the whole new one. An export
// is public, so the file is world-readable (0644).
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644)
	}
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

// verifyReport is what `declaration verify --json` prints.
type verifyReport struct {
	Valid         bool                   `json:"valid"`
	Network       string                 `json:"network"`
	Name          string                 `json:"name"`
	NetworkSHA256 string                 `json:"network_sha256"`
	Version       string                 `json:"version"`
	Declaration   string                 `json:"declaration"`
	Members       int                    `json:"members"`
	Status        declaration.Status     `json:"status"`
	Endorsements  []node.EndorsementInfo `json:"endorsements"`
	Problems      []string               `json:"problems"`
	Error         string                 `json:"error,omitempty"`
}

func newDeclVerifyCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "verify FILE",
		Short: "Check a JSON export offline, from the file alone",
		Long: `verify checks a JSON export (kolo declaration export --format json) with
nothing but the file: the network file and its founders' signatures, every
member's chain of certificates back to a founder, every signature, that each
signed text is the one the fields give, revocations, and that the claimed count
is the one the records give. It needs no daemon and no node. It prints the
network hash: compare it with the one the founders published. Exit status 0
only if everything verifies.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			rep, verr := declaration.VerifyExport(f)
			r := verifyReport{Valid: verr == nil, Network: rep.Network, Name: rep.Name, NetworkSHA256: rep.NetworkSHA256,
				Version: rep.Version, Declaration: rep.Declaration, Members: rep.Members, Status: rep.Status,
				Endorsements: []node.EndorsementInfo{}, Problems: rep.Problems}
			if r.Problems == nil {
				r.Problems = []string{}
			}
			for _, e := range rep.Entries {
				r.Endorsements = append(r.Endorsements, node.EndorsementInfo{Org: e.Endorsement.Org, Country: e.Endorsement.Country,
					Date: e.Endorsement.Date, Signer: e.Endorsement.Signer, SHA256: e.Hash.String(), State: e.State, RevokedOn: e.RevokedOn, Verified: true})
			}
			if verr != nil {
				r.Error = verr.Error()
			}
			w := cmd.OutOrStdout()
			switch {
			case asJSON:
				if err := printJSON(w, r); err != nil {
					return err
				}
			case verr != nil && r.Network == "":
				// Not an export at all (the HTML page, another file): the
				// error says what the file is and what verify reads.
			default:
				if err := printVerify(w, args[0], r); err != nil {
					return err
				}
			}
			if verr != nil {
				return fmt.Errorf("%s: %w", args[0], verr)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return c
}

func printVerify(w io.Writer, file string, r verifyReport) error {
	if r.Network != "" {
		fmt.Fprintf(w, "network:      %s (%s)\nnetwork hash: %s   <- compare with the one the founders published\n", r.Name, r.Network, r.NetworkSHA256)
		fmt.Fprintf(w, "declaration:  %s, sha256 %s\n", r.Version, r.Declaration)
	}
	if r.Valid || len(r.Endorsements) > 0 || r.Members > 0 {
		fmt.Fprintf(w, "members:      %d certificates verified\n", r.Members)
		if err := printDeclStatus(w, r.Status); err != nil {
			return err
		}
		if err := printEndorsements(w, r.Endorsements); err != nil {
			return err
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "PROBLEM: %s\n", p)
	}
	if r.Valid {
		_, err := fmt.Fprintf(w, "OK: every signature and the count in %s verify\n", file)
		return err
	}
	_, err := fmt.Fprintf(w, "NOT VALID: %s does not verify\n", file)
	return err
}
