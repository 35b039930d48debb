package readmodel

import (
	"context"
	"slices"

	"lostinnl/internal/search"
	"lostinnl/internal/store"
)

// ChangeSource is a Source that can also say what changed among the public
// cases after a revision (store.Store.PublicChanges). With it, and an
// index that can be patched, a snapshot that holds no case pages (a site
// of more cases than the store reads in one query) is rebuilt from the
// previous one and the changed cases alone, rather than from every case.
type ChangeSource interface {
	Source
	PublicChanges(ctx context.Context, since int64, maxCases int) (*store.PublicChanges, error)
}

// PageChangeSource is a ChangeSource that can also read the changed
// cases' pages (store.Store.PublicChangesAndPages): a snapshot that holds
// the case pages is patched only from one.
type PageChangeSource interface {
	ChangeSource
	PublicChangesAndPages(ctx context.Context, since int64, maxCases int) (*store.PublicChanges, error)
}

// PatchableIndex is a TextIndex that can make the index of a changed case
// list from itself (see search.Index.Patch): keep[i] is the new position
// of its case i (-1: gone or changed), fresh are the other cases of the
// new list, at positions at; n is the new list's length.
type PatchableIndex interface {
	TextIndex
	Patch(n int, keep []int32, fresh []store.Case, at []uint32) TextIndex
}

// Patch: see PatchableIndex.
func (s searchIndex) Patch(n int, keep []int32, fresh []store.Case, at []uint32) TextIndex {
	docs := make([]search.Doc, len(fresh))
	for i := range fresh {
		docs[i] = search.FromCase(fresh[i])
	}
	return searchIndex{s.ix.Patch(n, keep, docs, at)}
}

// maxPatchCases is how many changed cases a patch takes (of a snapshot of
// n); more, and reading everything again costs about the same.
func maxPatchCases(n int) int { return min(1000, max(100, n/10)) }

// patched is the snapshot at ch.Revision made from s and the changes ch:
// the cards (and pages) of the cases that did not change are s's, the
// changed cases' are made from ch.Cases (and ch.Pages), and the text index
// is patched. ok is false when s cannot be patched (its index cannot be
// patched; it holds case pages and ch has none) or ch does not fit s: a
// public case that is neither in s nor read, a case of s gone without
// being logged, unchanged cases in another order, ranks that do not fit
// (orderOf). The caller then reads everything; a patch never guesses.
func (s *snapshot) patched(ch *store.PublicChanges) (*snapshot, bool) {
	pidx, ok := s.index.(PatchableIndex)
	if !ok || ch.Full || (s.extras != nil && ch.Pages == nil) {
		return nil, false
	}
	changed := make(map[int64]bool, len(ch.Changed))
	for _, id := range ch.Changed {
		changed[id] = true
	}
	read := make(map[int64]*store.Case, len(ch.Cases))
	for i := range ch.Cases {
		c := &ch.Cases[i]
		if !changed[c.ID] || setOf(c.Status) == 0 {
			return nil, false
		}
		read[c.ID] = c
	}
	order, ok := s.orderOf(ch, changed)
	if !ok {
		return nil, false
	}
	n := len(order)
	out := &snapshot{
		rev:        ch.Revision,
		cards:      make([]card, 0, n),
		attrs:      make([]attr, 0, n),
		recentRank: make([]int32, n),
		// The old cards' numbers stay valid; new values get new ones.
		regions: s.regions.clone(), sexes: s.sexes.clone(),
		statuses: s.statuses.clone(), communities: s.communities.clone(),
		zones: slices.Clone(s.zones),
		// The old cards' strings stay where they are, the changed cards'
		// come after them; their old strings stay too, until a build.
		buf:       append(make([]byte, 0, len(s.arena)+textSize(ch.Cases)), s.arena...),
		arenaBase: s.arenaBase,
	}
	var minID, maxID int64
	for _, id := range order {
		minID, maxID = min(minID, id), max(maxID, id)
	}
	out.initIDs(minID, maxID, n)
	if s.extras != nil {
		out.extras = make([]pageExtra, 0, n)
	}
	keep := make([]int32, len(s.cards))
	for i := range keep {
		keep[i] = -1
	}
	var fresh []store.Case
	var at []uint32
	in := interner()
	last := int32(-1)
	for pos, id := range order {
		if _, dup := out.lookup(id); dup {
			return nil, false
		}
		if changed[id] {
			c := read[id]
			if c == nil {
				return nil, false // public, changed, yet not read
			}
			out.addCase(c)
			if out.extras != nil {
				out.extras = append(out.extras, newExtra(c, ch.Pages[id], in))
			}
			fresh = append(fresh, *c)
			at = append(at, uint32(pos))
			continue
		}
		i, ok := s.lookup(id)
		if !ok || i <= last {
			return nil, false // public without a logged change, or moved
		}
		last = i
		keep[i] = int32(pos)
		out.addCard(s.cards[i], s.attrs[i])
		if out.extras != nil {
			out.extras = append(out.extras, s.extras[i])
		}
	}
	for i := range s.cards {
		if keep[i] < 0 && !changed[s.cards[i].id] {
			return nil, false // gone without a logged change
		}
	}
	if out.done(); len(out.arena) > 2*out.arenaBase+1<<20 {
		return nil, false // mostly old strings: a build compacts them
	}
	index := make(chan TextIndex, 1)
	go func() { index <- pidx.Patch(n, keep, fresh, at) }()
	out.order()
	out.index = <-index
	return out, true
}

// orderOf is every public case's id in name order after the changes ch:
// ch.Order, or, when the store gave ranks instead, the changed public
// cases at their ranks and s's other cases around them in s's order.
// false: the ranks do not fit (out of range, twice the same, more or
// fewer places than cases).
func (s *snapshot) orderOf(ch *store.PublicChanges, changed map[int64]bool) ([]int64, bool) {
	if ch.Order != nil {
		return ch.Order, true
	}
	if len(ch.Ranks) != len(ch.Cases) || ch.Total < 0 {
		return nil, false
	}
	order := make([]int64, ch.Total)
	taken := make([]bool, ch.Total)
	for k, r := range ch.Ranks {
		if r < 0 || r >= ch.Total || taken[r] {
			return nil, false
		}
		order[r], taken[r] = ch.Cases[k].ID, true
	}
	j := 0
	for i := range s.cards {
		if changed[s.cards[i].id] {
			continue
		}
		for j < ch.Total && taken[j] {
			j++
		}
		if j == ch.Total {
			return nil, false // more unchanged cases than places for them
		}
		order[j] = s.cards[i].id
		j++
	}
	for j < ch.Total && taken[j] {
		j++
	}
	if j != ch.Total {
		return nil, false // a place left: a public case neither kept nor read
	}
	return order, true
}
