package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// caseColumns is the SELECT list scanned by scanCase; c is cases and p the
// LEFT JOINed primary photo.
const caseColumns = `c.id, c.status, c.full_name, c.aliases, c.age, c.birth_date, c.sex, c.height_cm, c.weight_kg,
	c.build, c.hair_colour, c.eye_colour, c.features, c.clothing, c.last_seen_date, c.last_seen_time,
	c.last_seen_place, c.community, c.region, c.latitude, c.longitude, c.circumstances,
	c.police_agency, c.police_file_number, c.police_phone, c.police_verified,
	c.reporter_name, c.reporter_phone, c.reporter_email, c.reporter_relationship, c.seal_token,
	c.reject_reason, c.located_at, c.personal_withdrawn, c.created_at, c.updated_at,
	c.first_name_only, c.first_name_requested, c.content_lang, c.circumstances_alt, c.notes_allowed,
	p.id, p.photo_key, p.position, p.width, p.height, p.alt, p.created_at`

const caseFrom = ` FROM cases c LEFT JOIN case_photos p ON p.case_id = c.id AND p.is_primary = 1`

type rowScanner interface{ Scan(dest ...any) error }

// scanCase scans caseColumns (plus extra destinations at the end).
func scanCase(r rowScanner, extra ...any) (*Case, error) {
	var c Case
	var p joinedPhoto
	var status string
	dest := []any{&c.ID, &status, &c.FullName, &c.Aliases, nullIntDest{&c.Age}, nullTimeDest{&c.BirthDate}, &c.Sex,
		nullIntDest{&c.HeightCM}, nullIntDest{&c.WeightKG}, &c.Build, &c.HairColour, &c.EyeColour, &c.Features, &c.Clothing,
		timeDest{&c.LastSeenDate}, &c.LastSeenTime, &c.LastSeenPlace, &c.Community, &c.Region,
		nullFloatDest{&c.Latitude}, nullFloatDest{&c.Longitude}, &c.Circumstances,
		&c.PoliceAgency, &c.PoliceFileNumber, &c.PolicePhone, &c.PoliceVerified,
		(*[]byte)(&c.ReporterName), (*[]byte)(&c.ReporterPhone), (*[]byte)(&c.ReporterEmail), (*[]byte)(&c.ReporterRelationship), &c.SealToken,
		&c.RejectReason, nullTimeDest{&c.LocatedAt}, &c.PersonalWithdrawn, timeDest{&c.CreatedAt}, timeDest{&c.UpdatedAt},
		&c.FirstNameOnly, &c.FirstNameRequested, &c.ContentLang, &c.CircumstancesAlt, &c.NotesAllowed,
	}
	dest = append(dest, p.dest()...)
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	c.Status = Status(status)
	c.PrimaryPhoto = p.photo(c.ID)
	return &c, nil
}

// joinedPhoto scans the LEFT JOINed primary photo columns (p.id, p.photo_key,
// p.position, p.width, p.height, p.alt, p.created_at), NULL when the case
// has none.
type joinedPhoto struct {
	id, pos, w, h sql.NullInt64
	key, alt      sql.NullString
	created       *time.Time
}

func (p *joinedPhoto) dest() []any {
	return []any{&p.id, &p.key, &p.pos, &p.w, &p.h, &p.alt, nullTimeDest{&p.created}}
}

// photo is the scanned primary photo of case caseID, nil when there is none.
func (p *joinedPhoto) photo(caseID int64) *Photo {
	if !p.id.Valid {
		return nil
	}
	ph := &Photo{ID: p.id.Int64, CaseID: caseID, Key: p.key.String, Position: int(p.pos.Int64), Primary: true,
		Width: int(p.w.Int64), Height: int(p.h.Int64), Alt: p.alt.String}
	if p.created != nil {
		ph.CreatedAt = *p.created
	}
	return ph
}

// sortName folds a name for ordering the same way on both dialects: accents
// removed, lower case, single spaces ("Ó Ceallaigh" sorts with the O's).
func sortName(name string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	if r := []rune(s); len(r) > maxName {
		s = string(r[:maxName])
	}
	return s
}

// sortKey is a case's sort_name: of its public name, because the public
// listing's name order comes from it, and an order by the full name would
// place "Jordan Z." among the other Jordans by the surname it hides.
func sortKey(c *Case) string { return sortName(c.PublicName()) }

// checkCase validates what the schema needs (lengths, UTF-8, finite
// coordinates); business validation of user input is the web layer's job.
func checkCase(c *Case) error {
	var k checker
	k.require("full_name", c.FullName)
	k.text("full_name", c.FullName, maxName)
	k.text("aliases", c.Aliases, 500)
	k.text("sex", c.Sex, 16)
	k.text("build", c.Build, maxShort)
	k.text("hair_colour", c.HairColour, maxShort)
	k.text("eye_colour", c.EyeColour, maxShort)
	k.long("features", c.Features)
	k.long("clothing", c.Clothing)
	k.text("last_seen_time", c.LastSeenTime, 5)
	k.text("last_seen_place", c.LastSeenPlace, maxName)
	k.text("community", c.Community, maxName)
	k.text("region", c.Region, 32)
	k.long("circumstances", c.Circumstances)
	k.long("circumstances_alt", c.CircumstancesAlt)
	if !ValidContentLang(c.ContentLang) {
		k.add("content_lang: must be en-CA or fr-CA")
	}
	k.text("police_agency", c.PoliceAgency, maxShort)
	k.text("police_file_number", c.PoliceFileNumber, maxShort)
	k.text("police_phone", c.PolicePhone, maxShort)
	k.long("reject_reason", c.RejectReason)
	if c.LastSeenDate.IsZero() {
		k.add("last_seen_date: required")
	}
	for _, n := range []struct {
		field string
		v     *int
	}{{"age", c.Age}, {"height_cm", c.HeightCM}, {"weight_kg", c.WeightKG}} {
		if n.v != nil && (*n.v < 0 || *n.v > 100000) {
			k.add(n.field + ": out of range")
		}
	}
	if c.Latitude != nil && (math.IsNaN(*c.Latitude) || *c.Latitude < -90 || *c.Latitude > 90) {
		k.add("latitude: out of range")
	}
	if c.Longitude != nil && (math.IsNaN(*c.Longitude) || *c.Longitude < -180 || *c.Longitude > 180) {
		k.add("longitude: out of range")
	}
	return k.err()
}

// deriveAge fills Age from BirthDate and LastSeenDate when only the birth
// date is known, so the age filter of the listing works for such cases.
func deriveAge(c *Case) {
	if c.Age != nil {
		return
	}
	if age, ok := c.AgeWhenLastSeen(); ok {
		c.Age = &age
	}
}

// AgeWhenLastSeen is the person's age on the day they were last seen: Age
// when it was given, else worked out from BirthDate (a birthday on the day
// itself counts). ok is false when neither tells, or when the dates
// contradict each other. It is the one copy of this rule, so the pages, the
// API, the feeds, PFIF and search all show the same age.
func (c *Case) AgeWhenLastSeen() (age int, ok bool) {
	if c.Age != nil {
		return *c.Age, true
	}
	if c.BirthDate == nil || c.LastSeenDate.IsZero() {
		return 0, false
	}
	b, l := *c.BirthDate, c.LastSeenDate
	age = l.Year() - b.Year()
	if l.Month() < b.Month() || (l.Month() == b.Month() && l.Day() < b.Day()) {
		age--
	}
	return age, age >= 0
}

// publishable reports whether a case meets the requirements to be shown.
func publishable(c *Case) error {
	var missing []string
	if strings.TrimSpace(c.PoliceAgency) == "" {
		missing = append(missing, "police agency")
	}
	if strings.TrimSpace(c.PoliceFileNumber) == "" {
		missing = append(missing, "police file number")
	}
	if !c.PoliceVerified {
		missing = append(missing, "verified with the police")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: missing %s", ErrPublishRequirements, strings.Join(missing, ", "))
	}
	return nil
}

func caseRecord(id int64) string { return fmt.Sprintf("case:%d", id) }

// CreateCase inserts c (and its photos and reporter contact) and sets c.ID.
// Status defaults to pending; missing is allowed for an admin create when
// the publish requirements are met. The reporter contact is sealed before
// the transaction (one keeper call, bound to the new row's seal token) and
// inserted with the row; without a cipher a non-empty contact is refused.
func (s *Store) CreateCase(ctx context.Context, c *Case, contact ReporterContact, photos []Photo, audit *AuditEntry) (int64, error) {
	defer s.observe("create_case", time.Now())
	return s.createCase(ctx, c, contact, photos, audit, nil)
}

// createCase is CreateCase with also, which (when non-nil) runs in the same
// transaction after the case, its contact and photos are written and before
// the audit entry, so it can complete the entry (CreateReport's reference).
func (s *Store) createCase(ctx context.Context, c *Case, contact ReporterContact, photos []Photo, audit *AuditEntry, also func(tx *sql.Tx, id int64) error) (int64, error) {
	if c.Status == "" {
		c.Status = StatusPending
	}
	switch c.Status {
	case StatusPending:
	case StatusMissing:
		if err := publishable(c); err != nil {
			return 0, fmt.Errorf("store: create case: %w", err)
		}
	default:
		return 0, fmt.Errorf("store: create case: %w: initial status %q", ErrIllegalTransition, c.Status)
	}
	deriveAge(c)
	defaultContentLang(c)
	if err := checkCase(c); err != nil {
		return 0, fmt.Errorf("store: create case: %w", err)
	}
	if err := checkPhotos(photos); err != nil {
		return 0, fmt.Errorf("store: create case: %w", err)
	}
	// Sealed before the transaction (see sealRow), bound to the new row's
	// seal token since its id does not exist yet, and inserted with it.
	token, err := newSealToken()
	if err != nil {
		return 0, fmt.Errorf("store: create case: %w", err)
	}
	vals, err := sealRow(ctx, s.fieldCipher(), "cases", 0, token, reporterFields(contact))
	if err != nil {
		return 0, fmt.Errorf("store: create case: %w", err)
	}
	t := now()
	reset := auditReset(audit)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		res, err := tx.ExecContext(ctx, `INSERT INTO cases (status, full_name, sort_name, aliases, age, birth_date, sex, height_cm, weight_kg,
			build, hair_colour, eye_colour, features, clothing, last_seen_date, last_seen_time, last_seen_place, community, region,
			latitude, longitude, circumstances, police_agency, police_file_number, police_phone, police_verified,
			reporter_name, reporter_phone, reporter_email, reporter_relationship, seal_token,
			reject_reason, located_at, personal_withdrawn, created_at, updated_at, first_name_only, first_name_requested,
			content_lang, circumstances_alt)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', NULL, 0, ?, ?, ?, ?, ?, ?)`,
			string(c.Status), c.FullName, sortKey(c), c.Aliases, intPtr(c.Age), dbDatePtr(c.BirthDate), c.Sex,
			intPtr(c.HeightCM), intPtr(c.WeightKG), c.Build, c.HairColour, c.EyeColour, c.Features, c.Clothing,
			dbDate(c.LastSeenDate), c.LastSeenTime, c.LastSeenPlace, c.Community, c.Region,
			floatPtr(c.Latitude), floatPtr(c.Longitude), c.Circumstances, c.PoliceAgency, c.PoliceFileNumber, c.PolicePhone,
			c.PoliceVerified, nullBytes(vals[0]), nullBytes(vals[1]), nullBytes(vals[2]), nullBytes(vals[3]), token, dbTime(t), dbTime(t),
			c.FirstNameOnly, c.FirstNameRequested, c.ContentLang, c.CircumstancesAlt)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if err := insertPhotos(ctx, tx, id, photos, t); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx, id); err != nil {
				return err
			}
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(id)); err != nil {
			return err
		}
		// Only a case created already published changes a public page. A
		// pending report from the public form must not bump: anyone could
		// then flush every instance's page cache at the form's rate.
		if c.Status.Public() {
			if err := bumpContent(ctx, tx, id); err != nil {
				return err
			}
		}
		c.ID = id
		c.ReporterName, c.ReporterPhone, c.ReporterEmail, c.ReporterRelationship = vals[0], vals[1], vals[2], vals[3]
		c.SealToken = token
		return nil
	})
	if err != nil {
		c.ID = 0
		return 0, fmt.Errorf("store: create case: %w", err)
	}
	c.RejectReason, c.LocatedAt, c.PersonalWithdrawn = "", nil, false
	c.CreatedAt, c.UpdatedAt = t, t
	return c.ID, nil
}

// reporterFields lists the reporter columns and their plaintext, in the
// order of the INSERT in createCase.
func reporterFields(r ReporterContact) []sealField {
	return []sealField{{"reporter_name", r.Name}, {"reporter_phone", r.Phone}, {"reporter_email", r.Email}, {"reporter_relationship", r.Relationship}}
}

// GetCase returns a case in any status (admin), with its primary photo.
func (s *Store) GetCase(ctx context.Context, id int64) (*Case, error) {
	defer s.observe("get_case", time.Now())
	c, err := scanCase(s.db.QueryRowContext(ctx, "SELECT "+caseColumns+caseFrom+" WHERE c.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get case %d: %w", id, notFound(err))
	}
	return c, nil
}

// GetPublicCase returns a case only when the public may see it, with
// the name as the public may see it (ForPublic).
func (s *Store) GetPublicCase(ctx context.Context, id int64) (*Case, error) {
	defer s.observe("get_public_case", time.Now())
	c, err := scanCase(s.reads.QueryRowContext(ctx, "SELECT "+caseColumns+caseFrom+" WHERE c.id = ? AND c.status IN ('missing', 'located')", id))
	if err != nil {
		return nil, fmt.Errorf("store: get public case %d: %w", id, notFound(err))
	}
	return c.ForPublic(), nil
}

// GetCaseForPublic is GetCase for a public page that decides for itself
// what each status shows (the case page, poster, feeds, PFIF, alerts):
// any status, but with the name as the public may see it (ForPublic).
//
// It is the case page's own read: through the prepared statements (see
// preparedReads), as parsing this 60-column SELECT again on every request
// was a fifth of a cold case page's CPU on SQLite.
func (s *Store) GetCaseForPublic(ctx context.Context, id int64) (*Case, error) {
	defer s.observe("get_case", time.Now())
	c, err := scanCase(s.reads.QueryRowContext(ctx, "SELECT "+caseColumns+caseFrom+" WHERE c.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get case %d: %w", id, notFound(err))
	}
	return c.ForPublic(), nil
}

// ContactEdit is the part of a case's reporter contact that a form
// changed: a nil field is left as stored, a non-nil one replaces it (""
// clears it). Only changed fields are sealed and written, so a save never
// needs to open the stored contact to compare it.
type ContactEdit struct{ Name, Phone, Email, Relationship *string }

// Changed reports whether the edit replaces any field.
func (e ContactEdit) Changed() bool {
	return e.Name != nil || e.Phone != nil || e.Email != nil || e.Relationship != nil
}

// fields lists the replaced columns and their plaintext.
func (e ContactEdit) fields() []sealField {
	var out []sealField
	for _, f := range []struct {
		column string
		v      *string
	}{{"reporter_name", e.Name}, {"reporter_phone", e.Phone}, {"reporter_email", e.Email}, {"reporter_relationship", e.Relationship}} {
		if f.v != nil {
			out = append(out, sealField{f.column, *f.v})
		}
	}
	return out
}

// CaseSave is everything one staff save of a case form writes; SaveCase
// commits it in ONE transaction, so a save is never half applied.
type CaseSave struct {
	// Fields, when not nil, holds the editable fields to write, as
	// UpdateCase does (its ID is ignored: SaveCase's id is the case). It
	// is updated like UpdateCase's argument (Age derived, UpdatedAt set).
	Fields      *Case
	FieldsAudit *AuditEntry
	// Contact is the reporter contact fields to replace; they are sealed
	// before the transaction (one keeper call), bound to the row's seal
	// token, or to its id for a row from before seal tokens.
	Contact      ContactEdit
	ContactAudit *AuditEntry
	// Publish moves the case from pending to missing (a report's approval)
	// after the fields are written, so the publish requirements are checked
	// on the saved fields. PublishAudit's empty summary is filled as
	// TransitionCase does.
	Publish      bool
	PublishAudit *AuditEntry
}

// SaveCase writes one staff save of a case (see CaseSave) in a single
// transaction: either all of it commits or none of it. Errors are those of
// UpdateCase, UpdateReporterContact and TransitionCase.
func (s *Store) SaveCase(ctx context.Context, id int64, e CaseSave) error {
	defer s.observe("save_case", time.Now())
	if e.Fields != nil {
		deriveAge(e.Fields)
		defaultContentLang(e.Fields)
		if err := checkCase(e.Fields); err != nil {
			return fmt.Errorf("store: save case %d: %w", id, err)
		}
	}
	contact := e.Contact.fields()
	var vals []Sealed
	if len(contact) > 0 {
		// The token never changes once the row exists, so reading it
		// before the transaction is safe; the keeper call then happens
		// with no transaction open.
		var token []byte
		if err := s.db.QueryRowContext(ctx, "SELECT seal_token FROM cases WHERE id = ?", id).Scan(&token); err != nil {
			return fmt.Errorf("store: save case %d: %w", id, notFound(err))
		}
		var err error
		if vals, err = sealRow(ctx, s.fieldCipher(), "cases", id, token, contact); err != nil {
			return fmt.Errorf("store: save case %d: %w", id, err)
		}
	}
	t := now()
	resets := []func(){auditReset(e.FieldsAudit), auditReset(e.ContactAudit), auditReset(e.PublishAudit)}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range resets {
			r()
		}
		bump := false
		if c := e.Fields; c != nil {
			var status string
			if err := tx.QueryRowContext(ctx, "SELECT status FROM cases WHERE id = ?", id).Scan(&status); err != nil {
				return notFound(err)
			}
			if Status(status).Public() {
				if err := publishable(c); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE cases SET full_name = ?, sort_name = ?, aliases = ?, age = ?, birth_date = ?, sex = ?,
			height_cm = ?, weight_kg = ?, build = ?, hair_colour = ?, eye_colour = ?, features = ?, clothing = ?,
			last_seen_date = ?, last_seen_time = ?, last_seen_place = ?, community = ?, region = ?, latitude = ?, longitude = ?,
			circumstances = ?, police_agency = ?, police_file_number = ?, police_phone = ?, police_verified = ?, updated_at = ?,
			first_name_only = ?, content_lang = ?, circumstances_alt = ?
			WHERE id = ?`,
				c.FullName, sortKey(c), c.Aliases, intPtr(c.Age), dbDatePtr(c.BirthDate), c.Sex,
				intPtr(c.HeightCM), intPtr(c.WeightKG), c.Build, c.HairColour, c.EyeColour, c.Features, c.Clothing,
				dbDate(c.LastSeenDate), c.LastSeenTime, c.LastSeenPlace, c.Community, c.Region, floatPtr(c.Latitude), floatPtr(c.Longitude),
				c.Circumstances, c.PoliceAgency, c.PoliceFileNumber, c.PolicePhone, c.PoliceVerified, dbTime(t),
				c.FirstNameOnly, c.ContentLang, c.CircumstancesAlt, id); err != nil {
				return err
			}
			if err := insertAudit(ctx, tx, e.FieldsAudit, caseRecord(id)); err != nil {
				return err
			}
			bump = true
		}
		if len(contact) > 0 {
			set := make([]string, 0, len(contact)+1)
			args := make([]any, 0, len(contact)+2)
			for i, f := range contact {
				set = append(set, f.column+" = ?")
				args = append(args, nullBytes(vals[i]))
			}
			set = append(set, "updated_at = ?")
			args = append(args, dbTime(t), id)
			if err := mustAffect(tx.ExecContext(ctx, "UPDATE cases SET "+strings.Join(set, ", ")+" WHERE id = ?", args...)); err != nil {
				return err
			}
			// The contact is never shown publicly: no content bump for it.
			if err := insertAudit(ctx, tx, e.ContactAudit, caseRecord(id)); err != nil {
				return err
			}
		}
		if e.Publish {
			from, err := transitionTx(ctx, tx, id, StatusMissing, "", t)
			if err != nil {
				return err
			}
			if e.PublishAudit != nil && e.PublishAudit.Summary == "" {
				e.PublishAudit.Summary = fmt.Sprintf("status %s → %s", from, StatusMissing)
			}
			if err := insertAudit(ctx, tx, e.PublishAudit, caseRecord(id)); err != nil {
				return err
			}
			bump = true
		}
		if bump {
			return bumpContent(ctx, tx, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save case %d: %w", id, err)
	}
	if e.Fields != nil {
		e.Fields.UpdatedAt = t
	}
	return nil
}

// UpdateCase writes the editable fields of c: never the status (see
// TransitionCase), the sealed columns (UpdateReporterContact), the reject
// reason, LocatedAt or PersonalWithdrawn. A published case cannot lose its
// publish requirements. It is SaveCase with only Fields.
func (s *Store) UpdateCase(ctx context.Context, c *Case, audit *AuditEntry) error {
	return s.SaveCase(ctx, c.ID, CaseSave{Fields: c, FieldsAudit: audit})
}

// UpdateReporterContact replaces the whole sealed reporter contact (empty →
// NULL). The contact is never shown publicly, so the content revision
// stays. It is SaveCase with every contact field.
func (s *Store) UpdateReporterContact(ctx context.Context, id int64, contact ReporterContact, audit *AuditEntry) error {
	return s.SaveCase(ctx, id, CaseSave{
		Contact:      ContactEdit{Name: &contact.Name, Phone: &contact.Phone, Email: &contact.Email, Relationship: &contact.Relationship},
		ContactAudit: audit,
	})
}

// TransitionCase moves a case through its lifecycle (models.go transitions).
// pending → missing also needs the publish requirements; → located starts
// the retention clock; → rejected keeps reason; → missing clears LocatedAt
// and PersonalWithdrawn. The change and its audit entry commit together.
func (s *Store) TransitionCase(ctx context.Context, id int64, to Status, reason string, audit *AuditEntry) error {
	defer s.observe("transition_case", time.Now())
	if !to.Valid() {
		return fmt.Errorf("store: transition case %d: %w: unknown status %q", id, ErrIllegalTransition, to)
	}
	var k checker
	k.long("reason", reason)
	if err := k.err(); err != nil {
		return fmt.Errorf("store: transition case %d: %w", id, err)
	}
	t := now()
	reset := auditReset(audit)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		from, err := transitionTx(ctx, tx, id, to, reason, t)
		if err != nil {
			return err
		}
		if audit != nil && audit.Summary == "" {
			audit.Summary = fmt.Sprintf("status %s → %s", from, to)
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(id)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("store: transition case %d to %s: %w", id, to, err)
	}
	return nil
}

// transitionTx is the status change of TransitionCase inside tx, without
// its audit entry and content bump (callers decide both). It returns the
// status the case had.
func transitionTx(ctx context.Context, tx *sql.Tx, id int64, to Status, reason string, t time.Time) (Status, error) {
	var c Case
	var from string
	err := tx.QueryRowContext(ctx, "SELECT status, police_agency, police_file_number, police_verified FROM cases WHERE id = ?", id).
		Scan(&from, &c.PoliceAgency, &c.PoliceFileNumber, &c.PoliceVerified)
	if err != nil {
		return "", notFound(err)
	}
	if !CanTransition(Status(from), to) {
		return "", fmt.Errorf("%w: %s → %s", ErrIllegalTransition, from, to)
	}
	if to == StatusMissing && Status(from) == StatusPending {
		if err := publishable(&c); err != nil {
			return "", err
		}
	}
	set := "status = ?, updated_at = ?"
	args := []any{string(to), dbTime(t)}
	switch to {
	case StatusLocated:
		set += ", located_at = ?"
		args = append(args, dbTime(t))
	case StatusRejected:
		set += ", reject_reason = ?"
		args = append(args, reason)
	case StatusMissing:
		set += ", located_at = NULL, personal_withdrawn = 0"
	case StatusPending:
		set += ", reject_reason = ''"
	}
	// "AND status = ?" makes a concurrent change of the same case lose
	// cleanly instead of both writes landing.
	err = mustAffect(tx.ExecContext(ctx, "UPDATE cases SET "+set+" WHERE id = ? AND status = ?", append(args, id, from)...))
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("%w: status changed concurrently", ErrConflict)
	}
	if err != nil {
		return "", err
	}
	if to == StatusArchived {
		// An archived case has no public page: its public notes end with it
		// (issue 19), whether the retention job or a moderator archived it.
		if err := deleteCaseNotes(ctx, tx, id); err != nil {
			return "", err
		}
	}
	if kind := transitionFanout(Status(from), to, reason); kind != "" {
		if err := insertFanout(ctx, tx, kind, id, 0, t); err != nil {
			return "", err
		}
	}
	return Status(from), nil
}

// CountCasesByStatus counts cases per status (every status is present).
func (s *Store) CountCasesByStatus(ctx context.Context) (map[Status]int, error) {
	out := map[Status]int{}
	for st := range transitions {
		out[st] = 0
	}
	rows, err := s.db.QueryContext(ctx, "SELECT status, COUNT(*) FROM cases GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("store: count cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: count cases: %w", err)
		}
		out[Status(st)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count cases: %w", err)
	}
	return out, nil
}

// FindCaseByPoliceFile returns the id of the (oldest) case with this police
// agency and file number, or ErrNotFound.
func (s *Store) FindCaseByPoliceFile(ctx context.Context, agency, fileNumber string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, "SELECT id FROM cases WHERE police_agency = ? AND police_file_number = ? ORDER BY id LIMIT 1", agency, fileNumber).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: find case by police file: %w", notFound(err))
	}
	return id, nil
}

// LocatedDueForWithdrawal lists located cases located before locatedBefore
// whose personal details are still public, oldest first.
func (s *Store) LocatedDueForWithdrawal(ctx context.Context, locatedBefore time.Time, limit int) ([]Case, error) {
	if limit < 1 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+caseColumns+caseFrom+
		" WHERE c.status = 'located' AND c.personal_withdrawn = 0 AND c.located_at < ? ORDER BY c.located_at, c.id LIMIT ?",
		dbTime(locatedBefore), limit)
	if err != nil {
		return nil, fmt.Errorf("store: located due for withdrawal: %w", err)
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("store: located due for withdrawal: %w", err)
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: located due for withdrawal: %w", err)
	}
	return out, nil
}

// LocatedDueForArchive lists located cases located before locatedBefore,
// oldest first: their public period has ended and the retention job
// archives them.
func (s *Store) LocatedDueForArchive(ctx context.Context, locatedBefore time.Time, limit int) ([]Case, error) {
	if limit < 1 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+caseColumns+caseFrom+
		" WHERE c.status = 'located' AND c.located_at < ? ORDER BY c.located_at, c.id LIMIT ?",
		dbTime(locatedBefore), limit)
	if err != nil {
		return nil, fmt.Errorf("store: located due for archive: %w", err)
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("store: located due for archive: %w", err)
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: located due for archive: %w", err)
	}
	return out, nil
}

// WithdrawPersonal marks a located case's personal details withdrawn and
// deletes its photo rows (and those of the reporter's additions) in one
// transaction, returning the photos so the caller deletes their blobs.
// Only located cases qualify: a case re-opened as missing in the meantime
// keeps its photos (ErrIllegalTransition).
func (s *Store) WithdrawPersonal(ctx context.Context, id int64, audit *AuditEntry) ([]Photo, error) {
	var photos []Photo
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, "SELECT status FROM cases WHERE id = ?", id).Scan(&status); err != nil {
			return notFound(err)
		}
		if Status(status) != StatusLocated {
			return fmt.Errorf("%w: withdrawal needs a located case, not %s", ErrIllegalTransition, status)
		}
		var err error
		if photos, err = listPhotos(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM case_photos WHERE case_id = ?", id); err != nil {
			return err
		}
		// Photos the reporter sent later through their link go too.
		extra, err := takeAdditionPhotos(ctx, tx, id)
		if err != nil {
			return err
		}
		photos = append(photos, extra...)
		// Public notes are about the person too (issue 19).
		if err := deleteCaseNotes(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE cases SET personal_withdrawn = 1, updated_at = ? WHERE id = ?", dbTime(now()), id); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(id)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, id)
	})
	if err != nil {
		return nil, fmt.Errorf("store: withdraw personal %d: %w", id, err)
	}
	return photos, nil
}
