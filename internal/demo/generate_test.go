package demo

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"lostinnl/internal/store"
)

var genToday = time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)

// distinctParts counts distinct given names (first word), surnames (last
// word) and communities.
func distinctParts(cases []store.Case) (first, last, places map[string]int) {
	first, last, places = map[string]int{}, map[string]int{}, map[string]int{}
	for _, c := range cases {
		f, l := nameParts(c.FullName)
		first[f]++
		last[l]++
		places[c.Community]++
	}
	return first, last, places
}

// The point of the generator (issue 15): search benchmarks over 10,000
// cases must meet thousands of different names, not the same few.
func TestGenerateVariety(t *testing.T) {
	cases := Generate(10000, GeneratorSeed, genToday)
	if len(cases) != 10000 {
		t.Fatalf("%d cases", len(cases))
	}
	first, last, places := distinctParts(cases)
	t.Logf("10,000 cases: %d given names, %d surnames, %d communities", len(first), len(last), len(places))
	if len(first) < 2000 || len(last) < 2000 {
		t.Errorf("%d distinct given names and %d surnames, want thousands of each", len(first), len(last))
	}
	if len(places) < 500 {
		t.Errorf("%d distinct communities, want hundreds", len(places))
	}
	// No name dominates: the most common surname is under 2 % of cases.
	for name, n := range last {
		if n > 200 {
			t.Errorf("surname %s on %d cases", name, n)
		}
	}

	has := func(what string, ok func(c store.Case) bool) {
		t.Helper()
		for _, c := range cases {
			if ok(c) {
				return
			}
		}
		t.Errorf("no generated case with %s", what)
	}
	surname := func(c store.Case) string { _, l := nameParts(c.FullName); return l }
	has("an accented surname", func(c store.Case) bool { return foldAccents(surname(c)) != surname(c) })
	has("an accented given name", func(c store.Case) bool { f, _ := nameParts(c.FullName); return foldAccents(f) != f })
	for _, prefix := range []string{"Mc", "Mac", "O'", "Fitz", "St-"} {
		has("a surname starting "+prefix, func(c store.Case) bool { return strings.HasPrefix(surname(c), prefix) })
	}
	has("a hyphenated surname", func(c store.Case) bool { return strings.Contains(surname(c), "-") })
	has("a middle initial", func(c store.Case) bool { return len(strings.Fields(c.FullName)) == 3 })
	has("a nickname alias", func(c store.Case) bool {
		f, _ := nameParts(c.FullName)
		return c.Aliases != "" && len(nicknames[f]) > 0
	})
	has("a St. community", func(c store.Case) bool { return strings.HasPrefix(c.Community, "St. ") })
	has("an apostrophe in the community", func(c store.Case) bool { return strings.Contains(c.Community, "'") })
	has("a French community name", func(c store.Case) bool { return strings.HasPrefix(c.Community, "L'Anse") })
	has("an auburn-haired person", func(c store.Case) bool { return strings.HasPrefix(c.HairColour, "auburn") })
	has("a tattoo", func(c store.Case) bool { return strings.Contains(c.Features, "Tattoo") })

	count := map[string]int{}
	for _, c := range cases {
		count["status "+string(c.Status)]++
		count["sex "+c.Sex]++
		count["region "+c.Region]++
		if c.Age == nil {
			count["no age"]++
		} else if *c.Age < 0 || *c.Age > 100 {
			t.Errorf("%s: age %d", c.FullName, *c.Age)
		} else if *c.Age < 18 {
			count["minor"]++
		}
		if c.LastSeenDate.After(genToday) || c.LastSeenDate.Before(genToday.AddDate(-16, 0, 0)) {
			t.Errorf("%s: last seen %s", c.FullName, c.LastSeenDate)
		}
		if c.HeightCM != nil && (*c.HeightCM < 60 || *c.HeightCM > 215 || *c.WeightKG < 10 || *c.WeightKG > 180) {
			t.Errorf("%s: %d cm, %d kg at %v", c.FullName, *c.HeightCM, *c.WeightKG, *c.Age)
		}
		if c.PoliceAgency != Agency || !strings.HasPrefix(c.PoliceFileNumber, "DEMO-LOAD-") || !c.PoliceVerified {
			t.Errorf("%s: police %s %s %v", c.FullName, c.PoliceAgency, c.PoliceFileNumber, c.PoliceVerified)
		}
		for _, s := range []string{c.FullName, c.HairColour, c.EyeColour, c.Build, c.Clothing, c.LastSeenPlace, c.Circumstances} {
			if s == "" || strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
				t.Fatalf("%s: empty or badly spaced field %q", c.FullName, s)
			}
		}
	}
	t.Log(count)
	// Plausible proportions: mostly open cases, some located; both sexes
	// about equally; every region; a third minors, as in real reports.
	between := func(what string, lo, hi int) {
		t.Helper()
		if n := count[what]; n < lo || n > hi {
			t.Errorf("%s: %d of 10,000, want %d..%d", what, n, lo, hi)
		}
	}
	between("status missing", 7000, 9000)
	between("status located", 1000, 3000)
	between("sex female", 4300, 5100)
	between("sex male", 4700, 5500)
	between("sex other", 30, 200)
	between("minor", 2500, 4500)
	between("no age", 100, 400)
	between("region Avalon", 3500, 6000)
	for _, r := range store.Regions {
		between("region "+r, 500, 6000)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := Generate(600, GeneratorSeed, genToday)
	b := Generate(600, GeneratorSeed, genToday)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same n and seed gave different cases")
	}
	// Case i does not depend on n: Seed stays idempotent as Extra grows.
	if short := Generate(250, GeneratorSeed, genToday); !reflect.DeepEqual(short, a[:250]) {
		t.Error("Generate(250) is not the start of Generate(600)")
	}
	// Another day moves the dates and nothing else.
	later := Generate(600, GeneratorSeed, genToday.AddDate(0, 7, 3))
	for i := range later {
		if d := later[i].LastSeenDate.Sub(a[i].LastSeenDate); d != genToday.AddDate(0, 7, 3).Sub(genToday) {
			t.Fatalf("case %d: last seen moved by %s", i, d)
		}
		later[i].LastSeenDate = a[i].LastSeenDate
	}
	if !reflect.DeepEqual(a, later) {
		t.Error("seeding on another day changed more than the dates")
	}
	other := Generate(600, GeneratorSeed+1, genToday)
	same := 0
	for i := range a {
		if a[i].FullName == other[i].FullName {
			same++
		}
	}
	if same > 30 {
		t.Errorf("another seed gave %d of 600 identical names", same)
	}
	if got := Generate(0, 1, genToday); len(got) != 0 {
		t.Errorf("Generate(0) = %d cases", len(got))
	}
	if got := Generate(-3, 1, genToday); len(got) != 0 {
		t.Errorf("Generate(-3) = %d cases", len(got))
	}
}

// Every community belongs to exactly one region, the showcase cases agree
// with the table, and generated cases carry their community's region.
func TestCommunitiesHaveTheirRegion(t *testing.T) {
	table := communities(store.Regions)
	region := map[string]string{}
	perRegion := map[string]int{}
	for _, c := range table {
		if prev, dup := region[c.name]; dup {
			t.Errorf("%s listed twice (%s, %s)", c.name, prev, c.region)
		}
		if c.name == "" || strings.ContainsAny(c.name, "*|\n") || c.weight < 1 {
			t.Errorf("bad entry %+v", c)
		}
		region[c.name] = c.region
		perRegion[c.region]++
	}
	if len(region) < 600 {
		t.Errorf("%d communities, want hundreds across the province", len(region))
	}
	for _, r := range store.Regions {
		if perRegion[r] < 40 {
			t.Errorf("region %s has %d communities", r, perRegion[r])
		}
	}
	for _, p := range people {
		if got, ok := region[p.community]; ok && got != p.region {
			t.Errorf("showcase %s: %s is in %s, the table says %s", p.name, p.community, p.region, got)
		}
	}
	for name, want := range map[string]string{"St. John's": "Avalon", "Gander": "Central", "Corner Brook": "Western",
		"Clarenville": "Eastern", "Nain": "Labrador", "L'Anse au Loup": "Labrador", "St. Anthony": "Western",
		"Happy Valley-Goose Bay": "Labrador", "Grand Falls-Windsor": "Central", "Marystown": "Eastern"} {
		if region[name] != want {
			t.Errorf("%s in %q, want %s", name, region[name], want)
		}
	}
	for _, c := range Generate(3000, GeneratorSeed, genToday) {
		if region[c.Community] != c.Region {
			t.Errorf("%s: %s filed under %s, the table says %s", c.FullName, c.Community, c.Region, region[c.Community])
		}
	}
}

func TestNameListsAreClean(t *testing.T) {
	lists := map[string][]string{"femaleOld": femaleOld, "femaleMid": femaleMid, "femaleNew": femaleNew,
		"maleOld": maleOld, "maleMid": maleMid, "maleNew": maleNew, "femaleIrish": femaleIrish, "maleIrish": maleIrish,
		"femaleScots": femaleScots, "maleScots": maleScots, "femaleFrench": femaleFrench, "maleFrench": maleFrench,
		"femaleInnu": femaleInnu, "maleInnu": maleInnu, "femaleInuit": femaleInuit, "maleInuit": maleInuit,
		"femaleNew2": femaleNew2, "maleNew2": maleNew2, "neutral": neutral, "surEnglish": surEnglish,
		"surIrish": surIrish, "surScots": surScots, "surFrench": surFrench, "surMikmaq": surMikmaq,
		"surInnu": surInnu, "surInuit": surInuit, "surNew": surNew, "stemMac": stemMac, "stemO": stemO}
	for name, l := range lists {
		if len(l) < 10 {
			t.Errorf("%s has %d names", name, len(l))
		}
		for _, n := range l {
			if !unicode.IsUpper([]rune(n)[0]) {
				t.Errorf("%s: %q does not start with a capital", name, n)
			}
		}
	}
	// The showcase names stay unmistakably whimsical: no generated surname
	// list may contain one, so no load case looks like a showcase person.
	for _, p := range people {
		_, l := nameParts(p.name)
		for name, list := range lists {
			for _, n := range list {
				if n == l && strings.HasPrefix(name, "sur") {
					t.Errorf("showcase surname %s in %s", l, name)
				}
			}
		}
	}
}

// Seed inserts the generated cases through the store: every one passes its
// validation, lands with the status Generate gave it, and reads back as
// generated.
func TestSeedStoresGeneratedCases(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	const n = 1500
	now := func() time.Time { return genToday.Add(10 * time.Hour) }
	added, err := Seed(ctx, st, Options{Now: now, Extra: n})
	if err != nil {
		t.Fatal(err)
	}
	if added != len(people)+n {
		t.Fatalf("added %d, want %d", added, len(people)+n)
	}
	want := Generate(n, GeneratorSeed, genToday)
	located := 0
	for _, c := range want {
		if c.Status == store.StatusLocated {
			located++
		}
	}
	counts, err := st.CountCasesByStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	showLocated := 0
	for _, p := range people {
		if p.status == store.StatusLocated {
			showLocated++
		}
	}
	if counts[store.StatusLocated] != located+showLocated {
		t.Errorf("%d located cases stored, want %d", counts[store.StatusLocated], located+showLocated)
	}
	for _, i := range []int{0, 1, 7, 99, 500, n - 1} {
		id, err := st.FindCaseByPoliceFile(ctx, Agency, want[i].PoliceFileNumber)
		if err != nil {
			t.Fatalf("%s: %v", want[i].PoliceFileNumber, err)
		}
		got, err := st.GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		w := want[i]
		if got.FullName != w.FullName || got.Community != w.Community || got.Region != w.Region ||
			got.Aliases != w.Aliases || got.Features != w.Features || got.Status != w.Status ||
			!got.LastSeenDate.Equal(w.LastSeenDate) || !reflect.DeepEqual(got.Age, w.Age) {
			t.Errorf("case %d stored as %+v, generated %+v", i, got, w)
		}
		ups, err := st.ListUpdates(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(ups) != len(extraUpdates(i, w.Status)) {
			t.Errorf("case %d has %d updates, want %d", i, len(ups), len(extraUpdates(i, w.Status)))
		}
	}
}

// go test -run '^$' -bench Generate ./internal/demo/
func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		if got := Generate(100000, GeneratorSeed, genToday); len(got) != 100000 {
			b.Fatal(len(got))
		}
	}
}

func BenchmarkQueries2500(b *testing.B) {
	cases := Generate(10000, GeneratorSeed, genToday)
	b.ResetTimer()
	for b.Loop() {
		if got := Queries(cases, 2500, 1); len(got) != 2500 {
			b.Fatal(len(got))
		}
	}
}
