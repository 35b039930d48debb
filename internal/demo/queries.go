package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"lostinnl/internal/store"
)

// Queries returns n distinct search queries (distinct after lower-casing
// and collapsing spaces) of the kinds people type into the site's search,
// drawn from cases: full names and parts of names, typos, nicknames,
// Mc/Mac and accent variants, prefixes as typed in the live search,
// communities with the spellings people use ("St Johns"), regions,
// descriptive words ("auburn", "green parka"), names with a place or an
// age, and made-up names that should find nothing. It is deterministic for
// (cases, n, seed), so benchmarks rotate through the same list run to run.
// It returns fewer than n only when cases are too few to yield n distinct
// queries.
func Queries(cases []store.Case, n int, seed int64) []string {
	if n <= 0 || len(cases) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	out := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for tries := 0; len(out) < n && tries < n*50; tries++ {
		q := query(r, &cases[r.IntN(len(cases))])
		q = strings.Join(strings.Fields(q), " ")
		if q == "" || utf8.RuneCountInString(q) > 100 {
			continue
		}
		key := strings.ToLower(q)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, q)
	}
	return out
}

// nameParts splits a full name into the given name and the surname (the
// last word); middle names and initials are left out.
func nameParts(full string) (first, last string) {
	f := strings.Fields(full)
	if len(f) == 0 {
		return "", ""
	}
	return f[0], f[len(f)-1]
}

// query draws one query of a kind chosen with rough real-world weights:
// names dominate, then places, then everything else.
func query(r *rand.Rand, c *store.Case) string {
	first, last := nameParts(c.FullName)
	switch k := r.IntN(100); {
	case k < 20:
		return first + " " + last
	case k < 23:
		return strings.ToLower(first + " " + last)
	case k < 33:
		return last
	case k < 39:
		return first
	case k < 49:
		if chance(r, 0.5) {
			return typo(r, last)
		}
		return typo(r, first) + " " + last
	case k < 53:
		if nicks := nicknames[first]; len(nicks) > 0 {
			return anyOf(r, nicks) + " " + last
		}
		return first + " " + typo(r, last)
	case k < 58:
		return variantQuery(r, first, last)
	case k < 63:
		// Live search: the first letters of a name as the user types.
		w := last
		if chance(r, 0.4) {
			w = first
		}
		if rs := []rune(w); len(rs) > 3 {
			return string(rs[:3+r.IntN(min(3, len(rs)-3))])
		}
		return w
	case k < 73:
		return placeQuery(r, c.Community)
	case k < 75:
		return regionQuery(r, c.Region)
	case k < 84:
		return describe(r, c)
	case k < 89:
		return last + " " + placeQuery(r, c.Community)
	case k < 92:
		if c.Age != nil {
			return first + " " + last + " " + strconv.Itoa(*c.Age)
		}
		return first + " " + last + " " + c.Region
	case k < 94:
		if c.Aliases != "" {
			a, _, _ := strings.Cut(c.Aliases, ",")
			return a
		}
		return first + " " + string([]rune(last)[:1])
	}
	return madeUpName(r)
}

// typo makes one slip of the kind people make with a name heard once:
// two letters swapped, one dropped, one doubled, or a vowel changed; two
// slips in long names.
func typo(r *rand.Rand, w string) string {
	rs := []rune(w)
	if len(rs) < 4 {
		return w
	}
	slips := 1
	if len(rs) >= 8 && chance(r, 0.3) {
		slips = 2
	}
	for range slips {
		i := 1 + r.IntN(len(rs)-2) // keep the first letter, as people do
		switch r.IntN(4) {
		case 0:
			rs[i], rs[i+1] = rs[i+1], rs[i]
		case 1:
			rs = append(rs[:i], rs[i+1:]...)
		case 2:
			rs = append(rs[:i+1], rs[i:]...)
		default:
			vowels := []rune("aeiou")
			for j := i; j < len(rs); j++ {
				if strings.ContainsRune("aeiou", rs[j]) {
					rs[j] = vowels[r.IntN(len(vowels))]
					break
				}
			}
		}
		if len(rs) < 4 {
			break
		}
	}
	return string(rs)
}

// variantQuery spells a name the other way people write it: Mc for Mac and
// back, accents dropped, O'Brien as OBrien or O Brien, another spelling of
// the given name (Catherine, Katherine).
func variantQuery(r *rand.Rand, first, last string) string {
	switch {
	case strings.HasPrefix(last, "Mac"):
		return first + " Mc" + last[3:]
	case strings.HasPrefix(last, "Mc"):
		return "Mac" + last[2:]
	case strings.HasPrefix(last, "O'"):
		return anyOf(r, []string{"O" + last[2:], "O " + last[2:], strings.ToLower("o" + last[2:])})
	case foldAccents(last) != last:
		return foldAccents(first) + " " + foldAccents(last)
	case foldAccents(first) != first:
		return foldAccents(first) + " " + last
	case len(altGiven[first]) > 0:
		return anyOf(r, altGiven[first]) + " " + last
	case strings.Contains(last, "-"):
		a, b, _ := strings.Cut(last, "-")
		return first + " " + anyOf(r, []string{a, b, a + " " + b})
	}
	return strings.ToUpper(first + " " + last)
}

// placeQuery writes a community the ways people type it: as written,
// without periods and apostrophes ("St Johns"), with Saint spelled out,
// lower case, or the first part of a compound name ("Happy Valley").
func placeQuery(r *rand.Rand, community string) string {
	plain := strings.NewReplacer(".", "", "'", "", "’", "").Replace(community)
	options := []string{community, plain, strings.ToLower(plain)}
	if strings.HasPrefix(community, "St. ") {
		options = append(options, "Saint "+community[4:], "St "+community[4:])
	}
	if a, _, ok := strings.Cut(community, "-"); ok {
		options = append(options, a, strings.ReplaceAll(community, "-", " "))
	}
	if i := strings.Index(community, " ("); i > 0 {
		options = append(options, community[:i])
	}
	if folded := foldAccents(community); folded != community {
		options = append(options, folded)
	}
	return anyOf(r, options)
}

func regionQuery(r *rand.Rand, region string) string {
	return anyOf(r, []string{region, strings.ToLower(region), region + " region",
		map[string]string{"Avalon": "Avalon Peninsula", "Eastern": "eastern Newfoundland",
			"Central": "central Newfoundland", "Western": "west coast", "Labrador": "Labrador coast"}[region]})
}

// describe picks words from what the page shows about the person: a hair
// colour ("auburn"), "blue eyes", a feature ("anchor tattoo"), clothing
// ("green parka").
func describe(r *rand.Rand, c *store.Case) string {
	switch r.IntN(4) {
	case 0:
		colour, _, _ := strings.Cut(c.HairColour, ",")
		if chance(r, 0.5) {
			return colour + " hair"
		}
		return colour
	case 1:
		if c.EyeColour != "" {
			return c.EyeColour + " eyes"
		}
	case 2:
		if c.Features != "" {
			f := anyOf(r, strings.Split(c.Features, "; "))
			if t, ok := strings.CutPrefix(f, "Tattoo of "); ok {
				what, _, _ := strings.Cut(t, " on ")
				what = strings.TrimPrefix(strings.TrimPrefix(what, "an "), "a ")
				return what + " tattoo"
			}
			return strings.ToLower(f)
		}
	}
	if c.Clothing == "" {
		return "missing"
	}
	return strings.ToLower(anyOf(r, strings.Split(c.Clothing, ", ")))
}

// madeUpName builds a name from syllables that no list in this package
// uses, for searches that should find nothing (and show "Did you mean").
func madeUpName(r *rand.Rand) string {
	syl := []string{"zor", "vak", "quil", "thrax", "ulm", "brek", "yss", "oz", "kry", "gnar", "velt", "drom",
		"xan", "plib", "wuz", "fesk", "jorv", "ught", "zim", "trog"}
	word := func() string {
		w := anyOf(r, syl) + anyOf(r, syl)
		if chance(r, 0.5) {
			w += anyOf(r, syl)
		}
		return strings.ToUpper(w[:1]) + w[1:]
	}
	if chance(r, 0.5) {
		return word()
	}
	return word() + " " + word()
}
