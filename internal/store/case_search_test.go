package store

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// names returns the full names of a result page, in order.
func names(l *CaseList) []string {
	out := []string{}
	for _, c := range l.Cases {
		out = append(out, c.FullName)
	}
	return out
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func search(t *testing.T, s *Store, q CaseQuery) *CaseList {
	t.Helper()
	l, err := s.SearchCases(ctxT(t), q)
	if err != nil {
		t.Fatalf("SearchCases(%+v): %v", q, err)
	}
	return l
}

func TestSearchBasics(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		a := newCase("Keziah Ronan")
		a.LastSeenDate = date("2026-01-10")
		a.Region = "Western"
		mustCreate(t, s, a, StatusMissing)
		b := newCase("Bram Keeley")
		b.LastSeenDate = date("2026-02-10")
		b.Sex = "male"
		mustCreate(t, s, b, StatusMissing)
		c := newCase("Keziah Doyle")
		c.LastSeenDate = date("2025-12-01")
		mustCreate(t, s, c, StatusLocated)
		mustCreate(t, s, newCase("Keziah Pending"), StatusPending)

		l := search(t, s, CaseQuery{})
		if want := []string{"Bram Keeley", "Keziah Ronan"}; !sameList(names(l), want) || l.Total != 2 || l.Page != 1 || l.PerPage != 20 {
			t.Fatalf("default listing = %v total %d page %d/%d", names(l), l.Total, l.Page, l.PerPage)
		}
		l = search(t, s, CaseQuery{Q: "keziah"})
		if want := []string{"Keziah Ronan"}; !sameList(names(l), want) {
			t.Fatalf("q=keziah → %v", names(l))
		}
		l = search(t, s, CaseQuery{Q: "keziah", Statuses: []Status{StatusMissing, StatusLocated}, Sort: SortOldest})
		if want := []string{"Keziah Doyle", "Keziah Ronan"}; !sameList(names(l), want) {
			t.Fatalf("q=keziah located+missing oldest → %v", names(l))
		}
		l = search(t, s, CaseQuery{Sex: "male"})
		if want := []string{"Bram Keeley"}; !sameList(names(l), want) {
			t.Fatalf("sex=male → %v", names(l))
		}
		l = search(t, s, CaseQuery{Region: "Western", Sort: SortName})
		if want := []string{"Keziah Ronan"}; !sameList(names(l), want) {
			t.Fatalf("region → %v", names(l))
		}
	})
}

// hostileFixture creates the cases the hostile-input tests search.
func hostileFixture(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	add := func(key string, mod func(c *Case)) {
		c := newCase("x")
		c.Features, c.Clothing, c.Circumstances = "", "", ""
		c.LastSeenPlace, c.Community = "Main Road", "Clarenville"
		mod(c)
		ids[key] = mustCreate(t, s, c, StatusMissing)
	}
	add("siobhan-accent", func(c *Case) {
		c.FullName = "Siobhán Ó Ceallaigh"
		c.LastSeenPlace, c.Community = "Duckworth Street", "St. John's"
	})
	add("siobhan-plain", func(c *Case) { c.FullName = "Siobhan Walsh"; c.Community = "Gander" })
	add("ceallach", func(c *Case) { c.FullName = "Ceallach Byrne" })
	add("percy", func(c *Case) {
		c.FullName = "Percy O'Brien"
		c.Features = "hoodie marked 100% cotton"
	})
	add("tomas", func(c *Case) { c.FullName = "Tomás Ng"; c.Aliases = "Tom"; c.LastSeenPlace = "Corner Brook" })
	add("lila", func(c *Case) { c.FullName = "Lila 🌼 Hart" })
	add("will", func(c *Case) { c.FullName = "Will Hynes" })
	return ids
}

func TestSearchHostileInput(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ids := hostileFixture(t, s)
		key := map[int64]string{}
		for k, id := range ids {
			key[id] = k
		}
		cases := []struct {
			q    string
			want []string // keys, any order
		}{
			{"Siobhán", []string{"siobhan-accent", "siobhan-plain"}},
			{"siobhan", []string{"siobhan-accent", "siobhan-plain"}},
			{"Siobha\u0301n", []string{"siobhan-accent", "siobhan-plain"}}, // decomposed accent
			{"Ó Ceallaigh", []string{"siobhan-accent"}},
			{"Ceallaigh", []string{"siobhan-accent"}},
			{"St. John's", []string{"siobhan-accent"}},
			{"Percy O'Brien", []string{"percy"}},
			{"100%", []string{"percy"}},
			{"Tomás", []string{"tomas"}},
			{"Tom", []string{"tomas"}},
			{"Ng", []string{"tomas"}},
			{"Will", []string{"will"}},
			{"Lila 🌼", []string{"lila"}},
			{"🌼", nil},
			{"%", nil},
			{"_", nil},
			{"%%__%", nil},
			{"'; DROP TABLE cases; --", nil},
			{"Robert'); DROP TABLE cases;--", nil},
			{`"`, nil},
			{`"Siobhán`, []string{"siobhan-accent", "siobhan-plain"}},
			{"*", nil},
			{"Siobh*", []string{"siobhan-accent", "siobhan-plain"}},
			{"-Siobhán", []string{"siobhan-accent", "siobhan-plain"}},
			{"+Walsh", []string{"siobhan-plain"}},
			{"Siobhán -Walsh", []string{"siobhan-plain"}}, // "-" is not NOT: both words required
			{"Siobhán OR Tomás", nil},                     // OR is a word, not a union
			{"Walsh AND Siobhan", nil},
			{"NOT Walsh", nil},
			{"NEAR(Siobhán Walsh)", nil},
			{"Siobhán NEAR/2 Walsh", nil},
			{"(Siobhán", []string{"siobhan-accent", "siobhan-plain"}},
			{"full_name:Siobhán", nil},
			{"^Siobhán", []string{"siobhan-accent", "siobhan-plain"}},
			{"Walsh~", []string{"siobhan-plain"}},
			{"<Walsh >Siobhan", []string{"siobhan-plain"}},
			{"@Walsh", []string{"siobhan-plain"}},
			{"\\Walsh", []string{"siobhan-plain"}},
			{"\x00Walsh", []string{"siobhan-plain"}},
			{"\xff\xfe", nil},
			{strings.Repeat("a", 10*1024), nil},
			{strings.Repeat("ab ", 3500), nil},
			{strings.Repeat("Walsh ", 2000), []string{"siobhan-plain"}},
			{strings.Repeat("😀", 2500), nil},
			{"\u0301", nil},
			{"\u0301 Walsh", []string{"siobhan-plain"}},
			{"Walsh \u0301", []string{"siobhan-plain"}},
			{"李", nil},
			{"ـ", nil},
			{"_Walsh_", []string{"siobhan-plain"}},
			{"١٢٣", nil},
		}
		for _, tc := range cases {
			l, err := s.SearchCases(ctxT(t), CaseQuery{Q: tc.q})
			if err != nil {
				t.Errorf("q=%.40q: %v", tc.q, err)
				continue
			}
			var got []string
			for _, c := range l.Cases {
				got = append(got, key[c.ID])
			}
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !sameList(got, want) || l.Total != len(want) {
				t.Errorf("q=%.40q: got %v (total %d), want %v", tc.q, got, l.Total, want)
			}
		}
		// Still all there: nothing was dropped.
		if l := search(t, s, CaseQuery{}); l.Total != len(ids) {
			t.Fatalf("cases after hostile queries = %d, want %d", l.Total, len(ids))
		}
		// Hostile filter values are just values.
		for _, v := range []string{"'; DROP TABLE cases; --", "%", "_", "Avalon' OR '1'='1", "\xff\xfe", "Avalon\x00", "\\", "Avalon\\' OR 1=1 -- "} {
			l, err := s.SearchCases(ctxT(t), CaseQuery{Region: v, Sex: v, Sort: v})
			if err != nil || l.Total != 0 {
				t.Errorf("filter %q: %d, %v", v, l.Total, err)
			}
		}
	})
}

func TestSearchHostileNamesStoredAndFound(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		for _, name := range []string{"Ó Ceallaigh", "St. John's", "Siobhán", "Zoë 😀 Kent", "100% Real", "Under_Score", "'; DROP TABLE cases; --", `Quote "Q" Name`} {
			c := newCase(name)
			id := mustCreate(t, s, c, StatusMissing)
			got, err := s.GetPublicCase(ctxT(t), id)
			if err != nil || got.FullName != name {
				t.Fatalf("stored %q, read %q, %v", name, got.FullName, err)
			}
			l := search(t, s, CaseQuery{Q: name})
			found := false
			for _, c := range l.Cases {
				found = found || c.ID == id
			}
			if !found {
				t.Errorf("%q not found by its own name (got %v)", name, names(l))
			}
		}
		// 10 KB in a TEXT field is fine, and searchable.
		c := newCase("Long Story")
		c.Circumstances = strings.Repeat("lorem ipsum ", 900) + "zebrafish"
		id := mustCreate(t, s, c, StatusMissing)
		l := search(t, s, CaseQuery{Q: "zebrafish"})
		if l.Total != 1 || l.Cases[0].ID != id {
			t.Fatalf("10 KB circumstances not searchable: %v", names(l))
		}
	})
}

func TestSearchRanking(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		// "Brennan" is the name of a but only a passing mention in b. b is
		// more recent, so without ranking it would come first.
		a := newCase("Orla Brennan")
		a.Aliases = "Brennan"
		a.LastSeenDate = date("2025-01-01")
		idA := mustCreate(t, s, a, StatusMissing)
		b := newCase("Cian Doyle")
		b.Circumstances = "was travelling with a friend called Brennan"
		b.LastSeenDate = date("2026-01-01")
		idB := mustCreate(t, s, b, StatusMissing)
		l := search(t, s, CaseQuery{Q: "brennan"})
		if len(l.Cases) != 2 || l.Cases[0].ID != idA || l.Cases[1].ID != idB {
			t.Fatalf("relevance order = %v", names(l))
		}
		// An explicit sort wins over relevance.
		l = search(t, s, CaseQuery{Q: "brennan", Sort: SortRecent})
		if len(l.Cases) != 2 || l.Cases[0].ID != idB {
			t.Fatalf("recent order = %v", names(l))
		}
		l = search(t, s, CaseQuery{Q: "brennan", Sort: SortName})
		if len(l.Cases) != 2 || l.Cases[0].ID != idB {
			t.Fatalf("name order = %v", names(l))
		}
	})
}

func TestSearchFiltersSortsPages(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		// 25 published cases with distinct dates; every 5th is located.
		first := []string{"Nora", "Pat", "Ó Ceallaigh", "ama", "Zed"}
		for i := range 25 {
			c := newCase(fmt.Sprintf("%s Person%02d", first[i%5], i))
			c.LastSeenDate = date("2026-01-01").AddDate(0, 0, i)
			c.Age = ptr(10 + i)
			if i == 3 {
				c.Age = nil
			}
			c.Region = Regions[i%len(Regions)]
			c.Sex = Sexes[i%2]
			st := StatusMissing
			if i%5 == 4 {
				st = StatusLocated
			}
			mustCreate(t, s, c, st)
		}
		mustCreate(t, s, newCase("Hidden Pending"), StatusPending)

		// Pagination of the 20 missing cases.
		for _, tc := range []struct{ page, per, n, wantPage int }{
			{0, 8, 8, 1}, {-3, 8, 8, 1}, {1, 8, 8, 1}, {2, 8, 8, 2}, {3, 8, 4, 3}, {4, 8, 0, 4}, {1 << 40, 8, 0, 1 << 20},
		} {
			l := search(t, s, CaseQuery{Page: tc.page, PerPage: tc.per})
			if len(l.Cases) != tc.n || l.Total != 20 || l.Page != tc.wantPage || l.PerPage != 8 {
				t.Errorf("page %d: %d cases, total %d, page %d", tc.page, len(l.Cases), l.Total, l.Page)
			}
		}
		if l := search(t, s, CaseQuery{PerPage: 1000}); l.PerPage != 100 || len(l.Cases) != 20 {
			t.Errorf("PerPage clamp: %d, %d", l.PerPage, len(l.Cases))
		}
		// Past the end with a text query and a filter too.
		if l := search(t, s, CaseQuery{Q: "person", Region: "Avalon", Page: 9}); len(l.Cases) != 0 || l.Total != 5 {
			t.Errorf("text past the end: %d cases, total %d", len(l.Cases), l.Total)
		}

		// Sorts over all 25 published.
		pub := []Status{StatusMissing, StatusLocated}
		l := search(t, s, CaseQuery{Statuses: pub, PerPage: 100})
		if l.Total != 25 || !strings.HasSuffix(l.Cases[0].FullName, "Person24") {
			t.Fatalf("recent: total %d first %s", l.Total, l.Cases[0].FullName)
		}
		for i := 1; i < len(l.Cases); i++ {
			if l.Cases[i].LastSeenDate.After(l.Cases[i-1].LastSeenDate) {
				t.Fatal("recent not descending")
			}
		}
		l = search(t, s, CaseQuery{Statuses: pub, Sort: SortOldest, PerPage: 100})
		if !strings.HasSuffix(l.Cases[0].FullName, "Person00") {
			t.Fatalf("oldest first = %s", l.Cases[0].FullName)
		}
		l = search(t, s, CaseQuery{Statuses: pub, Sort: SortName, PerPage: 100})
		var order []string
		for _, c := range l.Cases {
			f := strings.Fields(c.FullName)[0]
			if len(order) == 0 || order[len(order)-1] != f {
				order = append(order, f)
			}
		}
		// Case- and accent-insensitive on both dialects.
		if want := []string{"ama", "Nora", "Ó", "Pat", "Zed"}; !sameList(order, want) {
			t.Fatalf("name order = %v, want %v", order, want)
		}
		if l := search(t, s, CaseQuery{Sort: "bogus"}); l.Total != 20 {
			t.Fatalf("unknown sort: %d", l.Total)
		}

		// Filters.
		check := func(q CaseQuery, want int, ok func(c Case) bool) {
			t.Helper()
			q.PerPage = 100
			l := search(t, s, q)
			if l.Total != want || len(l.Cases) != want {
				t.Errorf("%+v: total %d (%d), want %d", q, l.Total, len(l.Cases), want)
			}
			for _, c := range l.Cases {
				if !ok(c) {
					t.Errorf("%+v: unexpected %s", q, c.FullName)
				}
			}
		}
		check(CaseQuery{Statuses: []Status{StatusLocated}}, 5, func(c Case) bool { return c.Status == StatusLocated })
		check(CaseQuery{Statuses: []Status{StatusPending}}, 1, func(c Case) bool { return c.Status == StatusPending })
		check(CaseQuery{Statuses: pub, Region: "Labrador"}, 5, func(c Case) bool { return c.Region == "Labrador" })
		check(CaseQuery{Statuses: pub, Sex: "male"}, 12, func(c Case) bool { return c.Sex == "male" })
		// Ages 10..34 except case 3 (unknown age, never matches an age filter).
		check(CaseQuery{Statuses: pub, AgeMin: ptr(20), AgeMax: ptr(24)}, 5, func(c Case) bool { return *c.Age >= 20 && *c.Age <= 24 })
		check(CaseQuery{Statuses: pub, AgeMax: ptr(14)}, 4, func(c Case) bool { return *c.Age <= 14 })
		check(CaseQuery{Statuses: pub, Since: ptr(date("2026-01-20")), Until: ptr(date("2026-01-22"))}, 3, func(c Case) bool {
			return !c.LastSeenDate.Before(date("2026-01-20")) && !c.LastSeenDate.After(date("2026-01-22"))
		})
		// Everything at once: text + filters + sort + page.
		l = search(t, s, CaseQuery{Q: "nora", Statuses: pub, Region: "Avalon", Sex: "female", AgeMin: ptr(10), Sort: SortOldest, Page: 1, PerPage: 2})
		if l.Total != 3 || len(l.Cases) != 2 || !strings.HasSuffix(l.Cases[0].FullName, "Person00") || !strings.HasSuffix(l.Cases[1].FullName, "Person10") {
			t.Fatalf("combined = %v total %d", names(l), l.Total)
		}
	})
}
