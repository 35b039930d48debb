package site

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

type resourceGroup struct {
	Category string
	Items    []store.Resource
}

// resources is GET /resources: help lines and organisations by category.
func (h *handler) resources(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Store.ListResources(r.Context())
	if err != nil {
		return err
	}
	lz := kit.L(r)
	p := h.Page(r, lz.T("Help and resources"))
	p.Nav = "resources"
	p.Description = lz.T("Emergency numbers, police, search and rescue, crisis lines and family support for Newfoundland and Labrador.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/resources")
	p.Data = groupResources(list)
	return h.HTML(w, http.StatusOK, kit.CacheStatic, "resources.html", p)
}

// groupResources keeps the known category order; categories an admin
// invented come after, in order of first appearance.
func groupResources(list []store.Resource) []resourceGroup {
	idx := map[string]int{}
	var groups []resourceGroup
	for _, c := range store.ResourceCategories {
		idx[c] = len(groups)
		groups = append(groups, resourceGroup{Category: c})
	}
	for _, res := range list {
		i, ok := idx[res.Category]
		if !ok {
			i = len(groups)
			idx[res.Category] = i
			groups = append(groups, resourceGroup{Category: res.Category})
		}
		groups[i].Items = append(groups[i].Items, res)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}
