package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestQueryFields(t *testing.T) {
	t.Parallel()
	k, id, _ := seedKey(t, 0x05)
	qid, err := NewQueryID()
	if err != nil || len(qid) != 26 {
		t.Fatalf("NewQueryID: %q %v", qid, err)
	}
	good := Query{Network: vecNetwork, ID: qid, Requester: id, Text: "count judgment by country",
		Issued: "2026-05-04T10:00:00Z", Expires: "2026-05-04T10:10:00Z"}
	must(t, good.Sign(k))
	must(t, good.Verify())
	cases := []struct {
		name string
		edit func(q *Query)
		want string
	}{
		{"expires before issued", func(q *Query) { q.Expires = "2026-05-04T09:00:00Z" }, "must be after issued"},
		{"open longer than a week", func(q *Query) { q.Expires = "2026-05-12T10:00:00Z" }, "at most 168h0m0s later"},
		{"epsilon zero", func(q *Query) { q.Epsilon = "0.000" }, "privacy loss"},
		{"epsilon negative", func(q *Query) { q.Epsilon = "-1" }, "privacy loss"},
		{"epsilon words", func(q *Query) { q.Epsilon = "a lot" }, "privacy loss"},
		{"text on two lines", func(q *Query) { q.Text = "count judgment\nby country" }, "control or separator"},
		{"text too long", func(q *Query) { q.Text = strings.Repeat("x", MaxQueryText+1) }, "at most 4096"},
		{"bad id", func(q *Query) { q.ID = "not-an-id" }, "not a query id"},
	}
	for _, tc := range cases {
		q := good
		tc.edit(&q)
		if _, err := q.SigningBytes(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	changed := good
	changed.Text = "count police_case by country"
	if err := changed.Verify(); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a query changed after signing: %v", err)
	}
}

func TestAnswerCoversSealedBytes(t *testing.T) {
	t.Parallel()
	k, id, _ := seedKey(t, 0x06)
	_, req, _ := seedKey(t, 0x07)
	a := Answer{Network: vecNetwork, Query: strings.Repeat("ab", 32), Answerer: id, Requester: req,
		Answered: "2026-05-04T10:00:02Z", Sealed: []byte("sealed figures")}
	must(t, a.Sign(k))
	must(t, a.Verify())
	a.Sealed = []byte("sealed figureS")
	if err := a.Verify(); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("an answer whose sealed bytes changed: %v", err)
	}
	a.Sealed = nil
	if _, err := a.SigningBytes(); err == nil {
		t.Fatal("an answer with no sealed figures has signing bytes")
	}
}
