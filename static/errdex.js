/* errdex: progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  var doc = document.documentElement;

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
})();
