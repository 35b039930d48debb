package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

func TestAPIListShape(t *testing.T) {
	s := newSite(t)
	seedListing(t, s)
	rec := s.get("/api/v1/cases?region=Avalon&per_page=5&page=2")
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=30" {
		t.Errorf("Cache-Control %q", cc)
	}
	var got struct {
		Cases   []map[string]any `json:"cases"`
		Total   int              `json:"total"`
		Page    int              `json:"page"`
		PerPage int              `json:"per_page"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Avalon: i%5==0 → 9 of the 45, plus the Quidi Vidi case (default region Avalon).
	if got.Total != 10 || got.Page != 2 || got.PerPage != 5 || len(got.Cases) != 5 {
		t.Fatalf("total %d page %d per_page %d len %d", got.Total, got.Page, got.PerPage, len(got.Cases))
	}
	want := []string{"id", "url", "full_name", "age", "sex", "status", "last_seen_date", "last_seen_place", "community", "region", "photo", "updated_at", "name_restricted"}
	c := got.Cases[0]
	for _, k := range want {
		if _, ok := c[k]; !ok {
			t.Errorf("case object lacks %q", k)
		}
	}
	if len(c) != len(want) {
		t.Errorf("case object has extra keys: %v", c)
	}
	if c["photo"] != nil {
		t.Errorf("photo %v, want null", c["photo"])
	}
	if u, _ := c["url"].(string); !strings.HasPrefix(u, "https://missing.example.ca/cases/") {
		t.Errorf("url %q", u)
	}
	if d, _ := c["last_seen_date"].(string); len(d) != 10 {
		t.Errorf("last_seen_date %q", d)
	}
}

func TestAPISingleCase(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	ctx := context.Background()
	if _, err := s.st.AddUpdate(ctx, id, "Update one", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateTip(ctx, &store.Tip{CaseID: id, Message: "SECRET TIP TEXT", State: store.TipNew}, store.TipContact{Name: "Tess Tipster"}); err != nil {
		t.Fatal(err)
	}
	rec := s.get(fmt.Sprintf("/api/v1/cases/%d", id))
	wantStatus(t, rec, http.StatusOK)
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control %q", cc)
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "url", "full_name", "age", "sex", "status", "last_seen_date", "last_seen_place", "community", "region", "photo", "updated_at",
		"height_cm", "weight_kg", "hair_colour", "eye_colour", "features", "clothing", "circumstances", "police", "updates", "photos"} {
		if _, ok := got[k]; !ok {
			t.Errorf("single case lacks %q", k)
		}
	}
	police, _ := got["police"].(map[string]any)
	if police["agency"] != "RNC" || police["file_number"] != "TEST-0001" || police["phone"] != "709-729-8000" || police["verified"] != true {
		t.Errorf("police %v", police)
	}
	ups, _ := got["updates"].([]any)
	if len(ups) != 1 {
		t.Errorf("updates %v", ups)
	}
	body := rec.Body.String()
	for _, bad := range []string{"reporter", "Rita", "rita@example.com", "709-555-0100", "sister", "SECRET TIP TEXT", "Tess", "tip"} {
		if strings.Contains(strings.ToLower(body), strings.ToLower(bad)) {
			t.Errorf("API exposes %q", bad)
		}
	}
	list := strings.ToLower(s.get("/api/v1/cases").Body.String())
	for _, bad := range []string{"reporter", "rita", "secret tip", "tess"} {
		if strings.Contains(list, bad) {
			t.Errorf("API list exposes %q", bad)
		}
	}
}

func TestAPIErrors(t *testing.T) {
	s := newSite(t)
	for path, status := range map[string]int{
		"/api/v1/cases?per_page=0":   400,
		"/api/v1/cases?per_page=101": 400,
		"/api/v1/cases?status=x":     400,
		"/api/v1/cases/123456":       404,
		"/api/v1/cases/abc":          404,
		"/api/v1/nothing":            404,
	} {
		rec := s.get(path)
		wantStatus(t, rec, status)
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
			t.Errorf("%s: body %q is not a JSON error", path, rec.Body.String())
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: error Cache-Control %q", path, cc)
		}
	}
}
