//go:build !linux

package main

import (
	"errors"
	"testing"
)

func mountTmpfs(*testing.T, int64) (string, error) {
	return "", errors.New("the full-disk test mounts a tmpfs, which it does on Linux only")
}

func freeBytes(*testing.T, string) int64      { panic("linux only") }
func fillTo(*testing.T, string, int64) string { panic("linux only") }
