package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// preparedReads runs the case page's few read queries through statements
// prepared once (database/sql then keeps one per pooled connection)
// instead of parsing the SQL again on every request: on SQLite the parse
// was a fifth of a case page's cost. Only fixed query strings go through
// it, so it holds a handful of statements. It is a queryer for the read
// helpers that take one; writes never go through it.
type preparedReads struct {
	db    *sql.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func (p *preparedReads) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	p.mu.Lock()
	st := p.stmts[query]
	p.mu.Unlock()
	if st != nil {
		return st, nil
	}
	// Prepared outside the lock: two first calls may both prepare, and
	// the second closes its copy.
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev := p.stmts[query]; prev != nil {
		_ = st.Close()
		return prev, nil
	}
	if p.stmts == nil {
		p.stmts = map[string]*sql.Stmt{}
	}
	p.stmts[query] = st
	return st, nil
}

func (p *preparedReads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p *preparedReads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.stmt(ctx, query)
	if err != nil {
		// A Row cannot carry our error: the plain query fails the same
		// way (the database is out of reach) and says why.
		return p.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (p *preparedReads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return nil, errors.New("store: preparedReads is for reads only")
}

// close releases the statements (before the pool closes).
func (p *preparedReads) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	for q, st := range p.stmts {
		err = errors.Join(err, st.Close())
		delete(p.stmts, q)
	}
	return err
}
