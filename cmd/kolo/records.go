package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kolo-net/kolo/node/records"
	"github.com/kolo-net/kolo/plugins/sdk"
)

// addRecordCommands registers kolo forms and kolo record.
func addRecordCommands(root *cobra.Command, g *globals) {
	root.AddCommand(newFormsCmd(g), newRecordCmd(g))
}

// withRecords runs fn with the home's records: the running daemon's, or
// the home opened directly when no daemon runs.
func withRecords(cmd *cobra.Command, g *globals, fn func(ctx context.Context, rb recordsBackend) error) error {
	ctx := cmd.Context()
	rb, err := g.openRecords(ctx, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	err = fn(ctx, rb)
	if cerr := rb.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}

const backendHelp = `

It talks to the running daemon of the home (kolo run) when there is one, and
otherwise opens the home itself (with KOLO_PASSPHRASE, if the keys have one)
and starts the form plugins it needs.`

func newFormsCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "forms",
		Short: "List and show the monitoring forms this node serves",
		Long: `The forms are the questions monitors answer for each kind of record
(judgment, trial_hearing, police_case, victim_support, legislation,
engagement), one set per country, in the country's languages. Each form has
versions; a record keeps the version it was entered with.` + backendHelp,
	}
	c.AddCommand(newFormsListCmd(g), newFormsShowCmd(g), newFormsTemplateCmd(g))
	return c
}

func newFormsTemplateCmd(g *globals) *cobra.Command {
	var (
		lang, out string
		version   int
	)
	c := &cobra.Command{
		Use:   "template FORM -o FILE.xlsx|FILE.csv",
		Short: "Write an empty spreadsheet to fill with records of a form, in a language",
		Long: `template writes a spreadsheet to fill for FORM in --lang: its first row names
each question by its label, with the field id in brackets where kolo record
import finds it ("Datum presude * [decision_date]"; * marks a required
question). An Excel workbook (.xlsx) also offers each closed list and yes/no
question as a drop-down list, types its date and number columns, and explains
every field on a second sheet. A CSV file (.csv) holds the header row,
separated as Excel in --lang opens it. Fill it and import it as it is:
kolo record import --form FORM FILE.`,
		Example: `  kolo forms template rs.judgment --lang sr-Latn -o presude.xlsx
  kolo record import --form rs.judgment presude.xlsx`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref := args[0]
			if version > 0 {
				ref += "@" + strconv.Itoa(version)
			}
			format, ok := records.FormatOf(out)
			if !ok || format == records.FormatJSONL {
				return fmt.Errorf("-o %q: name a file ending in .xlsx or .csv", out)
			}
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				fi, err := rb.Form(ctx, ref)
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := records.WriteTemplate(&buf, fi, lang, format); err != nil {
					return err
				}
				if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote the template of %s in %s to %s\n", fi.Ref(), lang, out)
				return nil
			})
		},
	}
	c.Flags().StringVar(&lang, "lang", "en", "language of the labels: en, sr-Latn, sr-Cyrl, hr, bs, mk")
	c.Flags().StringVarP(&out, "output", "o", "", "the file to write: FILE.xlsx or FILE.csv (required)")
	c.Flags().IntVar(&version, "version", 0, "the form version (default: the latest)")
	_ = c.MarkFlagRequired("output")
	return c
}

func newFormsListCmd(g *globals) *cobra.Command {
	var (
		asJSON bool
		lang   string
	)
	c := &cobra.Command{
		Use:   "list",
		Short: "List the forms: id, versions, kind, country, title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				forms, err := rb.Forms(ctx)
				if err != nil {
					return err
				}
				if err := checkListLanguage(forms, lang); err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), forms)
				}
				return printForms(cmd.OutOrStdout(), forms, lang)
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().StringVar(&lang, "lang", "en", "language of the titles: en, sr-Latn, sr-Cyrl, hr, bs, mk")
	return c
}

func newFormsShowCmd(g *globals) *cobra.Command {
	var (
		asJSON  bool
		lang    string
		version int
	)
	c := &cobra.Command{
		Use:   "show ID",
		Short: "Show a form: its fields, their types, lists and labels",
		Long: `show prints a form's fields: id (the column header for imports, the key
in JSON answers), type, whether it is required, whether it is personal or free
text (kept on this node, never shared), allowed values and labels in --lang.
ID is a form id such as rs.judgment (its latest version), or rs.judgment@1.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ref := args[0]
			if version > 0 {
				ref += "@" + strconv.Itoa(version)
			}
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				fi, err := rb.Form(ctx, ref)
				if err != nil {
					return err
				}
				if err := records.CheckLanguage(fi, lang); err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), fi)
				}
				return printForm(cmd.OutOrStdout(), fi, lang)
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	c.Flags().StringVar(&lang, "lang", "en", "language of the labels: en, sr-Latn, sr-Cyrl, hr, bs, mk")
	c.Flags().IntVar(&version, "version", 0, "show this version (default: the latest)")
	return c
}

func newRecordCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "record",
		Short: "Enter, import, list, show, edit, delete and export monitoring records",
		Long: `Monitoring records are this organisation's own data: they stay encrypted on
this node. Only anonymised aggregates of their common indicators are ever
shared with the network. Edits and deletes add versions; the earlier versions
are kept and shown by kolo record show.` + backendHelp,
	}
	c.AddCommand(newRecordAddCmd(g), newRecordImportCmd(g), newRecordListCmd(g), newRecordShowCmd(g),
		newRecordEditCmd(g), newRecordDeleteCmd(g), newRecordPurgeCmd(g), newRecordExportCmd(g))
	return c
}

// importSummary is the line kolo record import prints.
func importSummary(res records.ImportResult) string {
	counts := fmt.Sprintf("%d added, %d updated, %d unchanged", res.Added, res.Updated, res.Unchanged)
	switch {
	case res.DryRun:
		return fmt.Sprintf("dry run on %s, nothing was stored: %s", res.Form, counts)
	case res.Records == 0:
		return fmt.Sprintf("nothing to import on %s: %s", res.Form, counts)
	}
	return fmt.Sprintf("imported %d %s on %s (import %s): %s", res.Records, plural(res.Records, "record", "records"), res.Form, res.ID, counts)
}

// checkListLanguage refuses a language none of the forms' titles is in.
func checkListLanguage(forms []records.FormSummary, lang string) error {
	var langs []string
	for _, f := range forms {
		if _, ok := f.Title[lang]; ok {
			return nil
		}
		for l := range f.Title {
			if !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
	}
	if len(forms) == 0 {
		return nil
	}
	slices.SortFunc(langs, func(a, b string) int { return slices.Index(sdk.Languages, a) - slices.Index(sdk.Languages, b) })
	return fmt.Errorf("language %q: the forms are written in %s", lang, strings.Join(langs, ", "))
}

// readInput reads FILE, or standard input for "-", up to max bytes (one
// more tells a larger file).
func readInput(cmd *cobra.Command, name string, max int64) ([]byte, error) {
	var r io.Reader
	if name == "-" {
		r = cmd.InOrStdin()
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d KiB, the most one record holds", name, max>>10)
	}
	return data, nil
}

func newRecordAddCmd(g *globals) *cobra.Command {
	var (
		form   string
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "add --form FORM FILE|-",
		Short: "Enter one record: its answers as a JSON object, from FILE or standard input",
		Long: `add checks the answers (a JSON object of field ids to values, as kolo forms
show FORM lists them) with the form's plugin and stores them as a new record.
It prints the record's ID. A record the form refuses is not stored; the error
names each field and rule.

FORM is a form id such as rs.judgment (its latest version) or rs.judgment@1.`,
		Example: `  kolo record add --form rs.judgment judgment.json
  echo '{"court": "Viši sud u Beogradu", ...}' | kolo record add --form rs.judgment -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readInput(cmd, args[0], records.MaxRecordBytes)
			if err != nil {
				return err
			}
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				rec, err := rb.Add(ctx, form, data)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), rec)
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "added %s on %s\n", rec.ID, rec.Form)
				return err
			})
		},
	}
	c.Flags().StringVar(&form, "form", "", "form id, e.g. rs.judgment or rs.judgment@1 (required)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the stored record as JSON")
	_ = c.MarkFlagRequired("form")
	return c
}

func newRecordImportCmd(g *globals) *cobra.Command {
	var (
		form, format, encoding, sheet string
		asJSON, dryRun, allowDups     bool
	)
	c := &cobra.Command{
		Use:   "import --form FORM FILE",
		Short: "Import many records of one form from a spreadsheet (Excel, CSV) or JSON Lines file",
		Long: fmt.Sprintf(`import reads an Excel workbook (.xlsx: the first sheet, or --sheet) or a CSV
file as spreadsheets save it (first row: the field ids of the form, as kolo
forms show FORM lists them, or their labels in any of the form's languages;
one record per row; comma or semicolon separated; UTF-8, or Windows-1250 or
-1251, detected or named with --encoding; several values of a list in one cell
separated by ";"), a JSON Lines file (one JSON object of answers per line),
or a kolo JSON export (a backup: the records of FORM, on their own form
versions, under their IDs).
Numbers, dates, yes/no and list answers may be written as local spreadsheets
write them (1.500,50; 20.5.2024.; TAČNO; a list's label). The format comes
from the file's extension (.xlsx, .csv, .jsonl, .json) or --format.

Every row is checked first. If any row is wrong, nothing is stored and every
problem is listed with its row (the header is row 1, as the spreadsheet shows
it), field and rule. Otherwise all rows are stored, or none if the import is
interrupted. Files of up to %d MiB are accepted.

Importing a file twice adds no copies. A row with an _id column (kolo record
export writes it) is that record: its answers become the record's next
version, or it is left alone when they are its answers already (an ID this
node does not hold adds the record under that ID: a backup restored). A row
without an _id whose case number and court are those of a record held, or of
an earlier row, is refused as a probable duplicate unless --allow-duplicates.
--dry-run says what the import would do and stores nothing.

A progress bar is drawn on standard error when it is a terminal.`, records.MaxImportBytes>>20),
		Example: `  kolo record import --form rs.judgment presude-2024.csv`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			var f records.Format
			if format != "" {
				var err error
				if f, err = records.ParseFormat(format, false); err != nil {
					return err
				}
			} else if guess, ok := records.FormatOf(name); ok {
				f = guess
			} else {
				return fmt.Errorf("%s: cannot tell the format from the name: use --format xlsx, csv, jsonl or json", name)
			}
			file, err := os.Open(name)
			if err != nil {
				return err
			}
			defer file.Close()
			fi, err := file.Stat()
			if err != nil {
				return err
			}
			if fi.Size() > records.MaxImportBytes {
				return fmt.Errorf("%s is %d MiB; one import reads at most %d MiB: split it into several files", name, fi.Size()>>20, records.MaxImportBytes>>20)
			}
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				pb := newImportProgress(cmd.ErrOrStderr(), fi.Size())
				opts := records.ImportOptions{Form: form, Format: f, Encoding: encoding, Sheet: sheet,
					DryRun: dryRun, AllowDuplicates: allowDups, Progress: pb.update}
				var in io.Reader = file
				if _, remote := rb.(*daemonRecords); remote {
					in = pb.reader(file)
				}
				res, err := rb.Import(ctx, in, opts)
				pb.finish()
				if err != nil {
					return err
				}
				if res.Read != "" {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s\n", name, res.Read)
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), res)
				}
				_, err = fmt.Fprintln(cmd.OutOrStdout(), importSummary(res))
				return err
			})
		},
	}
	c.Flags().StringVar(&form, "form", "", "form id, e.g. rs.judgment or rs.judgment@1 (required)")
	c.Flags().StringVar(&format, "format", "", "xlsx, csv, jsonl or json (default: from the file's extension)")
	c.Flags().StringVar(&sheet, "sheet", "", "the sheet of a workbook to read (default: the first)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "check every row and say what the import would add, update and leave; store nothing")
	c.Flags().BoolVar(&allowDups, "allow-duplicates", false, "add rows that look like records held (the same case number and court) instead of refusing them")
	c.Flags().StringVar(&encoding, "encoding", "", "text encoding of a CSV or JSON Lines file: utf-8, windows-1250 or windows-1251 (default: UTF-8, or whichever Windows code page the text shows)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	_ = c.MarkFlagRequired("form")
	return c
}

func newRecordListCmd(g *globals) *cobra.Command {
	var (
		f             records.Filter
		kind          string
		asJSON, quiet bool
	)
	c := &cobra.Command{
		Use:   "list",
		Short: "List records, by date, with filters",
		Long: `list prints one line per record: ID, form, date, version, last change.

The date of a record is the date of what it is about: the decision of a
judgment, the hearing, the opening of a police case, the stage of a bill,
the meeting; for victim support, and records that leave their date open,
the day the record was entered. --since and --until filter on it, both
inclusive. Deleted records are left out unless --deleted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f.Kind = sdkKind(kind)
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				l, err := rb.List(ctx, f)
				if err != nil {
					return err
				}
				switch {
				case asJSON:
					return printJSON(cmd.OutOrStdout(), l)
				case quiet:
					for _, s := range l {
						if _, err := fmt.Fprintln(cmd.OutOrStdout(), s.ID); err != nil {
							return err
						}
					}
					return nil
				}
				return printSummaries(cmd.OutOrStdout(), l, f.Deleted)
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&kind, "kind", "", "judgment, trial_hearing, police_case, victim_support, legislation or engagement")
	fl.StringVar(&f.Form, "form", "", "form id (any version, e.g. rs.judgment) or one version (rs.judgment@1)")
	fl.StringVar(&f.Country, "country", "", "country of the form, e.g. RS")
	fl.StringVar(&f.Since, "since", "", "records dated on or after DATE (YYYY-MM-DD)")
	fl.StringVar(&f.Until, "until", "", "records dated on or before DATE (YYYY-MM-DD)")
	fl.StringVar(&f.Import, "import", "", "records of one import (its ID, as kolo record import prints it)")
	fl.BoolVar(&f.Deleted, "deleted", false, "include deleted records")
	fl.BoolVar(&asJSON, "json", false, "print as JSON")
	fl.BoolVarP(&quiet, "quiet", "q", false, "print only the record IDs")
	return c
}

func newRecordShowCmd(g *globals) *cobra.Command {
	var (
		asJSON, answersOnly bool
		lang                string
		version             int
	)
	c := &cobra.Command{
		Use:   "show ID",
		Short: "Show a record: its answers, indicators and history",
		Long: `show prints a record's current version (or --version N): its answers with the
questions' labels in --lang, the common indicators computed from them, and the
list of its versions (entered, edited, deleted). --json prints every version.
--answers prints only the answers, as JSON, ready to edit and give to
kolo record edit.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				h, err := rb.History(ctx, args[0])
				if err != nil {
					return err
				}
				rec := h.Record
				if version > 0 {
					var ok bool
					if rec, ok = h.Version(version); !ok {
						return fmt.Errorf("record %s has no version %d (it has 1 to %d)", h.Record.ID, version, h.Record.Version)
					}
				}
				switch {
				case answersOnly:
					if rec.Deleted {
						return fmt.Errorf("record %s: version %d is the deletion; it has no answers (try --version %d)", rec.ID, rec.Version, rec.Version-1)
					}
					return printJSON(cmd.OutOrStdout(), rec.Fields)
				case asJSON:
					return printJSON(cmd.OutOrStdout(), h)
				}
				fi, err := rb.Form(ctx, rec.Form)
				if err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "kolo: labels of %s unavailable: %v\n", rec.Form, err)
				} else if err := records.CheckLanguage(fi, lang); err != nil {
					return err
				}
				return printRecord(cmd.OutOrStdout(), h, rec, fi, lang)
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the record and its history as JSON")
	c.Flags().BoolVar(&answersOnly, "answers", false, "print only the answers, as JSON (to edit them)")
	c.Flags().StringVar(&lang, "lang", "en", "language of the labels: en, sr-Latn, sr-Cyrl, hr, bs, mk")
	c.Flags().IntVar(&version, "version", 0, "show this version (default: the current one)")
	return c
}

func newRecordEditCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "edit ID FILE|-",
		Short: "Replace a record's answers, as a new version (the old one is kept)",
		Long: `edit checks the answers in FILE (or standard input), all of them, not only the
changed ones, on the form version the record was entered with, and stores
them as the record's next version. Earlier versions stay in its history.
kolo record show ID --answers prints the current answers to start from.`,
		Example: `  kolo record show abcd… --answers > r.json   # change r.json, then
  kolo record edit abcd… r.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readInput(cmd, args[1], records.MaxRecordBytes)
			if err != nil {
				return err
			}
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				rec, err := rb.Edit(ctx, args[0], data)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), rec)
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "edited %s: version %d on %s\n", rec.ID, rec.Version, rec.Form)
				return err
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the new version as JSON")
	return c
}

func newRecordDeleteCmd(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a record (a tombstone version; earlier versions are kept)",
		Long: `delete adds a last version that marks the record deleted: it leaves lists,
exports and aggregates. Its earlier versions, answers included, stay in its
history (kolo record show ID).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				rec, err := rb.Delete(ctx, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), rec)
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "deleted %s (version %d; versions 1 to %d are kept in its history)\n", rec.ID, rec.Version, rec.Version-1)
				return err
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the tombstone version as JSON")
	return c
}

func newRecordPurgeCmd(g *globals) *cobra.Command {
	var (
		by                      string
		expired, dryRun, asJSON bool
		years                   int
	)
	c := &cobra.Command{
		Use:   "purge ID | purge --expired [--dry-run]",
		Short: "Erase a record's personal and free-text answers from every version (the right to erasure)",
		Long: `purge erases the personal and free-text answers (names, initials, case
numbers, notes: what kolo forms show marks "stays on this node") from every
version of record ID, keeps its other answers and its common indicators, so
that the network's figures stay right, and adds a last version that says when
and by whom (--by, default the user running the command). The erased answers
leave the store's files when the store is next compacted.

--expired purges every record dated more than records.retention_years years
ago (or --years N) that still holds such answers; --dry-run lists them and
purges nothing. The daemon applies records.retention_years by itself, daily.`,
		Example: `  kolo record purge 4kq…7a
  kolo record purge --expired --dry-run`,
		Args: func(cmd *cobra.Command, args []string) error {
			if expired == (len(args) == 1) || len(args) > 1 {
				return fmt.Errorf("give one record ID, or --expired")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if by == "" {
				by = userName()
			}
			if expired && years == 0 {
				cfg, err := g.loadConfig(nil, nil)
				if err != nil {
					return err
				}
				if years = cfg.Records.RetentionYears; years == 0 {
					return fmt.Errorf("records.retention_years is 0 (keep personal answers until purged by hand): give --years N")
				}
			}
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				out := cmd.OutOrStdout()
				switch {
				case expired && dryRun:
					l, err := rb.Expired(ctx, years)
					if err != nil {
						return err
					}
					if asJSON {
						return printJSON(out, l)
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "dry run: %d %s dated more than %d years ago hold personal or free-text answers; nothing was purged\n", len(l), plural(len(l), "record", "records"), years)
					return printSummaries(out, l, true)
				case expired:
					ids, err := rb.PurgeExpired(ctx, years, by)
					if err != nil {
						return err
					}
					if asJSON {
						return printJSON(out, ids)
					}
					fmt.Fprintf(out, "purged the personal and free-text answers of %d %s dated more than %d years ago\n", len(ids), plural(len(ids), "record", "records"), years)
					return nil
				}
				rec, err := rb.Purge(ctx, args[0], by)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(out, rec)
				}
				_, err = fmt.Fprintf(out, "purged %s: %s erased from every version; version %d records it\n", rec.ID, strings.Join(rec.Purged.Fields, ", "), rec.Version)
				return err
			})
		},
	}
	c.Flags().StringVar(&by, "by", "", "who purges, as the record will say (default: the user running kolo)")
	c.Flags().BoolVar(&expired, "expired", false, "purge every record older than the retention period")
	c.Flags().IntVar(&years, "years", 0, "with --expired: the retention period in years (default: records.retention_years)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "with --expired: list the records, purge nothing")
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

// userName is the name of the user running the command, for a purge's mark.
func userName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown user"
}

func newRecordExportCmd(g *globals) *cobra.Command {
	var (
		f                     records.Filter
		kind, format, dialect string
		out                   string
		includeDeleted        bool
	)
	c := &cobra.Command{
		Use:   "export --format json|csv [-o FILE]",
		Short: "Export records (this organisation's own data) as JSON or CSV",
		Long: `export writes the current versions of the records, answers included, to FILE
(created with mode 0600: it holds personal data) or standard output. This is
the organisation's own data, for its own use; it never goes to the network.

json: a JSON array of records (answers, indicators, form version, dates).
csv: the records of one form (choose it with --form when there are several):
the columns _id, _form, _date, _created, _updated, _version, then the form's
field ids, as kolo record import reads them back. Spreadsheets open it as
UTF-8. Cells are separated by semicolons, which Excel expects in Serbian,
Croatian, Bosnian, Macedonian and most of Europe; --dialect comma writes what
Excel in English opens.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ff, err := records.ParseFormat(format, true)
			if err != nil {
				return err
			}
			d, err := records.ParseDialect(dialect)
			if err != nil {
				return err
			}
			opts := records.ExportOptions{Format: ff, Dialect: d}
			f.Kind, f.Deleted = sdkKind(kind), includeDeleted
			return withRecords(cmd, g, func(ctx context.Context, rb recordsBackend) error {
				if out == "" || out == "-" {
					_, err := rb.Export(ctx, cmd.OutOrStdout(), f, opts)
					return err
				}
				return writeExport(ctx, rb, out, f, opts, cmd.ErrOrStderr())
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&format, "format", "", "json or csv (required)")
	fl.StringVarP(&out, "output", "o", "", "write to FILE (mode 0600) instead of standard output")
	fl.StringVar(&dialect, "dialect", "semicolon", "CSV separator: semicolon (Excel in sr, hr, bs, mk), comma (Excel in English) or tab")
	fl.StringVar(&kind, "kind", "", "only records of this kind")
	fl.StringVar(&f.Form, "form", "", "only records of this form (any version, or FORM@N)")
	fl.StringVar(&f.Country, "country", "", "only records of this country's forms")
	fl.StringVar(&f.Since, "since", "", "only records dated on or after DATE")
	fl.StringVar(&f.Until, "until", "", "only records dated on or before DATE")
	fl.BoolVar(&includeDeleted, "deleted", false, "include deleted records (their last version, without answers)")
	_ = c.MarkFlagRequired("format")
	return c
}

// writeExport writes an export to a new file, mode 0600, removing it if
// the export fails.
func writeExport(ctx context.Context, rb recordsBackend, name string, f records.Filter, opts records.ExportOptions, stderr io.Writer) error {
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := file.Chmod(0o600); err != nil { // an existing file keeps its mode otherwise
		file.Close()
		return err
	}
	n, err := rb.Export(ctx, file, f, opts)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return err
	}
	fmt.Fprintf(stderr, "exported %d %s to %s\n", n, plural(n, "record", "records"), name)
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
