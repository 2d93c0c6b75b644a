/* errdex search: finds a code or a symptom as you type, with no server.
 *
 * The index (search-index.js, and for large sites search/*.js shards) is
 * loaded with <script> tags, so this works from file:// as well as over http.
 * Text rules mirror src/search/text.rs; tests/data/search-vectors.json holds
 * the cases both implementations must agree on. */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var S = (window.errdexSearch = window.errdexSearch || {});

  // ---- Text: the same rules as the index builder -------------------------

  var STOP = new Set(("a an and are as at be been by do does for from how i in is it its me my of on or our " +
    "that the this to was we were what when why with you your").split(" "));
  var MARKS = /[\u0300-\u036f]/g;
  var PIECE = /[\p{Alphabetic}\p{N}_.\-]+/gu;
  var NUMERIC = /^\p{N}+$/u;
  var DIGIT = /\p{N}/u;
  var LETTERS = /^\p{Alphabetic}+$/u;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").toLowerCase();
  }

  function trimJoiners(s) {
    return s.replace(/^[_.\-]+|[_.\-]+$/g, "");
  }

  function pieces(folded) {
    return (folded.match(PIECE) || []).map(trimJoiners).filter(Boolean);
  }

  function length(s) {
    return Array.from(s).length;
  }

  function tokensOfPiece(piece) {
    var out = [piece];
    function push(part) {
      var keep = length(part) > 1 || NUMERIC.test(part);
      if (keep && part && out.indexOf(part) < 0) out.push(part);
    }
    piece.split(/[_.\-]/).filter(Boolean).forEach(function (segment) {
      push(segment);
      var chars = Array.from(segment);
      var start = 0;
      var previous = null;
      for (var i = 0; i < chars.length; i++) {
        var digit = DIGIT.test(chars[i]);
        if (previous !== null && previous !== digit) {
          push(chars.slice(start, i).join(""));
          start = i;
        }
        previous = digit;
      }
      if (start > 0) push(chars.slice(start).join(""));
    });
    return out;
  }

  function undouble(w) {
    var chars = Array.from(w);
    var a = chars[chars.length - 1];
    var b = chars[chars.length - 2];
    if (a !== undefined && a === b && "aeiouylsz".indexOf(a) < 0) chars.pop();
    return chars.join("");
  }

  function stem(word) {
    if (length(word) <= 3 || !LETTERS.test(word)) return word;
    var w = word;
    var end = function (s) { return w.slice(-s.length) === s; };
    if (end("ies") && length(w) > 4) w = w.slice(0, -3) + "y";
    else if (end("sses")) w = w.slice(0, -2);
    else if (end("s") && !end("ss") && !end("us") && !end("is")) w = w.slice(0, -1);
    if (end("ied") && length(w) > 4) w = w.slice(0, -3) + "y";
    else if (end("ing") && length(w) >= 6) w = undouble(w.slice(0, -3));
    else if (end("ed") && length(w) >= 5) w = undouble(w.slice(0, -2));
    else if (end("ation") && length(w) >= 8) w = w.slice(0, -5);
    if (end("e") && length(w) >= 4) w = w.slice(0, -1);
    return w;
  }

  function terms(text) {
    var out = [];
    pieces(fold(text)).forEach(function (piece) {
      tokensOfPiece(piece).forEach(function (token) {
        if (!STOP.has(token)) out.push(stem(token));
      });
    });
    return out;
  }

  S.fold = fold;
  S.stem = stem;
  S.terms = terms;

  // ---- The index -------------------------------------------------------

  var index = null;         // the metadata object from search-index.js
  var termTable = {};       // term -> encoded postings (or decoded array)
  var shardTerms = {};      // shard key -> array of its terms
  var docs = [];            // doc id -> [code, title, summary, category, aliases, variant anchor]
  var removed = new Set();  // doc ids of removed codes
  var codeMap = null;       // folded code -> doc id
  var sortedCodes = null;   // [folded code, doc id] sorted by code, for prefixes
  var pending = {};         // src -> promise
  var shardSet = null;

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGITS = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGITS[ALPHABET.charAt(a)] = a;

  function decode(text) {
    var out = [];
    var value = 0;
    var shift = 0;
    var doc = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGITS[text.charAt(i)];
      value += (digit & 31) * Math.pow(2, shift);
      shift += 5;
      if (digit < 32) {
        doc += Math.floor(value / 8);
        out.push(doc, value % 8);
        value = 0;
        shift = 0;
      }
    }
    return out;
  }

  function postingsOf(term) {
    var p = termTable[term];
    if (typeof p === "string") p = termTable[term] = decode(p);
    return p || null;
  }

  S.load = function (meta) {
    index = meta;
    removed = new Set(meta.removed || []);
    codeMap = new Map();
    if (meta.docs) {
      docs = meta.docs;
      docs.forEach(function (d, i) {
        // A variant (d[5] is its anchor) is found by its type, not by its entry's code.
        if (!d[5]) codeMap.set(fold(d[0]), i);
        (d[4] || []).forEach(function (alias) { codeMap.set(fold(alias), i); });
      });
      addTerms(meta.terms);
    } else {
      meta.codes.forEach(function (code, i) { codeMap.set(fold(code), i); });
      Object.keys(meta.aliases).forEach(function (alias) { codeMap.set(fold(alias), meta.aliases[alias]); });
      shardSet = new Set(meta.shards);
    }
    Object.keys(meta.redirects || {}).forEach(function (code) { codeMap.set(fold(code), meta.redirects[code]); });
    sortedCodes = [];
    codeMap.forEach(function (doc, code) { sortedCodes.push([code, doc]); });
    sortedCodes.sort(function (x, y) { return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0; });
  };

  /* Codes starting with `prefix`, shortest first (binary search, then a scan of the range). */
  function codesWithPrefix(prefix, limit) {
    var lo = 0;
    var hi = sortedCodes.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sortedCodes[mid][0] < prefix) lo = mid + 1;
      else hi = mid;
    }
    var found = [];
    for (var i = lo; i < sortedCodes.length && sortedCodes[i][0].indexOf(prefix) === 0 && found.length < 10000; i++) {
      if (sortedCodes[i][0] !== prefix) found.push(sortedCodes[i]);
    }
    found.sort(function (x, y) { return x[0].length - y[0].length || x[1] - y[1]; });
    return found.slice(0, limit);
  }

  function addTerms(table, key) {
    var list = Object.keys(table);
    list.forEach(function (term) {
      termTable[term] = table[term];
      var k = shardKey(term);
      (shardTerms[k] = shardTerms[k] || []).push(term);
    });
    if (key && !shardTerms[key]) shardTerms[key] = [];
  }

  // Called by search/t-*.js shards.
  S.shard = function (key, table) {
    addTerms(table, key);
  };
  // Called by search/d-*.js shards.
  S.docs = function (n, list) {
    var start = n * index.docs_per_shard;
    list.forEach(function (d, i) { docs[start + i] = d; });
  };

  function loadScript(src) {
    if (pending[src]) return pending[src];
    pending[src] = new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = root + src;
      tag.async = true;
      tag.onload = function () { resolve(); };
      tag.onerror = function () { delete pending[src]; reject(new Error("cannot load " + src)); };
      document.head.appendChild(tag);
    });
    return pending[src];
  }

  /* The index files loaded so far, relative to the site root (for benchmarks). */
  S.loaded = function () { return Object.keys(pending); };

  function ready() {
    return loadScript("search-index.js");
  }

  function shardKey(term) {
    var chars = Array.from(term);
    if (chars.length === 0) return "__";
    return chars[0] + (chars.length > 1 ? chars[1] : "_");
  }

  function hex(key) {
    return Array.from(new TextEncoder().encode(key)).map(function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function loadShards(keys) {
    if (!shardSet) return Promise.resolve();
    var wanted = keys.filter(function (k) { return shardSet.has(k) && !shardTerms[k]; });
    return Promise.all(wanted.map(function (k) { return loadScript("search/t-" + hex(k) + ".js"); }));
  }

  function loadDocs(ids) {
    if (index.docs) return Promise.resolve();
    var shards = new Set();
    ids.forEach(function (id) { if (!docs[id]) shards.add(Math.floor(id / index.docs_per_shard)); });
    return Promise.all(Array.from(shards).map(function (n) { return loadScript("search/d-" + n + ".js"); }));
  }

  // ---- Queries ---------------------------------------------------------

  /* A query is a list of clauses, one per piece of text. A clause matches a
   * document that has the whole piece as a term, or every part of it. */
  function parse(query) {
    var folded = fold(query);
    var list = pieces(folded);
    var typing = !/\s$/.test(query);
    var clauses = [];
    list.forEach(function (piece, i) {
      var tokens = tokensOfPiece(piece).filter(function (t) { return !STOP.has(t); });
      if (!tokens.length) return;
      var whole = tokens[0] === piece ? tokens[0] : null;
      var parts = tokens.filter(function (t) { return t !== piece; });
      clauses.push({
        raw: tokens,
        whole: whole,
        parts: parts,
        prefix: typing && i === list.length - 1
      });
    });
    return { folded: folded.trim(), pieces: list, clauses: clauses, typing: typing };
  }

  function neededShards(q) {
    var keys = [];
    q.clauses.forEach(function (c) {
      c.raw.forEach(function (t) { keys.push(shardKey(t), shardKey(stem(t))); });
    });
    return keys;
  }

  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a.charAt(i) === b.charAt(i)) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function candidates(token) {
    var key = shardKey(token);
    if (shardTerms[key]) return shardTerms[key];
    return [];
  }

  /* Scores of documents: a dense array (0 = no match) and the documents it
   * touched. Typed arrays rather than Maps: a common word in a catalog of
   * 100,000 entries matches tens of thousands of documents. */
  var NONE = new Float32Array(0);
  function Scores(n) {
    this.n = n;
    this.score = NONE; // allocated on the first match: most tokens of a pasted line match nothing
    this.docs = [];
  }
  Scores.prototype.dense = function () {
    if (this.score === NONE) this.score = new Float32Array(this.n);
    return this.score;
  };
  Scores.prototype.raise = function (doc, s) {
    var score = this.dense();
    var old = score[doc];
    if (old === 0) this.docs.push(doc);
    if (s > old) score[doc] = s;
  };

  /* Where `doc` is in postings `p` ([doc, class, ...], docs ascending), or -1. */
  function find(p, doc) {
    var lo = 0;
    var hi = p.length / 2;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (p[2 * mid] < doc) lo = mid + 1;
      else hi = mid;
    }
    return lo < p.length / 2 && p[2 * lo] === doc ? 2 * lo : -1;
  }

  /* Documents matching one token, with their best score; only those among
   * `within` (a Scores) when it is given. */
  function matchToken(token, prefix, n, within) {
    var scores = new Scores(n);
    var stemmed = stem(token);
    function add(term, quality) {
      var p = postingsOf(term);
      if (!p) return;
      var idf = Math.log(1 + n / (p.length / 2));
      var weights = index.weights;
      if (within && within.docs.length * 16 < p.length / 2) {
        // A few candidates against a long list: look each one up.
        within.docs.forEach(function (doc) {
          var at = find(p, doc);
          if (at >= 0) scores.raise(doc, weights[p[at + 1]] * quality * idf);
        });
        return;
      }
      var allowed = within ? within.score : null;
      for (var i = 0; i < p.length; i += 2) {
        var doc = p[i];
        if (allowed && !(allowed[doc] > 0)) continue;
        scores.raise(doc, weights[p[i + 1]] * quality * idf);
      }
    }
    add(stemmed, 1);
    if (stemmed !== token) add(token, 1);
    var letters = LETTERS.test(token);
    var typo = letters && length(token) >= 5;
    if (prefix || typo) {
      var list = candidates(token);
      for (var i = 0; i < list.length; i++) {
        var term = list[i];
        if (term === stemmed || term === token) continue;
        if (prefix && length(token) >= 2 &&
            (term.indexOf(token) === 0 || (token.indexOf(term) === 0 && length(term) >= 4 && letters))) {
          add(term, 0.8);
        } else if (typo && withinOneEdit(term, stemmed)) {
          add(term, 0.6);
        }
      }
    }
    return scores;
  }

  /* Documents in every one of `all`, with the sum of their scores. */
  function intersect(all, n) {
    if (all.length === 1) return all[0];
    var out = new Scores(n);
    if (!all.length) return out;
    var smallest = all.reduce(function (a, b) { return b.docs.length < a.docs.length ? b : a; });
    smallest.docs.forEach(function (doc) {
      var total = 0;
      for (var i = 0; i < all.length; i++) {
        var s = all[i].score[doc];
        if (!(s > 0)) return;
        total += s;
      }
      out.raise(doc, total);
    });
    return out;
  }

  function matchClause(clause, n, within) {
    var result = clause.whole ? matchToken(clause.whole, clause.prefix && !clause.parts.length, n, within) : new Scores(n);
    if (clause.parts.length) {
      var parts = intersect(clause.parts.map(function (part, i) {
        return matchToken(part, clause.prefix && i === clause.parts.length - 1, n, within);
      }), n);
      parts.docs.forEach(function (doc) { result.raise(doc, parts.score[doc]); });
    }
    return result;
  }

  /* Documents that match every clause (clauses that match nothing in the
   * catalog are ignored), scores summed in clause order; null when no
   * document has them all. The rarest clause goes first and each one after
   * looks only at the documents still in the running: a pasted error body
   * is full of words ("error", "code", "message") in nearly every entry. */
  function everyClause(clauses, n) {
    function size(c) {
      // Prefix and typo expansions are unknown until run: they go last.
      if (c.prefix) return Infinity;
      var p = postingsOf(stem(c.whole || c.raw[0]));
      return p ? p.length : 0;
    }
    var order = clauses.map(function (c, i) { return { clause: c, at: i, size: size(c) }; });
    order.sort(function (x, y) { return x.size - y.size || x.at - y.at; });
    var matched = [];
    var within = null;
    for (var k = 0; k < order.length; k++) {
      var m = matchClause(order[k].clause, n, within);
      if (!m.docs.length) {
        if (within && matchClause(order[k].clause, n).docs.length) return null;
        continue;
      }
      matched[order[k].at] = m;
      within = m;
    }
    // Each clause looked only at the documents of the one before: the last
    // is the intersection, and this sums the scores in clause order.
    return intersect(matched.filter(Boolean), n);
  }

  /* Ranks documents: exact codes first, then code prefixes, then text
   * matches. Returns how many matched and the best `limit`, in order; only
   * those are sorted. */
  function rank(q, limit) {
    var n = index.n;
    var hits = new Map(); // doc -> {tier, score}: codes, a few at most
    function hit(doc, tier, score) {
      // Removed codes are found by their exact code only.
      if (tier < 3 && removed.has(doc)) return;
      var h = hits.get(doc);
      if (!h || tier > h.tier || (tier === h.tier && score > h.score)) hits.set(doc, { tier: tier, score: score });
    }
    var order = 0;
    var seen = [q.folded].concat(q.pieces);
    q.clauses.forEach(function (c) { seen = seen.concat(c.raw); });
    seen.forEach(function (token) {
      var doc = codeMap.get(token);
      if (doc !== undefined) hit(doc, 3, 1e6 - order++);
    });
    var exactCodes = hits.size;
    if (q.pieces.length === 1 && q.typing) {
      codesWithPrefix(q.pieces[0], 50).forEach(function (m, i) { hit(m[1], 2, 1000 - i); });
    }
    var text = everyClause(q.clauses, n);
    if (!text) {
      var maps = q.clauses.map(function (c) { return matchClause(c, n); }).filter(function (m) { return m.docs.length; });
      text = intersect(maps, n);
    }
    if (!text.docs.length && maps && maps.length > 1 && !exactCodes) {
      // Nothing has every word (a pasted log line, say): rank by how many words match.
      maps.forEach(function (m) {
        m.docs.forEach(function (doc) {
          text.raise(doc, (text.score[doc] || 0) + 1000 + m.score[doc]);
        });
      });
    }
    var before = function (x, y) { return y.tier - x.tier || y.score - x.score || x.doc - y.doc; };
    var best = [];
    hits.forEach(function (h, doc) { best.push({ doc: doc, tier: h.tier, score: h.score }); });
    best.sort(before);
    var total = best.length;
    // The text matches' best `limit`, kept sorted by insertion: most fail the
    // first comparison with the worst kept, so this stays linear.
    var top = [];
    var found = text.docs;
    var score = text.score;
    for (var j = 0; j < found.length; j++) {
      var doc = found[j];
      if (hits.has(doc) || (removed.size && removed.has(doc))) continue;
      total++;
      var s = score[doc];
      var worst = top[limit - 1];
      if (worst && (s < worst.score || (s === worst.score && doc > worst.doc))) continue;
      var item = { doc: doc, tier: 1, score: s };
      var i = top.length;
      while (i > 0 && before(item, top[i - 1]) < 0) i--;
      top.splice(i, 0, item);
      if (top.length > limit) top.pop();
    }
    return { total: total, top: best.concat(top).slice(0, limit) };
  }

  /* Runs a query; resolves to ranked results with their documents loaded. */
  S.search = function (query, limit) {
    limit = limit || 10;
    return ready().then(function () {
      var q = parse(query);
      if (!q.folded) return { query: query, total: 0, results: [] };
      return loadShards(neededShards(q)).then(function () {
        var ranked = rank(q, limit);
        var top = ranked.top;
        var ids = top.map(function (r) { return r.doc; });
        if (index.fallback !== null && index.fallback !== undefined) ids.push(index.fallback);
        return loadDocs(ids).then(function () {
          return {
            query: query,
            parsed: q,
            total: ranked.total,
            results: top.map(function (r) {
              var d = docs[r.doc];
              return {
                doc: r.doc,
                code: d[0],
                title: d[1],
                summary: d[2],
                category: index.categories[d[3]] || "",
                aliases: d[4] || [],
                anchor: d[5] || "",
                removed: removed.has(r.doc),
                tier: r.tier,
                score: r.score,
                path: pathOf(d[0]) + (d[5] ? "#" + encodeURIComponent(d[5]) : "")
              };
            })
          };
        });
      });
    });
  };

  function pathOf(code) {
    return "errors/" + encodeURIComponent(code) + "/index.html";
  }

  // ---- The search box --------------------------------------------------

  var input = document.getElementById("search-input");
  if (!input) return;
  var form = input.form;
  var popup = document.createElement("div");
  popup.className = "search-popup";
  popup.hidden = true;
  var status = document.createElement("p");
  status.className = "search-status";
  status.id = "search-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  var listbox = document.createElement("ul");
  listbox.id = "search-listbox";
  listbox.className = "search-listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Search results");
  var fallbackBox = document.createElement("div");
  fallbackBox.className = "search-fallback";
  popup.appendChild(status);
  popup.appendChild(listbox);
  popup.appendChild(fallbackBox);
  form.appendChild(popup);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "search-listbox");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-describedby", "search-status");

  var active = -1;
  var current = [];
  var generation = 0;

  function open(show) {
    popup.hidden = !show;
    input.setAttribute("aria-expanded", String(show));
    if (!show) setActive(-1);
  }

  function setActive(i) {
    var options = listbox.children;
    if (active >= 0 && options[active]) {
      options[active].classList.remove("active");
      options[active].setAttribute("aria-selected", "false");
    }
    active = i;
    if (i >= 0 && options[i]) {
      options[i].classList.add("active");
      options[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Appends `text` to `parent`, wrapping words that match the query in <mark>. */
  function highlight(parent, text, q) {
    var stems = new Set();
    var prefixes = [];
    q.clauses.forEach(function (c) {
      c.raw.forEach(function (t) {
        stems.add(stem(t));
        stems.add(t);
        if (c.prefix) prefixes.push(t);
      });
    });
    var last = 0;
    var word = /[\p{Alphabetic}\p{N}]+/gu;
    var m;
    while ((m = word.exec(text))) {
      var f = fold(m[0]);
      var s = stem(f);
      var match = stems.has(f) || stems.has(s) || prefixes.some(function (p) { return p.length >= 2 && f.indexOf(p) === 0; });
      if (!match) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el("mark", "", m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function go(path) {
    window.location.href = root + path;
  }

  function render(answer) {
    current = answer.results;
    listbox.textContent = "";
    fallbackBox.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var q = answer.parsed;
    answer.results.forEach(function (r, i) {
      var li = el("li", "search-option");
      li.id = "search-option_" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var head = el("span", "search-head");
      head.appendChild(el("span", "code", r.code));
      var title = el("span", "search-title");
      highlight(title, r.title, q);
      head.appendChild(title);
      head.appendChild(el("span", "search-category", r.category));
      li.appendChild(head);
      var summary = el("span", "search-summary");
      highlight(summary, r.summary, q);
      li.appendChild(summary);
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { go(r.path); });
      listbox.appendChild(li);
    });
    var shown = answer.results.length;
    if (answer.total === 0) {
      status.textContent = "No results for “" + answer.query.trim() + "”.";
      renderFallback();
    } else if (answer.total > shown) {
      status.textContent = answer.total + " results; showing the first " + shown + ".";
    } else {
      status.textContent = answer.total === 1 ? "1 result." : answer.total + " results.";
    }
    listbox.hidden = shown === 0;
    open(true);
  }

  function renderFallback() {
    var id = index && index.fallback;
    if (id === null || id === undefined || !docs[id]) return;
    var d = docs[id];
    var p = el("p", "", "Not listed? ");
    var link = el("a", "", d[1]);
    link.href = root + pathOf(d[0]);
    p.appendChild(link);
    p.appendChild(document.createTextNode(": " + d[2]));
    fallbackBox.appendChild(p);
    if (index.fallback_steps.length) {
      var list = el("ol", "search-fallback-steps");
      index.fallback_steps.forEach(function (step) { list.appendChild(el("li", "", step)); });
      fallbackBox.appendChild(list);
    }
  }

  function run() {
    var value = input.value;
    var mine = ++generation;
    if (!value.trim()) {
      current = [];
      listbox.textContent = "";
      fallbackBox.textContent = "";
      status.textContent = "";
      open(false);
      return Promise.resolve();
    }
    return S.search(value, 10).then(function (answer) {
      if (mine === generation) render(answer);
    }, function () {
      if (mine === generation) {
        status.textContent = "Search is unavailable: its index could not be loaded.";
        open(true);
      }
    });
  }
  S.run = run;

  input.addEventListener("focus", function () {
    ready().catch(function () {});
    if (input.value.trim() && current.length) open(true);
  });
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (event) {
    var count = listbox.children.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (popup.hidden && input.value.trim()) { run(); return; }
      if (count) setActive(active < count - 1 ? active + 1 : 0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (count) setActive(active > 0 ? active - 1 : count - 1);
    } else if (event.key === "Enter") {
      var chosen = current[active >= 0 ? active : 0];
      if (chosen && !popup.hidden) {
        event.preventDefault();
        go(chosen.path);
      }
    } else if (event.key === "Escape") {
      if (!popup.hidden) {
        event.preventDefault();
        open(false);
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        run();
      }
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(function () {
      if (document.activeElement !== input) open(false);
    }, 150);
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    var k = event.key && event.key.toLowerCase();
    if ((event.key === "/" && !typing) || (k === "k" && (event.ctrlKey || event.metaKey))) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  var params = new URLSearchParams(window.location.search);
  var q = params.get("q");
  if (q) {
    input.value = q;
    run();
  }
})();
