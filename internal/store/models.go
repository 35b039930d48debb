package store

import (
	"errors"
	"time"
)

// Sentinel errors. Callers test them with errors.Is; every other error from
// this package is wrapped with the name of the operation that failed.
var (
	// ErrNotFound: the record does not exist (or is not visible to the query).
	ErrNotFound = errors.New("not found")
	// ErrIllegalTransition: a case status change that the lifecycle forbids.
	ErrIllegalTransition = errors.New("illegal status transition")
	// ErrConflict: a uniqueness rule was broken (e.g. a user email already taken).
	ErrConflict = errors.New("conflict")
)

// Status is a case's place in its lifecycle (DESIGN.md §2).
type Status string

const (
	StatusPending  Status = "pending"  // submitted, invisible to the public
	StatusMissing  Status = "missing"  // published
	StatusLocated  Status = "located"  // published with a "Located" banner
	StatusArchived Status = "archived" // no longer public
	StatusRejected Status = "rejected" // report not published
)

// transitions lists, for each status, the statuses a case may move to.
// Anything else is ErrIllegalTransition.
var transitions = map[Status][]Status{
	StatusPending:  {StatusMissing, StatusRejected},
	StatusMissing:  {StatusLocated, StatusArchived},
	StatusLocated:  {StatusMissing, StatusArchived},
	StatusArchived: {StatusMissing},
	StatusRejected: {StatusPending},
}

// CanTransition reports whether the lifecycle allows from → to.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Public reports whether a case in this status may be shown to the public.
func (s Status) Public() bool { return s == StatusMissing || s == StatusLocated }

// Regions of Newfoundland and Labrador used to file cases.
var Regions = []string{"Avalon", "Eastern", "Central", "Western", "Labrador"}

// Sexes accepted on cases.
var Sexes = []string{"female", "male", "other", "unknown"}

// Sealed is an encrypted field value as stored: the ciphertext and the
// wrapped data key live beside each other (see internal/secrets). The store
// never sees plaintext for these fields; it only moves bytes.
type Sealed []byte

// Case is a missing person. Fields marked private never leave the admin area.
type Case struct {
	ID       int64
	Status   Status
	FullName string
	Aliases  string
	// Age at disappearance; nil when unknown. BirthDate may be given instead.
	Age        *int
	BirthDate  *time.Time
	Sex        string
	HeightCM   *int
	WeightKG   *int
	Build      string
	HairColour string
	EyeColour  string
	Features   string // distinguishing features
	Clothing   string // clothing last seen

	LastSeenDate  time.Time // date only (UTC midnight)
	LastSeenTime  string    // optional "HH:MM", empty when unknown
	LastSeenPlace string
	Community     string
	Region        string   // one of Regions
	Latitude      *float64 // optional
	Longitude     *float64
	Circumstances string
	// ContentLang is the language the case's texts were entered in and are
	// shown in (ContentEnglish or ContentFrench; "" is taken as English).
	// CircumstancesAlt is the circumstances in the other language, "" when
	// there is none: readers of that language get it, the others the
	// original (issue 18).
	ContentLang      string
	CircumstancesAlt string
	// NotesAllowed: staff turned public notes on for this case (issue 19;
	// only an open case takes them). Read with the case, so a case page
	// whose notes are off (the default) costs no query for them.
	NotesAllowed bool

	PoliceAgency     string
	PoliceFileNumber string
	PolicePhone      string
	PoliceVerified   bool // a moderator ticked "verified with the police"

	// Reporter contact (private). Sealed by internal/secrets; bound to
	// ("cases", column, SealToken) as associated data, or to ("cases",
	// column, ID) for values sealed before the row had a token.
	ReporterName         Sealed
	ReporterPhone        Sealed
	ReporterEmail        Sealed
	ReporterRelationship Sealed
	// SealToken is the row's random seal token (nil on rows created before
	// seal tokens); pass it with ID to open the sealed fields.
	SealToken []byte

	RejectReason string
	LocatedAt    *time.Time // set when status becomes located; starts the retention clock
	// PersonalWithdrawn: photos and personal details were withdrawn from the
	// public page after the retention period.
	PersonalWithdrawn bool

	// FirstNameOnly: the public sees only the first name and the initial
	// of the last name, and no aliases (set by staff; see PublicName).
	// FirstNameRequested: the reporter asked for it on the public form.
	FirstNameOnly      bool
	FirstNameRequested bool
	// hiddenName is the full name a copy made by ForPublic no longer
	// shows, kept so PublicText can still find it in texts read later
	// (updates, photo captions). Unexported: templates and encoding/json
	// cannot reach it.
	hiddenName string

	CreatedAt time.Time
	UpdatedAt time.Time

	// Filled by queries that join them; nil/empty otherwise.
	PrimaryPhoto *Photo
}

// Photo is one photo of a case; its variants live in blob storage under keys
// derived from Key (see internal/media).
type Photo struct {
	ID        int64
	CaseID    int64
	Key       string // random, unguessable blob key prefix
	Position  int    // 0-based display order
	Primary   bool
	Width     int // of the largest variant
	Height    int
	Alt       string
	CreatedAt time.Time
}

// Update is a dated entry in a case's public timeline.
type Update struct {
	ID     int64
	CaseID int64
	Body   string
	// BodyAlt is the update in the other language than its case's
	// ContentLang, "" when there is none (see Case.CircumstancesAlt).
	BodyAlt   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TipState is a tip's place in the team's inbox.
type TipState string

const (
	TipNew       TipState = "new"
	TipReviewed  TipState = "reviewed"
	TipForwarded TipState = "forwarded" // forwarded to police
)

// Tip is information from the public about a published case. Never public.
type Tip struct {
	ID           int64
	CaseID       int64
	Message      string
	SeenAt       string // free text or a date as typed, validated by the form
	SeenLocation string
	Name         Sealed // sealed like Case's reporter contact
	Phone        Sealed
	Email        Sealed
	SealToken    []byte // see Case.SealToken
	State        TipState
	Notes        string // team notes
	CreatedAt    time.Time
}

// Message is a contact-form message. Private.
type Message struct {
	ID        int64
	Name      string
	Email     string
	Subject   string
	Body      string
	Read      bool
	CreatedAt time.Time
}

// Resource categories.
const (
	CategoryEmergency    = "emergency"
	CategoryPolice       = "police"
	CategorySearchRescue = "search and rescue"
	CategoryHealthCrisis = "health and crisis lines"
	CategoryFamily       = "family support"
)

// ResourceCategories in display order.
var ResourceCategories = []string{CategoryEmergency, CategoryPolice, CategorySearchRescue, CategoryHealthCrisis, CategoryFamily}

// Resource is a help resource shown on /resources.
type Resource struct {
	ID          int64
	Title       string
	Category    string
	Phone       string
	URL         string
	Description string
	Position    int
}

// Role of a staff user.
type Role string

const (
	RoleAdmin     Role = "admin"
	RoleModerator Role = "moderator"
)

// User is a staff account.
type User struct {
	ID           int64
	Email        string // stored lower-cased
	DisplayName  string
	PasswordHash string // argon2id PHC string
	Role         Role
	TOTPSecret   Sealed // nil when no second factor enrolled
	// RecoveryCodes are hashes of single-use recovery codes, newline separated.
	RecoveryCodes string
	Disabled      bool
	// Lang is the language of the admin area for this user (LangEnglish
	// or LangFrench; CreateUser stores English when empty).
	Lang      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Session is a signed-in staff session (stored in the database so several
// instances share them).
type Session struct {
	// IDHash is the SHA-256 of the cookie value; the raw id is never stored.
	IDHash     []byte
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute lifetime end
	// Data holds small session state (e.g. pending second factor), JSON.
	Data []byte
}

// AuditEntry is one append-only audit record.
type AuditEntry struct {
	ID        int64
	UserID    *int64 // nil for system or anonymous actions
	UserEmail string // denormalised so the log reads well after a user is gone
	Action    string // e.g. "case.publish", "user.login_failed"
	Record    string // e.g. "case:42"
	Summary   string // what changed, without secrets or personal data
	IP        string
	CreatedAt time.Time
}

// Sort orders of the case listing.
const (
	SortRecent = "recent" // last seen date, newest first (default)
	SortOldest = "oldest" // last seen date, oldest first
	SortName   = "name"   // full name A–Z
)

// CaseQuery is every filter of GET /cases (DESIGN.md §3). Zero values mean
// "no filter". Validation of user input happens in the web layer; the store
// treats whatever it is given safely (parameterised, FTS-escaped).
type CaseQuery struct {
	Q        string   // full text over name, aliases, place, description
	Statuses []Status // empty = missing only (the public default)
	Region   string
	Sex      string
	AgeMin   *int
	AgeMax   *int
	Since    *time.Time // last seen on or after
	Until    *time.Time // last seen on or before
	Sort     string     // SortRecent (default), SortOldest, SortName; relevance when Q is set and Sort is empty
	Page     int        // 1-based; values < 1 mean 1
	PerPage  int        // default 20, max 100
}

// CaseList is one page of search results.
type CaseList struct {
	Cases   []Case // each with PrimaryPhoto filled when it has one
	Total   int
	Page    int
	PerPage int
}
