// Package openapitest checks HTTP answers against the API description in
// internal/openapi, for tests (the web layer's API tests call Validate on
// every route and error they exercise). It is imported by tests only, so
// kin-openapi and its dependencies never reach the lostinnl binary; it
// must not be imported by non-test code.
package openapitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"lostinnl/internal/openapi"
)

// Validator holds the loaded, validated document and its router; build it
// once per test binary with New when checking many answers.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

// New loads internal/openapi's document and checks it against OpenAPI
// 3.1 (kin-openapi validates 3.1 documents, with JSON Schema 2020-12 for
// their schemas).
func New() (*Validator, error) {
	ctx := context.Background()
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(openapi.Document())
	if err != nil {
		return nil, fmt.Errorf("openapi: load: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("openapi: document is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("openapi: invalid document: %w", err)
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: router: %w", err)
	}
	return &Validator{doc: doc, router: r}, nil
}

// Validate checks one answer: method and path (with its query, as the
// client sent it), the status, headers and body the server gave. It fails
// for a route or status the document does not describe, a missing
// required header, or a body that does not match the schema. The request
// itself is not checked: a test of a bad parameter sends one on purpose.
func (v *Validator) Validate(method, path string, status int, header http.Header, body []byte) error {
	u, err := url.Parse(path)
	if err != nil {
		return fmt.Errorf("openapi: path %q: %w", path, err)
	}
	req, err := http.NewRequest(method, "http://localhost"+u.RequestURI(), nil)
	if err != nil {
		return fmt.Errorf("openapi: request: %w", err)
	}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("openapi: %s %s is not described: %w", method, u.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("openapi: %s %s → %d does not match the document: %w", method, path, status, err)
	}
	return nil
}

// Validate is New then Validate, for a test checking one answer.
func Validate(method, path string, status int, header http.Header, body []byte) error {
	v, err := New()
	if err != nil {
		return err
	}
	return v.Validate(method, path, status, header, body)
}
