package backup

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"filippo.io/age"
	"github.com/kolo-net/kolo/node/store"
)

// Source is the node a backup is made of.
type Source struct {
	Home    string       // its home directory, for the files in HomeFiles
	Store   *store.Store // its open store
	PeerID  string
	Org     string
	Country string
	// AgeRecipient is the node's own age recipient, which Write refuses.
	AgeRecipient string
	Version      string // kolo's version, for the manifest
}

// Write writes the backup of src to w, encrypted to recipients (age public
// keys). It checks the recipients before it writes anything. If it fails
// after it began, what it wrote to w is no backup (it lacks its end): the
// caller removes it.
func Write(ctx context.Context, w io.Writer, src Source, recipients []string) (Manifest, error) {
	rs, err := CheckRecipients(recipients, src.AgeRecipient)
	if err != nil {
		return Manifest{}, err
	}
	files := make([][]byte, len(HomeFiles))
	for i, name := range HomeFiles {
		if files[i], err = readHomeFile(filepath.Join(src.Home, name)); err != nil {
			return Manifest{}, err
		}
	}
	m := Manifest{Format: Format, Created: time.Now().UTC(), PeerID: src.PeerID, Org: src.Org, Country: src.Country,
		Kolo: src.Version, Files: HomeFiles}

	enc, err := age.Encrypt(w, rs...)
	if err != nil {
		return m, fmt.Errorf("backup: encrypt: %w", err)
	}
	tw := tar.NewWriter(enc)
	if err := writeJSON(tw, manifestName, m); err != nil {
		return m, err
	}
	for i, name := range HomeFiles {
		if err := writeEntry(tw, homePrefix+name, files[i]); err != nil {
			return m, err
		}
	}
	parts := &partWriter{tw: tw, buf: make([]byte, 0, partBytes)}
	if err := src.Store.Backup(ctx, parts); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if err := parts.flush(); err != nil {
		return m, err
	}
	if err := writeJSON(tw, endName, End{StoreParts: parts.n, StoreBytes: parts.bytes}); err != nil {
		return m, err
	}
	if err := tw.Close(); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if err := enc.Close(); err != nil {
		return m, fmt.Errorf("backup: encrypt: %w", err)
	}
	return m, nil
}

// CheckRecipients parses recipients, refusing none at all and the node's
// own (own may be "").
func CheckRecipients(recipients []string, own string) ([]age.Recipient, error) {
	if len(recipients) == 0 {
		return nil, ErrNoRecipient
	}
	var rs []age.Recipient
	for _, s := range recipients {
		if own != "" && s == own {
			return nil, fmt.Errorf("recipient %s: %w", clip(s, 80), ErrOwnRecipient)
		}
		r, err := ParseRecipient(s)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// readHomeFile reads one of HomeFiles, within maxHomeFile.
func readHomeFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxHomeFile+1))
	if err != nil {
		return nil, fmt.Errorf("backup: read %s: %w", path, err)
	}
	if len(b) > maxHomeFile {
		return nil, fmt.Errorf("backup: %s is larger than %d bytes: not a file kolo wrote", path, maxHomeFile)
	}
	return b, nil
}

func writeJSON(tw *tar.Writer, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	return writeEntry(tw, name, append(b, '\n'))
}

func writeEntry(tw *tar.Writer, name string, data []byte) error {
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	if _, err := tw.Write(data); err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	return nil
}

// partWriter cuts the store's backup stream into tar entries of at most
// partBytes (a tar entry needs its size before its content, and the
// stream's size is known only at its end).
type partWriter struct {
	tw    *tar.Writer
	buf   []byte
	n     int   // parts written
	bytes int64 // bytes written in parts
}

func (p *partWriter) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		k := min(len(b), partBytes-len(p.buf))
		p.buf = append(p.buf, b[:k]...)
		b = b[k:]
		written += k
		if len(p.buf) == partBytes {
			if err := p.flush(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// flush writes what is buffered as the next part.
func (p *partWriter) flush() error {
	if len(p.buf) == 0 {
		return nil
	}
	p.n++
	if err := writeEntry(p.tw, partName(p.n), p.buf); err != nil {
		return err
	}
	p.bytes += int64(len(p.buf))
	p.buf = p.buf[:0]
	return nil
}

func partName(n int) string { return fmt.Sprintf("%s%06d", storePrefix, n) }
