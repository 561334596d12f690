// Package report turns the review meeting's statistics into tables people
// take away: each table of the /review screen as CSV that Excel opens with
// its Chinese intact. It does no I/O beyond the writer it is given; names
// of streets, grids and departments come through Names.
package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Table is one downloadable table: a title (for the file name), column
// headings and rows of cells.
type Table struct {
	Name    string // file-name part, ASCII: "overdue"
	Title   string // Chinese title: "超期未办结"
	Columns []string
	Rows    [][]Cell
}

// Cell is one value of a table: text (from people or source systems, so
// never trusted by a spreadsheet) or a number.
type Cell struct {
	text   string
	number bool
}

// Text is a cell of free text.
func Text(s string) Cell { return Cell{text: s} }

// Int is a whole-number cell.
func Int(n int64) Cell { return Cell{text: strconv.FormatInt(n, 10), number: true} }

// Num is a number rounded to digits decimals; nil (no value) is an empty cell.
func Num(v *float64, digits int) Cell {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return Cell{number: true}
	}
	return Cell{text: strconv.FormatFloat(*v, 'f', digits, 64), number: true}
}

// Percent is a rate (0–1) as a percentage with one decimal; nil is empty.
func Percent(v *float64) Cell {
	if v == nil {
		return Cell{number: true}
	}
	p := *v * 100
	return Num(&p, 1)
}

// Time is a moment in the district's zone, to the minute; zero is empty.
func Time(t time.Time, zone *time.Location) Cell {
	if t.IsZero() {
		return Cell{}
	}
	return Cell{text: t.In(zone).Format("2006-01-02 15:04")}
}

// Hours is a duration in seconds as hours with one decimal; nil is empty.
func Hours(seconds *float64) Cell {
	if seconds == nil {
		return Cell{number: true}
	}
	h := *seconds / 3600
	return Num(&h, 1)
}

// Minutes is a duration in seconds as minutes with one decimal; nil is empty.
func Minutes(seconds *float64) Cell {
	if seconds == nil {
		return Cell{number: true}
	}
	m := *seconds / 60
	return Num(&m, 1)
}

// String returns what the cell holds as a spreadsheet will read it. Text
// that a spreadsheet would take for a formula (it starts with = + - @, a
// tab or a carriage return) gets a leading apostrophe, so a title sent in
// by a source system cannot run a formula on the reader's machine (CSV
// injection, OWASP). Numbers are written as they are.
func (c Cell) String() string {
	if c.number || c.text == "" {
		return c.text
	}
	if strings.ContainsRune("=+-@\t\r", rune(c.text[0])) {
		return "'" + c.text
	}
	return c.text
}

// utf8BOM makes Excel read the file as UTF-8 (otherwise it guesses the
// system code page, GBK on a Chinese Windows, and the Chinese turns to
// mojibake).
const utf8BOM = "\ufeff"

// WriteCSV writes t as CSV: a UTF-8 byte-order mark, the headings, then the
// rows, with CRLF line ends as Excel writes them.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return fmt.Errorf("report: write %s: %w", t.Name, err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(t.Columns); err != nil {
		return fmt.Errorf("report: write %s: %w", t.Name, err)
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = row[i].String()
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("report: write %s: %w", t.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: write %s: %w", t.Name, err)
	}
	return nil
}
