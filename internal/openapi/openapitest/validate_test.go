package openapitest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"lostinnl/internal/openapi"
)

func headers(cache string) http.Header {
	return http.Header{
		"Content-Type":                {"application/json; charset=utf-8"},
		"Cache-Control":               {cache},
		"Access-Control-Allow-Origin": {"*"},
	}
}

// Bodies in the exact shape internal/web/api writes (apiCase and
// friends); the web layer's tests check the real handlers' output.
const listBody = `{"cases":[{"id":3,"url":"http://localhost:8080/cases/3","full_name":"Wren Tiberius","name_restricted":false,"age":34,"sex":"female","status":"missing",
"last_seen_date":"2026-10-01","last_seen_place":"ferry dock","community":"Pouch Cove","region":"Avalon",
"photo":{"320":"http://localhost:8080/media/k/320.jpg","800":"http://localhost:8080/media/k/800.jpg","1600":"http://localhost:8080/media/k/1600.jpg","social":"http://localhost:8080/media/k/social.jpg","alt":"Photo of Wren Tiberius"},
"updated_at":"2026-10-03T10:11:12Z"},
{"id":4,"url":"http://localhost:8080/cases/4","full_name":"Oona","name_restricted":true,"age":null,"sex":"unknown","status":"located","last_seen_date":"2026-09-01",
"last_seen_place":"","community":"","region":"Labrador","photo":null,"updated_at":"2026-10-03T10:11:12.123456789Z"}],"total":2,"page":1,"per_page":20}`

const detailBody = `{"id":3,"url":"http://localhost:8080/cases/3","full_name":"Wren Tiberius","name_restricted":false,"age":34,"sex":"female","status":"missing",
"last_seen_date":"2026-10-01","last_seen_place":"ferry dock","community":"Pouch Cove","region":"Avalon","photo":null,"updated_at":"2026-10-03T10:11:12Z",
"aliases":"","height_cm":170,"weight_kg":null,"build":"","hair_colour":"","eye_colour":"","features":"","clothing":"red raincoat","last_seen_time":"18:30",
"latitude":47.7,"longitude":-52.8,"circumstances":"","content_lang":"en-CA","circumstances_alt":"","police":{"agency":"RNC","file_number":"F-1","phone":"709-555-0199","verified":true},
"located_at":null,"personal_withdrawn":false,"photos":[],"updates":[{"date":"2026-10-02T00:00:00Z","body":"Search moved.","body_alt":""}]}`

func TestDocumentIsOpenAPI31(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if v.doc.OpenAPI != "3.1.0" {
		t.Errorf("version %s", v.doc.OpenAPI)
	}
	var raw map[string]any
	if err := json.Unmarshal(openapi.Document(), &raw); err != nil {
		t.Fatal(err)
	}
	paths := raw["paths"].(map[string]any)
	if len(paths) != 2 || paths["/api/v1/cases"] == nil || paths["/api/v1/cases/{id}"] == nil {
		t.Errorf("paths: %v", paths)
	}
	// Document returns a copy.
	d := openapi.Document()
	d[0] = 'x'
	if openapi.Document()[0] != '{' {
		t.Error("Document shares its bytes")
	}
}

func TestValidAnswers(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		path   string
		status int
		cache  string
		body   string
	}{
		{"/api/v1/cases?region=Avalon&per_page=20", 200, "public, max-age=30", listBody},
		{"/api/v1/cases", 200, "public, max-age=30", `{"cases":[],"total":0,"page":1,"per_page":20}`},
		{"/api/v1/cases?per_page=0", 400, "no-store", `{"error":"per_page must be a whole number from 1 to 100."}`},
		{"/api/v1/cases", 503, "no-store", `{"error":"service temporarily unavailable"}`},
		{"/api/v1/cases/3", 200, "public, max-age=60", detailBody},
		{"/api/v1/cases/99", 404, "no-store", `{"error":"not found"}`},
		{"/api/v1/cases/abc", 404, "no-store", `{"error":"not found"}`},
	} {
		if err := v.Validate("GET", a.path, a.status, headers(a.cache), []byte(a.body)); err != nil {
			t.Errorf("%s → %d: %v", a.path, a.status, err)
		}
	}
	if err := Validate("GET", "/api/v1/cases/3", 200, headers("public, max-age=60"), []byte(detailBody)); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// Each drift between code and document must fail the check.
func TestInvalidAnswers(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	noCORS := headers("no-store")
	noCORS.Del("Access-Control-Allow-Origin")
	for _, a := range []struct {
		name, method, path string
		status             int
		header             http.Header
		body, want         string
	}{
		{"undocumented route", "GET", "/api/v1/tips", 200, headers("x"), `{}`, "not described"},
		{"undocumented method", "POST", "/api/v1/cases", 200, headers("x"), `{}`, "not described"},
		{"undocumented status", "GET", "/api/v1/cases/3", 418, headers("no-store"), `{"error":"teapot"}`, "418"},
		{"no CORS header", "GET", "/api/v1/cases/3", 404, noCORS, `{"error":"not found"}`, "Access-Control-Allow-Origin"},
		{"extra field (a leak)", "GET", "/api/v1/cases/3", 200, headers("x"), strings.Replace(detailBody, `"aliases":""`, `"aliases":"","reporter_email":"a@b.c"`, 1), "reporter_email"},
		{"missing field", "GET", "/api/v1/cases", 200, headers("x"), `{"cases":[],"total":0,"page":1}`, "per_page"},
		{"wrong type", "GET", "/api/v1/cases", 200, headers("x"), strings.Replace(listBody, `"age":34`, `"age":"34"`, 1), "age"},
		{"bad enum", "GET", "/api/v1/cases", 200, headers("x"), strings.Replace(listBody, `"status":"missing"`, `"status":"pending"`, 1), "status"},
		{"bad date", "GET", "/api/v1/cases", 200, headers("x"), strings.Replace(listBody, `"last_seen_date":"2026-10-01"`, `"last_seen_date":"yesterday"`, 1), "last_seen_date"},
		{"not JSON", "GET", "/api/v1/cases", 200, headers("x"), `<html>`, ""},
		{"error without message", "GET", "/api/v1/cases", 400, headers("no-store"), `{}`, "error"},
	} {
		err := v.Validate(a.method, a.path, a.status, a.header, []byte(a.body))
		if err == nil || !strings.Contains(err.Error(), a.want) {
			t.Errorf("%s: err %v, want one naming %q", a.name, err, a.want)
		}
	}
}
