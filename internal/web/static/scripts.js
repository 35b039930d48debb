/* Missing Persons NL: small progressive enhancements. Every page works
   without this file. Data is only ever put into the page with textContent
   and setAttribute, never as HTML. */
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }

  /* Copy-link and print buttons on case pages (hidden without JS). */
  var copy = $(".copy-link");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var status = $(".copy-status");
      navigator.clipboard.writeText(copy.getAttribute("data-url")).then(function () {
        status.textContent = "Link copied";
      }, function () {
        status.textContent = "Could not copy: the link is shown below";
      });
    });
  }
  var printBtn = $(".print-page");
  if (printBtn && window.print) {
    printBtn.hidden = false;
    printBtn.addEventListener("click", function () { window.print(); });
  }

  /* Move focus to an error summary so keyboard and screen-reader users hear it. */
  var summary = $("#error-summary");
  if (summary) { summary.focus(); }
  var sent = $("#tip-sent");
  if (sent) { sent.focus(); }

  /* Live search on the listings page. */
  var form = $("#case-search");
  var results = $("#results");
  var count = $("#result-count");
  var tpl = $("#card-template");
  if (!form || !results || !count || !tpl || !window.fetch || !window.URLSearchParams) { return; }

  var timer = 0;
  var inflight = null;
  var dateFmt = window.Intl ? new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }) : null;

  function params(page) {
    var p = new URLSearchParams();
    var fd = new FormData(form);
    fd.forEach(function (v, k) {
      v = String(v).trim();
      if (v !== "" && !(k === "status" && v === "missing")) { p.set(k, v); }
    });
    if (page > 1) { p.set("page", String(page)); }
    return p;
  }

  /* The API gives absolute URLs (for other sites); the page uses our own
     path so the image stays same-origin for the CSP whatever BaseURL says. */
  function localPath(u) {
    try {
      var parsed = new URL(u, location.href);
      return parsed.pathname.indexOf("/media/") === 0 ? parsed.pathname : u;
    } catch (e) { return u; }
  }

  function fact(dl, label, value) {
    if (!value) { return; }
    var div = document.createElement("div");
    var dt = document.createElement("dt");
    var dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = value;
    div.appendChild(dt);
    div.appendChild(dd);
    dl.appendChild(div);
  }

  function card(c) {
    var li = tpl.content.firstElementChild.cloneNode(true);
    var a = $(".card-link", li);
    a.setAttribute("href", "/cases/" + encodeURIComponent(c.id));
    $(".card-name", li).textContent = c.full_name;
    if (c.photo && c.photo["320"]) { $(".card-img", li).setAttribute("src", localPath(c.photo["320"])); }
    var badge = $(".badge", li);
    badge.textContent = c.status === "located" ? "Located" : "Missing";
    badge.className = "badge badge-" + (c.status === "located" ? "located" : "missing");
    var dl = $(".card-facts", li);
    fact(dl, "Age", c.age === null || c.age === undefined ? "" : String(c.age));
    var d = c.last_seen_date;
    if (d && dateFmt) {
      var parsed = new Date(d + "T00:00:00Z");
      if (!isNaN(parsed.getTime())) { d = dateFmt.format(parsed); }
    }
    fact(dl, "Last seen", d);
    fact(dl, "Place", [c.community, c.region].filter(Boolean).join(", "));
    return li;
  }

  function pageLink(ul, label, page, current) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.textContent = label;
    a.setAttribute("href", "/cases?" + params(page).toString());
    if (current) { a.setAttribute("aria-current", "page"); }
    li.appendChild(a);
    ul.appendChild(li);
  }

  function render(data, page) {
    results.textContent = "";
    var old = $("#pagination");
    if (old) { old.parentNode.removeChild(old); }
    var last = Math.max(1, Math.ceil(data.total / data.per_page));
    var n = data.total === 1 ? "1 person found" : data.total + " people found";
    count.textContent = n + (last > 1 ? ", page " + page + " of " + last : "") + ".";
    if (data.cases.length === 0) {
      var empty = document.createElement("div");
      empty.className = "empty";
      var h = document.createElement("h2");
      h.textContent = "No one matches this search";
      var p = document.createElement("p");
      p.textContent = "Try widening it: check the spelling, search for part of a name or place, choose “All regions”, or remove the age and date filters.";
      empty.appendChild(h);
      empty.appendChild(p);
      results.appendChild(empty);
    } else {
      var ul = document.createElement("ul");
      ul.className = "cards";
      ul.id = "result-list";
      data.cases.forEach(function (c) { ul.appendChild(card(c)); });
      results.appendChild(ul);
    }
    if (last > 1) {
      var nav = document.createElement("nav");
      nav.className = "pagination";
      nav.id = "pagination";
      nav.setAttribute("aria-label", "Pages of results");
      var list = document.createElement("ul");
      if (page > 1) { pageLink(list, "Previous", page - 1, false); }
      for (var i = Math.max(1, page - 2); i <= Math.min(last, page + 2); i++) {
        pageLink(list, String(i), i, i === page);
      }
      if (page < last) { pageLink(list, "Next", page + 1, false); }
      nav.appendChild(list);
      results.parentNode.insertBefore(nav, results.nextSibling);
    }
  }

  function search() {
    var p = params(1);
    if (inflight) { inflight.abort(); }
    inflight = window.AbortController ? new AbortController() : null;
    fetch(form.getAttribute("data-api") + "?" + p.toString(), {
      headers: { "Accept": "application/json" },
      signal: inflight ? inflight.signal : undefined
    }).then(function (res) {
      return res.json().then(function (body) { return { ok: res.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) {
        count.textContent = r.body && r.body.error ? r.body.error : "Search failed. Press Search to try again.";
        return;
      }
      render(r.body, 1);
      var qs = p.toString();
      history.replaceState(null, "", "/cases" + (qs ? "?" + qs : ""));
    }).catch(function (err) {
      if (err && err.name === "AbortError") { return; }
      count.textContent = "Live search is not available right now. Press Search to see results.";
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
