package host_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/kolo-net/kolo/plugins/host"
)

// TestPluginsDirPermissions: the host runs nothing from a plugins dir that
// other users of the machine could change (issue 7, hole 9): a plugin or
// plugins dir writable by group or others, owned by another user, or
// reached through a symbolic link makes Start fail with one line naming
// the path and how to fix it, and no plugin is started.
func TestPluginsDirPermissions(t *testing.T) {
	t.Parallel()
	bin := goBuild(t, testPlugin)
	const other = 12345 // a user id that is not the test's
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the Dir to give the host
		want  func(dir, hostDir string) string
		root  bool // needs root, to give a file to another user
	}{
		{name: "plugin writable by the group", setup: func(t *testing.T, dir string) string {
			chmod(t, filepath.Join(dir, "ok"), 0o775)
			return dir
		}, want: func(dir, hostDir string) string { return fileLine(filepath.Join(dir, "ok"), 0o775) }},
		{name: "plugin writable by all", setup: func(t *testing.T, dir string) string {
			chmod(t, filepath.Join(dir, "ok"), 0o757)
			return dir
		}, want: func(dir, hostDir string) string { return fileLine(filepath.Join(dir, "ok"), 0o757) }},
		{name: "plugins dir writable by all", setup: func(t *testing.T, dir string) string {
			chmod(t, dir, 0o777)
			return dir
		}, want: func(dir, hostDir string) string {
			return fmt.Sprintf("permissions 0777 for %s are too open: other users of this machine could put a program there that kolo would run; run: chmod go-w %s", dir, dir)
		}},
		{name: "plugins dir writable by the group", setup: func(t *testing.T, dir string) string {
			chmod(t, dir, 0o770)
			return dir
		}, want: func(dir, hostDir string) string {
			return fmt.Sprintf("permissions 0770 for %s are too open: other users of this machine could put a program there that kolo would run; run: chmod go-w %s", dir, dir)
		}},
		{name: "plugin is a symbolic link", setup: func(t *testing.T, dir string) string {
			if err := os.Symlink(bin, filepath.Join(dir, "linked")); err != nil {
				t.Fatal(err)
			}
			return dir
		}, want: func(dir, hostDir string) string {
			p := filepath.Join(dir, "linked")
			return fmt.Sprintf("plugin %s is a symbolic link: kolo runs only regular files of the plugins directory, never through a link; replace it with the file itself: cp --remove-destination %s %s", p, bin, p)
		}},
		{name: "plugins dir is a symbolic link", setup: func(t *testing.T, dir string) string {
			link := filepath.Join(t.TempDir(), "plugins")
			if err := os.Symlink(dir, link); err != nil {
				t.Fatal(err)
			}
			return link
		}, want: func(dir, hostDir string) string {
			return fmt.Sprintf("plugins directory %s is a symbolic link: kolo runs plugins only from a real directory, never through a link; set plugins.dir to %s", hostDir, dir)
		}},
		{name: "plugin owned by another user", root: true, setup: func(t *testing.T, dir string) string {
			chown(t, filepath.Join(dir, "ok"), other)
			return dir
		}, want: func(dir, hostDir string) string {
			p := filepath.Join(dir, "ok")
			return fmt.Sprintf("%s is owned by user %d, not by the user running kolo (%d) or root: that user could change what kolo runs; run as root: chown %d %s", p, other, os.Getuid(), os.Getuid(), p)
		}},
		{name: "plugins dir owned by another user", root: true, setup: func(t *testing.T, dir string) string {
			chown(t, dir, other)
			return dir
		}, want: func(dir, hostDir string) string {
			return fmt.Sprintf("%s is owned by user %d, not by the user running kolo (%d) or root: that user could change what kolo runs; run as root: chown %d %s", dir, other, os.Getuid(), os.Getuid(), dir)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.root && os.Getuid() != 0 {
				t.Skip("only root can give a file to another user; run the tests as root (as CI's container does) to cover this case")
			}
			dir := t.TempDir()
			copyPlugin(t, bin, filepath.Join(dir, "ok"))
			hostDir := tc.setup(t, dir)
			want := tc.want(dir, hostDir)
			h, err := host.New(host.Options{Dir: hostDir, BuiltIn: []string{}, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			err = h.Start(context.Background())
			if err == nil || err.Error() != want {
				t.Fatalf("Start: got %v\nwant %s", err, want)
			}
			if st := h.Plugins(); len(st) != 0 {
				t.Fatalf("plugins started from an unsafe dir: %+v", st)
			}
		})
	}

	// The same directory, made safe, serves its plugin: the checks refuse
	// only what they name.
	// (A hard link, not a fresh copy: a copy just written may be refused
	// by exec with "text file busy" while other tests fork.)
	dir := t.TempDir()
	placePlugin(t, bin, filepath.Join(dir, "ok"))
	h, _ := startHost(t, host.Options{Dir: dir})
	mustCheckOK(t, h, "me.judgment")
}

func fileLine(path string, mode os.FileMode) string {
	return fmt.Sprintf("permissions %04o for %s are too open: other users of this machine could change the plugin kolo runs; run: chmod go-w %s", mode, path, path)
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, path string, uid int) {
	t.Helper()
	if err := os.Chown(path, uid, -1); err != nil {
		t.Fatal(err)
	}
}
