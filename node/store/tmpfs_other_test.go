//go:build !linux

package store

import (
	"errors"
	"testing"
)

func mountTmpfs(*testing.T, int64) (string, error) {
	return "", errors.New("mounting a tmpfs is done on Linux only")
}
