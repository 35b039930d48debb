package search

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// relevanceMinPass is how many relevance queries must pass (every expected
// case in the top 3, or nothing found where nothing should be). Measured:
// 178 of 179 on 2026-12-04; the miss is "Benwa" for Benoit (French oi
// sounding wa is not in the phonetic rules). A change that loses a query
// fails here and must fix the ranking or argue for the query's change.
const relevanceMinPass = 178

// loadCases reads testdata/relevance/cases.txt into store.Cases and
// through FromCase, the path the read model takes.
func loadCases(t testing.TB) []Doc {
	t.Helper()
	f, err := os.Open("testdata/relevance/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []Doc
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "|")
		if len(p) != 14 {
			t.Fatalf("case line has %d fields, want 14: %q", len(p), line)
		}
		id, err := strconv.ParseInt(p[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		date, err := time.Parse(time.DateOnly, p[2])
		if err != nil {
			t.Fatal(err)
		}
		age, err := strconv.Atoi(p[3])
		if err != nil {
			t.Fatal(err)
		}
		st := store.StatusLocated
		if p[1] == "open" {
			st = store.StatusMissing
		}
		if !slices.Contains(store.Regions, p[7]) {
			t.Fatalf("case %d: region %q is not one of store.Regions", id, p[7])
		}
		docs = append(docs, FromCase(store.Case{
			ID: id, Status: st, LastSeenDate: date, Age: &age,
			FullName: p[4], Aliases: strings.ReplaceAll(p[5], ";", ","),
			Community: p[6], Region: p[7], LastSeenPlace: p[8],
			HairColour: p[9], EyeColour: p[10], Build: p[11], Features: p[12], Clothing: p[13],
		}))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

type relQuery struct {
	q       string
	opt     Options
	want    []int64
	anyOf   bool // the top hits must come from want (precision mode)
	none    bool
	comment string
}

func loadQueries(t *testing.T) []relQuery {
	t.Helper()
	b, err := os.ReadFile("testdata/relevance/queries.txt")
	if err != nil {
		t.Fatal(err)
	}
	var qs []relQuery
	for line := range strings.Lines(string(b)) {
		line = strings.TrimRight(line, "\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "|")
		if len(p) != 4 {
			t.Fatalf("query line has %d fields, want 4: %q", len(p), line)
		}
		rq := relQuery{q: p[0], opt: Options{Prefix: p[1] == "p"}, comment: p[3]}
		switch exp := p[2]; {
		case exp == "-":
			rq.none = true
		default:
			if strings.HasPrefix(exp, "~") {
				rq.anyOf, exp = true, exp[1:]
			}
			for s := range strings.SplitSeq(exp, ",") {
				id, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					t.Fatalf("query %q: %v", p[0], err)
				}
				rq.want = append(rq.want, id)
			}
		}
		qs = append(qs, rq)
	}
	return qs
}

// TestRelevance runs the fixed query set and reports, besides the pass
// count, precision at 3: for each query the share of its top 3 slots that
// hold an expected case, over the slots it can fill (min(3, expected)), so
// a query with one expected case scores 1 when that case is in the top 3.
func TestRelevance(t *testing.T) {
	ix := Build(loadCases(t))
	qs := loadQueries(t)
	if len(qs) < 80 {
		t.Fatalf("only %d relevance queries, the issue asks for at least 80", len(qs))
	}
	pass := 0
	var precision float64
	for _, rq := range qs {
		res := ix.Search(rq.q, rq.opt)
		top := make([]int64, 0, 3)
		for _, h := range res.Hits[:min(3, len(res.Hits))] {
			top = append(top, h.ID)
		}
		var ok bool
		var p float64
		switch {
		case rq.none:
			ok = len(res.Hits) == 0
			if ok {
				p = 1
			}
		case rq.anyOf:
			good := 0
			for _, id := range top {
				if slices.Contains(rq.want, id) {
					good++
				}
			}
			need := min(3, len(rq.want))
			p = float64(good) / float64(need)
			ok = good == need
		default:
			good := 0
			for _, id := range rq.want {
				if slices.Contains(top, id) {
					good++
				}
			}
			p = float64(good) / float64(min(3, len(rq.want)))
			ok = good == len(rq.want)
		}
		precision += min(p, 1)
		if ok {
			pass++
		} else {
			t.Logf("MISS %-28q (%s): want %v, top %v of %d hits", rq.q, rq.comment, rq.want, top, len(res.Hits))
		}
	}
	share := float64(pass) / float64(len(qs))
	t.Logf("relevance: %d/%d queries pass (%.1f%%), precision at 3 = %.3f", pass, len(qs), 100*share, precision/float64(len(qs)))
	if pass < relevanceMinPass {
		t.Errorf("relevance fell to %d/%d queries, below the recorded %d", pass, len(qs), relevanceMinPass)
	}
}
