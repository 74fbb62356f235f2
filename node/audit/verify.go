package audit

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/kolo-net/kolo/node/store"
)

// ErrTampered is matched by every error of Verify that finds the log
// changed.
var ErrTampered = errors.New("audit log tampered with")

// TamperError says where the chain breaks.
type TamperError struct {
	Seq     uint64 // the entry where the break shows (0: the head)
	Problem string
}

func (e *TamperError) Error() string {
	if e.Seq == 0 {
		return "audit log tampered with: " + e.Problem
	}
	return fmt.Sprintf("audit log tampered with at entry %d: %s", e.Seq, e.Problem)
}

// Is matches ErrTampered.
func (e *TamperError) Is(target error) bool { return target == ErrTampered }

// Verify walks the whole chain: entries numbered 1, 2, … with no gap, each
// decoding strictly, each naming the SHA-256 of the one before as stored,
// the last matching the head. It returns the head, or a *TamperError
// naming the first entry where the chain breaks. With anchor (a head
// written down earlier), it also checks that the entry at anchor.Seq is
// still the one that was there, which finds a log rewritten since.
func (l *Log) Verify(ctx context.Context, anchor *Head) (Head, error) {
	var head Head
	err := l.st.View(func(tx *store.Tx) error {
		var err error
		if head, err = readHead(tx); err != nil {
			return &TamperError{Problem: err.Error()}
		}
		want := uint64(1)
		prev := zeroHash
		anchored := anchor == nil || anchor.Seq == 0
		err = tx.Scan(ctx, spaceLog, nil, func(key, val []byte) error {
			seq, perr := strconv.ParseUint(string(key), 10, 64)
			if perr != nil || string(seqKey(seq)) != string(key) {
				return &TamperError{Seq: want, Problem: fmt.Sprintf("an entry with the malformed key %q was inserted", clipKey(key))}
			}
			if seq != want {
				return &TamperError{Seq: want, Problem: fmt.Sprintf("entries %d..%d are missing (removed); the next one is %d", want, seq-1, seq)}
			}
			var e Entry
			if err := strictJSON(val, &e); err != nil {
				return &TamperError{Seq: seq, Problem: "it does not decode (edited): " + err.Error()}
			}
			if e.Seq != seq {
				return &TamperError{Seq: seq, Problem: fmt.Sprintf("it holds entry %d (entries moved or reordered)", e.Seq)}
			}
			if e.Prev != prev {
				return &TamperError{Seq: seq, Problem: fmt.Sprintf("it does not follow entry %d: one of them was edited, or entries were reordered", seq-1)}
			}
			prev = hashOf(val)
			if anchor != nil && seq == anchor.Seq {
				if prev != anchor.Hash {
					return &TamperError{Seq: seq, Problem: "it differs from the head written down earlier: the log was rewritten from here or before"}
				}
				anchored = true
			}
			want++
			return nil
		})
		if err != nil {
			return err
		}
		last := want - 1
		switch {
		case head.Seq != last:
			return &TamperError{Problem: fmt.Sprintf("the log ends at entry %d but its head says %d (entries removed from the end, or the head edited)", last, head.Seq)}
		case head.Hash != prev:
			return &TamperError{Seq: last, Problem: "it does not match the head (the last entry or the head was edited)"}
		case !anchored:
			return &TamperError{Problem: fmt.Sprintf("the head written down earlier names entry %d, and the log ends at %d (entries removed)", anchor.Seq, last)}
		}
		return nil
	})
	if err != nil {
		return Head{}, err
	}
	return head, nil
}

func clipKey(k []byte) string {
	if len(k) > 40 {
		return string(k[:40]) + "…"
	}
	return string(k)
}
