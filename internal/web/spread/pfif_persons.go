package spread

import "net/http"

// pfifPersons is GET /pfif/1.4/persons.xml: every open case as a PFIF 1.4
// person record, and every located case still within its public period as
// an expired record, so partners that copied it delete their copy.
// Archived cases have left the snapshot, and partners had the expiry
// throughout the retention period.
func (h *handler) pfifPersons(w http.ResponseWriter, r *http.Request) error {
	cases, err := h.publicSnapshot(r)
	if err != nil {
		return err
	}
	return h.servePFIF(w, r, cases, newestChange(cases))
}
