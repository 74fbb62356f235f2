package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotRunning says that no daemon serves this home.
var ErrNotRunning = errors.New("no kolo daemon is running for this home")

// maxResponse caps a response read from the daemon.
const maxResponse = 256 << 20

// Client talks to the daemon of one home directory.
type Client struct {
	URL   string
	Token string
	HTTP  *http.Client
}

// Dial finds the daemon of home and checks that it answers. It returns
// ErrNotRunning (wrapped) when there is none.
func Dial(ctx context.Context, home string) (*Client, error) {
	raw, err := os.ReadFile(filepath.Join(home, DaemonFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotRunning
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", DaemonFile, err)
	}
	var d Daemon
	if err := json.Unmarshal(raw, &d); err != nil || d.URL == "" {
		return nil, fmt.Errorf("%s in %s is damaged; if no daemon runs, delete it", DaemonFile, home)
	}
	tok, err := os.ReadFile(filepath.Join(home, TokenFile))
	if err != nil {
		return nil, fmt.Errorf("%w (daemon.json present but %s unreadable: %v)", ErrNotRunning, TokenFile, err)
	}
	c := &Client{URL: d.URL, Token: strings.TrimSpace(string(tok)), HTTP: &http.Client{Timeout: 5 * time.Minute}}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := c.Do(pctx, http.MethodGet, "/v1/status", nil, nil); err != nil {
		var ae *Error
		if errors.As(err, &ae) {
			return nil, err // it answers, but refuses: say why
		}
		return nil, fmt.Errorf("%w (stale %s: %v)", ErrNotRunning, DaemonFile, err)
	}
	return c, nil
}

// Do sends a request with body in (JSON-encoded unless it is an io.Reader
// or nil) and decodes the JSON response into out (unless nil).
func (c *Client) Do(ctx context.Context, method, path string, in, out any) error {
	resp, err := c.send(ctx, c.HTTP, method, path, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("daemon API %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return problem(method, path, resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("daemon API %s %s: decode response: %w", method, path, err)
	}
	return nil
}

// Stream sends a request as Do does and returns the response's body to
// read as it comes, for an answer too large to hold (a backup); the caller
// closes it. Only ctx bounds it, not the client's timeout.
func (c *Client) Stream(ctx context.Context, method, path string, in any) (io.ReadCloser, error) {
	hc := *c.HTTP
	hc.Timeout = 0
	resp, err := c.send(ctx, &hc, method, path, in)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
		return nil, problem(method, path, resp, data)
	}
	return resp.Body, nil
}

// problem is the error of a response that is not 200 OK.
func problem(method, path string, resp *http.Response, data []byte) error {
	var p Problem
	if json.Unmarshal(data, &p) == nil && p.Error != "" {
		return &Error{Code: resp.StatusCode, Err: errors.New(p.Error)}
	}
	return &Error{Code: resp.StatusCode, Err: fmt.Errorf("daemon API %s %s: %s", method, path, resp.Status)}
}

// send sends one request with hc.
func (c *Client) send(ctx context.Context, hc *http.Client, method, path string, in any) (*http.Response, error) {
	var body io.Reader
	switch v := in.(type) {
	case nil:
	case io.Reader:
		body = v
	default:
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("daemon API %s %s: %w", method, path, err)
	}
	return resp, nil
}
