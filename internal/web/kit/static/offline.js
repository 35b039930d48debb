/* Missing Persons NL: saving case pages for use without signal (issue 19).
   Loaded by open case pages and by /saved. The service worker (/sw.js,
   registered by scripts.js) does the saving; this file only asks it and
   shows the answers. Without JavaScript or a service worker, the button
   stays hidden and /saved says what is needed. Names are only ever put
   into the page with textContent. */
(function () {
  "use strict";

  var root = document.documentElement;

  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    try {
      return d.toLocaleString("en-CA", { dateStyle: "long", timeStyle: "short" });
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
    strong.textContent = "Saved on " + when(savedAt);
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" — check for updates when you have signal."));
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
        var timer = setTimeout(function () { reject(new Error("no answer")); }, 120000);
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
    var key = box.getAttribute("data-offline-save");
    var button = box.querySelector("button");
    var status = box.querySelector(".offline-save-status");
    var nameEl = document.getElementById("case-name");
    var name = nameEl ? nameEl.textContent.trim() : "";
    var saving = false;

    var showSaved = function (iso) {
      button.textContent = "Update saved copy";
      status.textContent = "Saved on this device on " + when(iso) + ".";
    };

    ask({ type: "status", url: key }).then(function (r) {
      box.hidden = false;
      if (r.saved) { showSaved(r.savedAt); }
    }, function () { /* no worker: the button stays hidden */ });

    button.addEventListener("click", function () {
      if (saving) { return; }
      saving = true;
      button.disabled = true;
      status.textContent = "Saving…";
      /* Ask the browser not to clear saved pages when the phone runs low
         on space (some browsers ask the visitor; it may be refused). */
      if (navigator.storage && navigator.storage.persist) {
        navigator.storage.persist().catch(function () { /* kept as best effort */ });
      }
      ask({ type: "save", url: key, name: name }).then(function (r) {
        if (r.ok) {
          showSaved(r.savedAt);
        } else if (r.gone) {
          status.textContent = "This appeal has ended, so it was not saved. Reload the page for the latest.";
        } else if (r.offline) {
          status.textContent = "Could not save: there is no connection. Try again when you have signal.";
        } else {
          status.textContent = "Could not save this page (" + (r.error || "unknown problem") + "). Try again later.";
        }
      }, function (err) {
        status.textContent = "Could not save this page (" + err.message + "). Try again later.";
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
    listStatus.textContent = "This browser cannot keep pages for use without signal. Try a current version of Chrome, Firefox, Safari or Edge.";
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
      time.textContent = "Saved on " + when(it.savedAt);
      var rm = document.createElement("button");
      rm.type = "button";
      rm.className = "button button-secondary";
      rm.textContent = "Remove";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + it.name + " from this device";
      rm.appendChild(hidden);
      rm.addEventListener("click", function () {
        rm.disabled = true;
        ask({ type: "remove", url: it.url }).then(function () {
          li.parentNode.removeChild(li);
          empty.hidden = list.children.length > 0;
          listStatus.textContent = "Removed " + it.name + " from this device.";
        }, function (err) {
          rm.disabled = false;
          listStatus.textContent = "Could not remove " + it.name + " (" + err.message + ").";
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
  listStatus.textContent = online ? "Checking saved cases for updates…" : "Loading the cases saved on this device…";
  /* A browser that refuses service workers here (some private windows)
     never has one ready: say so rather than wait for ever. */
  var slow = setTimeout(function () {
    listStatus.textContent = "Saving pages is not available in this browser window (private browsing can block it).";
  }, 15000);
  navigator.serviceWorker.ready.then(function () {
    clearTimeout(slow);
    if (listStatus.textContent.indexOf("Saving pages is not available") === 0) {
      listStatus.textContent = online ? "Checking saved cases for updates…" : "Loading the cases saved on this device…";
    }
  });
  ask({ type: "list", recheck: online }).then(function (r) {
    var items = r.items || [];
    render(items);
    var msg = items.length === 1 ? "1 case is saved on this device." : items.length + " cases are saved on this device.";
    if (r.removed && r.removed.length) {
      msg = "Removed because the appeal has ended: " + r.removed.join(", ") + ". " + msg;
    }
    if (r.offline || !online) {
      msg += " You are offline: check for updates when you have signal.";
    }
    list.setAttribute("data-loaded", "true");
    listStatus.textContent = msg;
  }, function (err) {
    listStatus.textContent = "Could not read the saved cases (" + err.message + ").";
  });
})();
