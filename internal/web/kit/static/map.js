/* map.js draws the site's maps with Leaflet (vendor/leaflet), which it
   loads only when a map is about to be seen: the case page's map sits
   below the fold on a phone, and Leaflet is three times the rest of the
   page, for people on weak rural connections. Every element with a
   data-map attribute is one map, described by its data attributes
   (templates/_map.html):

   - data-map="place": one case's last-seen area, a circle of about a
     kilometre around the public point (data-lat, data-lng, data-radius),
     drawn when the section comes near the screen;
   - data-map="cases": the /map page; markers for the open cases read from
     data-points (/map/points.json with the page's filters), one per place,
     each opening a list of links to the cases last seen there;
   - data-map="pick": the admin case form; clicking the map (or dragging
     the marker) fills the latitude and longitude inputs named by
     data-lat-input and data-lng-input, and typing in them moves it.

   Every map element starts hidden, so without JavaScript (or when Leaflet
   fails to load) the page shows only its text and lists, which say the
   same. Nothing here builds HTML from data: names and places go into the
   page as text nodes. */
(function () {
  "use strict";

  if (!document.querySelectorAll || !window.Promise) { return; }

  var L = null; // Leaflet, once loaded

  /* Newfoundland and Labrador, for a map with nothing to show yet. */
  var NL = [[46.6, -67.8], [60.4, -52.6]];

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* Messages in the page's language come from static/messages.js, which
     the layouts load first. Without it these enhancements stay off: every
     page works without them. */
  var messages = window.LostInNLMessages;
  if (!messages) { return; }
  var msg = messages.msg, msgN = messages.msgN, pageLocale = messages.locale, fill = messages.fill;

  /* leaflet loads Leaflet's script and stylesheet (their hashed URLs are
     on the map element) once for the page. Its stylesheet goes first in
     the head, so map.css, already there, still overrides it. */
  var loading = null;
  function leaflet(el) {
    if (window.L) { return Promise.resolve(window.L); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var head = document.head;
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = el.getAttribute("data-leaflet-css");
        head.insertBefore(css, head.firstChild);
        var js = document.createElement("script");
        js.src = el.getAttribute("data-leaflet-js");
        js.onload = function () { if (window.L) { resolve(window.L); } else { reject(new Error("no Leaflet")); } };
        js.onerror = function () { reject(new Error("Leaflet did not load")); };
        head.appendChild(js);
      });
    }
    return loading;
  }

  /* Leaflet cancels a tile it no longer needs (after a zoom or a move) by
     pointing the img at a data: GIF, which the site's CSP refuses (img-src
     has no data:), with an error in the console each time. Taking the src
     attribute away cancels the request just as well. The rest is
     Leaflet 1.9's own code for these two methods. */
  var Tiles = null;
  function tileLayer(url, opts) {
    if (!Tiles) {
      Tiles = L.TileLayer.extend({
        _removeTile: function (key) {
          var tile = this._tiles[key];
          if (!tile) { return; }
          tile.el.removeAttribute("src");
          return L.GridLayer.prototype._removeTile.call(this, key);
        },
        _abortLoading: function () {
          for (var key in this._tiles) {
            if (this._tiles[key].coords.z === this._tileZoom) { continue; }
            var tile = this._tiles[key].el;
            tile.onload = L.Util.falseFn;
            tile.onerror = L.Util.falseFn;
            if (!tile.complete) {
              tile.removeAttribute("src");
              var coords = this._tiles[key].coords;
              L.DomUtil.remove(tile);
              delete this._tiles[key];
              this.fire("tileabort", { tile: tile, coords: coords });
            }
          }
        }
      });
    }
    return new Tiles(url, opts);
  }

  /* base makes a Leaflet map in el with the configured tiles and their
     credit. The credit is our own constant text, escaped all the same. */
  function base(el, opts) {
    el.hidden = false;
    var wrap = el.closest("[data-map-wrap]");
    if (wrap) { wrap.hidden = false; }
    var map = L.map(el, opts || {});
    var credit = document.createElement("a");
    credit.href = el.getAttribute("data-attribution-url") || "https://www.openstreetmap.org/copyright";
    credit.textContent = el.getAttribute("data-attribution") || "© OpenStreetMap contributors";
    tileLayer(el.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: credit.outerHTML
    }).addTo(map);
    return map;
  }

  function markerIcon(el) {
    return L.icon({
      iconUrl: el.getAttribute("data-icon"),
      iconRetinaUrl: el.getAttribute("data-icon2x"),
      shadowUrl: el.getAttribute("data-shadow"),
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41]
    });
  }

  function number(s) {
    var v = parseFloat(s);
    return isFinite(v) ? v : null;
  }

  function dateText(iso) {
    var d = new Date(iso + "T12:00:00");
    if (isNaN(d.getTime())) { return iso; }
    try {
      var text = d.toLocaleDateString(pageLocale(), { year: "numeric", month: "long", day: "numeric" });
      /* French writes the first of the month as an ordinal: « 1er mai ». */
      if (pageLocale() === "fr-CA" && d.getDate() === 1) { text = text.replace(/^1(?=\s)/, "1er"); }
      return text;
    } catch (e) {
      return iso;
    }
  }

  /* --- one case's area --- */
  function place(el) {
    var lat = number(el.getAttribute("data-lat"));
    var lng = number(el.getAttribute("data-lng"));
    if (lat === null || lng === null) { return; }
    /* The page scrolls past the map on a phone: no wheel zoom to trap it. */
    var map = base(el, { scrollWheelZoom: false });
    map.setView([lat, lng], 13);
    L.circle([lat, lng], {
      radius: number(el.getAttribute("data-radius")) || 1000,
      interactive: false,
      color: "#0b3954",
      weight: 2,
      fillOpacity: 0.15
    }).addTo(map);
  }

  /* --- the map of open cases --- */
  function cases(el) {
    var status = document.getElementById(el.getAttribute("data-status"));
    function say(text) { if (status) { status.textContent = text; } }
    if (!window.fetch) { return; }
    var map = base(el, { scrollWheelZoom: false });
    map.fitBounds(NL);
    var icon = markerIcon(el);
    say(msg("Loading the map…"));
    fetch(el.getAttribute("data-points"), { headers: { "Accept": "application/json" } })
      .then(function (res) {
        if (!res.ok) { throw new Error("status " + res.status); }
        return res.json();
      })
      .then(function (data) {
        /* Cases last seen in the same square kilometre share one point:
           one marker for them all, listing each. */
        var groups = {};
        var order = [];
        each(data.cases || [], function (c) {
          if (typeof c.latitude !== "number" || typeof c.longitude !== "number") { return; }
          var key = c.latitude + "," + c.longitude;
          if (!groups[key]) { groups[key] = []; order.push(key); }
          groups[key].push(c);
        });
        var bounds = L.latLngBounds([]);
        each(order, function (key) {
          var group = groups[key];
          var at = L.latLng(group[0].latitude, group[0].longitude);
          bounds.extend(at);
          addMarker(el, map, icon, at, group);
        });
        el.setAttribute("data-markers", String(order.length));
        if (order.length > 0) {
          map.fitBounds(bounds.pad(0.2), { maxZoom: 11 });
        }
        var n = (data.cases || []).length;
        say(n === 0 ? msg("No case matching these filters has a place on the map.") :
          msgN("{n} case is on the map. Press Tab to move between the markers and Enter to see who was last seen there.",
            "{n} cases are on the map. Press Tab to move between the markers and Enter to see who was last seen there.", n));
      })
      .catch(function () {
        el.setAttribute("data-markers", "error");
        say(msg("The map could not load its places. Every case is in the list below."));
      });
  }

  /* seenText is a case's line: "{name}, last seen {date} in {place}". */
  function seenText(c) {
    var args = { name: c.full_name, date: dateText(c.last_seen_date), place: c.community };
    return c.community ? msg("{name}, last seen {date} in {place}", args) : msg("{name}, last seen {date}", args);
  }

  /* seenItem is the same line with the name as a link to the case, in
     the page's language (data-case-base: "/fr/cases/" on the French map;
     the JSON's own address otherwise). The text around the link is
     split from the message at its {name}, and goes in as text nodes. */
  function seenItem(el, c) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var caseBase = el.getAttribute("data-case-base");
    a.href = caseBase && typeof c.id === "number" ? caseBase + c.id : c.url;
    a.textContent = c.full_name;
    var args = { date: dateText(c.last_seen_date), place: c.community };
    var text = c.community ? msg("{name}, last seen {date} in {place}") : msg("{name}, last seen {date}");
    var at = text.indexOf("{name}");
    if (at < 0) { at = 0; text = "{name}, " + text; }
    var before = fill(text.slice(0, at), args);
    var after = fill(text.slice(at + 6), args);
    if (before) { li.appendChild(document.createTextNode(before)); }
    li.appendChild(a);
    if (after) { li.appendChild(document.createTextNode(after)); }
    return li;
  }

  function addMarker(el, map, icon, at, group) {
    var first = group[0];
    var label = group.length === 1 ? seenText(first) :
      msgN("{n} person last seen near {place}", "{n} people last seen near {place}", group.length, { place: first.community || first.region });
    var marker = L.marker(at, { icon: icon, alt: label, title: label, keyboard: true, riseOnHover: true });

    var box = document.createElement("div");
    box.className = "map-popup";
    var list = document.createElement("ul");
    each(group, function (c) { list.appendChild(seenItem(el, c)); });
    box.appendChild(list);
    var note = document.createElement("p");
    note.textContent = msg("Place shown to within about 1 km.");
    box.appendChild(note);
    marker.bindPopup(box);

    /* Keyboard users land in the popup's first link, and go back to the
       marker when it closes (Escape or its close button). */
    var moved = false;
    marker.on("popupopen", function () {
      var link = box.querySelector("a");
      if (link && document.activeElement === marker.getElement()) { link.focus(); moved = true; }
    });
    /* Leaflet closes a popup on Escape only while the map itself has the
       focus; here the focus is on the popup's link. */
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Esc") { marker.closePopup(); }
    });
    marker.on("popupclose", function () {
      var active = document.activeElement;
      if (moved && (!active || active === document.body || box.contains(active))) {
        var icon = marker.getElement();
        if (icon) { icon.focus(); }
      }
      moved = false;
    });
    marker.addTo(map);
  }

  /* --- the admin form's place picker --- */
  function pick(el) {
    var latIn = document.getElementById(el.getAttribute("data-lat-input"));
    var lngIn = document.getElementById(el.getAttribute("data-lng-input"));
    if (!latIn || !lngIn) { return; }
    var map = base(el, { scrollWheelZoom: false });
    var icon = markerIcon(el);
    var marker = null;

    function typed() {
      var lat = number(latIn.value), lng = number(lngIn.value);
      if (lat === null || lng === null || lat < -90 || lat > 90 || lng < -180 || lng > 180) { return null; }
      return L.latLng(lat, lng);
    }
    function write(at) {
      /* Five decimals is about a metre: as exact as a click can be. The
         server rounds what the public sees. */
      latIn.value = at.lat.toFixed(5);
      lngIn.value = at.lng.toFixed(5);
    }
    function put(at) {
      if (marker) { marker.setLatLng(at); return; }
      marker = L.marker(at, { icon: icon, draggable: true, keyboard: true, alt: msg("Last-seen place (drag to move)"), title: msg("Last-seen place") });
      marker.on("dragend", function () { write(marker.getLatLng().wrap()); });
      marker.addTo(map);
    }

    var start = typed();
    if (start) {
      put(start);
      map.setView(start, 13);
    } else {
      map.fitBounds(NL);
    }
    map.on("click", function (e) {
      var at = e.latlng.wrap();
      put(at);
      write(at);
    });
    each([latIn, lngIn], function (input) {
      input.addEventListener("change", function () {
        var at = typed();
        if (at) { put(at); map.panTo(at); }
      });
    });
  }

  /* start loads Leaflet and draws the map; a map that cannot be drawn
     leaves the page as it is without JavaScript. */
  function start(el, fn) {
    leaflet(el).then(function (lib) {
      L = lib;
      fn(el);
    }).catch(function () {
      el.hidden = true;
      var status = document.getElementById(el.getAttribute("data-status") || "");
      if (status) { status.textContent = msg("The map could not load. Every case is in the list below."); }
    });
  }

  /* soon runs start when el's section comes within a screen of view. */
  function soon(el, fn) {
    var near = el.closest("section") || el.parentNode;
    if (!window.IntersectionObserver || !near) { start(el, fn); return; }
    var seen = new IntersectionObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].isIntersecting) {
          seen.disconnect();
          start(el, fn);
          return;
        }
      }
    }, { rootMargin: "400px 0px" });
    seen.observe(near);
  }

  var kinds = { place: place, cases: cases, pick: pick };
  each(document.querySelectorAll("[data-map]"), function (el) {
    var kind = el.getAttribute("data-map");
    var fn = kinds[kind];
    if (!fn) { return; }
    if (kind === "place") { soon(el, fn); } else { start(el, fn); }
  });
})();
