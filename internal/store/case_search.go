package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search limits: enough for any real query, small enough that a hostile
// 10 KB query costs nothing.
const (
	maxSearchTerms   = 16
	maxSearchTermLen = 84 // InnoDB's innodb_ft_max_token_size; no word we index is longer
)

// searchTerms splits user text into words: runs of letters, digits and
// combining marks (NFC first, so "Siobha\u0301n" is "Siobhán"), plus '_'
// inside a word because InnoDB indexes "under_score" as one word (FTS5
// turns the quoted word into the phrase "under score", which matches too).
// Everything else — quotes, *, -, +, ^, :, parentheses, %, apostrophes —
// separates words, so no full-text operator or LIKE wildcard survives.
// Words such as AND, OR, NOT, NEAR stay words; each dialect quotes them as
// plain text. impossible is true when a word is longer than any indexed word
// can be: no case can match, whatever else the query says.
func searchTerms(q string) (terms []string, impossible bool) {
	q = norm.NFC.String(strings.ToValidUTF8(q, " "))
	for w := range strings.FieldsFuncSeq(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_')
	}) {
		w = strings.Trim(w, "_")
		if w == "" {
			continue
		}
		if utf8.RuneCountInString(w) > maxSearchTermLen {
			return nil, true
		}
		if len(terms) == maxSearchTerms {
			break
		}
		terms = append(terms, w)
	}
	return terms, false
}

// SearchCases is the one query behind GET /cases and the API: full text
// (Q), every filter of CaseQuery, a sort, one page and the total count.
//
// Full text: see searchTerms and each dialect's textSearch. A Q made only of
// punctuation (no word) matches nothing rather than everything: the visitor
// typed something, and no case contains "***". With Q and no Sort, results
// are ranked by relevance (best first, then newest).
func (s *Store) SearchCases(ctx context.Context, q CaseQuery) (*CaseList, error) {
	pg, per, off := page(q.Page, q.PerPage, 20, 100)
	list := &CaseList{Page: pg, PerPage: per, Cases: []Case{}}

	var text searchClause
	if strings.TrimSpace(q.Q) != "" {
		terms, impossible := searchTerms(q.Q)
		if impossible || len(terms) == 0 {
			return list, nil
		}
		text = s.d.textSearch(terms)
	}
	// Arguments follow the SQL text: JOIN, WHERE, ORDER BY.
	args := append([]any{}, text.joinArgs...)
	var where []string
	if text.where != "" {
		where = append(where, text.where)
		args = append(args, text.whereArgs...)
	}
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []Status{StatusMissing}
	}
	where = append(where, "c.status IN ("+placeholders(len(statuses))+")")
	for _, st := range statuses {
		args = append(args, string(st))
	}
	if q.Region != "" {
		where = append(where, "c.region = ?")
		args = append(args, q.Region)
	}
	if q.Sex != "" {
		where = append(where, "c.sex = ?")
		args = append(args, q.Sex)
	}
	if q.AgeMin != nil {
		where = append(where, "c.age >= ?")
		args = append(args, *q.AgeMin)
	}
	if q.AgeMax != nil {
		where = append(where, "c.age <= ?")
		args = append(args, *q.AgeMax)
	}
	if q.Since != nil {
		where = append(where, "c.last_seen_date >= ?")
		args = append(args, dbDate(*q.Since))
	}
	if q.Until != nil {
		where = append(where, "c.last_seen_date <= ?")
		args = append(args, dbDate(*q.Until))
	}

	order := "c.last_seen_date DESC, c.id DESC"
	switch q.Sort {
	case SortOldest:
		order = "c.last_seen_date ASC, c.id ASC"
	case SortName:
		order = "c.sort_name ASC, c.id ASC"
	case "":
		if text.rank != "" {
			order = text.rank + ", " + order
			args = append(args, text.rankArgs...)
		}
	}

	from := " FROM cases c " + text.join
	cond := " WHERE " + strings.Join(where, " AND ")
	// COUNT(*) OVER () gives the total with the page in one pass; only a
	// page past the end (no rows to carry it) needs a separate count.
	query := "SELECT " + caseColumns + ", COUNT(*) OVER ()" + from +
		" LEFT JOIN case_photos p ON p.case_id = c.id AND p.is_primary = 1" + cond +
		" ORDER BY " + order + " LIMIT ? OFFSET ?"
	rows, err := s.db.QueryContext(ctx, query, append(args, per, off)...)
	if err != nil {
		return nil, fmt.Errorf("store: search cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var total int
		c, err := scanCase(rows, &total)
		if err != nil {
			return nil, fmt.Errorf("store: search cases: %w", err)
		}
		list.Total = total
		list.Cases = append(list.Cases, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search cases: %w", err)
	}
	if len(list.Cases) == 0 && off > 0 {
		// The count's arguments are the WHERE's: drop the rank arguments.
		countArgs := args[:len(args)-len(rankArgsUsed(q.Sort, text))]
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*)"+from+cond, countArgs...).Scan(&list.Total); err != nil {
			return nil, fmt.Errorf("store: search cases: count: %w", err)
		}
	}
	return list, nil
}

func rankArgsUsed(sort string, text searchClause) []any {
	if sort == "" && text.rank != "" {
		return text.rankArgs
	}
	return nil
}
