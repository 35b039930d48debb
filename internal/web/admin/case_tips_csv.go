package admin

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// adminCaseTipsCSV is GET /admin/cases/{id}/tips.csv: every tip of one
// case, with decrypted contact details, for the investigating police. The
// export is audited (who took personal data out, and when). Cells that a
// spreadsheet would run as a formula are neutralised (csvSafe).
func (h *handler) adminCaseTipsCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := h.Store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	var rows []tipRow
	for pageNo := 1; ; pageNo++ {
		tips, total, err := h.Store.ListTips(ctx, store.TipFilter{CaseID: id, Page: pageNo, PerPage: 100})
		if err != nil {
			return err
		}
		for _, t := range tips {
			rows = append(rows, h.openTip(r, t, c.FullName))
		}
		if len(tips) == 0 || len(rows) >= total {
			break
		}
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // BOM: spreadsheets then read the file as UTF-8
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	// The column names and state values stay English in every language
	// (issue 18): they are a data format police systems and scripts read,
	// not text for people, like the API's field names.
	header := []string{"tip_id", "case_id", "case_name", "police_agency", "police_file_number", "received", "state",
		"message", "seen_at", "seen_location", "tipster_name", "tipster_phone", "tipster_email", "team_notes"}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, t := range rows {
		rec := []string{
			strconv.FormatInt(t.Tip.ID, 10), strconv.FormatInt(c.ID, 10), c.FullName, c.PoliceAgency, c.PoliceFileNumber,
			t.Tip.CreatedAt.In(h.Loc).Format(time.RFC3339), string(t.Tip.State),
			t.Tip.Message, t.Tip.SeenAt, t.Tip.SeenLocation, t.Name, t.Phone, t.Email, t.Tip.Notes,
		}
		for i := range rec {
			rec[i] = CSVSafe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	audit := h.AuditFor(r, "case.tips_export", fmt.Sprintf("%s exported as CSV", kit.Plural(len(rows), "tip", "tips")))
	audit.Record = fmt.Sprintf("case:%d", c.ID)
	if err := h.Store.AppendAudit(ctx, audit); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="case-%d-tips.csv"`, c.ID))
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes()) // a write error means the client left
	return nil
}

// CSVSafe is kit.CSVSafe, kept under this name for the admin exports.
func CSVSafe(s string) string { return kit.CSVSafe(s) }
