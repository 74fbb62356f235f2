package audit

import (
	"strings"
	"time"
)

// Event is what an entry records.
type Event string

// Events.
const (
	QuerySent     Event = "query_sent"     // this node sent a query to the network
	QueryReceived Event = "query_received" // a query arrived from a member
	QueryAnswered Event = "query_answered" // this node answered it
	QueryRefused  Event = "query_refused"  // this node refused it (Reason says why)
	// AnswerReceived: an answer to a query this node sent came back (Node
	// says from whom; a refusal carries its Reason).
	AnswerReceived Event = "answer_received"
)

var events = []Event{QuerySent, QueryReceived, QueryAnswered, QueryRefused, AnswerReceived}

// Caps on an entry's text fields, in bytes; longer text is cut (marked …).
const (
	maxText  = 4096 // Query
	maxShort = 512  // Requester, Node, QueryID, Reason
)

// Entry is one line of the log. Append sets Seq, Prev and (if zero) Time.
type Entry struct {
	Seq   uint64    `json:"seq"`
	Time  time.Time `json:"time"`
	Event Event     `json:"event"`
	// Requester is the member who asked (its peer ID).
	Requester string `json:"requester"`
	// Node is the other end when there is one: the node a sent query went
	// to, or answered from.
	Node string `json:"node,omitempty"`
	// QueryID identifies the query across nodes (the protocol's nonce).
	QueryID string `json:"query_id,omitempty"`
	// Query is the query's canonical text.
	Query      string  `json:"query"`
	Released   int     `json:"released"`
	Suppressed int     `json:"suppressed"`
	Epsilon    float64 `json:"epsilon,omitempty"`
	// Reason says why a query was refused.
	Reason string `json:"reason,omitempty"`
	// Prev is the hex SHA-256 of the previous entry's stored bytes; 64
	// zeros for the first entry.
	Prev string `json:"prev"`
}

// cut makes s valid UTF-8 and at most n bytes.
func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	s = s[:n-len("…")]
	for len(s) > 0 && !validEnd(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// validEnd reports whether s does not end inside a UTF-8 sequence.
func validEnd(s string) bool { return strings.ToValidUTF8(s, "") == s }
