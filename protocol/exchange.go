package protocol

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Handler is what a node implements to answer the kolo stream protocols.
// The caller (the node's stream handler) has already checked who the peer
// is allowed to be, set a deadline on the stream and capped it; Handler
// decides on content.
type Handler interface {
	// Join answers the peer from, which presents req, with the certificate
	// it would be admitted with (signed by this node), or says why not.
	// The error's text is sent back to the peer.
	Join(ctx context.Context, from peer.ID, req JoinRequest) (JoinResponse, error)
	// Admit stores and publishes cert, the certificate Join offered, now
	// signed by the peer too, or says why not (the text is sent back).
	Admit(ctx context.Context, from peer.ID, req JoinRequest, cert Certificate) error
	// Missing returns the records of network the node holds whose hashes
	// are not in have, in an order the receiver can apply them in
	// (certificates before what they sign).
	Missing(ctx context.Context, from peer.ID, network string, have map[Hash]struct{}) ([]Record, error)
}

var (
	// ErrRefused is wrapped, on the asking side, when the other side
	// answered with an error.
	ErrRefused = errors.New("refused by the peer")
	// ErrDenied is wrapped, on the answering side, when the Handler refused
	// the request and the refusal was sent back: the exchange itself worked.
	ErrDenied = errors.New("request denied")
)

// MaxSyncRecords caps how many records one sync may bring.
const MaxSyncRecords = 100_000

// ServeJoin answers one join exchange on rw: the request, the offered
// certificate, the joining node's signature over it, the result.
func ServeJoin(ctx context.Context, rw io.ReadWriter, from peer.ID, h Handler) error {
	c := NewConn(rw)
	var req JoinRequest
	if err := c.Receive(&req); err != nil {
		return fmt.Errorf("join from %s: %w", from, err)
	}
	resp, herr := h.Join(ctx, from, req)
	if herr == nil && resp.Certificate == nil {
		herr = errors.New("no certificate to offer")
	}
	if herr != nil {
		resp = JoinResponse{Error: herr.Error()}
	}
	if err := c.Send(resp); err != nil {
		return fmt.Errorf("join from %s: %w", from, err)
	}
	if herr != nil {
		return fmt.Errorf("join from %s: %w: %w", from, ErrDenied, herr)
	}
	var consent JoinConsent
	if err := c.Receive(&consent); err != nil {
		return fmt.Errorf("join from %s: consent: %w", from, err)
	}
	cert := *resp.Certificate
	cert.PeerSignature = consent.PeerSignature
	herr = h.Admit(ctx, from, req, cert)
	var res JoinResult
	if herr != nil {
		res.Error = herr.Error()
	}
	if err := c.Send(res); err != nil {
		return fmt.Errorf("join from %s: %w", from, err)
	}
	if herr != nil {
		return fmt.Errorf("join from %s: %w: %w", from, ErrDenied, herr)
	}
	return nil
}

// RequestJoin sends req on rw, reads the offered certificate, has accept
// check the offer and sign it (Certificate.Accept), sends that signature
// and reads the result. It returns the answer with the certificate signed
// by both. A refusal comes back as an error wrapping ErrRefused with the
// inviter's reason; an offer accept refuses ends the exchange unsigned.
func RequestJoin(ctx context.Context, rw io.ReadWriter, req JoinRequest, accept func(JoinResponse) ([]byte, error)) (JoinResponse, error) {
	c := NewConn(rw)
	if err := c.Send(req); err != nil {
		return JoinResponse{}, fmt.Errorf("join: %w", err)
	}
	var resp JoinResponse
	if err := c.Receive(&resp); err != nil {
		return JoinResponse{}, fmt.Errorf("join: %w", err)
	}
	if resp.Error != "" {
		return resp, fmt.Errorf("join: %w: %s", ErrRefused, resp.Error)
	}
	if resp.Network == nil || resp.Certificate == nil {
		return resp, errors.New("join: answer has no network file or no certificate")
	}
	sig, err := accept(resp)
	if err != nil {
		return resp, fmt.Errorf("join: the inviter's offer: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return resp, err
	}
	if err := c.Send(JoinConsent{PeerSignature: sig}); err != nil {
		return resp, fmt.Errorf("join: %w", err)
	}
	var res JoinResult
	if err := c.Receive(&res); err != nil {
		return resp, fmt.Errorf("join: result: %w", err)
	}
	if res.Error != "" {
		return resp, fmt.Errorf("join: %w: %s", ErrRefused, res.Error)
	}
	cert := *resp.Certificate
	cert.PeerSignature = sig
	resp.Certificate = &cert
	return resp, nil
}

// ServeSync answers one sync exchange on rw: it reads the pages of hashes
// the peer holds and sends the records it lacks, in pages.
func ServeSync(ctx context.Context, rw io.ReadWriter, from peer.ID, h Handler) error {
	c := NewConn(rw)
	have := make(map[Hash]struct{})
	network := ""
	for page := 1; ; page++ {
		var req SyncRequest
		if err := c.Receive(&req); err != nil {
			return fmt.Errorf("sync from %s: page %d: %w", from, page, err)
		}
		if err := CheckNetworkID("sync request", "network", req.Network); err != nil {
			return fmt.Errorf("sync from %s: %w", from, err)
		}
		if network != "" && req.Network != network {
			return fmt.Errorf("sync from %s: page %d is for network %s, page 1 for %s", from, page, req.Network, network)
		}
		network = req.Network
		if len(req.Have)%len(Hash{}) != 0 || len(req.Have) > HashesPerPage*len(Hash{}) {
			return fmt.Errorf("sync from %s: page %d: have is %d bytes; a whole number of 32-byte hashes, at most %d, expected", from, page, len(req.Have), HashesPerPage)
		}
		for i := 0; i < len(req.Have); i += len(Hash{}) {
			have[Hash(req.Have[i:i+len(Hash{})])] = struct{}{}
		}
		if len(have) > MaxSyncHashes {
			return fmt.Errorf("sync from %s: more than %d hashes", from, MaxSyncHashes)
		}
		if !req.More {
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	recs, herr := h.Missing(ctx, from, network, have)
	if herr != nil {
		if err := c.Send(SyncRecords{Error: herr.Error()}); err != nil {
			return fmt.Errorf("sync from %s: %w", from, err)
		}
		return fmt.Errorf("sync from %s: %w: %w", from, ErrDenied, herr)
	}
	return sendRecords(ctx, c, recs)
}

// sendRecords sends recs in pages that stay under MaxMessageSize.
func sendRecords(ctx context.Context, c *Conn, recs []Record) error {
	const budget = MaxMessageSize - 256 // room for the page's own JSON
	page := SyncRecords{Records: []Record{}}
	size := 0
	for _, r := range recs {
		b, err := Encode(r)
		if err != nil {
			return err
		}
		if len(b) > budget {
			return fmt.Errorf("sync: a %s record is %d bytes, over the page budget %d", r.Kind(), len(b), budget)
		}
		if size+len(b)+1 > budget {
			page.More = true
			if err := c.Send(page); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			page, size = SyncRecords{Records: []Record{}}, 0
		}
		page.Records = append(page.Records, r)
		size += len(b) + 1
	}
	page.More = false
	return c.Send(page)
}

// PullRecords asks the peer on rw for the records of network it holds and
// have lacks, and returns them as received (not yet verified: the caller
// verifies each before storing it).
func PullRecords(ctx context.Context, rw io.ReadWriter, network string, have []Hash) ([]Record, error) {
	if len(have) > MaxSyncHashes {
		return nil, fmt.Errorf("sync: %d hashes, more than %d", len(have), MaxSyncHashes)
	}
	c := NewConn(rw)
	for start := 0; ; start += HashesPerPage {
		end := min(start+HashesPerPage, len(have))
		req := SyncRequest{Network: network, Have: make([]byte, 0, (end-start)*len(Hash{})), More: end < len(have)}
		for _, h := range have[start:end] {
			req.Have = append(req.Have, h[:]...)
		}
		if err := c.Send(req); err != nil {
			return nil, fmt.Errorf("sync: %w", err)
		}
		if !req.More {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	var out []Record
	for page := 1; ; page++ {
		var p SyncRecords
		if err := c.Receive(&p); err != nil {
			return out, fmt.Errorf("sync: records page %d: %w", page, err)
		}
		if p.Error != "" {
			return out, fmt.Errorf("sync: %w: %s", ErrRefused, p.Error)
		}
		out = append(out, p.Records...)
		if len(out) > MaxSyncRecords {
			return out[:MaxSyncRecords], fmt.Errorf("sync: more than %d records", MaxSyncRecords)
		}
		if !p.More {
			return out, nil
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
	}
}

// AnswerHandler is what a node implements to take the answers to its
// queries delivered on AnswerID.
type AnswerHandler interface {
	// Deliver checks and keeps a, sent by peer from, or says why not (the
	// text is sent back).
	Deliver(ctx context.Context, from peer.ID, a Answer) error
}

// ServeAnswer takes one answer on rw (capped at MaxAnswerSize) and
// acknowledges it.
func ServeAnswer(ctx context.Context, rw io.ReadWriter, from peer.ID, h AnswerHandler) error {
	c := NewConnSize(rw, MaxAnswerSize)
	var a Answer
	if err := c.Receive(&a); err != nil {
		return fmt.Errorf("answer from %s: %w", from, err)
	}
	herr := h.Deliver(ctx, from, a)
	var ack AnswerAck
	if herr != nil {
		ack.Error = herr.Error()
	}
	if err := c.Send(ack); err != nil {
		return fmt.Errorf("answer from %s: %w", from, err)
	}
	if herr != nil {
		return fmt.Errorf("answer from %s: %w: %w", from, ErrDenied, herr)
	}
	return nil
}

// SendAnswer sends a on rw and reads the acknowledgement; a refusal comes
// back wrapping ErrRefused.
func SendAnswer(rw io.ReadWriter, a Answer) error {
	c := NewConnSize(rw, MaxAnswerSize)
	if err := c.Send(a); err != nil {
		return fmt.Errorf("send answer: %w", err)
	}
	var ack AnswerAck
	if err := c.Receive(&ack); err != nil {
		return fmt.Errorf("send answer: %w", err)
	}
	if ack.Error != "" {
		return fmt.Errorf("send answer: %w: %s", ErrRefused, ack.Error)
	}
	return nil
}
