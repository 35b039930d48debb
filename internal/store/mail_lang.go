package store

import (
	"context"
	"fmt"
)

// CaseMailLang is the language a case was entered in (cases.content_lang,
// migration 021): the reporter's messages about it (confirmation,
// published, not published, closed) are written in it, as the reporter
// wrote the report. One small query per fan-out, read apart from the
// Case model so the mail does not wait on the case content's fields.
func (s *Store) CaseMailLang(ctx context.Context, caseID int64) (string, error) {
	var lang string
	if err := s.db.QueryRowContext(ctx, "SELECT content_lang FROM cases WHERE id = ?", caseID).Scan(&lang); err != nil {
		return "", fmt.Errorf("store: language of case %d: %w", caseID, notFound(err))
	}
	return lang, nil
}

// UpdateAltBody is the other-language version of a public update
// (case_updates.body_alt, migration 021; "" when none was written), for
// the update's mail to subscribers of that language.
func (s *Store) UpdateAltBody(ctx context.Context, caseID, updateID int64) (string, error) {
	var alt string
	if err := s.db.QueryRowContext(ctx, "SELECT body_alt FROM case_updates WHERE id = ? AND case_id = ?", updateID, caseID).Scan(&alt); err != nil {
		return "", fmt.Errorf("store: other version of update %d: %w", updateID, notFound(err))
	}
	return alt, nil
}
