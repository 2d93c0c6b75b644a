/* errdex serve: reloads the page after each rebuild, and shows the problems
 * of a failed one over the page. Injected only by `errdex serve`. */
(function () {
  "use strict";
  var overlay = null;

  function show(diagnostics) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "errdex-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
      "background:#1d1f24;color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "padding:16px 20px;border-bottom:4px solid #e5484d;box-shadow:0 8px 30px rgba(0,0,0,.4)";
    var title = document.createElement("strong");
    title.textContent = "errdex: the site has " + diagnostics.length + (diagnostics.length === 1 ? " problem" : " problems") +
      "; showing the last good build";
    title.style.cssText = "display:block;color:#ff9592;margin-bottom:8px;font-size:15px";
    overlay.appendChild(title);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.setAttribute("aria-label", "Hide the problems");
    close.style.cssText = "position:absolute;top:12px;right:16px;font:inherit;color:#f4f4f5;background:#33363d;" +
      "border:1px solid #555;border-radius:4px;padding:2px 10px;cursor:pointer";
    close.addEventListener("click", hide);
    overlay.appendChild(close);
    diagnostics.forEach(function (d) {
      var item = document.createElement("div");
      item.className = "errdex-diagnostic";
      item.style.cssText = "margin:8px 0;white-space:pre-wrap";
      var where = document.createElement("span");
      where.className = "errdex-where";
      where.textContent = (d.file || "") + (d.line ? ":" + d.line + ":" + d.column : "") + " ";
      where.style.color = "#9cc3ff";
      var what = document.createElement("span");
      what.className = "errdex-message";
      what.textContent = d.severity + "[" + d.rule + "]: " + d.message + (d.hint ? "\n  help: " + d.hint : "");
      item.appendChild(where);
      item.appendChild(what);
      overlay.appendChild(item);
    });
    document.body.appendChild(overlay);
  }

  function hide() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }

  var failed = false;
  var source = new EventSource("/__errdex/events");
  source.addEventListener("errors", function (event) {
    failed = true;
    show(JSON.parse(event.data));
  });
  source.addEventListener("reload", function () {
    hide();
    location.reload();
  });
  source.addEventListener("ok", function () {
    if (failed) {
      failed = false;
      hide();
    }
  });
  window.errdexLive = { source: source };
})();
