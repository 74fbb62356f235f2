package protocol

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func frame(body []byte) []byte {
	buf := binary.AppendUvarint(nil, uint64(len(body)))
	return append(buf, body...)
}

func TestConnRoundTrip(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	c := NewConn(&buf)
	in := SyncRequest{Network: vecNetwork, Have: bytes.Repeat([]byte{7}, 64), More: true}
	must(t, c.Send(in))
	var out SyncRequest
	must(t, c.Receive(&out))
	if out.Network != in.Network || !bytes.Equal(out.Have, in.Have) || !out.More {
		t.Fatalf("round trip: %+v", out)
	}
}

func TestConnRefuses(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		input []byte
		want  string
	}{
		"unknown field":  {frame([]byte(`{"network":"x","extra":1}`)), "unknown field"},
		"trailing data":  {frame([]byte(`{"network":"x"} {}`)), "data after the value"},
		"not JSON":       {frame([]byte(`network`)), "malformed JSON"},
		"wrong type":     {frame([]byte(`{"more":"yes"}`)), "malformed JSON"},
		"over the cap":   {binary.AppendUvarint(nil, MaxMessageSize+1), "longer than"},
		"truncated body": {append(binary.AppendUvarint(nil, 100), '{'), "EOF"},
		"empty stream":   {nil, "EOF"},
	}
	for name, c := range cases {
		var v SyncRequest
		err := NewConn(bytes.NewBuffer(c.input)).Receive(&v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Receive = %v, want error containing %q", name, err, c.want)
		}
	}
	// The sender refuses too: a message over the cap is never written.
	var buf bytes.Buffer
	err := NewConn(&buf).Send(SyncRequest{Have: make([]byte, MaxMessageSize)})
	if !errors.Is(err, ErrTooLarge) || buf.Len() != 0 {
		t.Errorf("Send over the cap = %v, wrote %d bytes", err, buf.Len())
	}
}

func TestDecodeReaderCap(t *testing.T) {
	t.Parallel()
	var v map[string]any
	err := DecodeReader(strings.NewReader(`{"a":"`+strings.Repeat("x", 100)+`"}`), 50, &v)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("DecodeReader over the cap = %v", err)
	}
	must(t, DecodeReader(strings.NewReader(`{"a":1}`), 50, &v))
}

func TestRecordKind(t *testing.T) {
	t.Parallel()
	var r Record
	must(t, Decode([]byte(`{"endorsement":{"network":"x"},"revocation":{"network":"y"}}`), MaxMessageSize, &r))
	if r.Kind() != "" {
		t.Errorf("a record with two fields set has kind %q", r.Kind())
	}
	if _, err := r.SigningBytes(); err == nil || !strings.Contains(err.Error(), "exactly one") {
		t.Errorf("SigningBytes of a two-field record = %v", err)
	}
	if _, err := (Record{}).Hash(); err == nil {
		t.Error("an empty record has a hash")
	}
}
