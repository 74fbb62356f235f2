package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolo-net/kolo/node/query"
	"github.com/kolo-net/kolo/node/store"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Asking defaults and bounds.
const (
	// DefaultWait is how long a query stays open when the analyst does not
	// say: long enough for the members online to answer at once.
	DefaultWait = 2 * time.Minute
	// MinWait is the shortest a query may stay open.
	MinWait = 10 * time.Second
)

// asked is a query this node asked, kept with its answers.
type asked struct {
	Query protocol.Query `json:"query"`
	Hash  string         `json:"hash"`
}

// AskOptions are what `kolo query` gives beside the query text.
type AskOptions struct {
	// Wait is how long the query stays open (DefaultWait if 0; at least
	// MinWait, at most protocol.MaxQueryLifetime): a member that comes
	// online before then answers.
	Wait time.Duration
	// Epsilon, when above 0, asks for discrete Laplace noise with that ε.
	Epsilon float64
}

// Ask checks text, signs a query with it and keeps it; this node answers
// it like every member. The caller publishes the returned record to the
// network. A query that does not parse or check is refused here, before
// anything is sent, with a message that names the problem.
func (f *Federation) Ask(ctx context.Context, text string, opts AskOptions) (protocol.Query, error) {
	n, ok := f.cfg.Registry.Network()
	if !ok {
		return protocol.Query{}, errors.New("this node belongs to no network yet")
	}
	if !f.cfg.Registry.IsMember(f.self) {
		return protocol.Query{}, errors.New("this node is not a current member of the network")
	}
	parsed, err := query.Parse(text, query.Options{Limits: f.cfg.Limits, Private: f.cfg.Private()})
	if err != nil {
		return protocol.Query{}, err
	}
	wait := opts.Wait
	if wait == 0 {
		wait = DefaultWait
	}
	if wait < MinWait || wait > protocol.MaxQueryLifetime {
		return protocol.Query{}, fmt.Errorf("wait %s: give between %s and %s", wait, MinWait, protocol.MaxQueryLifetime)
	}
	id, err := protocol.NewQueryID()
	if err != nil {
		return protocol.Query{}, err
	}
	now := f.now()
	q := protocol.Query{Network: n.ID, ID: id, Requester: f.self, Text: parsed.String(),
		Issued: protocol.FormatTime(now), Expires: protocol.FormatTime(now.Add(wait))}
	if opts.Epsilon < 0 || opts.Epsilon > 1000 {
		return protocol.Query{}, fmt.Errorf("epsilon %g: give a privacy loss above 0, such as 0.5 or 1", opts.Epsilon)
	}
	if opts.Epsilon > 0 {
		q.Epsilon = strconv.FormatFloat(opts.Epsilon, 'f', -1, 64)
	}
	if err := q.Sign(f.cfg.Key); err != nil {
		return protocol.Query{}, err
	}
	h, err := q.Hash()
	if err != nil {
		return protocol.Query{}, err
	}
	v, err := protocol.Encode(asked{Query: q, Hash: h.String()})
	if err != nil {
		return protocol.Query{}, err
	}
	if err := f.cfg.Store.Put(spaceMine, []byte(h.String()), v); err != nil {
		return protocol.Query{}, fmt.Errorf("store query: %w", err)
	}
	f.audit(ctx, Event{Kind: EventSent, QueryID: q.ID, QueryHash: h.String(), Text: q.Text, Requester: f.self})
	if _, err := f.Accept(ctx, q); err != nil {
		return protocol.Query{}, err
	}
	return q, nil
}

// mine returns the query this node asked whose hash is h.
func (f *Federation) mine(h string) (asked, error) {
	v, err := f.cfg.Store.Get(spaceMine, []byte(h))
	if errors.Is(err, store.ErrNotFound) {
		return asked{}, fmt.Errorf("query %.16s: %w", h, ErrUnknown)
	}
	if err != nil {
		return asked{}, err
	}
	var a asked
	if err := protocol.Decode(v, protocol.MaxMessageSize, &a); err != nil {
		return asked{}, fmt.Errorf("stored query %.16s: %w", h, err)
	}
	return a, nil
}

// ErrNoSuchQuery says that no query this node asked has the id given.
var ErrNoSuchQuery = errors.New("no such query")

// ErrQueryID says that an id given cannot name one query: it is too short,
// or several queries start so. The error's text says which.
var ErrQueryID = errors.New("not the id of one query")

// queryIDError is an ErrQueryID with its own words.
type queryIDError struct{ msg string }

func (e queryIDError) Error() string        { return e.msg }
func (e queryIDError) Is(target error) bool { return target == ErrQueryID }

// find returns the query this node asked whose id starts with id.
func (f *Federation) find(ctx context.Context, id string) (asked, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) < 6 {
		return asked{}, queryIDError{fmt.Sprintf("query %q: give at least the first 6 characters of its id (kolo query list shows them)", id)}
	}
	var found []asked
	err := f.cfg.Store.Scan(ctx, spaceMine, nil, func(_, val []byte) error {
		var a asked
		if err := protocol.Decode(val, protocol.MaxMessageSize, &a); err != nil {
			return err
		}
		if strings.HasPrefix(a.Query.ID, id) {
			found = append(found, a)
		}
		return nil
	})
	switch {
	case err != nil:
		return asked{}, err
	case len(found) == 0:
		return asked{}, fmt.Errorf("query %q: %w (kolo query list shows this node's queries)", id, ErrNoSuchQuery)
	case len(found) > 1:
		return asked{}, queryIDError{fmt.Sprintf("query %q: %d queries start so; give more characters", id, len(found))}
	}
	return found[0], nil
}

// Node states in a Status.
const (
	NodeAnswered = "answered"
	NodeRefused  = "refused"
	NodeWaiting  = "waiting" // the query is open: it may still answer
	NodeMissing  = "missing" // no answer by the deadline
)

// NodeReport is one member's part in a query, as its requester sees it.
type NodeReport struct {
	Peer     peer.ID `json:"peer"`
	Org      string  `json:"org"`
	Country  string  `json:"country"`
	State    string  `json:"state"`
	Reason   string  `json:"reason,omitempty"`
	Message  string  `json:"message,omitempty"`
	Answered string  `json:"answered,omitempty"` // as the answerer signed it
	// Signature is the answerer's signature over the answer's canonical
	// string, hex; the evidence holds the bytes it covers.
	Signature string `json:"signature,omitempty"`
}

// Status is a query this node asked, with what came back so far.
type Status struct {
	ID       string          `json:"id"`
	Text     string          `json:"query"`
	Epsilon  string          `json:"epsilon,omitempty"`
	Issued   string          `json:"issued"`
	Expires  string          `json:"expires"`
	Open     bool            `json:"open"`
	Nodes    []NodeReport    `json:"nodes"`
	Combined *query.Combined `json:"combined"`
}

// Answered counts the nodes that answered or refused.
func (s Status) Answered() int {
	n := 0
	for _, nd := range s.Nodes {
		if nd.State == NodeAnswered || nd.State == NodeRefused {
			n++
		}
	}
	return n
}

// Status returns the query this node asked whose id starts with id, with
// every member's part and the combined figures.
func (f *Federation) Status(ctx context.Context, id string) (Status, error) {
	a, err := f.find(ctx, id)
	if err != nil {
		return Status{}, err
	}
	return f.status(ctx, a)
}

func (f *Federation) status(ctx context.Context, a asked) (Status, error) {
	q := a.Query
	got, err := f.answers(ctx, a.Hash)
	if err != nil {
		return Status{}, err
	}
	exp, _ := protocol.ParseTime(q.Expires)
	open := f.now().Before(exp)
	st := Status{ID: q.ID, Text: q.Text, Epsilon: q.Epsilon, Issued: q.Issued, Expires: q.Expires, Open: open}
	// Expected: every current member, and whoever answered.
	expected := map[peer.ID]bool{}
	for _, m := range f.cfg.Registry.Members() {
		if m.Active() {
			expected[m.Certificate.Peer] = true
		}
	}
	for p := range got {
		expected[p] = true
	}
	peers := make([]peer.ID, 0, len(expected))
	for p := range expected {
		peers = append(peers, p)
	}
	slices.Sort(peers)
	parsed, err := query.Parse(q.Text, query.Options{})
	if err != nil {
		return Status{}, fmt.Errorf("query %s: %w", q.ID, err)
	}
	var parts []query.Part
	for _, p := range peers {
		m, _ := f.cfg.Registry.Member(p)
		r := NodeReport{Peer: p, Org: m.Certificate.Org, Country: m.Certificate.Country}
		part := query.Part{Node: p.String()}
		if rec, ok := got[p]; ok {
			ans := rec.Opened.Answer
			r.State, r.Answered = NodeAnswered, rec.Envelope.Answered
			r.Signature = fmt.Sprintf("%x", rec.Envelope.Signature)
			if ans.Refused != nil {
				r.State, r.Reason, r.Message = NodeRefused, ans.Refused.Reason, ans.Refused.Message
			}
			part.Answer = ans
		} else if open {
			r.State = NodeWaiting
			part.Missing = "no answer yet (the query is open until " + q.Expires + ")"
		} else {
			r.State = NodeMissing
			part.Missing = "no answer by the deadline (" + q.Expires + ")"
		}
		st.Nodes = append(st.Nodes, r)
		parts = append(parts, part)
	}
	st.Combined = query.Combine(parsed, parts)
	slices.SortFunc(st.Nodes, func(a, b NodeReport) int {
		return strings.Compare(a.Country+"\x00"+a.Org+"\x00"+a.Peer.String(), b.Country+"\x00"+b.Org+"\x00"+b.Peer.String())
	})
	return st, nil
}

// List returns the queries this node asked, newest first, with their
// answers so far (no figures: Status has them).
func (f *Federation) List(ctx context.Context) ([]Status, error) {
	var all []asked
	err := f.cfg.Store.Scan(ctx, spaceMine, nil, func(_, val []byte) error {
		var a asked
		if err := protocol.Decode(val, protocol.MaxMessageSize, &a); err != nil {
			return err
		}
		all = append(all, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b asked) int { return strings.Compare(b.Query.Issued+b.Query.ID, a.Query.Issued+a.Query.ID) })
	out := make([]Status, 0, len(all))
	for _, a := range all {
		st, err := f.status(ctx, a)
		if err != nil {
			return nil, err
		}
		st.Combined = nil
		out = append(out, st)
	}
	return out, nil
}

// Wait returns the status of query id once every expected member answered,
// the query closed, or ctx ended, whichever comes first.
func (f *Federation) Wait(ctx context.Context, id string) (Status, error) {
	a, err := f.find(ctx, id)
	if err != nil {
		return Status{}, err
	}
	exp, _ := protocol.ParseTime(a.Query.Expires)
	for {
		changed := f.changed(a.Query.ID)
		st, err := f.status(ctx, a)
		if err != nil || st.Answered() == len(st.Nodes) || !st.Open {
			return st, err
		}
		timer := time.NewTimer(time.Until(exp) + time.Millisecond)
		select {
		case <-ctx.Done():
			timer.Stop()
			return f.status(context.WithoutCancel(ctx), a)
		case <-timer.C:
		case <-changed:
			timer.Stop()
		}
	}
}

// EvidenceFile is one file of a query's evidence.
type EvidenceFile struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// EvidenceFiles returns, for every answer to query id, exactly the bytes
// received, so a third party can check each figure without kolo
// (docs/query.md): NODE.age (the sealed figures, an age file),
// NODE.signed (the canonical string the answerer signed), NODE.sig (its
// Ed25519 signature, 64 bytes) and NODE.pub.pem (the answerer's public
// key, from its peer ID); and query.json with query.signed (the signed
// query and the string its requester signed). `kolo query --evidence DIR`
// writes them.
func (f *Federation) EvidenceFiles(ctx context.Context, id string) ([]EvidenceFile, error) {
	a, err := f.find(ctx, id)
	if err != nil {
		return nil, err
	}
	got, err := f.answers(ctx, a.Hash)
	if err != nil {
		return nil, err
	}
	qj, err := protocol.Encode(a.Query)
	if err != nil {
		return nil, err
	}
	qs, err := a.Query.SigningBytes()
	if err != nil {
		return nil, err
	}
	files := []EvidenceFile{{"query.json", append(qj, '\n')}, {"query.signed", qs}}
	for p, r := range got {
		signed, err := r.Envelope.SigningBytes()
		if err != nil {
			return nil, err
		}
		pem, err := publicKeyPEM(p)
		if err != nil {
			return nil, err
		}
		base := p.String()
		files = append(files,
			EvidenceFile{base + ".age", r.Envelope.Sealed},
			EvidenceFile{base + ".signed", signed},
			EvidenceFile{base + ".sig", r.Envelope.Signature},
			EvidenceFile{base + ".pub.pem", pem})
	}
	slices.SortFunc(files, func(a, b EvidenceFile) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}
