package pfif

import "time"

// NS is the PFIF 1.4 namespace, the only version this package reads and
// writes. Earlier versions name people differently (1.2 has first_name and
// last_name, no full_name) and are refused with a message saying so.
const NS = "http://zesty.ca/pfif/1.4"

// DateLayout is PFIF's date-time form: UTC, whole seconds, a literal Z.
const DateLayout = "2006-01-02T15:04:05Z"

// Person is one PFIF 1.4 person record with its notes. Strings are as in
// the document (trimmed); optional dates are zero when absent.
type Person struct {
	RecordID         string // person_record_id, "domain/unique-id"
	EntryDate        time.Time
	ExpiryDate       time.Time
	AuthorName       string
	AuthorEmail      string
	AuthorPhone      string
	SourceName       string
	SourceDate       time.Time
	SourceURL        string
	FullName         string
	GivenName        string
	FamilyName       string
	AlternateNames   string
	Description      string
	Sex              string // female, male, other or empty
	DateOfBirth      string // YYYY, YYYY-MM or YYYY-MM-DD
	Age              string // "N" or "N-M"
	HomeStreet       string
	HomeNeighborhood string
	HomeCity         string
	HomeState        string
	HomePostalCode   string
	HomeCountry      string
	PhotoURL         string
	ProfileURLs      string
	Notes            []Note
}

// Note is a PFIF note: a status report about a person.
type Note struct {
	RecordID             string // note_record_id
	PersonRecordID       string
	LinkedPersonRecordID string
	EntryDate            time.Time
	AuthorName           string
	SourceDate           time.Time
	Status               string // information_sought, is_note_author, believed_alive, believed_missing, believed_dead
	AuthorMadeContact    string
	LastKnownLocation    string
	Text                 string
	PhotoURL             string
}
