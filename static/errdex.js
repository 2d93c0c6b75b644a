/* errdex: progressive enhancements. Every page works without this file.
 *
 * errdex-loads-search: 1 (this script loads search.js; a site's own copy
 * without the line gets the outdated-search-script warning) */
(function () {
  "use strict";
  var doc = document.documentElement;
  var self = document.currentScript;
  // The path to the site root; a site's own base.html from before 0.3 names
  // it on the search.js tag only.
  var rootFrom = self && self.hasAttribute("data-root") ? self : document.querySelector("script[data-root]");
  var root = (rootFrom && rootFrom.getAttribute("data-root")) || "";
  var rooted = !!rootFrom;

  // An old address of search results (`?q=` on any page but the results
  // page and the 404 page) goes to the results page.
  var oldQuery = /[?&]q=([^&#]+)/.exec(location.search);
  if (oldQuery && rooted && !document.getElementById("results-list") && !document.getElementById("not-found-near")) {
    location.replace(root + "search/index.html?q=" + oldQuery[1]);
    return;
  }

  // Arrival from an alias's address (`?from=504`): the page says that the
  // code the reader came for is documented here, then drops the query.
  var from = /[?&]from=([^&#]*)/.exec(location.search);
  if (from) {
    var alias = "";
    try { alias = decodeURIComponent(from[1].replace(/\+/g, " ")); } catch (e) { /* malformed: no note */ }
    Array.prototype.forEach.call(document.querySelectorAll(".banner-arrival"), function (note) {
      if (note.getAttribute("data-alias") === alias) note.hidden = false;
    });
    if (history.replaceState) {
      var query = location.search.replace(/([?&])from=[^&#]*&?/, "$1").replace(/[?&]$/, "");
      history.replaceState(null, "", location.pathname + query + location.hash);
    }
  }

  // Pretty address bar: links name index.html so the site works from file://.
  if (location.protocol !== "file:" && /\/index\.html$/.test(location.pathname) && history.replaceState) {
    history.replaceState(null, "", location.pathname.slice(0, -10) + location.search + location.hash);
  }

  // Theme toggle: follows the system until the reader chooses, then remembers.
  var toggle = document.querySelector(".theme-toggle");
  function isDark() {
    var chosen = doc.dataset.theme;
    if (chosen) return chosen === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  if (toggle) {
    toggle.setAttribute("aria-pressed", String(isDark()));
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      doc.dataset.theme = next;
      try { localStorage.setItem("errdex-theme", next); } catch (e) { /* private mode */ }
      toggle.setAttribute("aria-pressed", String(next === "dark"));
    });
  }

  // The filter of a category's table: rows holding every word typed. A
  // category of several pages reads the others at the first keystroke and
  // filters them all; without them (file://, an error) it filters this page.
  var filter = document.getElementById("table-filter");
  var table = document.getElementById("codes");
  if (filter && table) {
    var body = table.tBodies[0];
    var own = Array.prototype.slice.call(body.rows);
    var ownSet = new Set(own);
    var rows = own;
    var count = document.getElementById("table-count");
    var initial = count.textContent;
    var pager = document.querySelector(".category-pager");
    var pages = (filter.getAttribute("data-pages") || "").split(" ").filter(Boolean);
    var current = Number(filter.getAttribute("data-page")) - 1;
    var total = Number(filter.getAttribute("data-count")) || own.length;
    var loading = null;
    var texts = new WeakMap();
    var textOf = function (row) {
      var t = texts.get(row);
      if (t === undefined) { t = row.textContent.toLowerCase(); texts.set(row, t); }
      return t;
    };
    var read = function (url) {
      var address = new URL(url, location.href);
      return fetch(address).then(function (r) {
        if (!r.ok) throw new Error(address + ": " + r.status);
        return r.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        return Array.prototype.map.call(page.querySelectorAll("#codes tbody tr"), function (row) {
          Array.prototype.forEach.call(row.querySelectorAll("a[href]"), function (a) {
            a.setAttribute("href", new URL(a.getAttribute("href"), address).href);
          });
          row = document.importNode(row, true);
          row.hidden = true;
          return row;
        });
      });
    };
    var apply = function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var match = words.length ? words.every(function (w) { return textOf(row).indexOf(w) >= 0; }) : ownSet.has(row);
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (pager) pager.hidden = words.length > 0;
      // Said whenever the rows searched are not the whole category: more
      // pages than are read, or one that could not be read.
      var where = rows.length < total ? " on this page" : "";
      count.textContent = words.length ? shown + " of " + rows.length + " codes" + where + " match" : initial;
    };
    filter.addEventListener("input", function () {
      if (!loading && pages.length > 1 && window.fetch && location.protocol !== "file:") {
        loading = Promise.all(pages.map(function (url, i) {
          return i === current ? Promise.resolve(own) : read(url);
        })).then(function (lists) {
          var all = [];
          lists.forEach(function (list) { all = all.concat(list); });
          // In page order: the rows of earlier pages go before this page's.
          all.forEach(function (row) { body.appendChild(row); });
          rows = all;
          apply();
        }, function () { /* this page alone */ });
      }
      apply();
    });
  }

  // Search (search.js and its index) loads when the reader first goes to the
  // search box: a page costs nothing for it until then. The results page and
  // the 404 page load it with themselves.
  var searchInput = document.getElementById("search-input");
  var searchLoad = null;
  function loadSearch() {
    if (!searchLoad) {
      var tag = document.querySelector('script[src$="search.js"]');
      if (!tag) {
        tag = document.createElement("script");
        tag.src = root + "search.js";
        tag.setAttribute("data-root", root);
        document.head.appendChild(tag);
      }
      searchLoad = window.errdexSearch && window.errdexSearch.run ? Promise.resolve() : new Promise(function (resolve, reject) {
        tag.addEventListener("load", function () { resolve(); });
        tag.addEventListener("error", reject);
      });
    }
    return searchLoad;
  }
  window.errdexLoadSearch = loadSearch;
  if (searchInput) {
    searchInput.addEventListener("focus", function () { loadSearch().catch(function () {}); });
    // "/" or Ctrl-K (Cmd-K) goes to the search box from anywhere on the page.
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      var k = event.key && event.key.toLowerCase();
      if ((event.key === "/" && !typing) || (k === "k" && (event.ctrlKey || event.metaKey))) {
        event.preventDefault();
        searchInput.focus();
        searchInput.select();
      }
    });
  }

  // Copy buttons: for the code, for the page link and for every code block.
  var status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      status.textContent = "Copied to the clipboard";
      setTimeout(function () { button.textContent = label; status.textContent = ""; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* nothing to do */ }
      document.body.removeChild(area);
    }
  }
  function wire(b, text) {
    b.addEventListener("click", function () { copy(text(), b); });
  }
  // The code and link buttons are in the page already, so nothing moves when this runs.
  var primary = document.querySelector(".entry-codes .code-primary");
  var canonical = document.querySelector('link[rel="canonical"]');
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (b) {
    wire(b, b.dataset.copy === "link" ? function () {
      return location.protocol === "file:" && canonical ? canonical.href : location.href.split("#")[0];
    } : function () { return primary ? primary.textContent : ""; });
  });
  // Code blocks get theirs here: placed over the block's corner, they shift nothing.
  Array.prototype.forEach.call(document.querySelectorAll("main pre"), function (pre) {
    var code = pre.querySelector("code") || pre;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-button";
    b.textContent = "Copy";
    b.setAttribute("aria-label", pre.classList.contains("message") ? "Copy this message" : "Copy this code");
    wire(b, function () { return code.textContent; });
    pre.appendChild(b);
  });
  window.errdexReady = true;
})();
