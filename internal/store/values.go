package store

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Times are bound as fixed-width UTC text ("2006-01-02 15:04:05.000000").
// Both dialects accept it (MySQL converts it to DATETIME(6); SQLite keeps the
// text), and in SQLite fixed width keeps lexical order = time order.
// Microseconds because that is what DATETIME(6) keeps: a value read back is
// equal to the value written.
const (
	timeLayout = "2006-01-02 15:04:05.000000"
	dateLayout = "2006-01-02"
)

// now is the store's clock: UTC, truncated to what the database keeps.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func dbTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// dbDate keeps the calendar date the caller built (its own Y-M-D, no time
// zone conversion): a last-seen date is a date, not an instant.
func dbDate(t time.Time) string { return t.Format(dateLayout) }

func dbDatePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return dbDate(*t)
}

// timeDest scans a DATETIME/DATE column from either driver into a UTC
// time.Time. modernc returns time.Time for DATETIME-declared columns it can
// parse and text otherwise; go-sql-driver returns time.Time (parseTime).
type timeDest struct{ t *time.Time }

func (d timeDest) Scan(src any) error {
	t, ok, err := parseDBTime(src)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("scan time: NULL in a NOT NULL column")
	}
	*d.t = t
	return nil
}

// nullTimeDest scans a nullable DATETIME/DATE into a *time.Time.
type nullTimeDest struct{ t **time.Time }

func (d nullTimeDest) Scan(src any) error {
	t, ok, err := parseDBTime(src)
	if err != nil {
		return err
	}
	if !ok {
		*d.t = nil
		return nil
	}
	*d.t = &t
	return nil
}

func parseDBTime(src any) (time.Time, bool, error) {
	var s string
	switch v := src.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return v.UTC(), true, nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return time.Time{}, false, fmt.Errorf("scan time: unsupported type %T", src)
	}
	for _, layout := range []string{timeLayout, "2006-01-02 15:04:05.999999999", time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", dateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("scan time: unparseable %q", s)
}

// nullString binds "" as NULL (for sealed columns and optional values).
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// intPtr/floatPtr bind optional numbers.
func intPtr(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func floatPtr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// nullIntDest scans a nullable integer into **int.
type nullIntDest struct{ p **int }

func (d nullIntDest) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d.p = nil
	case int64:
		n := int(v)
		*d.p = &n
	case []byte:
		var n int
		if _, err := fmt.Sscan(string(v), &n); err != nil {
			return fmt.Errorf("scan int: %w", err)
		}
		*d.p = &n
	default:
		return fmt.Errorf("scan int: unsupported type %T", src)
	}
	return nil
}

// nullFloatDest scans a nullable float into **float64.
type nullFloatDest struct{ p **float64 }

func (d nullFloatDest) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d.p = nil
	case float64:
		*d.p = &v
	case float32:
		f := float64(v)
		*d.p = &f
	case int64:
		f := float64(v)
		*d.p = &f
	case []byte:
		var f float64
		if _, err := fmt.Sscan(string(v), &f); err != nil {
			return fmt.Errorf("scan float: %w", err)
		}
		*d.p = &f
	default:
		return fmt.Errorf("scan float: unsupported type %T", src)
	}
	return nil
}

// checker collects ErrInvalid problems of a record before it is written, so
// both dialects reject the same values the same way (MySQL would otherwise
// fail with "data too long" where SQLite silently accepts).
type checker struct{ problems []string }

// text checks valid UTF-8 and a maximum length in characters (the column size).
func (c *checker) text(field, v string, maxRunes int) {
	if !utf8.ValidString(v) {
		c.problems = append(c.problems, field+": invalid UTF-8")
		return
	}
	if maxRunes > 0 && utf8.RuneCountInString(v) > maxRunes {
		c.problems = append(c.problems, fmt.Sprintf("%s: longer than %d characters", field, maxRunes))
	}
}

// long checks a TEXT column: valid UTF-8 and at most 65,535 bytes (MySQL TEXT).
func (c *checker) long(field, v string) {
	if !utf8.ValidString(v) {
		c.problems = append(c.problems, field+": invalid UTF-8")
		return
	}
	if len(v) > maxTextBytes {
		c.problems = append(c.problems, fmt.Sprintf("%s: longer than %d bytes", field, maxTextBytes))
	}
}

func (c *checker) require(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.problems = append(c.problems, field+": required")
	}
}

func (c *checker) add(problem string) { c.problems = append(c.problems, problem) }

func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(c.problems, "; "))
}

// Column sizes shared by the schema (VARCHAR(n) on MySQL) and the checks.
const (
	maxShort     = 100   // short labels: sex, colours, build, agency, file number
	maxName      = 200   // names, places, communities, titles
	maxTextBytes = 65535 // TEXT columns on MySQL
	maxEmail     = 254
)
