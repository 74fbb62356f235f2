package protocol

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json from the code (then review the diff)")

const vectorsFile = "testdata/vectors.json"

// vector is one test vector: a record, the key that signed it (from a fixed
// seed), its canonical string, signature and hash.
type vector struct {
	Name      string          `json:"name"`
	Seed      string          `json:"seed"`       // hex, 32 bytes: the Ed25519 seed of the signer
	PublicKey string          `json:"public_key"` // standard base64, 32 bytes
	Signer    string          `json:"signer"`     // peer ID
	Record    json.RawMessage `json:"record"`
	Signed    string          `json:"signed"`    // the canonical string
	Signature string          `json:"signature"` // standard base64, 64 bytes
	SHA256    string          `json:"sha256"`    // of Signed, hex
}

func seedKey(t testing.TB, b byte) (crypto.PrivKey, peer.ID, []byte) {
	t.Helper()
	seed := bytes.Repeat([]byte{b}, ed25519.SeedSize)
	k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return k, id, seed
}

const (
	vecNetwork = "kolovectorsnetworkid22345a"
	vecAge     = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
	vecText    = "Test declaration.\n"
)

// buildVectors signs the vector records with keys from seeds 0x01.., so
// the output depends only on the code: Ed25519 signatures are deterministic.
func buildVectors(t *testing.T) []vector {
	k1, id1, s1 := seedKey(t, 0x01)
	k2, id2, s2 := seedKey(t, 0x02)
	declHash := sha256.Sum256([]byte(vecText))
	founder := Certificate{Network: vecNetwork, Peer: id1, Age: vecAge, Org: "Astra – Anti Trafficking Action",
		Country: "RS", Roles: []Role{RoleAnalyst, RolePartner}, Issued: "2026-01-15T09:30:00Z", AdmittedBy: id1}
	member := Certificate{Network: vecNetwork, Peer: id2, Age: vecAge, Org: "Udruženje „Žene s Unom“",
		Country: "BA", Roles: []Role{RoleAssociate}, Issued: "2026-02-01T12:00:00Z", AdmittedBy: id1}
	end := Endorsement{Network: vecNetwork, Declaration: hex.EncodeToString(declHash[:]), Org: member.Org,
		Country: "BA", Date: "2026-02-02", Signer: id2}
	must(t, founder.Sign(k1))
	must(t, member.Sign(k1))
	must(t, member.Accept(k2))
	memberHash, err := member.Hash()
	must(t, err)
	must(t, end.Sign(k2))
	endHash, err := end.Hash()
	must(t, err)
	rev := Revocation{Network: vecNetwork, Endorsement: endHash.String(), Date: "2026-03-01", Signer: id2}
	must(t, rev.Sign(k2))
	mrev := MemberRevocation{Network: vecNetwork, Member: id2, Revoked: "2026-04-01T08:00:00Z", Signer: id1,
		Keep: []string{strings.Repeat("0f", 32), memberHash.String()}}
	must(t, mrev.Sign(k1))
	net := Network{ID: vecNetwork, Name: "Western Balkans CSO network (test vectors)",
		Declaration: Declaration{Version: "v1", Language: "en", SHA256: hex.EncodeToString(declHash[:]), Text: vecText},
		Policy:      DefaultPolicy(), Founders: []Certificate{founder}, CreatedBy: id1}
	must(t, net.Sign(k1))

	var out []vector
	add := func(name string, seed []byte, signer peer.ID, rec any, signed []byte, sig []byte) {
		raw, err := Encode(rec)
		must(t, err)
		pub, err := RawPublicKey(signer)
		must(t, err)
		out = append(out, vector{Name: name, Seed: hex.EncodeToString(seed), PublicKey: base64.StdEncoding.EncodeToString(pub),
			Signer: signer.String(), Record: raw, Signed: string(signed),
			Signature: base64.StdEncoding.EncodeToString(sig), SHA256: hashHex(signed)})
	}
	sb := func(b []byte, err error) []byte { must(t, err); return b }
	add("founder certificate", s1, id1, Record{Certificate: &founder}, sb(founder.SigningBytes()), founder.Signature)
	add("member certificate", s1, id1, Record{Certificate: &member}, sb(member.SigningBytes()), member.Signature)
	add("member certificate, the member's own signature", s2, id2, Record{Certificate: &member}, sb(member.SigningBytes()), member.PeerSignature)
	add("endorsement", s2, id2, Record{Endorsement: &end}, sb(end.SigningBytes()), end.Signature)
	add("endorsement revocation", s2, id2, Record{Revocation: &rev}, sb(rev.SigningBytes()), rev.Signature)
	add("member revocation", s1, id1, Record{MemberRevocation: &mrev}, sb(mrev.SigningBytes()), mrev.Signature)
	add("network", s1, id1, net, sb(net.SigningBytes()), net.Signature)

	q := Query{Network: vecNetwork, ID: "kolovectorsqueryid23456abc", Requester: id2,
		Text: "count judgment by country, year where verdict = convicted", Epsilon: "0.5",
		Issued: "2026-05-04T10:00:00Z", Expires: "2026-05-05T10:00:00Z"}
	must(t, q.Sign(k2))
	add("query", s2, id2, Record{Query: &q}, sb(q.SigningBytes()), q.Signature)
	qh, err := q.Hash()
	must(t, err)
	ans := Answer{Network: vecNetwork, Query: qh.String(), Answerer: id1, Requester: id2, Answered: "2026-05-04T10:00:02Z",
		Sealed: []byte("age-encryption.org/v1\n(the sealed figures, opaque here)\n")}
	must(t, ans.Sign(k1))
	add("answer", s1, id1, ans, sb(ans.SigningBytes()), ans.Signature)

	// The join proof is signed by the invite key (seed 0x03), not a peer key.
	tok := InviteToken{Network: vecNetwork, Inviter: id1, Addrs: []string{"/ip4/192.0.2.1/tcp/4001"},
		Secret: bytes.Repeat([]byte{0x03}, 32), Expires: "2026-02-08T12:00:00Z"}
	req, err := NewJoinRequest(tok, id2, vecAge)
	must(t, err)
	jpub, _ := hex.DecodeString(req.Invite)
	raw, err := Encode(req)
	must(t, err)
	signed := sb(req.SigningBytes())
	out = append(out, vector{Name: "join request", Seed: hex.EncodeToString(tok.Secret), PublicKey: base64.StdEncoding.EncodeToString(jpub),
		Signer: "", Record: raw, Signed: string(signed), Signature: base64.StdEncoding.EncodeToString(req.Proof), SHA256: hashHex(signed)})
	return out
}

func hashHex(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile(vectorsFile)
	must(t, err)
	var file struct {
		Vectors []vector `json:"vectors"`
	}
	must(t, json.Unmarshal(data, &file))
	if len(file.Vectors) == 0 {
		t.Fatalf("%s holds no vectors", vectorsFile)
	}
	return file.Vectors
}

// TestVectors checks the code against testdata/vectors.json: canonical
// strings, signatures and hashes made from fixed seeds.
func TestVectors(t *testing.T) {
	t.Parallel()
	got := buildVectors(t)
	if *update {
		data, err := json.MarshalIndent(map[string]any{"vectors": got}, "", "  ")
		must(t, err)
		must(t, os.MkdirAll(filepath.Dir(vectorsFile), 0o755))
		must(t, os.WriteFile(vectorsFile, append(data, '\n'), 0o644))
	}
	want := loadVectors(t)
	if len(got) != len(want) {
		t.Fatalf("code makes %d vectors, %s holds %d", len(got), vectorsFile, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.Signed != w.Signed || g.Signature != w.Signature || g.SHA256 != w.SHA256 ||
			g.PublicKey != w.PublicKey || g.Signer != w.Signer || !bytes.Equal(g.Record, compact(t, w.Record)) {
			t.Errorf("vector %q differs from %s:\n got signed %q sig %s\nwant signed %q sig %s", w.Name, vectorsFile, g.Signed, g.Signature, w.Signed, w.Signature)
		}
	}
}

func compact(t *testing.T, raw json.RawMessage) []byte {
	var buf bytes.Buffer
	must(t, json.Compact(&buf, raw))
	return buf.Bytes()
}

// TestVectorsDecodeAndVerify decodes each vector's record strictly, as a
// peer's would be, rebuilds its canonical string and verifies it.
func TestVectorsDecodeAndVerify(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		var signed []byte
		var err error
		switch v.Name {
		case "network":
			var n Network
			must(t, Decode(v.Record, MaxMessageSize, &n))
			signed, err = n.SigningBytes()
			must(t, err)
			must(t, n.Verify())
		case "join request":
			var r JoinRequest
			must(t, Decode(v.Record, MaxMessageSize, &r))
			signed, err = r.SigningBytes()
			must(t, err)
			must(t, r.VerifyProof())
		case "answer":
			var a Answer
			must(t, Decode(v.Record, MaxAnswerSize, &a))
			signed, err = a.SigningBytes()
			must(t, err)
			must(t, a.Verify())
		default:
			var r Record
			must(t, Decode(v.Record, MaxMessageSize, &r))
			signed, err = r.SigningBytes()
			must(t, err)
			switch r.Kind() {
			case KindCertificate:
				must(t, r.Certificate.Verify())
			case KindEndorsement:
				must(t, r.Endorsement.Verify())
			case KindRevocation:
				must(t, r.Revocation.Verify())
			case KindMemberRevocation:
				must(t, r.MemberRevocation.Verify())
			case KindQuery:
				must(t, r.Query.Verify())
			}
		}
		if string(signed) != v.Signed {
			t.Errorf("%s: rebuilt canonical string %q, vector %q", v.Name, signed, v.Signed)
		}
	}
}

// TestVectorsWithStandardEd25519 proves standard tooling suffices: it
// verifies the vectors with nothing but crypto/ed25519 from the standard
// library, the raw public key, the signature and the canonical string.
func TestVectorsWithStandardEd25519(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		pub, err := base64.StdEncoding.DecodeString(v.PublicKey)
		must(t, err)
		sig, err := base64.StdEncoding.DecodeString(v.Signature)
		must(t, err)
		if !ed25519.Verify(ed25519.PublicKey(pub), []byte(v.Signed), sig) {
			t.Errorf("%s: crypto/ed25519 does not verify the vector", v.Name)
		}
		seed, err := hex.DecodeString(v.Seed)
		must(t, err)
		if got := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey); !bytes.Equal(got, pub) {
			t.Errorf("%s: public key is not the seed's", v.Name)
		}
		tampered := []byte(v.Signed)
		tampered[len(tampered)-2] ^= 1
		if ed25519.Verify(ed25519.PublicKey(pub), tampered, sig) {
			t.Errorf("%s: a changed canonical string still verifies", v.Name)
		}
	}
}
