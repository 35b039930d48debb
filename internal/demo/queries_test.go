package demo

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"lostinnl/internal/store"
)

func TestQueriesAreDistinctAndVaried(t *testing.T) {
	cases := Generate(10000, GeneratorSeed, genToday)
	qs := Queries(cases, 2500, 1)
	if len(qs) != 2500 {
		t.Fatalf("%d queries, want 2500", len(qs))
	}
	if again := Queries(cases, 2500, 1); !reflect.DeepEqual(qs, again) {
		t.Error("same cases and seed gave another query list")
	}
	if other := Queries(cases, 2500, 2); reflect.DeepEqual(qs, other) {
		t.Error("another seed gave the same query list")
	}

	names, surnames, communities := map[string]bool{}, map[string]bool{}, map[string]bool{}
	words := map[string]bool{}
	for _, c := range cases {
		f, l := nameParts(c.FullName)
		names[strings.ToLower(f+" "+l)] = true
		surnames[strings.ToLower(l)] = true
		communities[c.Community] = true
		for _, w := range strings.Fields(strings.ToLower(c.FullName + " " + c.Aliases + " " + c.Community + " " +
			c.HairColour + " " + c.EyeColour + " " + c.Features + " " + c.Clothing + " " + c.Region)) {
			words[strings.Trim(w, ",;.()")] = true
		}
	}
	seen := map[string]bool{}
	kinds := map[string]int{}
	for _, q := range qs {
		key := strings.ToLower(q)
		if seen[key] {
			t.Errorf("duplicate query %q", q)
		}
		seen[key] = true
		if q == "" || strings.TrimSpace(q) != q || strings.Contains(q, "  ") || utf8.RuneCountInString(q) > 100 {
			t.Errorf("badly formed query %q", q)
		}
		known := 0
		for _, w := range strings.Fields(key) {
			if words[w] {
				known++
			}
		}
		switch {
		case names[key]:
			kinds["full name"]++
		case surnames[key]:
			kinds["surname"]++
		case communities[q]:
			kinds["community as written"]++
		case strings.HasPrefix(key, "st ") || strings.HasPrefix(key, "saint "):
			kinds["St/Saint variant"]++
		case known == 0:
			kinds["unknown words (typos, variants, made-up)"]++
		default:
			kinds["other"]++
		}
	}
	t.Log(kinds)
	for kind, min := range map[string]int{"full name": 300, "surname": 150, "community as written": 50,
		"St/Saint variant": 5, "unknown words (typos, variants, made-up)": 150, "other": 300} {
		if kinds[kind] < min {
			t.Errorf("%d queries of kind %q, want at least %d", kinds[kind], kind, min)
		}
	}
	for _, want := range []string{"auburn", "St Johns"} {
		if !seen[strings.ToLower(want)] {
			t.Errorf("no query %q", want)
		}
	}
}

func TestQueriesEdgeCases(t *testing.T) {
	if q := Queries(nil, 10, 1); q != nil {
		t.Errorf("no cases: %q", q)
	}
	cases := Generate(3, GeneratorSeed, genToday)
	if q := Queries(cases, 0, 1); q != nil {
		t.Errorf("n=0: %q", q)
	}
	if q := Queries(cases, -1, 1); q != nil {
		t.Errorf("n<0: %q", q)
	}
	// Three cases give few real queries: Queries still ends, with at most
	// n distinct ones (typos and made-up names fill the rest).
	q := Queries(cases, 5000, 1)
	if len(q) == 0 || len(q) > 5000 {
		t.Errorf("3 cases gave %d queries", len(q))
	}
	seen := map[string]bool{}
	for _, s := range q {
		if seen[strings.ToLower(s)] {
			t.Fatalf("duplicate %q", s)
		}
		seen[strings.ToLower(s)] = true
	}
	// A case with odd but valid fields does not trip it up.
	odd := []store.Case{{FullName: "X", Community: "Y", Region: "Avalon"}}
	if q := Queries(odd, 5, 1); len(q) == 0 {
		t.Error("no query from a minimal case")
	}
}

func TestTypoChangesTheWord(t *testing.T) {
	r := newTestRand()
	for _, w := range []string{"Noseworthy", "Walsh", "Thériault", "O'Brien"} {
		changed := 0
		for range 20 {
			got := typo(r, w)
			if got != w {
				changed++
			}
			if []rune(got)[0] != []rune(w)[0] {
				t.Errorf("typo(%q) = %q changed the first letter", w, got)
			}
			if d := utf8.RuneCountInString(got) - utf8.RuneCountInString(w); d < -2 || d > 2 {
				t.Errorf("typo(%q) = %q is more than two slips", w, got)
			}
		}
		if changed < 10 {
			t.Errorf("typo(%q) changed it only %d times in 20", w, changed)
		}
	}
	if got := typo(r, "Al"); got != "Al" {
		t.Errorf("typo of a short word: %q", got)
	}
}

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }
