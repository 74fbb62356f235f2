package declaration

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// ErrInvalidExport is wrapped when an export does not verify.
var ErrInvalidExport = errors.New("export does not verify")

// Report is what VerifyExport found.
type Report struct {
	Network       string // id
	Name          string
	NetworkSHA256 string
	Version       string // of the Declaration
	Declaration   string // SHA-256 of its text
	Members       int    // member certificates that verified
	Signatures    int    // records whose signatures were checked (each once)
	Status        Status // recomputed from the verified records
	Entries       []Entry
	Problems      []string // each record or claim that did not verify, and why
}

// maxProblems caps the problems a report lists (an export of garbage
// should not yield a report of garbage).
const maxProblems = 100

// VerifyExport checks a JSON export offline, from the export alone: the
// network file (founders' and creator's signatures, Declaration hash), the
// chain of every member certificate back to a founder, every revocation,
// and every endorsement (signature, signer's membership, Declaration,
// date). For every record it also checks the evidence: the canonical string
// shown is the one rebuilt from the fields, and the public key shown is
// the one in the signer's peer ID. It recomputes the status and compares it
// with the one the export claims.
//
// The input is capped at MaxExportSize and decoded strictly. The error
// wraps ErrInvalidExport when anything failed; the report lists why.
func VerifyExport(r io.Reader) (Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxExportSize+1))
	if err != nil {
		return Report{}, fmt.Errorf("read the export: %w", err)
	}
	if len(data) > MaxExportSize {
		return Report{}, fmt.Errorf("%w: more than %d bytes, %v", ErrInvalidExport, MaxExportSize, protocol.ErrTooLarge)
	}
	if start := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n"); len(start) > 0 && start[0] == '<' {
		return Report{}, fmt.Errorf("%w: this is a web page (HTML), such as kolo declaration export --format html writes, for people to read; "+
			"the evidence to verify is the JSON export: kolo declaration export --format json", ErrInvalidExport)
	}
	var exp Export
	if err := protocol.Decode(data, MaxExportSize, &exp); err != nil {
		// Decode names the Go type it decodes into; people are told what
		// the file should have been.
		if inner := errors.Unwrap(err); inner != nil {
			err = inner
		}
		return Report{}, fmt.Errorf("%w: not a JSON export of the Declaration (kolo declaration export --format json): %v", ErrInvalidExport, err)
	}
	if exp.Format != ExportFormat {
		return Report{}, fmt.Errorf("%w: format %q; this kolo reads %q", ErrInvalidExport, exp.Format, ExportFormat)
	}
	n := exp.Network
	rep := Report{Network: n.ID, Name: n.Name, NetworkSHA256: exp.NetworkSHA256, Version: n.Declaration.Version, Declaration: n.Declaration.SHA256}
	if err := n.Verify(); err != nil {
		return rep, fmt.Errorf("%w: network file: %v", ErrInvalidExport, err)
	}
	if h, _ := n.Hash(); h.String() != exp.NetworkSHA256 {
		return rep, fmt.Errorf("%w: network_sha256 %q is not the network file's hash %s", ErrInvalidExport, exp.NetworkSHA256, h)
	}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	reg, err := membership.Open(ctx, nil, membership.Options{Now: time.Now, Logger: quiet})
	if err != nil {
		return rep, err
	}
	if err := reg.Init(ctx, n); err != nil {
		return rep, fmt.Errorf("%w: %v", ErrInvalidExport, err)
	}
	problem := func(format string, args ...any) {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, fmt.Sprintf(format, args...))
		}
	}

	// Records may be listed in any order: Apply stores them down the
	// admission chains with one signature check each, so the cost grows
	// with the export's size, not its square.
	var recs []protocol.Record
	whats := map[protocol.Record]string{}
	for i, c := range exp.Members {
		what := fmt.Sprintf("member %d (%s)", i+1, c.Peer)
		if err := checkEvidence(c.AdmittedBy, c.Evidence, c.Certificate.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		if err := checkPeerKey(c); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		if c.Founder() {
			continue // verified with the network file
		}
		rec := protocol.Record{Certificate: &c.Certificate}
		recs, whats[rec] = append(recs, rec), what
	}
	for i, m := range exp.MemberRevocations {
		what := fmt.Sprintf("member revocation %d (%s)", i+1, m.Member)
		if err := checkEvidence(m.Signer, m.Evidence, m.MemberRevocation.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		rec := protocol.Record{MemberRevocation: &m.MemberRevocation}
		recs, whats[rec] = append(recs, rec), what
	}
	_, fails := reg.Apply(ctx, recs)
	for _, f := range fails {
		problem("%s: %v", whats[f.Record], f.Err)
	}
	rep.Signatures = int(reg.Stats().Verifications)
	rep.Members = len(reg.Members())

	ledger, err := Open(ctx, nil, reg, Options{Now: time.Now, Logger: quiet})
	if err != nil {
		return rep, err
	}
	claimed := map[protocol.Hash]SignedEndorsement{}
	recs = recs[:0]
	for i, e := range exp.Endorsements {
		what := fmt.Sprintf("endorsement %d (%s)", i+1, e.Org)
		if err := checkEvidence(e.Signer, e.Evidence, e.Endorsement.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		h, _ := e.Endorsement.Hash()
		claimed[h] = e
		rec := protocol.Record{Endorsement: &e.Endorsement}
		recs, whats[rec] = append(recs, rec), what
	}
	for i, rv := range exp.Revocations {
		what := fmt.Sprintf("revocation %d (%s)", i+1, rv.Signer)
		if err := checkEvidence(rv.Signer, rv.Evidence, rv.Revocation.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		rec := protocol.Record{Revocation: &rv.Revocation}
		recs, whats[rec] = append(recs, rec), what
	}
	rep.Signatures += len(recs) // the ledger checks each once
	// A member revoked since it signed stays in the record, uncounted.
	_, fails = ledger.apply(ctx, recs, false)
	for _, f := range fails {
		problem("%s: %v", whats[f.Record], f.Err)
	}

	rep.Entries = ledger.List()
	rep.Status = statusOf(n, rep.Entries, ledger.orgOf)
	for _, e := range rep.Entries {
		c := claimed[e.Hash]
		if c.State != e.State {
			problem("endorsement by %s (%s): the export says it is %s, the records say %s", e.Endorsement.Org, e.Endorsement.Signer, orgOr(c.State, "in no state"), e.State)
		}
		if c.AdmittedBy != e.AdmittedBy {
			problem("endorsement by %s (%s): the export says it was admitted by %s, the records say by %s", e.Endorsement.Org, e.Endorsement.Signer,
				orgOr(c.AdmittedBy.String(), "no one"), orgOr(e.AdmittedBy.String(), "no member this export holds"))
		}
	}
	if !sameStatus(exp.Status, rep.Status) {
		problem("the export claims %d of %d endorsements (%s); the verified records give %d (%s)",
			exp.Status.Count, exp.Status.Threshold, countriesText(exp.Status.ByCountry), rep.Status.Count, countriesText(rep.Status.ByCountry))
	}
	if len(rep.Problems) > 0 {
		return rep, fmt.Errorf("%w: %d problem(s); first: %s", ErrInvalidExport, len(rep.Problems), rep.Problems[0])
	}
	return rep, nil
}

// checkPeerKey checks the member's own public key shown beside a
// certificate (none for a founder's).
func checkPeerKey(c SignedCertificate) error {
	if c.Founder() {
		if len(c.PeerPublicKey) != 0 {
			return errors.New("a founder's certificate shows no second public key")
		}
		return nil
	}
	pub, err := protocol.RawPublicKey(c.Peer)
	if err != nil {
		return err
	}
	if !bytes.Equal(pub, c.PeerPublicKey) {
		return fmt.Errorf("the member's public key shown is not the key of %s", c.Peer)
	}
	return nil
}

// checkEvidence checks that ev shows the canonical string rebuilt from the
// record's fields and the public key inside signer.
func checkEvidence(signer peer.ID, ev Evidence, signingBytes func() ([]byte, error)) error {
	msg, err := signingBytes()
	if err != nil {
		return err
	}
	if ev.Signed != string(msg) {
		return errors.New("the signed text shown is not the canonical string of the record's fields")
	}
	pub, err := protocol.RawPublicKey(signer)
	if err != nil {
		return err
	}
	if !bytes.Equal(pub, ev.PublicKey) {
		return fmt.Errorf("the public key shown is not the key of signer %s", signer)
	}
	return nil
}

// countriesText writes counts by country as people read them: "MK 1, RS 1".
func countriesText(cs []CountryCount) string {
	if len(cs) == 0 {
		return "none by country"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %d", c.Country, c.Count)
	}
	return strings.Join(parts, ", ")
}

func sameStatus(a, b Status) bool {
	return a.Network == b.Network && a.Declaration == b.Declaration && a.Threshold == b.Threshold &&
		a.Count == b.Count && a.Viable == b.Viable && a.Concentration == b.Concentration &&
		slices.Equal(a.ByCountry, b.ByCountry) && slices.Equal(a.AdmittedBy, b.AdmittedBy)
}
