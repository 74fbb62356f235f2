package node

import (
	"errors"
	"net/http"

	"github.com/kolo-net/kolo/node/api"
	"github.com/kolo-net/kolo/node/store"
)

// storeError gives a write refused for want of disk space HTTP's 507
// (Insufficient Storage), keeping the store's message, which says what to
// do; other errors are returned as they are.
func storeError(err error) error {
	if errors.Is(err, store.ErrDiskFull) {
		return &api.Error{Code: http.StatusInsufficientStorage, Err: err}
	}
	return err
}
