package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

const resourceColumns = "id, title, category, phone, url, description, position"

func checkResource(r *Resource) error {
	var k checker
	k.require("title", r.Title)
	k.text("title", r.Title, maxName)
	k.text("category", r.Category, maxShort)
	k.text("phone", r.Phone, maxShort)
	k.text("url", r.URL, 2000)
	k.long("description", r.Description)
	return k.err()
}

func scanResource(rs rowScanner) (*Resource, error) {
	var r Resource
	if err := rs.Scan(&r.ID, &r.Title, &r.Category, &r.Phone, &r.URL, &r.Description, &r.Position); err != nil {
		return nil, err
	}
	return &r, nil
}

// ListResources returns every resource in display order.
func (s *Store) ListResources(ctx context.Context) ([]Resource, error) {
	defer s.observe("list_resources", time.Now())
	rows, err := s.db.QueryContext(ctx, "SELECT "+resourceColumns+" FROM resources ORDER BY position, id")
	if err != nil {
		return nil, fmt.Errorf("store: list resources: %w", err)
	}
	defer rows.Close()
	var out []Resource
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list resources: %w", err)
		}
		out = append(out, *r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list resources: %w", err)
	}
	return out, nil
}

// GetResource returns one resource.
func (s *Store) GetResource(ctx context.Context, id int64) (*Resource, error) {
	r, err := scanResource(s.db.QueryRowContext(ctx, "SELECT "+resourceColumns+" FROM resources WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get resource %d: %w", id, notFound(err))
	}
	return r, nil
}

// CreateResource adds a resource at the end of the list (Position is set).
func (s *Store) CreateResource(ctx context.Context, r *Resource, audit *AuditEntry) (int64, error) {
	if err := checkResource(r); err != nil {
		return 0, fmt.Errorf("store: create resource: %w", err)
	}
	reset := auditReset(audit)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(position) + 1, 0) FROM resources").Scan(&r.Position); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO resources (title, category, phone, url, description, position) VALUES (?, ?, ?, ?, ?, ?)",
			r.Title, r.Category, r.Phone, r.URL, r.Description, r.Position)
		if err != nil {
			return err
		}
		if r.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, fmt.Sprintf("resource:%d", r.ID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx)
	})
	if err != nil {
		r.ID = 0
		return 0, fmt.Errorf("store: create resource: %w", err)
	}
	return r.ID, nil
}

// UpdateResource writes title, category, phone, URL and description (the
// order changes only through ReorderResources).
func (s *Store) UpdateResource(ctx context.Context, r *Resource, audit *AuditEntry) error {
	if err := checkResource(r); err != nil {
		return fmt.Errorf("store: update resource %d: %w", r.ID, err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE resources SET title = ?, category = ?, phone = ?, url = ?, description = ? WHERE id = ?",
			r.Title, r.Category, r.Phone, r.URL, r.Description, r.ID)); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, fmt.Sprintf("resource:%d", r.ID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: update resource %d: %w", r.ID, err)
	}
	return nil
}

// DeleteResource removes a resource.
func (s *Store) DeleteResource(ctx context.Context, id int64, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "DELETE FROM resources WHERE id = ?", id)); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, fmt.Sprintf("resource:%d", id)); err != nil {
			return err
		}
		return bumpContent(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: delete resource %d: %w", id, err)
	}
	return nil
}

// ReorderResources sets the display order; ids must list every resource
// exactly once (ErrInvalid otherwise).
func (s *Store) ReorderResources(ctx context.Context, ids []int64, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id FROM resources")
		if err != nil {
			return err
		}
		var have []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			have = append(have, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if !sameIDs(ids, have) {
			return fmt.Errorf("%w: the new order must list each resource exactly once", ErrInvalid)
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE resources SET position = ? WHERE id = ?", i, id); err != nil {
				return err
			}
		}
		if err := insertAudit(ctx, tx, audit, "resources"); err != nil {
			return err
		}
		return bumpContent(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: reorder resources: %w", err)
	}
	return nil
}
