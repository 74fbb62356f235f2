package node

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/declaration"
	"github.com/kolo-net/kolo/node/membership"
	"github.com/kolo-net/kolo/protocol"
)

// maxNetworkRequest caps the body of a network request: a name, an
// organisation or a token, all far below it.
const maxNetworkRequest = 64 << 10

// decodeBody decodes a request's JSON body strictly into v.
func decodeBody(r *http.Request, v any) error {
	if err := protocol.DecodeReader(r.Body, maxNetworkRequest, v); err != nil {
		return api.BadRequest(fmt.Errorf("request body: %w", err))
	}
	return nil
}

// networkError gives a network or Declaration error the HTTP status that
// says whose fault it is; the message is kept as is, so the command prints
// what the node said.
func networkError(err error) error {
	if err == nil {
		return nil
	}
	var fe *protocol.FieldError
	switch {
	case errors.Is(err, membership.ErrNoSuchInvite):
		return &api.Error{Code: http.StatusNotFound, Err: err}
	case errors.Is(err, membership.ErrNoNetwork), errors.Is(err, ErrAlreadyInNetwork), errors.Is(err, declaration.ErrAlreadyEndorsed),
		errors.Is(err, declaration.ErrNoEndorsement):
		return &api.Error{Code: http.StatusConflict, Err: err}
	case errors.Is(err, membership.ErrNotMember), errors.Is(err, membership.ErrRevoked), errors.Is(err, membership.ErrNotAllowed):
		return &api.Error{Code: http.StatusForbidden, Err: err}
	case errors.As(err, &fe), errors.Is(err, membership.ErrInviteID), errors.Is(err, membership.ErrInviteExpired), errors.Is(err, protocol.ErrRefused), errors.Is(err, membership.ErrInviteCancelled),
		errors.Is(err, declaration.ErrWrongDeclaration), errors.Is(err, declaration.ErrMismatch):
		return api.BadRequest(err)
	}
	return storeError(err)
}
