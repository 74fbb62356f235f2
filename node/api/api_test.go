package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestErrorsAreJSON: what net/http answers by itself (no such endpoint,
// a method the endpoint does not take, a path to clean) comes as a JSON
// Problem naming the request, like every other answer; the endpoints'
// own answers pass unchanged.
func TestErrorsAreJSON(t *testing.T) {
	t.Parallel()
	s := NewServer("secret", slog.New(slog.DiscardHandler))
	s.HandleJSON("GET /v1/status", func(*http.Request) (any, error) { return map[string]string{"ok": "yes"}, nil })
	s.HandleJSON("GET /v1/things/{id}", func(r *http.Request) (any, error) {
		return nil, NotFound(errNo(r.PathValue("id")))
	})
	if err := s.Listen(0); err != nil {
		t.Fatal(err)
	}
	go s.Serve()
	t.Cleanup(func() { s.Shutdown(t.Context()) })
	for _, tc := range []struct {
		method, path string
		code         int
		want         string
	}{
		{"GET", "/v1/status", 200, `"ok": "yes"`},
		{"GET", "/v1/things/x", 404, "no thing x"},
		{"GET", "/v1/nothing", 404, "no endpoint GET /v1/nothing"},
		{"GET", "/v1/things/", 404, "no endpoint GET /v1/things/"},
		{"DELETE", "/v1/status", 405, "DELETE /v1/status: method not allowed; this endpoint takes GET, HEAD"},
		{"GET", "/v1//status", 307, "GET /v1//status: the path is written /v1/status"},
	} {
		req, _ := http.NewRequest(tc.method, s.URL()+tc.path, nil)
		req.Header.Set("Authorization", "Bearer secret")
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body json.RawMessage
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != tc.code || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s %s: %d %s %s (%v); want %d with %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, err, tc.code, tc.want)
		}
	}
}

type errNo string

func (e errNo) Error() string { return "no thing " + string(e) }
