//go:build !unix

package node

import "io/fs"

// allocated is the file's length where the system gives no block count.
func allocated(fi fs.FileInfo) int64 { return fi.Size() }
