package search

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// edit is one round of changes to a doc list: the new list, and what
// Patch is told about it.
type edit struct {
	next  []Doc
	keep  []int32
	fresh []Doc
	at    []uint32
}

// editDocs drops, changes and inserts docs at random, keeping the
// order of the docs it leaves alone. change makes a changed or new doc
// from a template.
func editDocs(r *rand.Rand, docs []Doc, drop, change, insert int, newDoc func(Doc) Doc) edit {
	e := edit{keep: make([]int32, len(docs))}
	fate := make([]int, len(docs)) // 0 keep, 1 drop, 2 change
	for range drop {
		fate[r.IntN(len(docs))] = 1
	}
	for range change {
		fate[r.IntN(len(docs))] = 2
	}
	inserts := map[int]int{} // before old doc i: how many new ones
	for range insert {
		inserts[r.IntN(len(docs)+1)]++
	}
	nextID := int64(len(docs)) * 1000
	add := func(d Doc) {
		e.fresh = append(e.fresh, d)
		e.at = append(e.at, uint32(len(e.next)))
		e.next = append(e.next, d)
	}
	for i := 0; i <= len(docs); i++ {
		for range inserts[i] {
			nextID++
			d := newDoc(docs[r.IntN(len(docs))])
			d.ID = nextID
			add(d)
		}
		if i == len(docs) {
			break
		}
		switch fate[i] {
		case 0:
			e.keep[i] = int32(len(e.next))
			e.next = append(e.next, docs[i])
		case 1:
			e.keep[i] = -1
		case 2:
			e.keep[i] = -1
			d := newDoc(docs[i])
			d.ID = docs[i].ID
			add(d)
		}
	}
	return e
}

// sameIndex fails t unless a and b are the same index, field by field.
func sameIndex(t *testing.T, what string, got, want *Index) {
	t.Helper()
	g, w := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range g.NumField() {
		name := g.Type().Field(i).Name
		if name == "pool" {
			continue
		}
		gf, wf := g.Field(i), w.Field(i)
		if !reflect.DeepEqual(reflectValue(gf), reflectValue(wf)) {
			t.Errorf("%s: field %s differs from Build's", what, name)
		}
	}
}

// reflectValue reads an unexported field for comparison.
func reflectValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Slice:
		if v.Len() == 0 {
			return nil // nil and empty are the same index
		}
	case reflect.Map:
		if v.Len() == 0 {
			return nil
		}
	}
	return reflect.NewAt(v.Type(), v.Addr().UnsafePointer()).Elem().Interface()
}

// TestPatchSameAsBuild: after rounds of dropped, changed and inserted
// docs, the patched index is the index Build makes of the new list,
// field for field, and answers every query the same: new words, words no
// doc has any more, a word that moves from the descriptions into a name
// (its sound is then indexed), and rounds that bring no new word.
func TestPatchSameAsBuild(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 6))
	docs := benchDocs(3000)
	ix := Build(docs)
	fresh := 0
	rounds := []struct {
		name                 string
		drop, change, insert int
		newDoc               func(Doc) Doc
		sameTerms            bool // Patch shares the old term lookups
	}{
		{"new names", 5, 10, 10, func(d Doc) Doc {
			fresh++
			d.Name = fmt.Sprintf("%s Zebulonfresh%d", syllableWord(r, 2), fresh)
			d.Open = !d.Open
			return d
		}, false},
		{"drops only", 40, 0, 0, nil, false},
		{"known words only", 3, 20, 5, func(d Doc) Doc {
			o := docs[r.IntN(len(docs))]
			d.Name, d.Community, d.Age = o.Name, o.Community, o.Age
			d.Date = o.Date
			return d
		}, false},
		{"status and date only", 0, 30, 0, func(d Doc) Doc {
			d.Open = !d.Open
			d.Date = d.Date.AddDate(0, 0, 1+r.IntN(30))
			return d
		}, true},
		{"a description word also a name", 0, 1, 0, func(d Doc) Doc {
			d.Aliases = append(slices.Clone(d.Aliases), "Parka")
			return d
		}, true},
		{"names written in capitals", 0, 50, 0, func(d Doc) Doc {
			d.Name = strings.ToUpper(d.Name)
			return d
		}, true},
		{"description word becomes a name", 0, 3, 1, func(d Doc) Doc {
			d.Name = "Plaid " + d.Name[strings.LastIndexByte(d.Name, ' ')+1:]
			return d
		}, false},
		{"last docs of words", 0, 60, 0, func(d Doc) Doc {
			d.Name, d.Aliases, d.Descriptive = "Ann Ryan", nil, []string{"brown"}
			return d
		}, false},
		{"everything new", 100, 100, 100, func(d Doc) Doc {
			fresh++
			d.Name = fmt.Sprintf("Quillon Fresh%c%c", 'a'+fresh%26, 'a'+fresh/26%26)
			d.Descriptive = append(d.Descriptive, fmt.Sprintf("tattoo of a %s", syllableWord(r, 3)))
			d.Community = fakePlace(r)
			return d
		}, false},
	}
	for _, rd := range rounds {
		e := editDocs(r, docs, rd.drop, rd.change, rd.insert, rd.newDoc)
		got := ix.Patch(len(e.next), e.keep, e.fresh, e.at)
		want := Build(e.next)
		sameIndex(t, rd.name, got, want)
		if shared := reflect.ValueOf(got.termID).UnsafePointer() == reflect.ValueOf(ix.termID).UnsafePointer(); shared != rd.sameTerms {
			t.Errorf("%s: term lookups shared with the old index = %v, want %v", rd.name, shared, rd.sameTerms)
		}
		for _, q := range slices.Concat(benchQueries(e.next), patchQueries(e.fresh)) {
			g, w := got.Search(q.q, q.opt), want.Search(q.q, q.opt)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: %s %q: patched %d hits %q, built %d hits %q", rd.name, q.kind, q.q, g.Total, g.Suggestion, w.Total, w.Suggestion)
			}
		}
		// The old index still answers as before (searches in flight).
		if old := Build(docs); !reflect.DeepEqual(ix.Search(docs[0].Name, Options{}), old.Search(docs[0].Name, Options{})) {
			t.Errorf("%s: the old index changed", rd.name)
		}
		docs, ix = e.next, got
	}
}

// patchQueries asks for the changed docs' words, with a typo, and as
// prefixes.
func patchQueries(docs []Doc) []struct {
	kind string
	q    string
	opt  Options
} {
	type bq = struct {
		kind string
		q    string
		opt  Options
	}
	var qs []bq
	for _, d := range docs[:min(len(docs), 20)] {
		sur := d.Name[strings.LastIndexByte(d.Name, ' ')+1:]
		typo := []byte(sur)
		typo[len(typo)/2] = 'e'
		qs = append(qs, bq{"name", d.Name, Options{}}, bq{"typo", string(typo), Options{}},
			bq{"prefix", sur[:min(5, len(sur))], Options{Prefix: true}}, bq{"place", d.Community, Options{}})
		for _, s := range d.Descriptive {
			qs = append(qs, bq{"description", s, Options{}})
		}
	}
	return qs
}
