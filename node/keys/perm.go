package keys

import (
	"fmt"
	"io/fs"
	"os"
)

// Who may touch a node's keys. The rules are ssh's: a secret that other
// users of the machine could read, or a directory where they could swap
// files, is refused with one line that says how to fix it, rather than
// used. docs/deploy.md ("File permissions") documents them.
//
//   - each secret key file: no permission bits for group or others (0600
//     or 0400), checked on the file actually opened (through a symbolic
//     link, the link's target);
//   - the home directory: not writable by group or others.

// CheckHome refuses a home directory that group or others may write to:
// they could replace the key files or the configuration.
func CheckHome(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("home %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("home %s is not a directory", dir)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("permissions %04o for %s are too open: other users of this machine could replace the node's key files; run: chmod go-w %s", perm, dir, dir)
	}
	return nil
}

// checkKeyFile refuses a key file that group or others may read or write.
func checkKeyFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("permissions %04o for %s are too open: other users of this machine could read the node's key; run: chmod 600 %s", perm, path, path)
	}
	return nil
}
