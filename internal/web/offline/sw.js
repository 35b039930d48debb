/* LostInNL service worker (issue 19): lets search volunteers open case
   pages they saved where there is no signal.

   What it keeps, in Cache Storage:
   - STATIC: the stylesheets, scripts and icons, the offline page and the
     saved-list page and the manifest, fetched when the worker installs
     ("precache");
   - SAVED: the case pages a visitor saved (button on an open case page,
     offline.js), with the photos the page shows and its posters (PDF);
   - INDEX: one small JSON entry per saved case: its name, when it was
     saved and which addresses belong to it.

   How it answers:
   - page loads (navigations) go to the network first; without a network
     a saved case page comes from SAVED (with its "saved on" time written
     into the page, for offline.js's banner), anything else shows the
     offline page;
   - assets and photos come from the caches first (their URLs never
     change content), posters from the network first.

   Takedown ("closed"): a saved case is kept only while its appeal is
   open, as the server shows it. When the case page answers 404 or 410
   (archived, withdrawn, never public) or shows the Located notice instead
   of the appeal, the case, its photos and posters are deleted from the
   device. Saved cases are checked on the next online visit: when one of
   them is opened, when the saved list is opened, and at most every ten
   minutes on any other page load. The server fills in PRECACHE,
   VERSION and OFFLINE_TEXT (internal/web/offline/worker.go).

   Languages (issue 18): a page under /fr is French. The offline page and
   the saved list are precached in both languages, and the offline page
   shown is the requested page's language. A case saved from its French
   page is kept under its French address (/fr/cases/12), so it opens in
   French without signal; its photos and posters are the same files. */
"use strict";

var VERSION = "__VERSION__";
var PRECACHE = ["__PRECACHE__"];
/* The last resort's text, by language. */
var OFFLINE_TEXT = {"__OFFLINE_TEXT__": ""};
var STATIC = "lostinnl-static-" + VERSION;
var SAVED = "lostinnl-saved";
var INDEX = "lostinnl-saved-index";

var CASE_PATH = /^(\/fr)?\/cases\/([1-9][0-9]{0,17})\/?$/;
var POSTER_PATH = /^\/cases\/([1-9][0-9]{0,17})\/poster\.pdf$/;
/* An open case page carries this attribute (case.html); a located case's
   page shows this article instead (case_located.html). */
var OPEN_MARK = 'data-offline-save="';
var LOCATED_MARK = '<article class="wrap case case-located"';
/* With a saved copy at hand, a page load waits this long for a slow
   network before showing the copy. */
var NETWORK_WAIT = 5000;
var RECHECK_EVERY = 10 * 60 * 1000;
var MAX_RESOURCES = 40;

var lastRecheck = 0;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return cache.addAll(PRECACHE);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("lostinnl-static-") === 0 && n !== STATIC;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  var p = url.pathname;
  /* Staff pages and the worker itself are never answered from a cache. */
  if (p === "/admin" || p.indexOf("/admin/") === 0 || p === "/sw.js") { return; }
  if (req.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (p.indexOf("/static/") === 0 || p.indexOf("/media/") === 0) {
    event.respondWith(cacheFirst(req));
  } else if (POSTER_PATH.test(p) || p === "/manifest.webmanifest") {
    event.respondWith(networkFirst(event, req, url));
  }
});

/* caseKey is the saved key of a case page address ("/cases/12",
   "/fr/cases/12"), or "". */
function caseKey(pathname) {
  var m = CASE_PATH.exec(pathname);
  return m ? (m[1] || "") + "/cases/" + m[2] : "";
}

/* caseID is the case's number in a saved key: "/fr/cases/12" → "12". */
function caseID(key) {
  var m = CASE_PATH.exec(key);
  return m ? m[2] : "";
}

/* french: is the address a page of the French site? */
function french(pathname) {
  return pathname === "/fr" || pathname.indexOf("/fr/") === 0;
}

/* gone: an answer of our own server saying the appeal is not public. */
function gone(res) {
  return !res.redirected && (res.status === 404 || res.status === 410);
}

function fromCache(name, req) {
  return caches.open(name).then(function (c) { return c.match(req, { ignoreVary: true }); });
}

function fromCaches(req) {
  return fromCache(STATIC, req).then(function (r) { return r || fromCache(SAVED, req); });
}

/* offlinePage is the offline page in the language of the page asked for
   (the English one if the French one is missing, then a line of text). */
function offlinePage(url) {
  var fr = french(url.pathname);
  return fromCache(STATIC, fr ? "/fr/offline" : "/offline").then(function (r) {
    return r || (fr ? fromCache(STATIC, "/offline") : undefined);
  }).then(function (r) {
    var text = OFFLINE_TEXT[fr ? "fr" : "en"] || "You are offline, and this page is not saved on this device.";
    return r || new Response(text, {
      status: 503, headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Language": fr ? "fr-CA" : "en-CA" }
    });
  });
}

/* later runs work after the answer, keeping the worker alive for it. */
function later(event, work) {
  var p = Promise.resolve(work).catch(function () { /* best effort: tried again next visit */ });
  try { event.waitUntil(p); } catch (e) { /* the event is over; p still runs */ }
}

function navigate(event, url) {
  var key = caseKey(url.pathname);
  return (key ? fromCache(SAVED, key) : Promise.resolve(undefined)).then(function (copy) {
    /* A saved case is asked for afresh (revalidated): the browser's own
       cache may hold the page for a minute, and a copy from there would
       hide both a takedown and the "saved on" banner. */
    var req = copy ? new Request(event.request, { cache: "no-cache" }) : event.request;
    var network = fetch(req).then(function (res) {
      if (key) {
        if (gone(res)) {
          later(event, removeCase(key));
        } else if (copy && res.ok && !url.search) {
          /* (With a query, e.g. ?tip=sent, the page carries a notice
             for this visit only: not a copy to keep.) */
          later(event, storeCase(key, res.clone(), ""));
        }
      }
      if (Date.now() - lastRecheck > RECHECK_EVERY) {
        lastRecheck = Date.now();
        later(event, recheckAll());
      }
      return res;
    });
    if (!copy) {
      return network.catch(function () {
        /* Not a saved case page: the saved list and the offline page
           are precached; a poster opened on its own may be saved. */
        return fromCaches(url.pathname + url.search).then(function (r) {
          return r || fromCache(STATIC, url.pathname);
        }).then(function (r) { return r || offlinePage(url); });
      });
    }
    var timer;
    var wait = new Promise(function (resolve) { timer = setTimeout(resolve, NETWORK_WAIT, null); });
    return Promise.race([network, wait]).then(function (res) {
      clearTimeout(timer);
      if (res && res.status < 500) { return res; }
      network.catch(function () { /* answered from the copy */ });
      return copy;
    }, function () {
      clearTimeout(timer);
      return copy;
    });
  });
}

function cacheFirst(req) {
  return fromCaches(req).then(function (r) { return r || fetch(req); });
}

function networkFirst(event, req, url) {
  return fetch(req).then(function (res) {
    var m = POSTER_PATH.exec(url.pathname);
    if (m && gone(res)) {
      later(event, removeCase("/cases/" + m[1]));
      later(event, removeCase("/fr/cases/" + m[1]));
    }
    return res;
  }, function (err) {
    return fromCaches(req).then(function (r) {
      if (r) { return r; }
      throw err;
    });
  });
}

/* --- the saved cases --- */

function readEntry(key) {
  return fromCache(INDEX, key).then(function (r) { return r ? r.json() : null; });
}

function listEntries() {
  return caches.open(INDEX).then(function (idx) {
    return idx.keys().then(function (reqs) {
      return Promise.all(reqs.map(function (r) {
        return idx.match(r).then(function (res) { return res ? res.json() : null; });
      }));
    });
  }).then(function (items) {
    return items.filter(Boolean).sort(function (a, b) { return a.savedAt < b.savedAt ? 1 : -1; });
  });
}

/* Changes to the saved cases run one at a time, in the order they were
   asked for: a background refresh that started before a takedown must
   not write the case back after it. */
var queue = Promise.resolve();
function serial(fn) {
  return function () {
    var args = arguments;
    var run = queue.then(function () { return fn.apply(null, args); });
    queue = run.catch(function () { /* the next change runs anyway */ });
    return run;
  };
}

var removeCase = serial(removeCaseNow);
var storeCase = serial(storeCaseNow);

function removeCaseNow(key) {
  return readEntry(key).then(function (entry) {
    return caches.open(SAVED).then(function (saved) {
      var urls = [key].concat(entry && entry.urls ? entry.urls : []);
      return Promise.all(urls.map(function (u) { return saved.delete(u, { ignoreVary: true }); }));
    }).then(function () {
      return caches.open(INDEX).then(function (idx) { return idx.delete(key); });
    }).then(function () { return entry; });
  });
}

/* resources lists what a saved case page needs besides itself: the photo
   variants it shows (src and srcset) and its posters. Media names are
   plain ([A-Za-z0-9_.-]), so a pattern finds them in the page's HTML;
   the worker has no HTML parser. */
function resources(html, key) {
  var seen = {};
  var out = [];
  var media = html.match(/\/media\/[A-Za-z0-9._~-]+/g) || [];
  /* Posters have no /fr address (files are never under /fr); a French
     page links the same files, maybe with a language parameter. */
  var posterRe = new RegExp('href="(/cases/' + caseID(key) + '/poster\\.pdf(?:\\?(?:size=a4|lang=fr|size=a4&amp;lang=fr|lang=fr&amp;size=a4))?)"', "g");
  var m;
  var posters = [];
  while ((m = posterRe.exec(html)) !== null) { posters.push(m[1].replace(/&amp;/g, "&")); }
  media.concat(posters).forEach(function (u) {
    if (!seen[u] && out.length < MAX_RESOURCES) { seen[u] = true; out.push(u); }
  });
  return out;
}

/* fetchInto stores one resource. Photos never change under their name,
   so one already saved is kept; posters are revalidated (they carry an
   ETag, so an unchanged one costs a 304). Photos may be redirected to
   object storage: "no-cors" lets that opaque answer be kept too. */
function fetchInto(saved, u) {
  var isMedia = u.indexOf("/media/") === 0;
  var have = isMedia ? saved.match(u, { ignoreVary: true }) : Promise.resolve(undefined);
  return have.then(function (r) {
    if (r) { return; }
    var req = isMedia ? new Request(u, { mode: "no-cors", credentials: "same-origin" }) : new Request(u, { cache: "no-cache", credentials: "same-origin" });
    return fetch(req).then(function (res) {
      if (!res.ok && res.type !== "opaque") { throw new Error(u + " answered " + res.status); }
      return saved.put(u, res);
    });
  });
}

/* storeCase keeps the case page in res (an answer for key) with what it
   needs, or deletes the case when the answer shows it closed. */
function storeCaseNow(key, res, name) {
  return res.text().then(function (html) {
    if (html.indexOf(LOCATED_MARK) >= 0) {
      return removeCaseNow(key).then(function () { return { ok: false, gone: true }; });
    }
    /* The French page may name the case by either address. */
    var id = caseID(key);
    if (html.indexOf(OPEN_MARK + "/cases/" + id + '"') < 0 && html.indexOf(OPEN_MARK + "/fr/cases/" + id + '"') < 0) {
      /* Not the appeal page we know (a changed page, a portal's login
         page): keep what is saved, change nothing. */
      return { ok: false, error: "the page did not look like an open case" };
    }
    var urls = resources(html, key);
    var when = new Date().toISOString();
    return Promise.all([caches.open(SAVED), readEntry(key)]).then(function (got) {
      var saved = got[0];
      var old = got[1];
      return Promise.all(urls.map(function (u) { return fetchInto(saved, u); })).then(function () {
        var headers = new Headers(res.headers);
        /* The body is stored decoded, and must match any request. */
        ["Content-Encoding", "Content-Length", "Vary", "ETag", "Set-Cookie"].forEach(function (h) { headers.delete(h); });
        headers.set("Content-Type", "text/html; charset=utf-8");
        var marked = html.replace(/<html(\s|>)/, '<html data-offline-saved="' + when + '"$1');
        return saved.put(key, new Response(marked, { status: 200, headers: headers }));
      }).then(function () {
        var stale = old && old.urls ? old.urls.filter(function (u) { return urls.indexOf(u) < 0; }) : [];
        return Promise.all(stale.map(function (u) { return saved.delete(u, { ignoreVary: true }); }));
      }).then(function () {
        var entry = { url: key, name: name || (old && old.name) || key, savedAt: when, urls: urls };
        return caches.open(INDEX).then(function (idx) {
          return idx.put(key, new Response(JSON.stringify(entry), { headers: { "Content-Type": "application/json" } }));
        }).then(function () { return { ok: true, savedAt: when }; });
      }, function (err) {
        /* A first save that failed half-way leaves nothing behind. */
        if (!old) { return removeCaseNow(key).then(function () { throw err; }); }
        throw err;
      });
    });
  });
}

function fetchCase(key) {
  return fetch(key, { cache: "no-cache", credentials: "same-origin" });
}

function saveCase(key, name) {
  return fetchCase(key).then(function (res) {
    if (gone(res)) {
      return removeCase(key).then(function () { return { ok: false, gone: true }; });
    }
    /* error is an English message id, its argument beside it (offline.js
       translates it). */
    if (!res.ok) { return { ok: false, error: "the server answered {status}", status: res.status }; }
    return storeCase(key, res, name);
  }, function () {
    return { ok: false, offline: true };
  });
}

/* recheckAll asks the server about every saved case, one after the other
   (gently, on a weak connection): closed ones are removed, open ones
   refreshed. It stops at the first network failure. */
function recheckAll() {
  lastRecheck = Date.now();
  return listEntries().then(function (items) {
    var removed = [];
    var i = 0;
    function next() {
      if (i >= items.length) { return { removed: removed }; }
      var item = items[i++];
      return fetchCase(item.url).then(function (res) {
        if (gone(res)) {
          return removeCase(item.url).then(function () { removed.push(item.name); return next(); });
        }
        if (!res.ok || res.redirected) { return next(); }
        return storeCase(item.url, res, "").then(function (r) {
          if (r.gone) { removed.push(item.name); }
          return next();
        }, next);
      }, function () {
        return { removed: removed, offline: true };
      });
    }
    return next();
  });
}

self.addEventListener("message", function (event) {
  var port = event.ports && event.ports[0];
  var d = event.data || {};
  if (!port || typeof d.type !== "string") { return; }
  var key = typeof d.url === "string" ? caseKey(d.url) : "";
  var name = typeof d.name === "string" ? d.name.slice(0, 200) : "";
  var work;
  if (d.type === "list") {
    work = (d.recheck ? recheckAll() : Promise.resolve({ removed: [] })).then(function (r) {
      return listEntries().then(function (items) {
        return { items: items, removed: r.removed, offline: !!r.offline };
      });
    });
  } else if (!key) {
    work = Promise.resolve({ error: "not a case page" });
  } else if (d.type === "status") {
    work = readEntry(key).then(function (e) { return { saved: !!e, savedAt: e ? e.savedAt : "" }; });
  } else if (d.type === "save") {
    work = saveCase(key, name);
  } else if (d.type === "remove") {
    work = removeCase(key).then(function () { return { ok: true }; });
  } else {
    work = Promise.resolve({ error: "unknown request" });
  }
  event.waitUntil(work.then(function (r) { port.postMessage(r); }, function (err) {
    port.postMessage({ error: String(err && err.message || err) });
  }));
});
