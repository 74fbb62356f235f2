package declaration

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	var exp Export
	if err := protocol.DecodeReader(r, MaxExportSize, &exp); err != nil {
		return Report{}, fmt.Errorf("%w: %v", ErrInvalidExport, err)
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

	// Certificates and member revocations may be listed in any order:
	// apply them in passes until no more can be applied.
	var steps []step
	for i, c := range exp.Members {
		what := fmt.Sprintf("member %d (%s)", i+1, c.Peer)
		if err := checkEvidence(c.AdmittedBy, c.Evidence, c.Certificate.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		steps = append(steps, step{what, func() error { _, err := reg.AddCertificate(ctx, c.Certificate); return err }})
	}
	for i, m := range exp.MemberRevocations {
		what := fmt.Sprintf("member revocation %d (%s)", i+1, m.Member)
		if err := checkEvidence(m.Signer, m.Evidence, m.MemberRevocation.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		steps = append(steps, step{what, func() error { _, err := reg.Revoke(ctx, m.MemberRevocation); return err }})
	}
	for _, f := range applyInPasses(steps) {
		problem("%s", f)
	}
	rep.Members = len(reg.Members())

	ledger, err := Open(ctx, nil, reg, Options{Now: time.Now, Logger: quiet})
	if err != nil {
		return rep, err
	}
	claimed := map[protocol.Hash]string{}
	for i, e := range exp.Endorsements {
		what := fmt.Sprintf("endorsement %d (%s)", i+1, e.Org)
		if err := checkEvidence(e.Signer, e.Evidence, e.Endorsement.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		// A member revoked since it signed stays in the record, uncounted.
		if _, err := ledger.add(ctx, e.Endorsement, false); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		h, _ := e.Endorsement.Hash()
		claimed[h] = e.State
	}
	for i, rv := range exp.Revocations {
		what := fmt.Sprintf("revocation %d (%s)", i+1, rv.Signer)
		if err := checkEvidence(rv.Signer, rv.Evidence, rv.Revocation.SigningBytes); err != nil {
			problem("%s: %v", what, err)
			continue
		}
		if _, err := ledger.Revoke(ctx, rv.Revocation); err != nil {
			problem("%s: %v", what, err)
		}
	}

	rep.Entries = ledger.List()
	rep.Status = statusOf(n, rep.Entries)
	for _, e := range rep.Entries {
		if claimed[e.Hash] != e.State {
			problem("endorsement by %s (%s): the export says %q, the records say %q", e.Endorsement.Org, e.Endorsement.Signer, claimed[e.Hash], e.State)
		}
	}
	if !sameStatus(exp.Status, rep.Status) {
		problem("the export claims %d of %d endorsements (%v); the verified records give %d (%v)",
			exp.Status.Count, exp.Status.Threshold, exp.Status.ByCountry, rep.Status.Count, rep.Status.ByCountry)
	}
	if len(rep.Problems) > 0 {
		return rep, fmt.Errorf("%w: %d problem(s); first: %s", ErrInvalidExport, len(rep.Problems), rep.Problems[0])
	}
	return rep, nil
}

type step struct {
	what  string
	apply func() error
}

// applyInPasses applies steps, retrying the failed ones while a pass makes
// progress, and returns the failures that remain.
func applyInPasses(steps []step) []string {
	pending := steps
	for len(pending) > 0 {
		var next []step
		var errs []error
		for _, s := range pending {
			if err := s.apply(); err != nil {
				next = append(next, s)
				errs = append(errs, err)
			}
		}
		if len(next) == len(pending) { // no progress: these cannot be applied
			out := make([]string, len(next))
			for i, s := range next {
				out[i] = s.what + ": " + errs[i].Error()
			}
			return out
		}
		pending = next
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

func sameStatus(a, b Status) bool {
	if a.Network != b.Network || a.Declaration != b.Declaration || a.Threshold != b.Threshold ||
		a.Count != b.Count || a.Viable != b.Viable || len(a.ByCountry) != len(b.ByCountry) {
		return false
	}
	for i := range a.ByCountry {
		if a.ByCountry[i] != b.ByCountry[i] {
			return false
		}
	}
	return true
}
