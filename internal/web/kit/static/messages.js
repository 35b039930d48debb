/* Missing Persons NL: the scripts' messages in the page's language
   (issue 18), for scripts.js, map.js and offline.js, which load after
   this file (it comes first in the head of both layouts; defer keeps the
   order). The layout writes the messages, translated, as JSON in
   <body data-messages> on pages that are not English
   (internal/web/kit/client.go); a message is looked up by its English
   text, which is used as it is when there is none (English pages, a page
   saved before it existed). */
(function () {
  "use strict";

  var clientBlock = null;
  function block() {
    if (clientBlock === null) {
      clientBlock = {};
      var data = document.body && document.body.getAttribute("data-messages");
      if (data && window.JSON) {
        try { clientBlock = JSON.parse(data) || {}; } catch (e) { clientBlock = {}; }
      }
    }
    return clientBlock;
  }
  function fill(s, args) {
    return s.replace(/\{([a-z_]+)\}/g, function (all, name) {
      return args && Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : all;
    });
  }
  /* locale is the locale for dates and numbers: the page's language. */
  function locale() { return block().lang === "fr" ? "fr-CA" : "en-CA"; }

  window.LostInNLMessages = {
    msg: function (id, args) {
      var m = block().messages;
      return fill(m && typeof m[id] === "string" ? m[id] : id, args);
    },
    /* msgN is a message that counts: French takes the singular for 0 and 1. */
    msgN: function (one, other, n, args) {
      var b = block();
      var forms = b.plurals && b.plurals[one];
      var singular = b.lang === "fr" ? (n === 0 || n === 1) : n === 1;
      var s = forms && typeof forms[0] === "string" ? forms[singular ? 0 : 1] : (singular ? one : other);
      args = args || {};
      args.n = n.toLocaleString ? n.toLocaleString(locale()) : String(n);
      return fill(s, args);
    },
    locale: locale,
    /* fill puts args into a message's {names} (for a message split around
       a link, as map.js does). */
    fill: fill
  };
})();
