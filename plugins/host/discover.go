package host

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var countryArg = regexp.MustCompile(`^[a-z]{2}$`)

// discover lists the plugins to run: the built-ins, served by the kolo
// executable, then every executable regular file of Dir in name order. A
// Dir that does not exist holds no plugins. Dir and its plugins must be
// safe from other users of the machine (trust.go); discover fails on the
// first that is not.
// (go-plugin's Discover is a glob that does not look at file modes, so
// this reads the directory itself.)
func (h *Host) discover() ([]*proc, error) {
	var procs []*proc
	if len(h.opts.BuiltIn) > 0 {
		// One process serves every built-in country: an idle node then
		// carries one plugin process, not four (each ~30 MB resident).
		args := []string{"plugin", "serve"}
		for _, cc := range h.opts.BuiltIn {
			if !countryArg.MatchString(cc) {
				return nil, fmt.Errorf("built-in country %q: must be two lower-case letters, such as rs", cc)
			}
			args = append(args, cc)
		}
		procs = append(procs, h.newProc(BuiltInName, h.opts.Executable, args, true))
	}
	if h.opts.Dir == "" {
		return procs, nil
	}
	dirInfo, err := os.Lstat(h.opts.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		h.log.Debug("no plugins dir; no external plugins", "dir", h.opts.Dir)
		return procs, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read plugins dir %s: %w", h.opts.Dir, err)
	}
	if err := checkPluginsDir(h.opts.Dir, dirInfo); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(h.opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("read plugins dir %s: %w", h.opts.Dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(h.opts.Dir, name)
		fi, err := os.Lstat(path) // a link is judged, and refused, as itself
		if err != nil {
			h.log.Warn("skipping plugin", "path", path, "error", err)
			continue
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, linkedPlugin(path)
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			h.log.Warn("skipping a file in the plugins dir that is not an executable", "path", path)
			continue
		}
		if err := checkPlugin(path, fi); err != nil {
			return nil, err
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("plugin %s: %w", path, err)
		}
		procs = append(procs, h.newProc(name, abs, nil, false))
	}
	return procs, nil
}

func (h *Host) newProc(name, path string, args []string, builtIn bool) *proc {
	return &proc{
		name:    name,
		path:    path,
		args:    args,
		builtIn: builtIn,
		opts:    h.opts,
		log:     h.log.With("plugin", name),
	}
}
