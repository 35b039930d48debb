// Package offline makes the site usable without a network for search
// volunteers (issue 19 point 1): the web app manifest (so the site can be
// installed on a phone), our own service worker at /sw.js, the saved-cases
// page (/saved) and the offline page (/offline) the worker shows for pages
// not saved on the device.
//
// The server side is small on purpose: what is saved lives in the
// browser's Cache Storage, written by the service worker (sw.js, embedded
// here) at the request of static/offline.js on a case page. The server
// only says, in the case page itself, whether a case is open: an open case
// page carries the "Save for offline" button (data-offline-save); a
// located case page, and the 404/410 of an archived or unpublished one,
// tell the worker to delete its copy (see sw.js, "closed").
package offline
