package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/rogpeppe/go-internal/txtar"
)

var updateFixtures = flag.Bool("update-fixtures", false, "rewrite the Declaration exports in testdata/declaration.txtar from the code")

const fixturesFile = "testdata/declaration.txtar"

// fixtureExports builds, from fixed keys and times, the exports that
// testdata/declaration.txtar verifies: a network of two organisations that
// both endorse (good.json), the same with the second endorsement's date
// changed after signing (tampered-date.json), and with a count claimed
// higher than the records give (tampered-count.json).
func fixtureExports(t *testing.T) map[string][]byte {
	t.Helper()
	key := func(b byte) crypto.PrivKey {
		k, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize)))
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	astra, strada := key(0x41), key(0x42)
	const netID = "owjh2yfbxzit72yty4pw4dw5na"
	founder, err := membership.FounderCertificate(astra, netID, membership.Founding{Org: "ASTRA – Anti Trafficking Action", Country: "RS",
		Age: "age18mxg3drm70syx0zqe8gthd0k0s0h8xmlawxcnz603afv0z44levq7xzqej"}, at("2024-03-01T09:30:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	n := protocol.Network{ID: netID, Name: "Western Balkans CSO network against trafficking", Declaration: declaration.Current().Ref(),
		Policy: protocol.DefaultPolicy(), Founders: []protocol.Certificate{founder}, CreatedBy: founder.Peer}
	if err := n.Sign(astra); err != nil {
		t.Fatal(err)
	}
	now := at("2024-03-05T11:30:00Z")
	reg, err := membership.Open(ctx, nil, membership.Options{Key: astra, Now: func() time.Time { return now }, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Init(ctx, n); err != nil {
		t.Fatal(err)
	}
	sp, _ := peer.IDFromPrivateKey(strada)
	member := protocol.Certificate{Network: netID, Peer: sp, Age: "age1rzamxgylak8pxt07lrw6quecjwesu5995cca8aj5a66jcghatyrq2ndcns",
		Org: "La Strada Macedonia", Country: "MK", Roles: []protocol.Role{protocol.RolePartner}, Issued: "2024-03-02T11:30:00Z", AdmittedBy: founder.Peer}
	if err := member.Sign(astra); err != nil {
		t.Fatal(err)
	}
	if err := member.Accept(strada); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AddCertificate(ctx, member); err != nil {
		t.Fatal(err)
	}
	ledger, err := declaration.Open(ctx, nil, reg, declaration.Options{Now: func() time.Time { return now }, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		key  crypto.PrivKey
		cert protocol.Certificate
		date string
	}{{astra, founder, "2024-03-04T10:00:00Z"}, {strada, member, "2024-03-05T10:00:00Z"}} {
		end, err := declaration.NewEndorsement(e.key, n, e.cert, at(e.date))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ledger.Add(ctx, end); err != nil {
			t.Fatal(err)
		}
	}
	exp, err := ledger.Export()
	if err != nil {
		t.Fatal(err)
	}
	write := func(exp declaration.Export) []byte {
		var b bytes.Buffer
		if err := declaration.WriteJSON(&b, exp); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	out := map[string][]byte{"good.json": write(exp)}
	var tampered declaration.Export
	if err := json.Unmarshal(out["good.json"], &tampered); err != nil {
		t.Fatal(err)
	}
	e := &tampered.Endorsements[1]
	e.Signed = strings.Replace(e.Signed, "date:"+e.Date, "date:2024-03-01", 1)
	e.Date = "2024-03-01"
	out["tampered-date.json"] = write(tampered)
	if err := json.Unmarshal(out["good.json"], &tampered); err != nil {
		t.Fatal(err)
	}
	tampered.Status.Count = 3
	out["tampered-count.json"] = write(tampered)
	return out
}

// TestDeclarationFixtures keeps the exports in testdata/declaration.txtar
// made by the code as it is: a change to what is signed shows up here, and
// -update-fixtures rewrites them.
func TestDeclarationFixtures(t *testing.T) {
	want := fixtureExports(t)
	ar, err := txtar.ParseFile(fixturesFile)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i, f := range ar.Files {
		w, ok := want[f.Name]
		if !ok {
			continue
		}
		found++
		if *updateFixtures {
			ar.Files[i].Data = w
		} else if !bytes.Equal(f.Data, w) {
			t.Errorf("%s in %s is not what the code makes; run go test ./cmd/kolo -run TestDeclarationFixtures -update-fixtures and review the diff", f.Name, fixturesFile)
		}
	}
	if found != len(want) {
		t.Fatalf("%s holds %d of the %d fixture exports", fixturesFile, found, len(want))
	}
	if *updateFixtures {
		if err := os.WriteFile(fixturesFile, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
