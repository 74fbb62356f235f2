package declaration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// ExportFormat names the layout of a JSON export; a new layout gets a new
// name.
const ExportFormat = "kolo-declaration-export-v2"

// MaxExportSize caps an export read by VerifyExport.
const MaxExportSize = 16 << 20

// Evidence lets anyone check a signed record with standard Ed25519 tools:
// the raw 32-byte public key of the signer and the exact canonical string
// that was signed (the record's signature field holds the 64-byte
// signature). Both []byte fields are standard base64 in JSON.
type Evidence struct {
	PublicKey []byte `json:"public_key"`
	Signed    string `json:"signed"`
}

// SignedCertificate is a member certificate with its evidence: the
// admitter's public key, the signed text, and (for a member other than a
// founder) the member's own public key, which checks peer_signature over
// the same text.
type SignedCertificate struct {
	protocol.Certificate
	Evidence
	PeerPublicKey []byte `json:"peer_public_key,omitempty"`
}

// SignedMemberRevocation is a member revocation with its evidence.
type SignedMemberRevocation struct {
	protocol.MemberRevocation
	Evidence
}

// SignedEndorsement is an endorsement with its evidence and its state
// (counted, revoked, member revoked, repeated) at export time.
type SignedEndorsement struct {
	protocol.Endorsement
	Evidence
	State string `json:"state"`
	// AdmittedBy is the member that admitted the signer to the network.
	AdmittedBy peer.ID `json:"admitted_by,omitempty"`
}

// SignedRevocation is an endorsement revocation with its evidence.
type SignedRevocation struct {
	protocol.Revocation
	Evidence
}

// Export is everything needed to check the Declaration's endorsements
// offline: the network file (founders, Declaration text and hash, policy),
// every member certificate and revocation, every endorsement and
// revocation, and the status the exporting node computed.
type Export struct {
	Format            string                   `json:"format"`
	Generated         string                   `json:"generated"`
	NetworkSHA256     string                   `json:"network_sha256"`
	Network           protocol.Network         `json:"network"`
	Status            Status                   `json:"status"`
	Members           []SignedCertificate      `json:"members"`
	MemberRevocations []SignedMemberRevocation `json:"member_revocations"`
	Endorsements      []SignedEndorsement      `json:"endorsements"`
	Revocations       []SignedRevocation       `json:"revocations"`
}

// evidence builds the evidence of a record signed by signer over msg.
func evidence(signer peer.ID, signingBytes func() ([]byte, error)) (Evidence, error) {
	msg, err := signingBytes()
	if err != nil {
		return Evidence{}, err
	}
	pub, err := protocol.RawPublicKey(signer)
	if err != nil {
		return Evidence{}, err
	}
	return Evidence{PublicKey: pub, Signed: string(msg)}, nil
}

// Export gathers the evidence the ledger and the registry hold.
func (l *Ledger) Export() (Export, error) {
	n, err := l.network()
	if err != nil {
		return Export{}, fmt.Errorf("export: %w", err)
	}
	h, _ := l.reg.NetworkHash()
	entries := l.List()
	exp := Export{
		Format: ExportFormat, Generated: protocol.FormatTime(l.now()), NetworkSHA256: h.String(),
		Network: n, Status: statusOf(n, entries, l.orgOf),
		Members: []SignedCertificate{}, MemberRevocations: []SignedMemberRevocation{},
		Endorsements: []SignedEndorsement{}, Revocations: []SignedRevocation{},
	}
	certs, mrevs := l.reg.Certificates()
	for _, c := range certs {
		ev, err := evidence(c.AdmittedBy, c.SigningBytes)
		if err != nil {
			return Export{}, fmt.Errorf("export certificate of %s: %w", c.Peer, err)
		}
		sc := SignedCertificate{Certificate: c, Evidence: ev}
		if !c.Founder() {
			if sc.PeerPublicKey, err = protocol.RawPublicKey(c.Peer); err != nil {
				return Export{}, fmt.Errorf("export certificate of %s: %w", c.Peer, err)
			}
		}
		exp.Members = append(exp.Members, sc)
	}
	for _, m := range mrevs {
		ev, err := evidence(m.Signer, m.SigningBytes)
		if err != nil {
			return Export{}, fmt.Errorf("export member revocation of %s: %w", m.Member, err)
		}
		exp.MemberRevocations = append(exp.MemberRevocations, SignedMemberRevocation{m, ev})
	}
	for _, e := range entries {
		ev, err := evidence(e.Endorsement.Signer, e.Endorsement.SigningBytes)
		if err != nil {
			return Export{}, fmt.Errorf("export endorsement by %s: %w", e.Endorsement.Signer, err)
		}
		exp.Endorsements = append(exp.Endorsements, SignedEndorsement{e.Endorsement, ev, e.State, e.AdmittedBy})
	}
	for _, rec := range l.Records(nil) {
		if r := rec.Revocation; r != nil {
			ev, err := evidence(r.Signer, r.SigningBytes)
			if err != nil {
				return Export{}, fmt.Errorf("export revocation by %s: %w", r.Signer, err)
			}
			exp.Revocations = append(exp.Revocations, SignedRevocation{*r, ev})
		}
	}
	return exp, nil
}

// WriteJSON writes exp as indented JSON.
func WriteJSON(w io.Writer, exp Export) error {
	b, err := protocol.Encode(exp)
	if err != nil {
		return err
	}
	// Indent for people who read the file; the signatures do not depend on
	// the layout.
	var out []byte
	out, err = indent(b)
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}

func indent(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return nil, fmt.Errorf("indent export: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
