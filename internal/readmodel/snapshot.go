package readmodel

import (
	"maps"
	"slices"
	"time"

	"lostinnl/internal/search"
	"lostinnl/internal/store"
)

// card is what the listings, the home page and the API list show of a
// case: store.Case without the descriptions, the police contact and the
// private fields, about a third of its size. Never modified once built.
// CreatedAt is not kept: no public page shows it.
//
// A card holds no pointer: its strings are spans of the snapshot's arena,
// its shared values (status, sex, community, region) numbers in its dicts,
// its optional values flags, its times seconds. The collector marks every
// pointer the heap holds on every cycle, and a page under load sees
// several cycles a second: at 100,000 cases the cards' 1.3 million (each
// name, alias, photo and date its own object) made a full collection of
// the loaded model take 12.0 ms; 1.8 ms with cards like these.
type card struct {
	id            int64
	fullName      text
	aliases       text
	lastSeenPlace text
	status        uint32 // code in snapshot.statuses
	community     uint32 // code in snapshot.communities
	// The sex and the region are numbered in the card's attr.
	age       int // when hasAge
	birthDate stamp
	locatedAt stamp
	lastSeen  stamp
	updatedAt stamp
	photo     cardPhoto // when hasPhoto
	// lat, lng: the public point (store.PublicCases rounds it) when
	// hasPlace; the model never holds an exact location.
	lat, lng  float64
	verified  bool
	withdrawn bool
	hasPlace  bool
	hasAge    bool
	hasPhoto  bool
	// firstNameOnly: fullName is already the short public name (the
	// store masks it); kept so the API can say the name is restricted.
	firstNameOnly bool
}

// cardPhoto is a card's primary photo (store.Photo) without pointers.
type cardPhoto struct {
	id, caseID    int64
	key, alt      text
	position      int
	width, height int
	created       stamp
	primary       bool
}

// text is a string of the snapshot's arena: bytes off to off+n.
type text struct{ off, n uint32 }

// stamp is a time.Time without its pointer: seconds and nanoseconds since
// 1970, and its location as a number in snapshot.zones (0: UTC, which is
// what the store reads; a source in another zone keeps its zone). ok is
// false for a nil *time.Time.
type stamp struct {
	sec  int64
	nsec int32
	zone uint16
	ok   bool
}

// dict numbers a few distinct values (statuses, sexes, communities,
// regions): code is a value's number, name the value of a number.
type dict struct {
	code map[string]uint32
	name []string
}

func newDict() dict { return dict{code: map[string]uint32{}} }

// add is v's number, v added when new.
func (d *dict) add(v string) uint32 {
	c, ok := d.code[v]
	if !ok {
		c = uint32(len(d.name))
		d.code[v] = c
		d.name = append(d.name, v)
	}
	return c
}

// clone is a copy a patched snapshot extends: the old cards' numbers stay
// valid in it.
func (d dict) clone() dict { return dict{code: maps.Clone(d.code), name: slices.Clone(d.name)} }

// attr is a card's filterable values, packed so a filtered scan reads 20
// bytes per case.
type attr struct {
	day    int32 // last seen date as dayKey
	age    int32 // -1: unknown
	region uint32
	sex    uint32
	status statusSet
}

// statusSet is a set of public statuses as bits.
type statusSet uint8

const (
	setMissing statusSet = 1 << iota
	setLocated
	setBoth = setMissing | setLocated
)

// Sort orders kept per status set.
const (
	orderRecent = iota // last seen date DESC, id DESC; oldest is its reverse
	orderName          // sort_name, id as the database collates them
	numOrders
)

// snapshot is the read model at one content revision. Immutable: queries
// share it without locks.
type snapshot struct {
	rev   int64
	cards []card // in name order, as store.PublicCases returns them
	attrs []attr // attrs[i] belongs to cards[i]
	// dense[id] is 1 + the card index of case id (0: not public) when
	// ids are dense enough for a slice; sparse maps id → card index
	// otherwise (see newSnapshot).
	dense  []int32
	sparse map[int64]int32
	// lists[set-1][order] holds the card indexes of status set set in that
	// order, so an unfiltered page is a slice and its total a length.
	lists [3][numOrders]olist
	// byRegion[set-1][order][code] is the same for the cases of one
	// region (the listing's commonest filter): a region page is a slice
	// too, and other filters scan a fifth of the cases.
	byRegion [3][numOrders][]olist
	// recentRank[i] is card i's position in the recent order of all
	// public cases; sorting text matches by it gives the recent order.
	recentRank []int32
	// inSet[set-1] and inRegion[code] are the cards of a status set and
	// of a region as bitsets, for a search's filters (snapshot.keep).
	inSet    [3]search.Bits
	inRegion []search.Bits
	// Values the cards and attrs hold by number.
	regions, sexes, statuses, communities dict
	// arena holds the cards' strings (text); zones the locations of
	// their times (stamp).
	arena string
	zones []*time.Location
	// buf is the arena while the snapshot is built (newSnapshot, patch):
	// done turns it into arena.
	buf []byte
	// arenaBase is the arena's size when a whole build made it: a patch
	// appends the changed cards' strings and leaves their old ones, and a
	// patch that would grow it past twice this gives way to a build.
	arenaBase int
	index     TextIndex
	// extras[i] is what card i's case page shows beyond the card, when
	// the source read case pages (store.PublicSnapshot.Pages, a site
	// small enough for one query); nil otherwise.
	extras []pageExtra
}

// pageExtra is a case page's fields that its card does not hold, kept
// apart from the card so listings scan no more than before, and as
// strings rather than whole store.Case values: each pointer the model
// holds is one the collector marks on every cycle, and whole cases made
// marking long enough to show in the p99 of every page.
type pageExtra struct {
	build, hair, eyes, features, clothing                      string
	lastSeenTime, circumstances, circumstancesAlt, contentLang string
	policeAgency, policeFileNumber, policePhone                string
	height, weight                                             *int
	createdAt                                                  time.Time
	notesAllowed                                               bool
	// masked is the whole case of a first-name-only case: its texts are
	// masked with the hidden full name (store.Case.PublicText), which
	// only the store's copy carries. Few cases are.
	masked *store.Case
	page   *store.CasePage // never nil
}

// newExtra is case c's page beyond its card; page is nil when the case
// has no photos and no updates.
func newExtra(c *store.Case, page *store.CasePage, in func(string) string) pageExtra {
	e := pageExtra{build: in(c.Build), hair: in(c.HairColour), eyes: in(c.EyeColour), features: c.Features,
		clothing: c.Clothing, lastSeenTime: c.LastSeenTime, circumstances: c.Circumstances,
		circumstancesAlt: c.CircumstancesAlt, contentLang: in(c.ContentLang), policeAgency: in(c.PoliceAgency),
		policeFileNumber: c.PoliceFileNumber, policePhone: in(c.PolicePhone), height: c.HeightCM, weight: c.WeightKG,
		createdAt: c.CreatedAt, notesAllowed: c.NotesAllowed, page: page}
	if c.FirstNameOnly {
		masked := *c
		e.masked = &masked
	}
	if e.page == nil {
		e.page = &store.CasePage{} // no photos, no updates
	}
	return e
}

// dayKey orders dates by their calendar day in t's location, as the
// database compares DATE values written by the store (dbDate formats in
// the time's own location).
func dayKey(t time.Time) int64 {
	y, m, d := t.Date()
	return int64(y)*512 + int64(m)*32 + int64(d)
}

func setOf(s store.Status) statusSet {
	switch s {
	case store.StatusMissing:
		return setMissing
	case store.StatusLocated:
		return setLocated
	}
	return 0
}

// newSnapshot builds a snapshot from the store's public cases. The text
// index is built from the full cases, alongside; the cards keep only what
// the listings show, so the descriptions are garbage once the builder is
// done with them.
func newSnapshot(ps *store.PublicSnapshot, build IndexBuilder) *snapshot {
	n := len(ps.Cases)
	s := &snapshot{
		rev:         ps.Revision,
		cards:       make([]card, 0, n),
		attrs:       make([]attr, 0, n),
		recentRank:  make([]int32, n),
		regions:     newDict(),
		sexes:       newDict(),
		statuses:    newDict(),
		communities: newDict(),
		zones:       []*time.Location{time.UTC},
	}
	// The cases that become cards, in order: the index is built over
	// exactly these, so a match's position in its input is its card's
	// (WindowIndex). PublicCases reads public cases only, once each;
	// never trust it to be otherwise.
	cases := ps.Cases
	seen := make(map[int64]struct{}, n)
	for i := range ps.Cases {
		c := &ps.Cases[i]
		_, dup := seen[c.ID]
		seen[c.ID] = struct{}{}
		if setOf(c.Status) == 0 || dup {
			cases = cases[:0:0]
			seen = map[int64]struct{}{}
			for _, c := range ps.Cases {
				if _, dup := seen[c.ID]; !dup && setOf(c.Status) != 0 {
					seen[c.ID] = struct{}{}
					cases = append(cases, c)
				}
			}
			break
		}
	}
	seen = nil
	// The index builds on the other core while the cards are made; both
	// only read the cases.
	index := make(chan TextIndex, 1)
	go func() { index <- build(cases) }()
	// Many cases share a community, a region, a sex: one copy of each.
	in := interner()
	// Ids in a slice when they are dense enough (autoincrement ids are:
	// a few pending, archived and rejected cases between the public
	// ones), in a map otherwise.
	var minID, maxID int64
	for i := range ps.Cases {
		minID, maxID = min(minID, ps.Cases[i].ID), max(maxID, ps.Cases[i].ID)
	}
	s.initIDs(minID, maxID, n)
	s.buf = make([]byte, 0, textSize(ps.Cases))
	for i := range ps.Cases {
		c := &ps.Cases[i]
		if setOf(c.Status) == 0 {
			continue // PublicCases reads public cases only; never trust it to be otherwise
		}
		if _, dup := s.lookup(c.ID); dup {
			continue
		}
		s.addCase(c)
	}
	s.done()
	s.arenaBase = len(s.arena)
	n = len(s.cards)
	s.recentRank = s.recentRank[:n]
	if ps.Pages != nil && len(cases) == n {
		// cases are the cards' cases, in order (see above).
		s.extras = make([]pageExtra, n)
		for i := range cases {
			s.extras[i] = newExtra(&cases[i], ps.Pages[cases[i].ID], in)
		}
	}

	s.order()
	s.index = <-index
	return s
}

// interner returns a function that gives one copy of each string value.
func interner() func(string) string {
	intern := map[string]string{}
	return func(v string) string {
		if w, ok := intern[v]; ok {
			return w
		}
		intern[v] = v
		return v
	}
}

// done ends a build: the strings added become the arena.
func (s *snapshot) done() {
	s.arena = string(s.buf)
	s.buf = nil
}

// textSize is the bytes the cards of cases put in the arena: made once at
// that size, the arena is not copied as it grows.
func textSize(cases []store.Case) int {
	n := 0
	for i := range cases {
		c := &cases[i]
		n += len(c.FullName) + len(c.Aliases) + len(c.LastSeenPlace)
		if p := c.PrimaryPhoto; p != nil {
			n += len(p.Key) + len(p.Alt)
		}
	}
	return n
}

// text adds v to the arena being built.
func (s *snapshot) text(v string) text {
	t := text{uint32(len(s.buf)), uint32(len(v))}
	s.buf = append(s.buf, v...)
	return t
}

// str is the string t of the arena: no copy.
func (s *snapshot) str(t text) string { return s.arena[t.off : t.off+t.n] }

// stamp is t as a card keeps it.
func (s *snapshot) stamp(t time.Time) stamp {
	z := slices.Index(s.zones, t.Location())
	if z < 0 {
		z = len(s.zones)
		s.zones = append(s.zones, t.Location())
	}
	return stamp{sec: t.Unix(), nsec: int32(t.Nanosecond()), zone: uint16(z), ok: true}
}

func (s *snapshot) stampPtr(t *time.Time) stamp {
	if t == nil {
		return stamp{}
	}
	return s.stamp(*t)
}

// time is p as the time.Time it was made from (its monotonic reading
// aside: the database's times have none).
func (s *snapshot) time(p stamp) time.Time {
	t := time.Unix(p.sec, int64(p.nsec))
	if p.zone == 0 {
		return t.UTC()
	}
	return t.In(s.zones[p.zone])
}

// initIDs makes the id lookup for up to n cases with ids in minID..maxID:
// a slice when they are dense enough, a map otherwise.
func (s *snapshot) initIDs(minID, maxID int64, n int) {
	if minID >= 0 && maxID < int64(4*n+1024) {
		s.dense = make([]int32, maxID+1)
	} else {
		s.sparse = make(map[int64]int32, n)
	}
}

// addCase appends public case c's card.
func (s *snapshot) addCase(c *store.Case) {
	k := card{
		id: c.ID, fullName: s.text(c.FullName), aliases: s.text(c.Aliases), lastSeenPlace: s.text(c.LastSeenPlace),
		status: s.statuses.add(string(c.Status)), community: s.communities.add(c.Community),
		birthDate: s.stampPtr(c.BirthDate), locatedAt: s.stampPtr(c.LocatedAt),
		lastSeen: s.stamp(c.LastSeenDate), updatedAt: s.stamp(c.UpdatedAt), verified: c.PoliceVerified,
		withdrawn: c.PersonalWithdrawn, firstNameOnly: c.FirstNameOnly,
	}
	if c.Age != nil {
		k.age, k.hasAge = *c.Age, true
	}
	if p := c.PrimaryPhoto; p != nil {
		k.photo = cardPhoto{id: p.ID, caseID: p.CaseID, key: s.text(p.Key), alt: s.text(p.Alt), position: p.Position,
			width: p.Width, height: p.Height, created: s.stamp(p.CreatedAt), primary: p.Primary}
		k.hasPhoto = true
	}
	if c.Latitude != nil && c.Longitude != nil {
		k.lat, k.lng, k.hasPlace = *c.Latitude, *c.Longitude, true
	}
	a := attr{day: int32(dayKey(c.LastSeenDate)), age: -1, region: s.regions.add(c.Region), sex: s.sexes.add(c.Sex),
		status: setOf(c.Status)}
	if c.Age != nil {
		a.age = int32(min(max(*c.Age, 0), 1<<30))
	}
	s.addCard(k, a)
}

// addCard appends a card and its filter values.
func (s *snapshot) addCard(k card, a attr) {
	if s.dense != nil {
		s.dense[k.id] = int32(len(s.cards) + 1)
	} else {
		s.sparse[k.id] = int32(len(s.cards))
	}
	s.cards = append(s.cards, k)
	s.attrs = append(s.attrs, a)
}

// order makes the listings' orders of the cards: by name (the cards'
// own order), by date, each per status set and per region.
func (s *snapshot) order() {
	n := len(s.cards)
	name := make([]int32, n)
	for i := range name {
		name[i] = int32(i)
	}
	recent := slices.Clone(name)
	// last_seen_date DESC, id DESC, as SearchCases orders.
	slices.SortFunc(recent, func(a, b int32) int {
		if da, db := s.attrs[a].day, s.attrs[b].day; da != db {
			return int(db) - int(da)
		}
		switch ia, ib := s.cards[a].id, s.cards[b].id; {
		case ia > ib:
			return -1
		case ia < ib:
			return 1
		}
		return 0
	})
	for pos, i := range recent {
		s.recentRank[i] = int32(pos)
	}
	s.inRegion = make([]search.Bits, len(s.regions.name))
	for code := range s.inRegion {
		s.inRegion[code] = search.NewBits(n)
	}
	for set := range s.inSet {
		s.inSet[set] = search.NewBits(n)
	}
	for i, a := range s.attrs {
		s.inRegion[a.region].Add(i)
		for set := range s.inSet {
			if a.status&statusSet(set+1) != 0 {
				s.inSet[set].Add(i)
			}
		}
	}
	for _, set := range []statusSet{setMissing, setLocated, setBoth} {
		s.lists[set-1][orderRecent] = s.olistOf(s.filterList(recent, set))
		s.lists[set-1][orderName] = s.olistOf(s.filterList(name, set))
		for order := range numOrders {
			s.byRegion[set-1][order] = s.splitByRegion(s.lists[set-1][order].idx)
		}
	}
}

// splitByRegion is list cut into one list per region code, each in
// list's order.
func (s *snapshot) splitByRegion(list []int32) []olist {
	counts := make([]int, len(s.regions.name))
	for _, i := range list {
		counts[s.attrs[i].region]++
	}
	out := make([][]int32, len(s.regions.name))
	for code, n := range counts {
		out[code] = make([]int32, 0, n)
	}
	for _, i := range list {
		r := s.attrs[i].region
		out[r] = append(out[r], i)
	}
	ol := make([]olist, len(out))
	for code := range out {
		ol[code] = s.olistOf(out[code])
	}
	return ol
}

// olist is card indexes in one order with their filter values alongside,
// so that a filtered scan reads memory in sequence (several times faster
// at 100,000 cases than fetching each card's values by index).
type olist struct {
	idx []int32
	at  []attr
}

func (s *snapshot) olistOf(idx []int32) olist {
	at := make([]attr, len(idx))
	for j, i := range idx {
		at[j] = s.attrs[i]
	}
	return olist{idx: idx, at: at}
}

func (l olist) slice(lo, hi int) olist { return olist{idx: l.idx[lo:hi], at: l.at[lo:hi]} }

// lookup is the card index of case id; false when it is not public (or
// not known to this snapshot).
func (s *snapshot) lookup(id int64) (int32, bool) {
	if s.dense != nil {
		if id < 0 || id >= int64(len(s.dense)) || s.dense[id] == 0 {
			return 0, false
		}
		return s.dense[id] - 1, true
	}
	i, ok := s.sparse[id]
	return i, ok
}

// filterList is the cards of list whose status is in set, in list's order.
func (s *snapshot) filterList(list []int32, set statusSet) []int32 {
	if set == setBoth {
		return list
	}
	out := make([]int32, 0, len(list))
	for _, i := range list {
		if s.attrs[i].status&set != 0 {
			out = append(out, i)
		}
	}
	return slices.Clip(out)
}

// toCase is card i as a store.Case with the listing fields filled. Its
// strings are the arena's; the pointers it holds (age, dates, photo)
// point into the page's own copies, so a caller that changes a result
// cannot change the snapshot.
func (s *snapshot) toCase(i int32, b *pageBuf) store.Case {
	k, a := &s.cards[i], &s.attrs[i]
	c := store.Case{
		ID: k.id, Status: store.Status(s.statuses.name[k.status]), FullName: s.str(k.fullName),
		Aliases: s.str(k.aliases), Sex: s.sexes.name[a.sex], LastSeenDate: s.time(k.lastSeen),
		LastSeenPlace: s.str(k.lastSeenPlace), Community: s.communities.name[k.community],
		Region: s.regions.name[a.region], PoliceVerified: k.verified, PersonalWithdrawn: k.withdrawn,
		UpdatedAt: s.time(k.updatedAt), FirstNameOnly: k.firstNameOnly,
	}
	if k.hasAge {
		b.ints = append(b.ints, k.age)
		c.Age = &b.ints[len(b.ints)-1]
	}
	c.BirthDate, c.LocatedAt = b.time(s, k.birthDate), b.time(s, k.locatedAt)
	if k.hasPhoto {
		p := &k.photo
		b.photos = append(b.photos, store.Photo{ID: p.id, CaseID: p.caseID, Key: s.str(p.key), Position: p.position,
			Primary: p.primary, Width: p.width, Height: p.height, Alt: s.str(p.alt), CreatedAt: s.time(p.created)})
		c.PrimaryPhoto = &b.photos[len(b.photos)-1]
	}
	if k.hasPlace {
		b.floats = append(b.floats, k.lat, k.lng)
		n := len(b.floats)
		c.Latitude, c.Longitude = &b.floats[n-2], &b.floats[n-1]
	}
	return c
}

// casePage is card i's case as its page shows it (Model.CasePage).
func (s *snapshot) casePage(i int32) (store.Case, *store.CasePage) {
	e := &s.extras[i]
	if e.masked != nil {
		// The caller's copy, pointers included (see toCase).
		c := *e.masked
		c.Age, c.HeightCM, c.WeightKG = clonePtr(c.Age), clonePtr(c.HeightCM), clonePtr(c.WeightKG)
		c.BirthDate, c.LocatedAt = clonePtr(c.BirthDate), clonePtr(c.LocatedAt)
		c.Latitude, c.Longitude, c.PrimaryPhoto = clonePtr(c.Latitude), clonePtr(c.Longitude), clonePtr(c.PrimaryPhoto)
		return c, e.page
	}
	b := &pageBuf{ints: make([]int, 0, 3), times: make([]time.Time, 0, 2), photos: make([]store.Photo, 0, 1), floats: make([]float64, 0, 2)}
	c := s.toCase(i, b)
	c.Build, c.HairColour, c.EyeColour, c.Features, c.Clothing = e.build, e.hair, e.eyes, e.features, e.clothing
	c.LastSeenTime, c.Circumstances, c.CircumstancesAlt, c.ContentLang = e.lastSeenTime, e.circumstances, e.circumstancesAlt, e.contentLang
	c.PoliceAgency, c.PoliceFileNumber, c.PolicePhone = e.policeAgency, e.policeFileNumber, e.policePhone
	c.CreatedAt, c.NotesAllowed = e.createdAt, e.notesAllowed
	c.HeightCM, c.WeightKG = b.int(e.height), b.int(e.weight)
	return c, e.page
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// pageBuf holds the copies one result's cases point into, allocated once
// per result with room for every case (appends never move them).
type pageBuf struct {
	ints   []int
	times  []time.Time
	photos []store.Photo
	floats []float64
}

// int is a copy of *p in b, nil for nil.
func (b *pageBuf) int(p *int) *int {
	if p == nil {
		return nil
	}
	b.ints = append(b.ints, *p)
	return &b.ints[len(b.ints)-1]
}

// time is the time of p in b, nil when p is unset.
func (b *pageBuf) time(s *snapshot, p stamp) *time.Time {
	if !p.ok {
		return nil
	}
	b.times = append(b.times, s.time(p))
	return &b.times[len(b.times)-1]
}

func newPageBuf(n int) *pageBuf {
	return &pageBuf{ints: make([]int, 0, n), times: make([]time.Time, 0, 2*n), photos: make([]store.Photo, 0, n),
		floats: make([]float64, 0, 2*n)}
}
