package protocol

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"regexp"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Federated queries: what an analyst asks the network (Query, a signed
// record that travels like the network's other records, so that a member
// offline when it was asked answers when it comes back), and what each
// member sends back to the analyst alone (Answer: its figures sealed with
// age to the analyst's recipient, signed by the member).

// Query caps and bounds.
const (
	// MaxQueryText caps a query's canonical text.
	MaxQueryText = 4096
	// MaxQueryLifetime is the longest a query stays open.
	MaxQueryLifetime = 7 * 24 * time.Hour
	// MaxAnswerSize caps one framed answer message (its sealed figures
	// included) on the answer protocol.
	MaxAnswerSize = 1 << 20
)

// Tags of the query records' canonical strings.
const (
	TagQuery  = "kolo-query-v1"
	TagAnswer = "kolo-answer-v1"
)

var epsilonRE = regexp.MustCompile(`^(0|[1-9][0-9]{0,3})(\.[0-9]{1,6})?$`)

// Query is a federated query, signed by the member that asks (Requester).
// ID is a fresh random nonce: a node answers a query once, and refuses a
// query it has seen before under another identity. Text is the query's
// canonical text (node/query). Epsilon, when set, asks for discrete
// Laplace noise with that privacy loss. The query is open from Issued to
// Expires, at most MaxQueryLifetime.
type Query struct {
	Network   string  `json:"network"`
	ID        string  `json:"id"`
	Requester peer.ID `json:"requester"`
	Text      string  `json:"text"`
	Epsilon   string  `json:"epsilon,omitempty"`
	Issued    string  `json:"issued"`
	Expires   string  `json:"expires"`
	Signature []byte  `json:"signature"`
}

// NewQueryID returns a fresh query id: 16 random bytes in lower-case
// base32 (26 characters), like a network id.
func NewQueryID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("query id: %w", err)
	}
	return toLower(lowerB32.EncodeToString(b[:])), nil
}

// SigningBytes returns the canonical string of a query:
//
//	kolo-query-v1
//	network:<network id>
//	id:<query id, 26 characters a-z2-7>
//	requester:<peer ID>
//	text:<the query's canonical text>
//	epsilon:<privacy loss asked for, decimal; empty for none>
//	issued:<YYYY-MM-DDTHH:MM:SSZ>
//	expires:<YYYY-MM-DDTHH:MM:SSZ>
func (q Query) SigningBytes() ([]byte, error) {
	const rec = "query"
	if err := firstErr(
		CheckNetworkID(rec, "network", q.Network),
		checkQueryID(q.ID),
		checkPeer(rec, "requester", q.Requester),
		CheckText(rec, "text", q.Text, MaxQueryText),
		CheckTime(rec, "issued", q.Issued),
		CheckTime(rec, "expires", q.Expires),
	); err != nil {
		return nil, err
	}
	if q.Epsilon != "" && (!epsilonRE.MatchString(q.Epsilon) || q.Epsilon == "0" || epsilonIsZero(q.Epsilon)) {
		return nil, fieldErr(rec, "epsilon", q.Epsilon, "is not a privacy loss such as 0.5 or 1 (above 0, at most 6 decimals)")
	}
	issued, _ := ParseTime(q.Issued)
	expires, _ := ParseTime(q.Expires)
	if !expires.After(issued) || expires.Sub(issued) > MaxQueryLifetime {
		return nil, fieldErr(rec, "expires", q.Expires, fmt.Sprintf("must be after issued (%s) and at most %s later", q.Issued, MaxQueryLifetime))
	}
	return newCanon(TagQuery).
		line("network", q.Network).
		line("id", q.ID).
		line("requester", q.Requester.String()).
		line("text", q.Text).
		line("epsilon", q.Epsilon).
		line("issued", q.Issued).
		line("expires", q.Expires), nil
}

func epsilonIsZero(s string) bool {
	for _, c := range s {
		if c != '0' && c != '.' {
			return false
		}
	}
	return true
}

func checkQueryID(id string) error {
	if err := CheckNetworkID("query", "id", id); err != nil {
		return fieldErr("query", "id", id, "is not a query id (26 characters a-z, 2-7)")
	}
	return nil
}

// Hash is the query's identity: SHA-256 of its canonical string. Answers
// name their query by it.
func (q Query) Hash() (Hash, error) { return hashOf(q.SigningBytes()) }

// Sign signs q with key, which must be the key of q.Requester.
func (q *Query) Sign(key crypto.PrivKey) error {
	msg, err := q.SigningBytes()
	if err != nil {
		return err
	}
	q.Signature, err = sign(key, q.Requester, msg)
	return err
}

// Verify checks the fields and the requester's signature. It does not
// check that the requester is a member, nor the times against a clock.
func (q Query) Verify() error {
	msg, err := q.SigningBytes()
	if err != nil {
		return err
	}
	return verify("query "+q.ID, q.Requester, msg, q.Signature)
}

// Answer carries one member's answer to a query back to the requester:
// Sealed is an age file (binary format) encrypted to the age recipient in
// the requester's member certificate, holding the answer's figures as
// JSON; the member signs a canonical string that names the query, both
// peers, the time and the SHA-256 of Sealed. So anyone holding the bytes
// can check who answered what with standard tools, and only the requester
// can read the figures.
type Answer struct {
	Network   string  `json:"network"`
	Query     string  `json:"query"` // the query's hash, hex
	Answerer  peer.ID `json:"answerer"`
	Requester peer.ID `json:"requester"`
	Answered  string  `json:"answered"`
	Sealed    []byte  `json:"sealed"`
	Signature []byte  `json:"signature"`
}

// SigningBytes returns the canonical string of an answer:
//
//	kolo-answer-v1
//	network:<network id>
//	query:<SHA-256 of the query's canonical string, hex>
//	answerer:<peer ID>
//	requester:<peer ID>
//	answered:<YYYY-MM-DDTHH:MM:SSZ>
//	sealed:<SHA-256 of the sealed age file, hex>
func (a Answer) SigningBytes() ([]byte, error) {
	const rec = "answer"
	if err := firstErr(
		CheckNetworkID(rec, "network", a.Network),
		CheckHash(rec, "query", a.Query),
		checkPeer(rec, "answerer", a.Answerer),
		checkPeer(rec, "requester", a.Requester),
		CheckTime(rec, "answered", a.Answered),
	); err != nil {
		return nil, err
	}
	if len(a.Sealed) == 0 {
		return nil, fieldErr(rec, "sealed", "", "is empty; an answer carries its figures sealed with age")
	}
	return newCanon(TagAnswer).
		line("network", a.Network).
		line("query", a.Query).
		line("answerer", a.Answerer.String()).
		line("requester", a.Requester.String()).
		line("answered", a.Answered).
		line("sealed", Hash(sha256.Sum256(a.Sealed)).String()), nil
}

// Sign signs a with key, which must be the key of a.Answerer.
func (a *Answer) Sign(key crypto.PrivKey) error {
	msg, err := a.SigningBytes()
	if err != nil {
		return err
	}
	a.Signature, err = sign(key, a.Answerer, msg)
	return err
}

// Verify checks the fields and the answerer's signature over them and the
// sealed bytes.
func (a Answer) Verify() error {
	msg, err := a.SigningBytes()
	if err != nil {
		return err
	}
	return verify("answer to query "+a.Query, a.Answerer, msg, a.Signature)
}

// AnswerAck is the requester's reply on the answer protocol: an empty
// Error means the answer is stored.
type AnswerAck struct {
	Error string `json:"error,omitempty"`
}
