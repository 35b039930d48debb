/* Missing Persons NL: saving case pages for use without signal (issue 19).
   Loaded by open case pages and by /saved. The service worker (/sw.js,
   registered by scripts.js) does the saving; this file only asks it and
   shows the answers. Without JavaScript or a service worker, the button
   stays hidden and /saved says what is needed. Names are only ever put
   into the page with textContent. */
(function () {
  "use strict";

  var root = document.documentElement;

  /* Messages in the page's language come from static/messages.js, which
     the layouts load first. Without it these enhancements stay off: every
     page works without them. */
  var messages = window.LostInNLMessages;
  if (!messages) { return; }
  var msg = messages.msg, msgN = messages.msgN, pageLocale = messages.locale;

  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    try {
      return d.toLocaleString(pageLocale(), { dateStyle: "long", timeStyle: "short" });
    } catch (e) {
      return d.toString();
    }
  }

  /* A saved copy opened from the device: the worker wrote the time it was
     saved into the page. Say so at the top, before anything else. */
  var savedAt = root.getAttribute("data-offline-saved");
  var main = document.getElementById("main");
  if (savedAt && main) {
    var banner = document.createElement("div");
    banner.className = "offline-banner";
    banner.setAttribute("role", "status");
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = msg("Saved on {date}", { date: when(savedAt) });
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" — " + msg("check for updates when you have signal.")));
    banner.appendChild(p);
    var wrap = document.createElement("div");
    wrap.className = "wrap";
    wrap.appendChild(banner);
    main.insertBefore(wrap, main.firstChild);
  }

  var box = document.querySelector("[data-offline-save]");
  var list = document.getElementById("saved-list");
  if (!box && !list) { return; }

  var supported = "serviceWorker" in navigator && "caches" in window && window.MessageChannel && window.Promise;

  /* ask sends one request to the active worker and resolves with its answer. */
  function ask(msg) {
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve, reject) {
        var ch = new MessageChannel();
        var timer = setTimeout(function () { reject(new Error(msg("no answer"))); }, 120000);
        ch.port1.onmessage = function (e) {
          clearTimeout(timer);
          if (e.data && e.data.error) { reject(new Error(e.data.error)); } else { resolve(e.data || {}); }
        };
        reg.active.postMessage(msg, [ch.port2]);
      });
    });
  }

  /* --- the button on a case page --- */
  if (box && supported) {
    /* On the French site the French page is saved, under its /fr address
       (the worker keeps it apart from the English one). */
    var key = box.getAttribute("data-offline-save");
    if (/^\/fr\//.test(location.pathname) && key && key.indexOf("/fr/") !== 0) { key = "/fr" + key; }
    var button = box.querySelector("button");
    var status = box.querySelector(".offline-save-status");
    var nameEl = document.getElementById("case-name");
    var name = nameEl ? nameEl.textContent.trim() : "";
    var saving = false;

    var showSaved = function (iso) {
      button.textContent = msg("Update saved copy");
      status.textContent = msg("Saved on this device on {date}.", { date: when(iso) });
    };

    ask({ type: "status", url: key }).then(function (r) {
      box.hidden = false;
      if (r.saved) { showSaved(r.savedAt); }
    }, function () { /* no worker: the button stays hidden */ });

    button.addEventListener("click", function () {
      if (saving) { return; }
      saving = true;
      button.disabled = true;
      status.textContent = msg("Saving…");
      /* Ask the browser not to clear saved pages when the phone runs low
         on space (some browsers ask the visitor; it may be refused). */
      if (navigator.storage && navigator.storage.persist) {
        navigator.storage.persist().catch(function () { /* kept as best effort */ });
      }
      ask({ type: "save", url: key, name: name }).then(function (r) {
        if (r.ok) {
          showSaved(r.savedAt);
        } else if (r.gone) {
          status.textContent = msg("This appeal has ended, so it was not saved. Reload the page for the latest.");
        } else if (r.offline) {
          status.textContent = msg("Could not save: there is no connection. Try again when you have signal.");
        } else {
          /* The worker's reasons are English message ids with their
             arguments ({status}). */
          status.textContent = msg("Could not save this page ({error}). Try again later.", { error: r.error ? msg(r.error, r) : msg("unknown problem") });
        }
      }, function (err) {
        status.textContent = msg("Could not save this page ({error}). Try again later.", { error: msg(err.message) });
      }).then(function () {
        saving = false;
        button.disabled = false;
      });
    });
  }

  /* --- the saved list (/saved) --- */
  if (!list) { return; }
  var nojs = document.getElementById("saved-nojs");
  var area = document.getElementById("saved");
  var listStatus = document.getElementById("saved-status");
  var empty = document.getElementById("saved-empty");
  area.hidden = false;
  if (!supported) {
    listStatus.textContent = msg("This browser cannot keep pages for use without signal. Try a current version of Chrome, Firefox, Safari or Edge.");
    return;
  }
  if (nojs) { nojs.hidden = true; }

  function render(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    empty.hidden = items.length > 0;
    items.forEach(function (it) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = it.url;
      a.textContent = it.name;
      var time = document.createElement("span");
      time.className = "saved-when";
      time.textContent = msg("Saved on {date}", { date: when(it.savedAt) });
      var rm = document.createElement("button");
      rm.type = "button";
      rm.className = "button button-secondary";
      rm.textContent = msg("Remove");
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + msg("{name} from this device", { name: it.name });
      rm.appendChild(hidden);
      rm.addEventListener("click", function () {
        rm.disabled = true;
        ask({ type: "remove", url: it.url }).then(function () {
          li.parentNode.removeChild(li);
          empty.hidden = list.children.length > 0;
          listStatus.textContent = msg("Removed {name} from this device.", { name: it.name });
        }, function (err) {
          rm.disabled = false;
          listStatus.textContent = msg("Could not remove {name} ({error}).", { name: it.name, error: msg(err.message) });
        });
      });
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(time);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(rm);
      list.appendChild(li);
    });
  }

  var online = navigator.onLine !== false;
  var loadingText = online ? msg("Checking saved cases for updates…") : msg("Loading the cases saved on this device…");
  var unavailableText = msg("Saving pages is not available in this browser window (private browsing can block it).");
  listStatus.textContent = loadingText;
  /* A browser that refuses service workers here (some private windows)
     never has one ready: say so rather than wait for ever. */
  var slow = setTimeout(function () {
    listStatus.textContent = unavailableText;
  }, 15000);
  navigator.serviceWorker.ready.then(function () {
    clearTimeout(slow);
    if (listStatus.textContent === unavailableText) {
      listStatus.textContent = loadingText;
    }
  });
  ask({ type: "list", recheck: online }).then(function (r) {
    var items = r.items || [];
    render(items);
    var text = msgN("{n} case is saved on this device.", "{n} cases are saved on this device.", items.length);
    if (r.removed && r.removed.length) {
      text = msg("Removed because the appeal has ended: {names}.", { names: r.removed.join(", ") }) + " " + text;
    }
    if (r.offline || !online) {
      text += " " + msg("You are offline: check for updates when you have signal.");
    }
    list.setAttribute("data-loaded", "true");
    listStatus.textContent = text;
  }, function (err) {
    listStatus.textContent = msg("Could not read the saved cases ({error}).", { error: msg(err.message) });
  });
})();
