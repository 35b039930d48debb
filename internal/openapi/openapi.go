// Package openapi holds the OpenAPI 3.1 description of the public read
// API (/api/v1), served as /api/v1/openapi.json. It owns that document and
// nothing else: no handler, no validation (that is openapitest, which
// tests import, so its dependencies stay out of the binary). The document
// must describe what internal/web/api really answers; the web tests check
// real responses against it with openapitest.Validate.
package openapi

import _ "embed"

// Path is where the web layer serves the document.
const Path = "/api/v1/openapi.json"

// ContentType of the document.
const ContentType = "application/json; charset=utf-8"

//go:embed openapi.json
var document []byte

// Document returns the JSON bytes of the description (a copy: callers
// cannot change what the next one gets).
func Document() []byte { return append([]byte(nil), document...) }
