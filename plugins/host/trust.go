package host

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// What the host runs from the plugins directory must be something only
// the user running kolo (or root) could have put there: a program that
// another user of the machine could change would run with the node's
// rights, inside its trust boundary. So, as ssh does with its files, the
// host refuses, with one line that says how to fix it:
//
//   - a plugins directory or plugin that group or others may write to;
//   - a plugins directory or plugin owned by another user than the one
//     running kolo or root;
//   - a plugins directory or plugin that is a symbolic link: the host
//     judges and runs the entry itself (os.Lstat), never a link's target,
//     which someone else may control.
//
// Once the directory passes, nobody else can swap its entries between
// the check and the start of a plugin. docs/deploy.md ("File
// permissions") documents the rules.

// checkPluginsDir judges the plugins directory, as found by os.Lstat.
func checkPluginsDir(dir string, fi fs.FileInfo) error {
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(dir)
		if err != nil {
			target = "the directory itself"
		}
		return fmt.Errorf("plugins directory %s is a symbolic link: kolo runs plugins only from a real directory, never through a link; set plugins.dir to %s", dir, target)
	}
	if !fi.IsDir() {
		return fmt.Errorf("read plugins dir %s: not a directory", dir)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("permissions %04o for %s are too open: other users of this machine could put a program there that kolo would run; run: chmod go-w %s", perm, dir, dir)
	}
	return checkOwner(dir, fi)
}

// checkPlugin judges an executable regular file of the plugins directory.
func checkPlugin(path string, fi fs.FileInfo) error {
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("permissions %04o for %s are too open: other users of this machine could change the plugin kolo runs; run: chmod go-w %s", perm, path, path)
	}
	return checkOwner(path, fi)
}

// linkedPlugin is the error for a symbolic link in the plugins directory.
func linkedPlugin(path string) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		target = "TARGET"
	}
	return fmt.Errorf("plugin %s is a symbolic link: kolo runs only regular files of the plugins directory, never through a link; replace it with the file itself: cp --remove-destination %s %s", path, target, path)
}

// checkOwner refuses a file or directory owned by another user than the
// one running kolo, or root.
func checkOwner(path string, fi fs.FileInfo) error {
	uid, ok := owner(fi)
	if !ok {
		return nil // no owner to judge on this system
	}
	if me := os.Getuid(); uid != me && uid != 0 {
		return fmt.Errorf("%s is owned by user %d, not by the user running kolo (%d) or root: that user could change what kolo runs; run as root: chown %d %s", path, uid, me, me, path)
	}
	return nil
}
