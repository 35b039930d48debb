package store

import (
	"context"
	"fmt"
	"strings"
	"time"
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

// Bounds is the page the query asks for after the listing's limits: page
// at least 1 (and at most 2^20, so the offset cannot overflow), 20 per
// page by default, 100 at most, and the offset of its first case. Every
// reader of a CaseQuery (SearchCases, the read model) pages through it.
func (q CaseQuery) Bounds() (pg, perPage, offset int) {
	return page(q.Page, q.PerPage, 20, 100)
}

// SearchCases is the one query behind GET /cases and the API: full text
// (Q), every filter of CaseQuery, a sort, one page and the total count.
//
// Full text: see searchTerms and each dialect's textSearch. A Q made only of
// punctuation (no word) matches nothing rather than everything: the visitor
// typed something, and no case contains "***". With Q and no Sort, results
// are ranked by relevance (best first, then newest).
//
// Two steps: the first finds the page's ids and the total over narrow rows
// (carrying whole cases with their long texts through the sort and the
// count cost several times more with many matches); the second loads those
// few cases with their primary photo.
func (s *Store) SearchCases(ctx context.Context, q CaseQuery) (*CaseList, error) {
	defer s.observe("search_cases", time.Now())
	pg, per, off := q.Bounds()
	list := &CaseList{Page: pg, PerPage: per, Cases: []Case{}}

	var text searchClause
	if strings.TrimSpace(q.Q) != "" {
		terms, impossible := searchTerms(q.Q)
		if impossible || len(terms) == 0 {
			return list, nil
		}
		text = s.d.textSearch(terms, q.Sort == "")
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
	from := " FROM cases c " + text.join
	cond := " WHERE " + strings.Join(where, " AND ")
	countArgs := args

	order := "c.last_seen_date DESC, c.id DESC"
	switch q.Sort {
	case SortOldest:
		order = "c.last_seen_date ASC, c.id ASC"
	case SortName:
		order = "c.sort_name ASC, c.id ASC"
	case "":
		if text.rank != "" {
			order = text.rank + ", " + order
			args = append(args[:len(args):len(args)], text.rankArgs...)
		}
	}

	// Step 1: the page's ids and the total. With a text query every match
	// is read and sorted anyway, so COUNT(*) OVER () gives the total in the
	// same pass. Without one, the page comes straight off a listing index
	// (the LIMIT stops after a few rows) and a separate index-only COUNT is
	// far cheaper than a window over every row (67 ms → a few ms for 80k
	// missing cases).
	windowed := text.where != ""
	sel := "SELECT c.id"
	if windowed {
		sel += ", COUNT(*) OVER ()"
	}
	rows, err := s.db.QueryContext(ctx, sel+from+cond+" ORDER BY "+order+" LIMIT ? OFFSET ?",
		append(args[:len(args):len(args)], per, off)...)
	if err != nil {
		return nil, fmt.Errorf("store: search cases: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		dest := []any{&id}
		if windowed {
			dest = append(dest, &list.Total)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: search cases: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search cases: %w", err)
	}
	// A page past the end has no row to carry the window total.
	if !windowed || (len(ids) == 0 && off > 0) {
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*)"+from+cond, countArgs...).Scan(&list.Total); err != nil {
			return nil, fmt.Errorf("store: search cases: count: %w", err)
		}
	}
	if len(ids) == 0 {
		return list, nil
	}

	// Step 2: load the cases of the page, kept in step 1's order.
	// The status is checked again so that a case unpublished between the
	// two steps is left out rather than shown.
	idArgs := make([]any, 0, len(ids)+len(statuses))
	for _, id := range ids {
		idArgs = append(idArgs, id)
	}
	for _, st := range statuses {
		idArgs = append(idArgs, string(st))
	}
	crows, err := s.db.QueryContext(ctx, "SELECT "+caseColumns+caseFrom+" WHERE c.id IN ("+placeholders(len(ids))+
		") AND c.status IN ("+placeholders(len(statuses))+")", idArgs...)
	if err != nil {
		return nil, fmt.Errorf("store: search cases: load: %w", err)
	}
	defer crows.Close()
	byID := make(map[int64]*Case, len(ids))
	for crows.Next() {
		c, err := scanCase(crows)
		if err != nil {
			return nil, fmt.Errorf("store: search cases: load: %w", err)
		}
		byID[c.ID] = c
	}
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("store: search cases: load: %w", err)
	}
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			list.Cases = append(list.Cases, *c)
		}
	}
	return list, nil
}
