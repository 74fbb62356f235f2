package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-msgio"
)

// ErrTooLarge is wrapped when a message or file is over its size cap.
var ErrTooLarge = errors.New("over the size cap")

// Conn reads and writes framed messages: an unsigned varint length, then
// that many bytes of JSON. Reading refuses a length over MaxMessageSize
// before reading the body, and decodes strictly.
type Conn struct {
	r   msgio.ReadCloser
	w   msgio.WriteCloser
	max int
}

// NewConn frames messages over rw (a libp2p stream, an io.Pipe).
func NewConn(rw io.ReadWriter) *Conn { return NewConnSize(rw, MaxMessageSize) }

// NewConnSize frames messages over rw with a cap of max bytes per message
// (the answer protocol carries sealed figures up to MaxAnswerSize).
func NewConnSize(rw io.ReadWriter, max int) *Conn {
	return &Conn{
		r:   msgio.NewVarintReaderSize(rw, max),
		w:   msgio.NewVarintWriter(rw),
		max: max,
	}
}

// Send encodes v as JSON and writes it as one framed message.
func (c *Conn) Send(v any) error {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		return err
	}
	if buf.Len() > c.max {
		return fmt.Errorf("send %T: %d bytes, cap %d: %w", v, buf.Len(), c.max, ErrTooLarge)
	}
	if err := c.w.WriteMsg(buf.Bytes()); err != nil {
		return fmt.Errorf("send %T: %w", v, err)
	}
	return nil
}

// Receive reads one framed message into v, strictly.
func (c *Conn) Receive(v any) error {
	msg, err := c.r.ReadMsg()
	if errors.Is(err, msgio.ErrMsgTooLarge) {
		return fmt.Errorf("receive %T: message longer than %d bytes: %w", v, c.max, ErrTooLarge)
	}
	if err != nil {
		return fmt.Errorf("receive %T: %w", v, err)
	}
	defer c.r.ReleaseMsg(msg)
	if err := decodeStrict(msg, v); err != nil {
		return fmt.Errorf("receive %T: %w", v, err)
	}
	return nil
}

// Decode decodes one message (a GossipSub payload, a file) of at most max
// bytes into v, strictly: unknown fields, trailing data and a size over max
// are errors.
func Decode(data []byte, max int, v any) error {
	if len(data) > max {
		return fmt.Errorf("decode %T: %d bytes, cap %d: %w", v, len(data), max, ErrTooLarge)
	}
	if err := decodeStrict(data, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}

// DecodeReader reads at most max bytes from r and decodes them into v like
// Decode. A longer input is refused without reading it all.
func DecodeReader(r io.Reader, max int, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return fmt.Errorf("decode %T: read: %w", v, err)
	}
	if len(data) > max {
		return fmt.Errorf("decode %T: longer than %d bytes: %w", v, max, ErrTooLarge)
	}
	return Decode(data, max, v)
}

// Encode writes v as JSON (no HTML escaping, so it reads as written).
func Encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %T: %w", v, err)
	}
	return nil
}

// decodeStrict decodes JSON refusing unknown fields and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("malformed JSON: data after the value")
	}
	return nil
}
