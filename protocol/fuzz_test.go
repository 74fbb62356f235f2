package protocol

import (
	"bytes"
	"testing"
)

// seedMessages returns the vectors' records, framed, as fuzz seeds.
func seedMessages(f *testing.F) [][]byte {
	var out [][]byte
	for _, v := range loadVectors(f) {
		out = append(out, frame(v.Record))
	}
	if len(out) == 0 {
		f.Fatal("no fuzz seeds")
	}
	return out
}

// FuzzReceive feeds arbitrary bytes to the framed, strict decoder as every
// message type a peer can send, and checks what decodes can be handled
// without panicking and re-encodes to something that decodes again.
func FuzzReceive(f *testing.F) {
	for _, s := range seedMessages(f) {
		f.Add(s)
	}
	f.Add(frame([]byte(`{"network":"kolovectorsnetworkid22345a","have":"AAAA","more":false}`)))
	f.Add(frame([]byte(`{"records":[{"endorsement":{}}],"more":false}`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Decoding is strict about the JSON, not about absent fields: a
		// message without a peer ID decodes, and its re-encoding ("peer":
		// "") does not, by libp2p's peer.ID. What a node acts on has passed
		// its field checks (SigningBytes, Hash), so only that must
		// round-trip.
		var rec Record
		if err := NewConn(bytes.NewBuffer(data)).Receive(&rec); err == nil {
			if h, err := rec.Hash(); err == nil {
				if _, err := rec.SigningBytes(); err != nil {
					t.Fatalf("hash %s but no signing bytes: %v", h, err)
				}
				switch rec.Kind() {
				case KindCertificate:
					_ = rec.Certificate.Verify()
				case KindEndorsement:
					_ = rec.Endorsement.Verify()
				case KindRevocation:
					_ = rec.Revocation.Verify()
				case KindMemberRevocation:
					_ = rec.MemberRevocation.Verify()
				case KindQuery:
					_ = rec.Query.Verify()
				}
				roundTrip(t, &rec, new(Record))
			}
		}
		var req JoinRequest
		if err := NewConn(bytes.NewBuffer(data)).Receive(&req); err == nil {
			_ = req.VerifyProof()
			if _, err := req.SigningBytes(); err == nil {
				roundTrip(t, &req, new(JoinRequest))
			}
		}
		var resp JoinResponse
		if err := NewConn(bytes.NewBuffer(data)).Receive(&resp); err == nil && resp.Network != nil {
			_ = resp.Network.Verify()
		}
		var sr SyncRequest
		_ = NewConn(bytes.NewBuffer(data)).Receive(&sr)
		var recs SyncRecords
		_ = NewConn(bytes.NewBuffer(data)).Receive(&recs)
		var n Network
		if err := NewConn(bytes.NewBuffer(data)).Receive(&n); err == nil {
			_, _ = n.Hash()
			_ = n.Verify()
		}
		var consent JoinConsent
		_ = NewConn(bytes.NewBuffer(data)).Receive(&consent)
		var res JoinResult
		_ = NewConn(bytes.NewBuffer(data)).Receive(&res)
		var a Answer
		if err := NewConnSize(bytes.NewBuffer(data), MaxAnswerSize).Receive(&a); err == nil {
			_ = a.Verify()
		}
		var ack AnswerAck
		_ = NewConn(bytes.NewBuffer(data)).Receive(&ack)
	})
}

func roundTrip[T any](t *testing.T, v *T, into *T) {
	t.Helper()
	var buf bytes.Buffer
	c := NewConn(&buf)
	if err := c.Send(v); err != nil {
		return // re-encoding may exceed the cap (base64 grows): not an error of the decoder
	}
	if err := c.Receive(into); err != nil {
		t.Fatalf("re-encoded %T does not decode: %v", v, err)
	}
}

// FuzzParseInviteToken checks the token parser on arbitrary strings: no
// panic, and a parsed token prints back to a string that parses the same.
func FuzzParseInviteToken(f *testing.F) {
	f.Add(testToken(f).String())
	f.Add("kolo1")
	f.Add("kolo1mfrggzdfmztwq2lknnwg23tpobyxe43uov3ho6dzpi")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := ParseInviteToken(s)
		if err != nil {
			return
		}
		again, err := ParseInviteToken(tok.String())
		if err != nil || again.String() != tok.String() {
			t.Fatalf("token %q does not round-trip: %v", s, err)
		}
	})
}
