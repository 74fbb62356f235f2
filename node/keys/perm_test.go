package keys_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolo-net/kolo/node/keys"
)

// TestReadRefusesOpenPermissions: a key file other users could read, or a
// home they could write to, is refused by Read with one line naming the
// path, the mode and the command that fixes it (issue 7, hole 9). A home
// others may only read and key files of 0600 or 0400 load.
func TestReadRefusesOpenPermissions(t *testing.T) {
	t.Parallel()
	keyLine := func(path string, mode os.FileMode) string {
		return fmt.Sprintf("permissions %04o for %s are too open: other users of this machine could read the node's key; run: chmod 600 %s", mode, path, path)
	}
	homeLine := func(dir string, mode os.FileMode) string {
		return fmt.Sprintf("permissions %04o for %s are too open: other users of this machine could replace the node's key files; run: chmod go-w %s", mode, dir, dir)
	}
	cases := []struct {
		name string
		home os.FileMode
		file string
		mode os.FileMode
		link bool // the key file is a symbolic link to a file of this mode
		want func(dir string) string
	}{
		{name: "node.key 0644 under a 0755 home", home: 0o755, file: keys.P2PFile, mode: 0o644,
			want: func(dir string) string { return keyLine(filepath.Join(dir, keys.P2PFile), 0o644) }},
		{name: "age.key readable by the group", home: 0o700, file: keys.AgeFile, mode: 0o640,
			want: func(dir string) string { return keyLine(filepath.Join(dir, keys.AgeFile), 0o640) }},
		{name: "store.key writable by others", home: 0o700, file: keys.StoreFile, mode: 0o602,
			want: func(dir string) string { return keyLine(filepath.Join(dir, keys.StoreFile), 0o602) }},
		{name: "key file linked to a readable file", home: 0o700, file: keys.StoreFile, mode: 0o644, link: true,
			want: func(dir string) string { return keyLine(filepath.Join(dir, keys.StoreFile), 0o644) }},
		{name: "home writable by all", home: 0o777, want: func(dir string) string { return homeLine(dir, 0o777) }},
		{name: "home writable by the group", home: 0o770, want: func(dir string) string { return homeLine(dir, 0o770) }},
		{name: "home readable by all, keys 0600", home: 0o755},
		{name: "keys 0400", home: 0o700, file: keys.AgeFile, mode: 0o400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, ks := newHome(t)
			if tc.file != "" {
				path := filepath.Join(dir, tc.file)
				if tc.link {
					target := filepath.Join(t.TempDir(), "target")
					if err := os.Rename(path, target); err != nil {
						t.Fatal(err)
					}
					if err := os.Symlink(target, path); err != nil {
						t.Fatal(err)
					}
					path = target
				}
				if err := os.Chmod(path, tc.mode); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(dir, tc.home); err != nil {
				t.Fatal(err)
			}
			got, err := keys.Read(context.Background(), dir, "")
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Read refused a safe home: %v", err)
				}
				sameKeys(t, ks, got)
				return
			}
			if err == nil || err.Error() != tc.want(dir) {
				t.Fatalf("Read: got %v\nwant %s", err, tc.want(dir))
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the reason is not one line: %q", err)
			}
		})
	}
}
