package declaration

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/protocol"
)

// exportedWorld builds a network with endorsements, a withdrawn one and a
// revoked member, and returns its JSON export.
func exportedWorld(t testing.TB) (*world, []byte) {
	t.Helper()
	w := newWorld(t)
	a := w.admit(t, "ASTRA <Anti Trafficking Action>", "RS")
	b := w.admit(t, "Udruženje „Žene s Unom“", "BA")
	c := w.admit(t, "Open Gate – La Strada", "MK")
	d := w.admit(t, "Leaving", "HR")
	var withdrawn protocol.Endorsement
	for _, m := range []member{a, b, c, d} {
		e := w.endorse(t, m)
		if _, err := w.ledger.Add(ctx, e); err != nil {
			t.Fatal(err)
		}
		if m.id == c.id {
			withdrawn = e
		}
	}
	w.clk.Add(time.Hour)
	r, err := NewRevocation(c.key, withdrawn, w.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ledger.Revoke(ctx, r); err != nil {
		t.Fatal(err)
	}
	mr, _ := w.reg.NewMemberRevocation(d.id, false)
	if _, err := w.reg.Revoke(ctx, mr); err != nil {
		t.Fatal(err)
	}
	exp, err := w.ledger.Export()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, exp); err != nil {
		t.Fatal(err)
	}
	return w, buf.Bytes()
}

func TestExportVerifies(t *testing.T) {
	t.Parallel()
	w, data := exportedWorld(t)
	rep, err := VerifyExport(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("VerifyExport: %v\n%s", err, strings.Join(rep.Problems, "\n"))
	}
	st := w.ledger.Status()
	if rep.Status.Count != 2 || !sameStatus(rep.Status, st) || rep.Members != 5 || len(rep.Entries) != 4 {
		t.Fatalf("report %+v, ledger status %+v", rep, st)
	}
	if rep.Declaration != Current().SHA256 || rep.Network != w.net.ID {
		t.Fatalf("report names %s / %s", rep.Declaration, rep.Network)
	}
}

// TestExportWithStandardEd25519 checks an exported endorsement with
// nothing but crypto/ed25519 and the export's own fields.
func TestExportWithStandardEd25519(t *testing.T) {
	t.Parallel()
	_, data := exportedWorld(t)
	var raw struct {
		Endorsements []struct {
			PublicKey []byte `json:"public_key"`
			Signed    string `json:"signed"`
			Signature []byte `json:"signature"`
		} `json:"endorsements"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Endorsements) == 0 {
		t.Fatal("no endorsements exported")
	}
	for _, e := range raw.Endorsements {
		if !ed25519.Verify(e.PublicKey, []byte(e.Signed), e.Signature) {
			t.Fatalf("crypto/ed25519 does not verify %q", e.Signed)
		}
	}
}

func TestExportTampered(t *testing.T) {
	t.Parallel()
	_, data := exportedWorld(t)
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := func(m map[string]any, list string) map[string]any { return m[list].([]any)[0].(map[string]any) }
	cases := map[string]struct {
		in   []byte
		want string
	}{
		"org changed": {edit(func(m map[string]any) {
			e := first(m, "endorsements")
			e["org"] = "Fake Org"
			e["signed"] = strings.Replace(e["signed"].(string), "org:ASTRA <Anti Trafficking Action>", "org:Fake Org", 1)
		}), "signature does not verify"},
		"signed text changed": {edit(func(m map[string]any) {
			first(m, "endorsements")["signed"] = "kolo-endorsement-v1\n"
		}), "not the canonical string"},
		"public key swapped": {edit(func(m map[string]any) {
			first(m, "endorsements")["public_key"] = first(m, "members")["public_key"]
		}), "public key shown"},
		"count inflated": {edit(func(m map[string]any) {
			m["status"].(map[string]any)["count"] = 20
		}), "the export claims 20"},
		"state changed": {edit(func(m map[string]any) {
			for _, e := range m["endorsements"].([]any) {
				e.(map[string]any)["state"] = StateCounted
			}
		}), "the export says"},
		"member removed": {edit(func(m map[string]any) {
			m["members"] = m["members"].([]any)[:1]
		}), "not a member"},
		"threshold lowered": {edit(func(m map[string]any) {
			m["network"].(map[string]any)["policy"].(map[string]any)["endorsement_threshold"] = 2
		}), "network file"},
		"unknown field": {edit(func(m map[string]any) { m["note"] = "trust me" }), "unknown field"},
		"wrong format":  {edit(func(m map[string]any) { m["format"] = "v0" }), "format"},
		"trailing data": {append(append([]byte{}, data...), []byte("{}")...), "data after"},
		"too large":     {append(append([]byte{}, data...), bytes.Repeat([]byte(" "), MaxExportSize)...), "over the size cap"},
		"not JSON":      {[]byte("hello"), "not a JSON export of the Declaration (kolo declaration export --format json): malformed JSON"},
		"HTML":          {[]byte("\ufeff\n  <!DOCTYPE html><html>"), "this is a web page (HTML)"},
		"count by country changed": {edit(func(m map[string]any) {
			m["status"].(map[string]any)["by_country"] = []any{map[string]any{"country": "AL", "count": 2}}
		}), "the export claims 2 of 20 endorsements (AL 2); the verified records give 2 (BA 1, RS 1)"},
	}
	for name, c := range cases {
		_, err := VerifyExport(bytes.NewReader(c.in))
		if !errors.Is(err, ErrInvalidExport) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: VerifyExport = %v; want ErrInvalidExport containing %q", name, err, c.want)
		}
		// People's words, not Go's: no type names, no struct dumps.
		if err != nil && (strings.Contains(err.Error(), "declaration.") || strings.Contains(err.Error(), "{")) {
			t.Errorf("%s: VerifyExport = %v: Go values in the message", name, err)
		}
	}
}

func TestExportHTML(t *testing.T) {
	t.Parallel()
	w, _ := exportedWorld(t)
	exp, err := w.ledger.Export()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, exp); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{
		`<html lang="en">`,
		"<title>Western Balkans Civil Society Declaration",
		"2 organisations have endorsed this Declaration.",
		"It becomes viable once 20 organisations have endorsed it: 18 more are needed.",
		"ASTRA &lt;Anti Trafficking Action&gt;", // escaped
		"Udruženje „Žene s Unom“",
		"<td>Serbia</td>", "<td>Bosnia and Herzegovina</td>", // country names, not codes
		"<h2>Principles</h2>", "<strong>Human rights first.</strong>", // Markdown rendered
		Current().SHA256,
		exp.NetworkSHA256,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML export lacks %q", want)
		}
	}
	for _, absent := range []string{"<Anti", "Open Gate", "Leaving", "**", "<details>", "<script", "http://", "https://"} { // raw, withdrawn, revoked, Markdown, original, nothing outside
		if strings.Contains(html, absent) {
			t.Errorf("HTML export shows %q", absent)
		}
	}
}

// FuzzVerifyExport feeds arbitrary bytes to VerifyExport: no panic, and
// whatever verifies has a consistent report.
func FuzzVerifyExport(f *testing.F) {
	_, data := exportedWorld(f)
	f.Add(data)
	f.Add([]byte(`{"format":"kolo-declaration-export-v2"}`))
	f.Add([]byte(`{}`))
	var small bytes.Buffer
	if err := json.Compact(&small, data); err != nil {
		f.Fatal(err)
	}
	f.Add(small.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		rep, err := VerifyExport(bytes.NewReader(in))
		if err == nil && (len(rep.Problems) != 0 || rep.Status.Count > len(rep.Entries)) {
			t.Fatalf("verified export with problems %v or count %d > entries %d", rep.Problems, rep.Status.Count, len(rep.Entries))
		}
	})
}
