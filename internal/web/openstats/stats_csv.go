package openstats

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"lostinnl/internal/stats"
	"lostinnl/internal/web/kit"
)

// csvFile is GET /stats/{name}.csv: one table as CSV (RFC 4180: CRLF,
// a header row), the counts as the page shows them ("fewer than 5"
// included), every cell through kit.CSVSafe. No byte-order mark: the file
// is for data tools as much as for spreadsheets, and its labels (fixed
// region names, years, outcomes) are ASCII.
func (h *handler) csvFile(name string) kit.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := h.current(r.Context())
		if err != nil {
			return err
		}
		t, ok := b.report.Table(name)
		if !ok {
			return kit.ErrNotFound()
		}
		body, err := tableCSV(t)
		if err != nil {
			return err
		}
		hd := w.Header()
		hd.Set("Content-Type", "text/csv; charset=utf-8")
		hd.Set("Content-Disposition", `attachment; filename="lostinnl-stats-`+name+`.csv"`)
		hd.Set("Cache-Control", kit.CacheShort)
		hd.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body) // a write error means the client left
		return nil
	}
}

// tableCSV is t as CSV: a header row, then one row per cell.
func tableCSV(t stats.Table) ([]byte, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	// Into a buffer: Write cannot fail but for the buffer; Error reports it.
	_ = cw.Write([]string{columnName(t.Header), "cases"})
	for _, c := range t.Cells {
		_ = cw.Write([]string{kit.CSVSafe(c.Label), kit.CSVSafe(c.Text())})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// columnName makes a heading a CSV column name: "Year last seen" →
// "year_last_seen".
func columnName(s string) string {
	return strings.ReplaceAll(strings.ToLower(s), " ", "_")
}
