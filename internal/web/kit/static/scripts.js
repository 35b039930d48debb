/* Missing Persons NL: small progressive enhancements. Every page works
   without this file. What a visitor types is only ever put into the page
   with textContent and setAttribute, never as HTML; live search takes whole
   elements from our own server-rendered listing page. */
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }

  /* Messages in the page's language come from static/messages.js, which
     the layouts load first. Without it these enhancements stay off: every
     page works without them. */
  var messages = window.LostInNLMessages;
  if (!messages) { return; }
  var msg = messages.msg;

  /* Copy-link and print buttons on case pages (hidden without JS). */
  var copy = $(".copy-link");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var status = $(".copy-status");
      navigator.clipboard.writeText(copy.getAttribute("data-url")).then(function () {
        status.textContent = copy.getAttribute("data-copied") || "Link copied";
      }, function () {
        status.textContent = copy.getAttribute("data-copy-failed") || "Could not copy: the link is shown below";
      });
    });
  }
  /* The phone's own share sheet where the browser has the Web Share API;
     the plain links beside it stay for every other browser. */
  var shareBtn = $(".web-share");
  if (shareBtn && navigator.share) {
    shareBtn.hidden = false;
    shareBtn.addEventListener("click", function () {
      navigator.share({
        title: shareBtn.getAttribute("data-title"),
        text: shareBtn.getAttribute("data-title"),
        url: shareBtn.getAttribute("data-url")
      }).catch(function () { /* the visitor closed the sheet: nothing to do */ });
    });
  }
  var printBtn = $(".print-page");
  if (printBtn && window.print) {
    printBtn.hidden = false;
    printBtn.addEventListener("click", function () { window.print(); });
  }

  /* The service worker (/sw.js, issue 19) makes the site installable and
     keeps the case pages a volunteer saves (offline.js) for use without
     signal. Nothing depends on it: without it pages load as always. */
  if ("serviceWorker" in navigator && window.Promise) {
    /* After the page has loaded: installing fetches a few files, which
       must not slow a first view on a weak connection. */
    var registerWorker = function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
        /* not allowed here (private mode, old browser): the site works without it */
      });
    };
    if (document.readyState === "complete") { registerWorker(); } else { window.addEventListener("load", registerWorker); }
  }

  /* Date hints add the order this browser's date box really shows (it
     follows the device's language, e.g. mm/dd/yyyy), or year-month-day
     where the browser has no date box and shows plain text. */
  Array.prototype.forEach.call(document.querySelectorAll('input[type="date"], input[id$="_date"]'), function (input) {
    var hint = document.getElementById(input.id + "-hint");
    if (!hint || input.getAttribute("type") !== "date") { return; }
    var extra = document.createElement("span");
    extra.className = "date-order";
    if (input.type !== "date") {
      extra.textContent = " " + msg("Type it as year-month-day, for example 2026-03-14.");
    } else if (window.Intl && Intl.DateTimeFormat.prototype.formatToParts) {
      var names = { year: msg("yyyy"), month: msg("mm"), day: msg("dd") };
      var order = new Intl.DateTimeFormat(navigator.language, { year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(new Date(2026, 2, 14))
        .map(function (p) { return names[p.type] || p.value; }).join("");
      extra.textContent = " " + msg("The box shows it as {order}.", { order: order });
    } else { return; }
    hint.appendChild(extra);
  });

  /* Move focus to an error summary so keyboard and screen-reader users hear it. */
  var summary = $("#error-summary");
  if (summary) { summary.focus(); }
  var sent = $("#tip-sent");
  if (sent) { sent.focus(); }

  /* Live search on the listings page. The results come from the listing
     page itself (the same server-rendered cards, chips and pagination as
     without JavaScript), so there is one definition of a card. The HTML is
     our own page, escaped by the server's templates; nothing typed here is
     ever inserted as HTML. */
  var form = $("#case-search");
  var count = $("#result-count");
  if (!form || !count || !$("#results") || !window.fetch || !window.URLSearchParams || !window.DOMParser) { return; }

  var timer = 0;
  var inflight = null;

  function params() {
    var p = new URLSearchParams();
    var fd = new FormData(form);
    fd.forEach(function (v, k) {
      v = String(v).trim();
      if (v !== "" && !(k === "status" && v === "missing")) { p.set(k, v); }
    });
    return p;
  }

  /* swap replaces the part of this page with the given id by the same part
     of the fetched page (adding or removing it as needed). */
  function swap(doc, id, after) {
    var mine = document.getElementById(id);
    var theirs = doc.getElementById(id);
    if (theirs) { theirs = document.importNode(theirs, true); }
    if (mine && theirs) { mine.parentNode.replaceChild(theirs, mine); }
    else if (mine) { mine.parentNode.removeChild(mine); }
    else if (theirs && after) { after.parentNode.insertBefore(theirs, after.nextSibling); }
  }

  function search() {
    var p = params();
    var qs = p.toString();
    /* The form's own address: /fr/cases on the French site. */
    var base = form.getAttribute("action") || "/cases";
    var url = base + (qs ? "?" + qs : "");
    /* live=1: the server takes the last word as the start of a name, so
       results follow the typing; the address kept in history is the plain
       search, whose results are the full-word ones. */
    var fetchURL = url;
    if (p.get("q")) { p.set("live", "1"); fetchURL = base + "?" + p.toString(); }
    if (inflight) { inflight.abort(); }
    inflight = window.AbortController ? new AbortController() : null;
    fetch(fetchURL, {
      headers: { "Accept": "text/html" },
      signal: inflight ? inflight.signal : undefined
    }).then(function (res) {
      return res.text().then(function (text) { return { ok: res.ok, text: text }; });
    }).then(function (r) {
      if (!r.ok) {
        count.textContent = form.getAttribute("data-failed") || msg("Search failed. Press Search to try again.");
        return;
      }
      var doc = new DOMParser().parseFromString(r.text, "text/html");
      var newCount = doc.getElementById("result-count");
      if (!newCount || !doc.getElementById("results")) {
        count.textContent = form.getAttribute("data-failed") || msg("Search failed. Press Search to try again.");
        return;
      }
      swap(doc, "active-filters");
      swap(doc, "results");
      swap(doc, "pagination", $("#results"));
      var summary = $(".more-filters summary");
      var newSummary = doc.querySelector(".more-filters summary");
      if (summary && newSummary) { summary.parentNode.replaceChild(document.importNode(newSummary, true), summary); }
      /* The count keeps its element so screen readers announce the change. */
      count.textContent = newCount.textContent;
      history.replaceState(null, "", url);
    }).catch(function (err) {
      if (err && err.name === "AbortError") { return; }
      count.textContent = form.getAttribute("data-unavailable") || msg("Live search is not available right now. Press Search to see results.");
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
})();
