package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"lostinnl/internal/store"
)

// GeneratorSeed is the seed Seed gives Generate for Options.Extra: fixed, so
// every load test and benchmark runs on the same people.
const GeneratorSeed int64 = 15

// eraAnchor is the day names and seasons are drawn against (see generate).
var eraAnchor = time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)

// Generate returns n fictional missing-person cases for load tests and
// search benchmarks, with last-seen dates counted back from today. It is
// pure and deterministic: the same (n, seed) gives the same people on any
// day (today moves only their last-seen dates), and case i does not depend
// on n (Generate(25, …) is the start of
// Generate(30, …)), which keeps Seed idempotent as Extra grows. Cases are
// missing or located (both public), police-verified, and numbered
// DEMO-LOAD-000001 onwards.
func Generate(n int, seed int64, today time.Time) []store.Case {
	g := newGenerator(seed)
	out := make([]store.Case, 0, max(n, 0))
	for i := 0; i < n; i++ {
		out = append(out, g.generate(i, today))
	}
	return out
}

// generator holds the tables every case draws from; building them once per
// Generate keeps 100,000 cases well under a second.
type generator struct {
	seed      uint64
	places    []community
	cumWeight []int // cumulative weights of places, for weighted draws
	byName    map[string]community
}

func newGenerator(seed int64) *generator {
	g := &generator{seed: uint64(seed), places: communities(store.Regions), byName: map[string]community{}}
	total := 0
	for _, c := range g.places {
		total += c.weight
		g.cumWeight = append(g.cumWeight, total)
		g.byName[c.name] = c
	}
	return g
}

// pick draws from a list ordered from common to rare: u^1.6 puts about a
// quarter of the draws on the first tenth of the list, like real name
// frequencies, and still reaches the end of it.
func pick(r *rand.Rand, list []string) string {
	return list[int(float64(len(list))*math.Pow(r.Float64(), 1.6))]
}

// pickName is pick with a flatter curve for given names, whose fashions
// spread over more names than surnames do.
func pickName(r *rand.Rand, list []string) string {
	return list[int(float64(len(list))*math.Pow(r.Float64(), 1.4))]
}

// weightedList expands "word*N" entries (underscores for spaces) into a
// list where each appears N times, for uniform draws with anyOf.
func weightedList(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		n := 1
		if i := strings.LastIndexByte(w, '*'); i > 0 {
			fmt.Sscan(w[i+1:], &n)
			w = w[:i]
		}
		for range n {
			out = append(out, strings.ReplaceAll(w, "_", " "))
		}
	}
	return out
}

// anyOf draws uniformly.
func anyOf[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func (g *generator) community(r *rand.Rand) community {
	w := r.IntN(g.cumWeight[len(g.cumWeight)-1])
	lo, hi := 0, len(g.cumWeight)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if g.cumWeight[mid] > w {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return g.places[lo]
}

// origin is the family background a generated person's names come from.
type origin int

const (
	originEnglish origin = iota
	originIrish
	originScots
	originFrench
	originMikmaq
	originInnu
	originInuit
	originNew // recent immigrants
)

var (
	innuPlaces  = map[string]bool{"Sheshatshiu": true, "Natuashish": true, "Davis Inlet": true}
	inuitPlaces = map[string]bool{"Nain": true, "Hopedale": true, "Makkovik": true, "Postville": true, "Rigolet": true}
	mikmaqPlace = map[string]bool{"Conne River": true, "Miawpukek": true, "Flat Bay": true, "St. George's": true}
	frenchPlace = map[string]bool{"Cape St. George": true, "Cap-Saint-Georges": true, "Mainland": true,
		"La Grand'Terre": true, "De Grau": true, "Lourdes": true, "L'Anse-à-Canards": true, "Petit Jardin": true,
		"Grand Jardin": true, "Marches Point": true, "Three Rock Cove": true, "Black Duck Brook": true,
		"Port au Port West-Aguathuna-Felix Cove": true, "Port au Port East": true, "Stephenville": true,
		"Kippens": true, "Stephenville Crossing": true, "Codroy Valley": true}
	cityPlace = map[string]bool{"St. John's": true, "Mount Pearl": true, "Paradise": true, "Conception Bay South": true,
		"Gander": true, "Corner Brook": true, "Grand Falls-Windsor": true, "Happy Valley-Goose Bay": true,
		"Labrador City": true}
)

// originFor draws a background that fits the community: Innu names in
// Sheshatshiu and Natuashish, Inuit names on the north coast, French ones
// on the Port au Port Peninsula, more recent immigrants in the cities.
func originFor(r *rand.Rand, c community) origin {
	x := r.Float64()
	switch {
	case innuPlaces[c.name]:
		if x < 0.8 {
			return originInnu
		}
	case inuitPlaces[c.name]:
		if x < 0.75 {
			return originInuit
		}
	case mikmaqPlace[c.name]:
		if x < 0.5 {
			return originMikmaq
		}
	case frenchPlace[c.name]:
		if x < 0.35 {
			return originFrench
		}
	case c.region == "Labrador":
		if x < 0.15 {
			return originInuit
		}
		if x < 0.2 {
			return originInnu
		}
	case cityPlace[c.name]:
		if x < 0.16 {
			return originNew
		}
	}
	irish := 0.28
	if c.region == "Avalon" {
		irish = 0.42
	}
	y := r.Float64()
	switch {
	case y < irish:
		return originIrish
	case y < irish+0.07:
		return originScots
	case y < irish+0.11:
		return originFrench
	case y < irish+0.16:
		return originNew
	case y < irish+0.18 && (c.region == "Western" || c.region == "Central"):
		return originMikmaq
	}
	return originEnglish
}

// generate builds case i. Each case has its own random stream (seed, i),
// so it does not depend on how many cases come before or after it.
func (g *generator) generate(i int, today time.Time) store.Case {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	place := g.community(r)
	org := originFor(r, place)

	sex := "female"
	switch x := r.Float64(); {
	case x < 0.01:
		sex = "other"
	case x < 0.02:
		sex = "unknown"
	case x < 0.53:
		sex = "male"
	}
	age := drawAge(r)
	daysAgo := drawDaysAgo(r)
	lastSeen := today.AddDate(0, 0, -daysAgo)
	// Names and the season's clothing are drawn against a fixed calendar,
	// not today's: only the dates move with the day the data is seeded, so
	// the queries written for one run still fit a database seeded another
	// day.
	fixedDay := eraAnchor.AddDate(0, 0, -daysAgo)
	born := fixedDay.Year() - age

	first := givenName(r, org, sex, born)
	last := surname(r, org)
	full := first + " " + last
	if chance(r, 0.12) {
		middle := givenName(r, org, sex, born)
		if chance(r, 0.4) {
			middle = string([]rune(middle)[:1]) + "."
		}
		if middle != first {
			full = first + " " + middle + " " + last
		}
	}
	c := store.Case{
		FullName:         full,
		Aliases:          aliases(r, first, last, sex, age, org),
		Sex:              sex,
		LastSeenDate:     lastSeen,
		LastSeenPlace:    lastSeenPlace(r, place),
		Community:        place.name,
		Region:           place.region,
		PoliceAgency:     Agency,
		PoliceFileNumber: fmt.Sprintf("DEMO-LOAD-%06d", i+1),
		PolicePhone:      "709-555-0199",
		PoliceVerified:   true,
		Status:           store.StatusMissing,
	}
	if !chance(r, 0.02) {
		c.Age = &age
	}
	if chance(r, 0.72) {
		c.LastSeenTime = fmt.Sprintf("%02d:%02d", r.IntN(24), r.IntN(12)*5)
	}
	if h, w, ok := bodySize(r, sex, age); ok {
		c.HeightCM, c.WeightKG = &h, &w
	}
	c.Build = pick(r, builds(sex, age))
	c.HairColour = hair(r, sex, age)
	c.EyeColour = anyOf(r, eyeColours)
	c.Features = features(r, sex, age)
	c.Clothing = clothing(r, fixedDay.Month(), org, sex)
	c.Circumstances = g.circumstances(r, place, sex, age)
	// Located cases are mostly recent: a person found after years is rare.
	located := 0.1
	if daysAgo < 180 {
		located = 0.3
	}
	if chance(r, located) {
		c.Status = store.StatusLocated
	}
	return c
}

// drawAge follows who goes missing: many teenagers, young adults and
// elderly people with dementia, fewer young children.
func drawAge(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.06:
		return 3 + r.IntN(10)
	case x < 0.34:
		return 13 + r.IntN(5)
	case x < 0.56:
		return 18 + r.IntN(12)
	case x < 0.76:
		return 30 + r.IntN(20)
	case x < 0.89:
		return 50 + r.IntN(20)
	}
	return 70 + r.IntN(26)
}

// drawDaysAgo: half the cases are from the last three months, some are
// cold cases of up to fifteen years.
func drawDaysAgo(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.5:
		return r.IntN(90)
	case x < 0.8:
		return 90 + r.IntN(640)
	}
	return 730 + r.IntN(4750)
}

func givenName(r *rand.Rand, org origin, sex string, born int) string {
	female := sex == "female"
	if sex != "female" && sex != "male" {
		if chance(r, 0.7) {
			return pickName(r, neutral)
		}
		female = chance(r, 0.5)
	}
	var own []string
	switch org {
	case originIrish:
		own = choose(female, femaleIrish, maleIrish)
	case originScots:
		own = choose(female, femaleScots, maleScots)
	case originFrench:
		own = choose(female, femaleFrench, maleFrench)
	case originInnu:
		own = choose(female, femaleInnu, maleInnu)
	case originInuit:
		own = choose(female, femaleInuit, maleInuit)
	case originNew:
		own = choose(female, femaleNew2, maleNew2)
	}
	// How often the family's own tradition wins over the names everyone
	// around them gives.
	ownShare := [...]float64{originIrish: 0.15, originScots: 0.15, originFrench: 0.55, originInnu: 0.5,
		originInuit: 0.3, originNew: 0.75}[org]
	var name string
	fromOwn := false
	switch {
	case own != nil && chance(r, ownShare):
		name, fromOwn = pickName(r, own), true
	case chance(r, 0.04) && born >= 1960:
		// Hyphenated given names (Mary-Ellen, John-Paul).
		if female {
			name = pickName(r, compoundFemale) + "-" + anyOf(r, compoundFemale2)
		} else {
			name = pickName(r, compoundMale) + "-" + anyOf(r, compoundMale2)
		}
		if hasDoubled(name) {
			name = pickName(r, choose(female, femaleEra(born), maleEra(born)))
		}
	default:
		name = pickName(r, choose(female, femaleEra(born), maleEra(born)))
	}
	// Spellings vary most in names given since the 1980s (Kaylee, Kayleigh,
	// Kailee).
	variants := 0.15
	if born >= 1985 {
		variants = 0.3
	}
	return givenVariant(r, name, variants, born >= 1980 && !fromOwn, female)
}

func hasDoubled(hyphenated string) bool {
	a, b, _ := strings.Cut(hyphenated, "-")
	return a == b
}

func choose(female bool, f, m []string) []string {
	if female {
		return f
	}
	return m
}

// femaleEra and maleEra pick the list of the generation a person was born
// in, with some overlap between neighbouring generations.
func femaleEra(born int) []string {
	switch {
	case born < 1968:
		return femaleOld
	case born < 1994:
		return femaleMid
	}
	return femaleNew
}

func maleEra(born int) []string {
	switch {
	case born < 1968:
		return maleOld
	case born < 1994:
		return maleMid
	}
	return maleNew
}

func surname(r *rand.Rand, org origin) string {
	s := familyName(r, org)
	// Double-barrelled surnames, usually two island names.
	if chance(r, 0.1) && org != originInnu {
		other := familyName(r, islandOrigin(r))
		if other != s && !strings.Contains(s, "-") && !strings.Contains(other, "-") {
			s += "-" + other
		}
	}
	return s
}

func islandOrigin(r *rand.Rand) origin {
	switch x := r.Float64(); {
	case x < 0.35:
		return originIrish
	case x < 0.42:
		return originScots
	case x < 0.48:
		return originFrench
	case x < 0.54:
		return originNew
	}
	return originEnglish
}

func familyName(r *rand.Rand, org origin) string {
	switch org {
	case originIrish:
		switch x := r.Float64(); {
		case x < 0.14:
			return "O'" + pick(r, stemO)
		case x < 0.2:
			return "Fitz" + pick(r, stemFitz)
		case x < 0.27:
			return macName(r)
		}
		return surnameVariant(r, pick(r, surIrish), 0.25)
	case originScots:
		if chance(r, 0.4) {
			return macName(r)
		}
		return pick(r, surScots)
	case originFrench:
		return surnameVariant(r, pick(r, surFrench), 0.35)
	case originMikmaq:
		return pick(r, surMikmaq)
	case originInnu:
		return pick(r, surInnu)
	case originInuit:
		return pick(r, surInuit)
	case originNew:
		return pick(r, surNew)
	}
	return surnameVariant(r, pick(r, surEnglish), 0.25)
}

// macName: Mac and Mc are both in use for most stems (MacDonald,
// McDonald), which is exactly what searchers get wrong.
func macName(r *rand.Rand) string {
	if chance(r, 0.5) {
		return "Mac" + pick(r, stemMac)
	}
	return "Mc" + pick(r, stemMac)
}

// givenVariant returns, with probability p, another spelling of a given
// name that families really use: accents dropped in English records
// (Stéphane, Stephane), the spellings listed in altGiven (Catherine,
// Katherine), and for names given since the 1980s (modern) the patterns of
// that fashion: Ca/Ka (Kameron, Cayla), Chr/Kr, ay/ai (Jayden, Jaiden), and
// for girls -ley/-leigh/-lee, -y/-ie, -in/-yn, -lyn/-lynn, -ah/-a.
func givenVariant(r *rand.Rand, name string, p float64, modern, female bool) string {
	if !chance(r, p) {
		return name
	}
	if folded := foldAccents(name); folded != name {
		return folded
	}
	options := append([]string(nil), altGiven[name]...)
	add := func(s string) {
		if s != name {
			options = append(options, s)
		}
	}
	if modern && len(name) > 3 {
		switch {
		case strings.HasPrefix(name, "Chr"):
			add("Kr" + name[3:])
		case strings.HasPrefix(name, "Ca") || strings.HasPrefix(name, "Co") || strings.HasPrefix(name, "Cu"):
			add("K" + name[1:])
		case strings.HasPrefix(name, "Ka"):
			add("C" + name[1:])
		}
		for _, pair := range [][2]string{{"ayd", "aid"}, {"aid", "ayd"}, {"ayl", "ail"}, {"ail", "ayl"}} {
			if i := strings.Index(name, pair[0]); i > 0 {
				add(name[:i] + pair[1] + name[i+3:])
				break
			}
		}
		if female {
			switch {
			case strings.HasSuffix(name, "ley"):
				base := strings.TrimSuffix(name, "ley")
				add(base + "leigh")
				add(base + "lee")
			case strings.HasSuffix(name, "lyn"):
				add(name + "n")
				add(strings.TrimSuffix(name, "yn") + "in")
			case strings.HasSuffix(name, "lynn"):
				add(strings.TrimSuffix(name, "n"))
			case strings.HasSuffix(name, "in") && len(name) > 4:
				add(strings.TrimSuffix(name, "in") + "yn")
			case strings.HasSuffix(name, "ie") && len(name) > 4 && name[len(name)-3] == name[len(name)-4]:
				// Callie, Cally; Millie, Milly (but never Julie, July).
				add(strings.TrimSuffix(name, "ie") + "y")
			case strings.HasSuffix(name, "ly") || strings.HasSuffix(name, "ry"):
				add(strings.TrimSuffix(name, "y") + "ie")
			case strings.HasSuffix(name, "ah") && len(name) > 4:
				add(strings.TrimSuffix(name, "h"))
			}
		} else if strings.HasSuffix(name, "yden") || strings.HasSuffix(name, "aden") {
			add(strings.TrimSuffix(name, "en") + "on")
		}
	}
	if len(options) == 0 {
		return name
	}
	return anyOf(r, options)
}

// surnameVariant returns, with probability p, a spelling of the surname
// that is really in use in the province: accents dropped (Côté, Cote) or
// one of altSurname (Penney, Penny; Whelan, Whalen).
func surnameVariant(r *rand.Rand, name string, p float64) string {
	if !chance(r, p) {
		return name
	}
	if folded := foldAccents(name); folded != name {
		return folded
	}
	if alts := altSurname[name]; len(alts) > 0 {
		return anyOf(r, alts)
	}
	return name
}

// foldAccents removes diacritics (Thériault → Theriault) the way many
// English-language records write French and Irish names.
func foldAccents(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// aliases: the nickname a family puts on the poster (William "Bill"), a
// maiden name, or a street name.
func aliases(r *rand.Rand, first, last, sex string, age int, org origin) string {
	var out []string
	if nicks, ok := nicknames[first]; ok && chance(r, 0.45) {
		out = append(out, anyOf(r, nicks))
	} else if chance(r, 0.04) {
		out = append(out, anyOf(r, streetNames))
	}
	if sex == "female" && age >= 25 && chance(r, 0.08) {
		out = append(out, first+" "+familyName(r, islandOrigin(r)))
	}
	if org == originInnu && chance(r, 0.2) {
		out = append(out, anyOf(r, innuNames))
	}
	return strings.Join(out, ", ")
}

var (
	streetNames = words(`Junior Skipper Buddy Sonny Red Curly Tiny Ace Bud Chip Duke Dusty Scooter Smiley Sparky
		Butch Moose Squeak Pip Bubba Bean Tink Lulu Sunny Sully Dolly Ginger Sis Nan Pop Skip Sparrow`)
	innuNames = words(`Ushkan Uapush Nishk Mashk Atik`)
)
