package offline

import (
	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
)

// handler serves the manifest, the service worker and the two pages.
type handler struct {
	*kit.Env
	manifests map[i18n.Lang]fixedBody // built once: they name hashed icon URLs
	worker    fixedBody
}

// Routes is the offline feature's part of the route table.
func Routes(env *kit.Env) []kit.Route {
	h := &handler{Env: env, manifests: buildManifests(env.Assets), worker: buildWorker(env.Assets)}
	return []kit.Route{
		{Pattern: "GET /manifest.webmanifest", Access: kit.Public, Handler: h.serveManifest},
		// The worker must be served from the root for its scope to be
		// the whole site.
		{Pattern: "GET /sw.js", Access: kit.Public, Handler: h.serveWorker},
		{Pattern: "GET /saved", Access: kit.Public, Handler: h.saved},
		{Pattern: "GET /offline", Access: kit.Public, Handler: h.offlinePage},
	}
}
