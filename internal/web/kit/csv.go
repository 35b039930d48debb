package kit

// CSVSafe neutralises CSV/formula injection: a cell that starts with a
// character spreadsheets treat as a formula (= + - @, and tab / carriage
// return, which some strip before looking) gets a leading single quote, so
// it is shown as text. Phone numbers such as "+1 709 …" are affected too,
// on purpose: better a visible quote than a formula. Every CSV the site
// serves (staff exports, open statistics) passes its cells through it.
func CSVSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
