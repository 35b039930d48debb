package search

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/store"
)

func terms(s string) []string {
	var out []string
	for _, t := range tokenize(s) {
		out = append(out, t.term)
	}
	return out
}

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"St. John's", []string{"st", "johns"}},
		{"Saint John’s", []string{"st", "johns"}},
		{"ST JOHNS", []string{"st", "johns"}},
		{"St.John's", []string{"st", "johns"}},
		{"Ste-Marie", []string{"st", "marie"}},
		{"Côté-Tremblay", []string{"cote", "tremblay"}},
		{"O'Brien", []string{"obrien"}},
		{"O Brien", []string{"obrien"}},
		{"Mac Donald", []string{"mcdonald"}},
		{"MacDonald", []string{"mcdonald"}},
		{"McDonald", []string{"mcdonald"}},
		{"Mack", []string{"mack"}},
		{"Machado", []string{"machado"}},
		{"Le Blanc", []string{"leblanc"}},
		{"Fitz Gerald", []string{"fitzgerald"}},
		{"ZOË Ærø Łucja", []string{"zoe", "aero", "lucja"}},
		{"J.R. Smith", []string{"j", "r", "smith"}},
		{"Mt. Pearl", []string{"mount", "pearl"}},
		{"gray, blonde", []string{"grey", "blond"}},
		{"bad\xffbytes\x00and\tcontrol", []string{"bad", "bytes", "and", "control"}},
		{"''' --- ...", nil},
		{"Kit Gullcry 21", []string{"kit", "gullcry", "21"}},
	} {
		if got := terms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Hyphens keep parts in one group; spaces do not.
	ts := tokenize("Grand Falls-Windsor")
	if ts[0].group == ts[1].group || ts[1].group != ts[2].group {
		t.Errorf("groups of Grand Falls-Windsor: %+v", ts)
	}
}

func TestPhoneticKey(t *testing.T) {
	same := [][2]string{
		{"catherine", "katherine"}, {"siobhan", "shivaun"}, {"niamh", "neve"},
		{"arsenault", "arseneau"}, {"gallagher", "gallaher"}, {"vaughan", "vaughn"},
		{"robichaud", "robishaw"}, {"caoimhe", "keeva"}, {"aoife", "eefa"},
		{"eoin", "owen"}, {"mcdonald", "mcdonnald"}, {"thibodeau", "thibodeaux"},
		{"kavanagh", "cavanagh"}, {"philip", "filip"}, {"knight", "nite"},
	}
	for _, p := range same {
		a, b := phoneticKey(p[0]), phoneticKey(p[1])
		if a == "" || a != b {
			t.Errorf("phoneticKey(%s) = %q, phoneticKey(%s) = %q; want equal", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{
		{"mary", "john"}, {"walsh", "power"}, {"smith", "jones"}, {"gallagher", "gallant"},
		{"tobin", "tucker"}, {"kelly", "ryan"},
	}
	for _, p := range differ {
		if a, b := phoneticKey(p[0]), phoneticKey(p[1]); a == b {
			t.Errorf("phoneticKey(%s) = phoneticKey(%s) = %q; want different", p[0], p[1], a)
		}
	}
	for _, w := range []string{"", "a", "21", "ᐃᓄᒃᑎᑐᑦ", strings.Repeat("x", 100)} {
		if k := phoneticKey(w); k != "" {
			t.Errorf("phoneticKey(%q) = %q, want none", w, k)
		}
	}
}

func TestNicknameTable(t *testing.T) {
	n, groups := newNicknames()
	if len(n) < 150 {
		t.Errorf("nickname table has %d names, want at least 150", len(n))
	}
	// Every group's words must be folded terms, or they could never match.
	for _, g := range groups {
		for _, w := range g {
			if ts := terms(w); len(ts) != 1 || ts[0] != w {
				t.Errorf("nickname %q is not a folded term (%q)", w, ts)
			}
		}
	}
	pairs := [][2]string{
		{"Bill", "William"}, {"Will", "William"}, {"Billy", "William"}, {"Liam", "William"},
		{"Kate", "Katherine"}, {"Katie", "Catherine"}, {"Kathy", "Katherine"}, {"Kathy", "Catherine"},
		{"Peggy", "Margaret"}, {"Maggie", "Margaret"}, {"Jack", "John"}, {"Bob", "Robert"},
		{"Dick", "Richard"}, {"Liz", "Elizabeth"}, {"Betty", "Elizabeth"}, {"Ted", "Edward"},
		{"Sandy", "Alexander"}, {"Paddy", "Patrick"}, {"Bridie", "Bridget"}, {"Seamus", "James"},
	}
	for _, p := range pairs {
		for _, dir := range [][2]string{p, {p[1], p[0]}} {
			ix := Build([]Doc{{ID: 1, Name: dir[1] + " Quilty"}, {ID: 2, Name: "Someone Quilty"}})
			res := ix.Search(dir[0]+" Quilty", Options{})
			if len(res.Hits) != 1 || res.Hits[0].ID != 1 {
				t.Errorf("%q should find %q by nickname: %+v", dir[0], dir[1], res.Hits)
			}
		}
	}
}

func ids(hs []Hit) []int64 {
	out := make([]int64, len(hs))
	for i, h := range hs {
		out[i] = h.ID
	}
	return out
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestRanking(t *testing.T) {
	cases := []struct {
		name string
		docs []Doc
		q    string
		want []int64
	}{
		{"name before place before description", []Doc{
			{ID: 3, Name: "Ann Quilty", Descriptive: []string{"Marshall jersey"}, Open: true, Date: day("2026-01-01")},
			{ID: 2, Name: "Bob Quilty", Place: "Marshall's Cove", Open: true, Date: day("2025-01-01")},
			{ID: 1, Name: "Ann Marshall", Date: day("2010-01-01")},
		}, "Marshall", []int64{1, 2, 3}},
		{"exact, nickname, sound, typo", []Doc{
			{ID: 4, Name: "Kathlerine Ryan", Open: true, Date: day("2026-01-01")},
			{ID: 3, Name: "Catherine Ryan", Open: true, Date: day("2026-01-01")},
			{ID: 2, Name: "Kate Ryan", Open: true, Date: day("2026-01-01")},
			{ID: 1, Name: "Katherine Ryan", Date: day("2001-01-01")},
		}, "Katherine", []int64{1, 2, 3, 4}},
		{"open before closed, then newer", []Doc{
			{ID: 1, Name: "Mary Walsh", Date: day("2026-01-01")},
			{ID: 2, Name: "Mary Walsh", Open: true, Date: day("2020-01-01")},
			{ID: 3, Name: "Mary Walsh", Open: true, Date: day("2024-01-01")},
		}, "walsh", []int64{3, 2, 1}},
		{"every word must match", []Doc{
			{ID: 1, Name: "Mary Power"},
			{ID: 2, Name: "Mary Walsh"},
			{ID: 3, Name: "John Walsh"},
		}, "Mary Walsh", []int64{2}},
		{"an existing word means itself: description before a sound-alike name", []Doc{
			{ID: 1, Name: "Siobhan O'Brien", Open: true, Date: day("2026-01-01")},
			{ID: 2, Name: "Ann Quilty", Descriptive: []string{"auburn"}},
		}, "auburn", []int64{2, 1}},
		{"region name finds the region", []Doc{
			{ID: 1, Name: "A B", Region: "Labrador", Community: "Nain"},
			{ID: 2, Name: "C D", Region: "Avalon", Community: "Torbay"},
			{ID: 3, Name: "E F", Region: "Western", Community: "Labrador Street"},
		}, "labrador", []int64{1, 3}},
		{"stop words never exclude", []Doc{
			{ID: 1, Name: "A B", Community: "Gander"},
		}, "missing person in Gander", []int64{1}},
	}
	for _, tc := range cases {
		res := Build(tc.docs).Search(tc.q, Options{})
		if got := ids(res.Hits); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q = %v, want %v (%+v)", tc.name, tc.q, got, tc.want, res.Hits)
		}
	}
}

// Short words and numbers count like any word: "Kit Gullcry 21" needs all
// three. A number matches an age (or one year off, ranked lower) and
// numbers in text; one letter is an initial; two letters match exactly or
// by nickname.
func TestShortWordsAndNumbers(t *testing.T) {
	ix := Build([]Doc{
		{ID: 1, Name: "Kit Gullcry", Age: 21},
		{ID: 2, Name: "Kit Gullcry", Age: 30},
		{ID: 3, Name: "Katherine Gullcry", Age: 22},
		{ID: 4, Name: "John Walsh", Place: "Route 21"},
		{ID: 5, Name: "Edward Walsh"},
		{ID: 6, Name: "Ed Walsh"},
	})
	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"Kit Gullcry 21", []int64{1, 3}}, // 3: Kit is Katherine's nickname and 22 is a year off
		{"Kit Gullcry 30", []int64{2}},
		{"Gullcry 99", nil},
		{"J Walsh", []int64{4}},
		{"Ed Walsh", []int64{6, 5}},
		{"Walsh 21", []int64{4}},
		{"21", []int64{1, 4, 3}},
	} {
		if got := ids(ix.Search(tc.q, Options{}).Hits); !slices.Equal(got, tc.want) {
			t.Errorf("%q = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestPrefix(t *testing.T) {
	ix := Build([]Doc{
		{ID: 1, Name: "Seamus Gallagher"},
		{ID: 2, Name: "Josée Gallant"},
		{ID: 3, Name: "Angus MacKinnon"},
		{ID: 4, Name: "Gall Quilty"},
	})
	for _, tc := range []struct {
		q    string
		opt  Options
		want []int64
	}{
		{"Gall", Options{Prefix: true}, []int64{4, 1, 2}}, // the exact word first
		{"Gall", Options{}, []int64{4}},
		{"Seamus Gal", Options{Prefix: true}, []int64{1}},
		{"Gal Seamus", Options{Prefix: true}, nil}, // only the last word is unfinished
		{"Mack", Options{Prefix: true}, []int64{3}},
		{"MacKin", Options{Prefix: true}, []int64{3}},
		{"Seamus in", Options{Prefix: true}, nil}, // "in" may be the start of a name
		{"Seamus in", Options{}, []int64{1}},      // "in" is a stop word
	} {
		if got := ids(Build(nil).Search(tc.q, tc.opt).Hits); len(got) != 0 {
			t.Errorf("empty index found %v", got)
		}
		if got := ids(ix.Search(tc.q, tc.opt).Hits); !slices.Equal(got, tc.want) {
			t.Errorf("%q %+v = %v, want %v", tc.q, tc.opt, got, tc.want)
		}
	}
}

func TestSuggestion(t *testing.T) {
	ix := Build(loadCases(t))
	for _, tc := range []struct{ q, want string }{
		{"Budgle", "Budgell"},
		{"Budgle Wabush", "Budgell Wabush"},
		{"Zzyzx", ""},               // nothing near
		{"Katherine Nain", ""},      // each word matches, never together
		{"Katherine MacDonald", ""}, // hits: no suggestion
		{"", ""},
	} {
		res := ix.Search(tc.q, Options{})
		if res.Suggestion != tc.want {
			t.Errorf("%q: suggestion %q, want %q", tc.q, res.Suggestion, tc.want)
		}
		if res.Suggestion != "" {
			if len(res.Hits) != 0 {
				t.Errorf("%q: a suggestion beside %d hits", tc.q, len(res.Hits))
			}
			if len(ix.Search(res.Suggestion, Options{}).Hits) == 0 {
				t.Errorf("%q: suggestion %q finds nothing", tc.q, res.Suggestion)
			}
		}
	}
}

// The region's name finds every case of the region (the issue: "labrador"
// found 1 of 8).
func TestRegionNameFindsRegion(t *testing.T) {
	docs := loadCases(t)
	ix := Build(docs)
	for _, region := range store.Regions {
		got := ids(ix.Search(region, Options{}).Hits)
		n := 0
		for _, d := range docs {
			if d.Region == region {
				n++
				if !slices.Contains(got, d.ID) {
					t.Errorf("%q misses case %d of the region", region, d.ID)
				}
			}
		}
		if n == 0 {
			t.Errorf("the relevance set has no case in %s", region)
		}
	}
}

func TestHostileInput(t *testing.T) {
	ix := Build(loadCases(t))
	long := strings.Repeat("Walsh ", 1000)
	for _, q := range []string{
		strings.Repeat("x", 10<<10),
		strings.Repeat("é", 5<<10),
		long,
		strings.Repeat("a ", 1000),
		"\x00\x01\x02\x1b[31mWalsh\x7f",
		"\xff\xfe\xfdWalsh\xc3",
		"*:()\"'%_^+-!",
		"Walsh" + strings.Repeat("\u0301", 3000),
		strings.Repeat("ᐃᓄᒃᑎᑐᑦ ", 500),
	} {
		for _, prefix := range []bool{false, true} {
			res := ix.Search(q, Options{Prefix: prefix})
			checkResult(t, q, res)
		}
	}
	// Only the first words count: a 1,000-word query is read as its first 8.
	if got := ids(ix.Search(long, Options{}).Hits); !slices.Equal(got, ids(ix.Search("Walsh", Options{}).Hits)) {
		t.Errorf("a long repeated query found %v", got)
	}
	// Hostile docs build and search.
	bad := Build([]Doc{
		{ID: 1, Name: "\xff\xfe", Aliases: []string{"", "''"}, Region: "nowhere"},
		{ID: 2, Name: strings.Repeat("Walsh-", 2000), Age: -5},
		{ID: 3, Age: 1 << 30, Descriptive: []string{strings.Repeat("x", 1<<16)}},
	})
	checkResult(t, "walsh", bad.Search("walsh", Options{Prefix: true}))
	if got := ids(bad.Search("walsh", Options{}).Hits); !slices.Equal(got, []int64{2}) {
		t.Errorf("hostile docs: walsh = %v", got)
	}
}

// checkResult asserts what must hold for any query: no duplicate ids,
// scores positive and best first, a suggestion only when nothing matched.
func checkResult(t *testing.T, q string, res Result) {
	t.Helper()
	seen := map[int64]bool{}
	for i, h := range res.Hits {
		if seen[h.ID] {
			t.Fatalf("%.40q: id %d twice", q, h.ID)
		}
		seen[h.ID] = true
		if h.Score <= 0 {
			t.Fatalf("%.40q: score %v", q, h.Score)
		}
		if i > 0 && h.Score > res.Hits[i-1].Score {
			t.Fatalf("%.40q: hits not best first: %+v", q, res.Hits)
		}
	}
	if res.Suggestion != "" && len(res.Hits) > 0 {
		t.Fatalf("%.40q: suggestion %q beside hits", q, res.Suggestion)
	}
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"Katherine MacDonald", "St. John's", "Kit Gullcry 21", "\xff", "ééé", "a b c d e f g h i j", "Mac", "O'", "-'-"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	docs := loadCases(f)
	ix := Build(docs)
	known := map[int64]bool{}
	for _, d := range docs {
		known[d.ID] = true
	}
	f.Fuzz(func(t *testing.T, q string, prefix bool) {
		res := ix.Search(q, Options{Prefix: prefix})
		checkResult(t, q, res)
		for _, h := range res.Hits {
			if !known[h.ID] {
				t.Fatalf("%q: unknown id %d", q, h.ID)
			}
		}
		// The same words, case and accents aside, find the same cases.
		if !prefix {
			again := ix.Search(strings.ToUpper(q), Options{})
			if strings.ToValidUTF8(q, "") == q && !strings.ContainsFunc(q, func(r rune) bool { return r > 0x7f }) &&
				!slices.Equal(ids(again.Hits), ids(res.Hits)) {
				t.Fatalf("%q and its upper case differ: %v vs %v", q, ids(res.Hits), ids(again.Hits))
			}
		}
	})
}

func TestConcurrentSearch(t *testing.T) {
	ix := Build(loadCases(t))
	want := map[string][]int64{}
	qs := []string{"Walsh", "St Johns", "Kate", "auburn", "Budgle", "Gall"}
	for _, q := range qs {
		want[q] = ids(ix.Search(q, Options{Prefix: true}).Hits)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				q := qs[(g+i)%len(qs)]
				if got := ids(ix.Search(q, Options{Prefix: true}).Hits); !slices.Equal(got, want[q]) {
					select {
					case errs <- fmt.Sprintf("%q: %v, want %v", q, got, want[q]):
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestSimilarNames(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"Bill Côté", "William Cote", true},
		{"Kate O'Brien", "Catherine OBrian", true},
		{"Katherine MacDonald", "Cathy McDonald", true},
		{"Katherine MacDonald", "Catherine McDonald", true},
		{"Katherine MacDonald", "Katherine Whelan", false},
		{"Siobhan Gallagher", "Shivaun Gallaher", true},
		{"Mary-Kate Quinlan-Hearn", "Mary Hearn", true},
		{"Peggy Arsenault", "Margaret Arseneau", true},
		{"Jon Walsh", "John Walsh", true},
		{"Walsh", "John Walsh", true},
		{"Mary Walsh", "John Walsh", false},
		{"Mary Walsh", "Mary Power", false},
		{"Kit Gullcry", "Kit Gullcroft", false},
		{"", "John Walsh", false},
		{"!!!", "???", false},
	} {
		if got := SimilarNames(tc.a, tc.b); got != tc.want {
			t.Errorf("SimilarNames(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := SimilarNames(tc.b, tc.a); got != tc.want {
			t.Errorf("SimilarNames(%q, %q) = %v, want %v (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

// TestSimilarToReused: one prepared name compared with many answers each
// as a fresh SimilarNames would (nothing carries over between calls).
func TestSimilarToReused(t *testing.T) {
	others := []string{"Catherine McDonald", "Mary Power", "Kate Mac Donald", "", "MacDonald", "Katherine Whelan", "Kathy Macdonld"}
	want := []bool{true, false, true, false, true, false, true}
	match := SimilarTo("Katherine MacDonald")
	for round := range 2 {
		for i, o := range others {
			if got := match(o); got != want[i] || got != SimilarNames("Katherine MacDonald", o) {
				t.Errorf("round %d: SimilarTo(Katherine MacDonald)(%q) = %v, want %v", round, o, got, want[i])
			}
		}
	}
}

func TestNameKeys(t *testing.T) {
	if got, want := NameKeys("Katherine Mac Donald"), NameKeys("Catherine McDonald"); !slices.Equal(got, want) || len(got) != 2 {
		t.Errorf("NameKeys: %q vs %q", got, want)
	}
	if got := NameKeys("Mary-Kate Mary 21 J"); !slices.Equal(got, []string{"MR", "KT"}) {
		t.Errorf("NameKeys(Mary-Kate Mary 21 J) = %q", got)
	}
	if got := NameKeys(""); len(got) != 0 {
		t.Errorf("NameKeys(\"\") = %q", got)
	}
}

func TestFromCase(t *testing.T) {
	age := 30
	born := day("2000-06-15")
	d := FromCase(store.Case{
		ID: 7, Status: store.StatusMissing, FullName: "Mary Walsh", Aliases: "Molly, Mae;\nMo / ",
		HairColour: "auburn", EyeColour: " ", Features: "scar", Clothing: "red jacket",
		Community: "Torbay", Region: "Avalon", LastSeenPlace: "the beach",
		LastSeenDate: day("2020-06-14"), BirthDate: &born,
	})
	if d.ID != 7 || !d.Open || d.Name != "Mary Walsh" || !slices.Equal(d.Aliases, []string{"Molly", "Mae", "Mo"}) ||
		!slices.Equal(d.Descriptive, []string{"auburn", "scar", "red jacket"}) || d.Age != 19 ||
		d.Community != "Torbay" || d.Region != "Avalon" || d.Place != "the beach" {
		t.Errorf("FromCase: %+v", d)
	}
	d = FromCase(store.Case{Status: store.StatusLocated, Age: &age})
	if d.Open || d.Age != 30 {
		t.Errorf("FromCase located: %+v", d)
	}
}

// TestBuildParallelSameIndex: a large site's index, collected in parallel
// ranges and merged, is the index one pass builds, whatever the number of
// ranges.
func TestBuildParallelSameIndex(t *testing.T) {
	docs := benchDocs(parallelMinDocs + 1_237)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := Build(docs)
	for _, procs := range []int{2, 3, 4} {
		runtime.GOMAXPROCS(procs)
		if got := Build(docs); !reflect.DeepEqual(got, one) {
			t.Errorf("GOMAXPROCS %d: the index differs from one pass's", procs)
		}
	}
	if one.Len() != len(docs) || len(one.terms) < 1000 {
		t.Fatalf("index of %d docs with %d terms", one.Len(), len(one.terms))
	}
}

// TestSearchKeepLimit: with a filter and a limit, a search returns the
// first hits of the full ranking that the filter keeps, in the same order
// and with the same scores, and counts all it keeps; unordered, the same
// set. Suggestions are the unfiltered search's. The filter is Keep, sets
// of docs (In), or both at once.
func TestSearchKeepLimit(t *testing.T) {
	docs := benchDocs(5_000)
	ix := Build(docs)
	notThree, even := NewBits(len(docs)), NewBits(len(docs)-7) // even misses the last docs
	for i, d := range docs {
		if d.ID%3 != 0 {
			notThree.Add(i)
		}
		if d.ID%2 == 0 && i < len(docs)-7 {
			even.Add(i)
		}
	}
	filters := []struct {
		name string
		set  func(*Options)
		kept func(doc int) bool
	}{
		{"Keep", func(o *Options) { o.Keep = func(doc int) bool { return docs[doc].ID%3 != 0 } },
			func(doc int) bool { return docs[doc].ID%3 != 0 }},
		{"In", func(o *Options) { o.In = []Bits{notThree} }, notThree.Has},
		{"In×2", func(o *Options) { o.In = []Bits{notThree, even} },
			func(doc int) bool { return notThree.Has(doc) && even.Has(doc) }},
		{"In+Keep", func(o *Options) {
			o.In, o.Keep = []Bits{even}, func(doc int) bool { return docs[doc].Age > 30 }
		}, func(doc int) bool { return even.Has(doc) && docs[doc].Age > 30 }},
	}
	pos := make(map[int64]int, len(docs))
	for i, d := range docs {
		pos[d.ID] = i
	}
	checked := 0
	for _, f := range filters {
		for _, q := range benchQueries(docs) {
			full := ix.Search(q.q, q.opt)
			var want []Hit
			for _, h := range full.Hits {
				if f.kept(pos[h.ID]) {
					want = append(want, h)
				}
			}
			for _, limit := range []int{1, 7, 20, 1000} {
				opt := q.opt
				f.set(&opt)
				opt.Limit = limit
				got := ix.Search(q.q, opt)
				if got.Total != len(want) {
					t.Fatalf("%s %q limit %d: total %d, want %d", f.name, q.q, limit, got.Total, len(want))
				}
				w := want[:min(limit, len(want))]
				if !slices.Equal(got.Hits, w) {
					t.Fatalf("%s %q limit %d: hits %v, want %v", f.name, q.q, limit, got.Hits, w)
				}
				if got.Suggestion != full.Suggestion {
					t.Fatalf("%s %q: suggestion %q, want %q", f.name, q.q, got.Suggestion, full.Suggestion)
				}
			}
			opt := q.opt
			f.set(&opt)
			opt.Unordered = true
			got := ix.Search(q.q, opt)
			ids := func(hs []Hit) []int64 {
				out := make([]int64, len(hs))
				for i, h := range hs {
					out[i] = h.ID
				}
				slices.Sort(out)
				return out
			}
			if !slices.Equal(ids(got.Hits), ids(want)) || got.Total != len(want) {
				t.Fatalf("%s %q unordered: %d hits, want %d", f.name, q.q, len(got.Hits), len(want))
			}
			if len(want) > 20 {
				checked++
			}
		}
	}
	if checked < 4*10 {
		t.Fatalf("only %d searches with more than 20 kept hits: the test data is too thin", checked)
	}
}

// TestBits: a set holds what was added, and nothing past its end.
func TestBits(t *testing.T) {
	b := NewBits(130)
	if len(b) != 3 {
		t.Fatalf("NewBits(130) has %d words, want 3", len(b))
	}
	for _, i := range []int{0, 63, 64, 129} {
		b.Add(i)
	}
	for i := range 200 {
		want := i == 0 || i == 63 || i == 64 || i == 129
		if b.Has(i) != want {
			t.Errorf("Has(%d) = %v, want %v", i, b.Has(i), want)
		}
	}
	if Bits(nil).Has(0) {
		t.Error("an empty set has doc 0")
	}
	if got := b.appendDocs([]uint32{7}); !slices.Equal(got, []uint32{7, 0, 63, 64, 129}) {
		t.Errorf("appendDocs = %v, want [7 0 63 64 129]: the docs in order after what was there", got)
	}
	if got := NewBits(64).appendDocs(nil); len(got) != 0 {
		t.Errorf("an empty set's docs: %v", got)
	}
}

// TestOSAMatcher: the bit-vector distance is the table's (osaDistance),
// within every budget (past it, max+1) and in full: random words over a few letters (so
// swaps, repeats and shared letters are common), up to the 64-letter
// limit, and the pairs a typo scan meets.
func TestOSAMatcher(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	word := func(letters string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		return string(b)
	}
	check := func(a, b string) {
		t.Helper()
		m, ok := newOSAMatcher(a)
		if !ok {
			t.Fatalf("newOSAMatcher(%q) refused a word of %d bytes", a, len(a))
		}
		for _, max := range []int{0, 1, 2, 3, 70} {
			// Past max, osaDistance may give any larger number.
			if got, want := m.distance(b, max), min(osaDistance(a, b, max), max+1); got != want {
				t.Fatalf("distance(%q, %q, %d) = %d, osaDistance %d", a, b, max, got, want)
			}
		}
	}
	for range 40_000 {
		check(word("abc", r.IntN(9)), word("abc", r.IntN(9)))
		check(word("abcdef", r.IntN(14)), word("abcdef", r.IntN(14)))
	}
	for range 2_000 {
		a := word("abcd", 50+r.IntN(15))
		b := []byte(a)
		for range r.IntN(4) { // a few edits of a
			i := r.IntN(len(b))
			switch r.IntN(3) {
			case 0:
				b[i] = 'e'
			case 1:
				b = append(b[:i], b[i+1:]...)
			default:
				if i+1 < len(b) {
					b[i], b[i+1] = b[i+1], b[i]
				}
			}
		}
		check(a, string(b))
	}
	for _, p := range [][2]string{
		{"catherine", "katherine"}, {"macdonald", "mcdonald"}, {"oreilly", "oriely"},
		{"abcd", "bacd"}, {"ca", "abc"}, {"", "abc"}, {"abc", ""}, {"", ""},
		{"fitzgerald", "fitzgerlad"}, {"newfoundland", "newfoundlnad"},
	} {
		check(p[0], p[1])
		check(p[1], p[0])
	}
	if _, ok := newOSAMatcher(strings.Repeat("a", 65)); ok {
		t.Error("newOSAMatcher took a word of 65 bytes")
	}
}

// FuzzOSAMatcher: the same comparison on any bytes.
func FuzzOSAMatcher(f *testing.F) {
	f.Add("katherine", "catherine", 2)
	f.Add("abcd", "badc", 1)
	f.Fuzz(func(t *testing.T, a, b string, max int) {
		m, ok := newOSAMatcher(a)
		if !ok || max < 0 || max > 80 || len(b) > 64 {
			return // osaDistance gives up on terms over 64 bytes
		}
		if got, want := m.distance(b, max), min(osaDistance(a, b, max), max+1); got != want {
			t.Fatalf("distance(%q, %q, %d) = %d, osaDistance %d", a, b, max, got, want)
		}
	})
}
