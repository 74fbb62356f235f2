package node

import (
	"io/fs"
	"path/filepath"
)

// StoreSize is the disk space the store in home takes: the blocks its
// files and directories occupy, as du counts them. Badger's own figure (DB.Size) is
// refreshed only once a minute and reads 0 after a start, and the files'
// lengths overstate it: Badger preallocates its value log and memtable
// files sparsely (128 MiB and 32 MiB) and fills them as it writes.
func StoreSize(home string) int64 {
	var total int64
	_ = filepath.WalkDir(filepath.Join(home, StoreDir), func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file removed while walking (compaction) counts 0
		}
		if fi, err := d.Info(); err == nil {
			total += allocated(fi)
		}
		return nil
	})
	return total
}
