package query

import (
	"errors"
	"fmt"
)

// ErrInvalid is matched (errors.Is) by every *Error: a query that is
// refused before anything is sent or evaluated.
var ErrInvalid = errors.New("invalid query")

// Error says what is wrong with a query, where, and what is allowed.
type Error struct {
	// Offset is the byte offset in the query text of what is wrong, or -1
	// when the query came in its JSON form or the problem has no place.
	Offset int `json:"offset"`
	// Path locates the problem in the JSON form ("where.and[1].value"), or
	// is empty.
	Path string `json:"path,omitempty"`
	Msg  string `json:"message"`
}

func (e *Error) Error() string {
	switch {
	case e.Offset >= 0:
		return fmt.Sprintf("query: at byte %d: %s", e.Offset, e.Msg)
	case e.Path != "":
		return fmt.Sprintf("query: at %s: %s", e.Path, e.Msg)
	}
	return "query: " + e.Msg
}

// Is matches ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// errorAt makes an *Error at p.
func errorAt(p Pos, format string, args ...any) *Error {
	return &Error{Offset: p.Offset, Path: p.Path, Msg: fmt.Sprintf(format, args...)}
}
