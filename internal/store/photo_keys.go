package store

import (
	"context"
	"fmt"
	"strings"
)

// photoKeysBatch bounds the IN list of one query: far under SQLite's and
// MySQL's placeholder limits, and small enough to keep each query quick.
const photoKeysBatch = 200

// ReferencedPhotoKeys returns which of keys a photo row references (the
// map holds only those that are): a case's photo, or a photo a reporter
// added through their private link that moderators have not adopted yet,
// or a photo held for a report form not yet sent (report_form_photos; an
// expired hold still counts until the retention job deletes its row and
// blobs together).
// The orphan-blob sweeper asks this before deleting anything: a key missing
// from the map has no row anywhere, so its blobs are unreachable.
func (s *Store) ReferencedPhotoKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	found := make(map[string]bool)
	for len(keys) > 0 {
		n := min(len(keys), photoKeysBatch)
		batch := keys[:n]
		keys = keys[n:]
		args := make([]any, len(batch))
		for i, k := range batch {
			args[i] = k
		}
		in := "(?" + strings.Repeat(", ?", len(batch)-1) + ")"
		q := "SELECT photo_key FROM case_photos WHERE photo_key IN " + in +
			" UNION SELECT photo_key FROM report_addition_photos WHERE photo_key IN " + in +
			" UNION SELECT photo_key FROM report_form_photos WHERE photo_key IN " + in
		rows, err := s.db.QueryContext(ctx, q, append(append(args, args...), args...)...)
		if err != nil {
			return nil, fmt.Errorf("store: referenced photo keys: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: referenced photo keys: %w", err)
			}
			found[k] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: referenced photo keys: %w", err)
		}
	}
	return found, nil
}
