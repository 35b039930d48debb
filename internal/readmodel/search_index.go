package readmodel

import (
	"lostinnl/internal/search"
	"lostinnl/internal/store"
)

// SearchIndex is the IndexBuilder production uses: internal/search's name
// index over the snapshot's cases (typos, sound-alikes, nicknames, places,
// descriptions), so search is one program whichever database holds the
// cases.
func SearchIndex(cases []store.Case) TextIndex {
	docs := make([]search.Doc, len(cases))
	for i := range cases {
		docs[i] = search.FromCase(cases[i])
	}
	return searchIndex{search.Build(docs)}
}

type searchIndex struct{ ix *search.Index }

func (s searchIndex) Search(q string, prefix bool) ([]int64, string) {
	r := s.ix.Search(q, search.Options{Prefix: prefix})
	ids := make([]int64, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids, r.Suggestion
}

// SearchWindow: see WindowIndex.
func (s searchIndex) SearchWindow(q string, prefix bool, keep Keep, need int) ([]int64, int, string) {
	opt := search.Options{Prefix: prefix, In: keep.In, Keep: keep.Fn, Limit: need}
	if need < 0 {
		opt.Limit, opt.Unordered = 0, true
	}
	r := s.ix.Search(q, opt)
	ids := make([]int64, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids, r.Total, r.Suggestion
}
