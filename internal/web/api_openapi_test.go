package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lostinnl/internal/openapi"
	"lostinnl/internal/openapi/openapitest"
	"lostinnl/internal/store"
)

// TestAPIAnswersMatchOpenAPI: the real API's answers, for every route
// and every error it documents, match the OpenAPI description, and each
// carries the cross-origin header without credentials.
func TestAPIAnswersMatchOpenAPI(t *testing.T) {
	v, err := openapitest.New()
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t, withMedia(t))
	open := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Ada Apitest" })
	s.addPhoto(open, 400, 500)
	if _, err := s.st.AddUpdate(context.Background(), open, "Search moved to the trail.", nil); err != nil {
		t.Fatal(err)
	}
	s.addCase(store.StatusMissing, func(c *store.Case) { c.Age = nil; c.HeightCM = nil; c.Region = "Labrador" })
	located := s.addCase(store.StatusLocated, nil)
	withdrawn := s.addCase(store.StatusLocated, nil)
	if _, err := s.st.WithdrawPersonal(context.Background(), withdrawn, nil); err != nil {
		t.Fatal(err)
	}
	pending := s.addCase(store.StatusPending, nil)

	cases := []struct {
		path   string
		status int
	}{
		{"/api/v1/cases", 200},
		{"/api/v1/cases?region=Avalon&status=missing&sort=name&page=1&per_page=1", 200},
		{"/api/v1/cases?q=Ada&sex=female&age_min=18&age_max=60&since=2026-01-01&until=2026-12-31", 200},
		{"/api/v1/cases?status=located", 200},
		{"/api/v1/cases?page=99", 200},
		{"/api/v1/cases?per_page=0", 400},
		{"/api/v1/cases?per_page=101", 400},
		{"/api/v1/cases?status=x", 400},
		{"/api/v1/cases?since=yesterday", 400},
		{"/api/v1/cases?age_min=-4", 400},
		{fmt.Sprintf("/api/v1/cases/%d", open), 200},
		{fmt.Sprintf("/api/v1/cases/%d", located), 200},
		{fmt.Sprintf("/api/v1/cases/%d", withdrawn), 200},
		{fmt.Sprintf("/api/v1/cases/%d", pending), 404},
		{"/api/v1/cases/99999", 404},
		{"/api/v1/cases/abc", 404},
		{"/api/v1/cases/-1", 404},
		{"/api/v1/cases/99999999999999999999", 404},
	}
	for _, tc := range cases {
		rec := s.get(tc.path)
		wantStatus(t, rec, tc.status)
		if err := v.Validate(http.MethodGet, tc.path, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("GET %s: %v\n%s", tc.path, err, truncate(rec.Body.String(), 400))
		}
		checkCORS(t, tc.path, rec.Header())
	}
	// Undocumented answers under /api/v1 still carry the header, so a
	// partner's page can read the JSON error rather than a network failure.
	for _, path := range []string{"/api/v1/nothing", "/api/v1"} {
		rec := s.get(path)
		wantStatus(t, rec, http.StatusNotFound)
		checkCORS(t, path, rec.Header())
	}
	rec := s.do(httpRequest(http.MethodPost, "/api/v1/cases"))
	wantStatus(t, rec, http.StatusMethodNotAllowed)
	checkCORS(t, "POST /api/v1/cases", rec.Header())
	// Pages outside the API do not open themselves to other sites.
	if got := s.get("/cases").Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("/cases: Access-Control-Allow-Origin %q", got)
	}
}

func httpRequest(method, target string) *http.Request {
	r, _ := http.NewRequest(method, target, strings.NewReader(""))
	return r
}

func checkCORS(t *testing.T, what string, hd http.Header) {
	t.Helper()
	if got := hd.Values("Access-Control-Allow-Origin"); len(got) != 1 || got[0] != "*" {
		t.Errorf("%s: Access-Control-Allow-Origin %q, want *", what, got)
	}
	if got := hd.Get("Access-Control-Allow-Credentials"); got != "" {
		t.Errorf("%s: Access-Control-Allow-Credentials %q", what, got)
	}
}

// TestOpenAPIDocumentServed: the description is served as it is embedded,
// readable cross-origin, cacheable, and linked from the about page.
func TestOpenAPIDocumentServed(t *testing.T) {
	s := newSite(t)
	rec := s.get(openapi.Path)
	wantStatus(t, rec, http.StatusOK)
	if !bytes.Equal(rec.Body.Bytes(), openapi.Document()) {
		t.Error("served document differs from internal/openapi's")
	}
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.OpenAPI != "3.1.0" || doc.Paths["/api/v1/cases"] == nil {
		t.Errorf("document: %v %q", err, doc.OpenAPI)
	}
	for name, want := range map[string]string{"Content-Type": openapi.ContentType, "Cache-Control": "public, max-age=3600"} {
		if got := rec.Header().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	checkCORS(t, openapi.Path, rec.Header())
	mustContain(t, s.get("/about").Body.String(), `<a href="/api/v1/openapi.json" type="application/json">OpenAPI 3.1</a>`)
}
