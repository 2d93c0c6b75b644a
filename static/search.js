/* errdex search: finds a code, a pasted error message or a symptom as you
 * type, with no server.
 *
 * The index (search-index.js, and for large sites search/*.js shards) is
 * loaded with <script> tags, so this works from file:// as well as over
 * http. The text rules and the ranking are those of src/search/ (text.rs,
 * thesaurus.rs, engine.rs), step for step: `errdex search` answers as this
 * does, and a test holds the two to the same answers.
 *
 * errdex-search-index: 3 (the index format this script reads; a site's own
 * copy without the current number gets the outdated-search-script warning) */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var S = (window.errdexSearch = window.errdexSearch || {});

  // ---- The Snowball English (Porter2) stemmer ------------------------------
  // A port of rust-stemmers 1.2.0 (src/snowball/algorithms/english.rs):
  // porter2Stem(w) is Stemmer::create(Algorithm::English).stem(w) for every
  // string w; tests/search.rs compares the two on every word of the
  // relevance catalogs.
  function porter2Stem(word) {
    'use strict';
    var w; // the word being stemmed

    // Grouping tests; an index outside the word is never in or out of a grouping.
    function inG(g, i) { return i >= 0 && i < w.length && g.indexOf(w.charAt(i)) >= 0; }
    function isV(i) { return inG('aeiouy', i); }                        // v
    function nonV(i) { return i >= 0 && i < w.length && !isV(i); }     // non-v
    // shortv, tested just before position k:
    // (non-v_WXY v non-v) or (non-v v atlimit)
    function shortv(k) {
      return isV(k - 2) && (k - 1 >= 0 && !inG('aeiouywxY', k - 1) && nonV(k - 3) ||
        nonV(k - 1) && k === 2);
    }
    // [substring] among (...): the longest suffix of w listed in `re`, a
    // /(a|b|...)$/ regex (leftmost start = longest suffix). Returns it or ''.
    function suffix(re) { var m = re.exec(w); return m ? m[1] : ''; }
    // <- s : replace the last n characters by s.
    function to(n, s) { w = w.slice(0, w.length - n) + s; }

    function stem(s) {
      var yFound = false, p1, p2, i, k, sfx;
      w = s;

      // exception1: special whole words.
      var ex = {
        skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie',
        idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl',
        sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes'
      };
      if (ex.hasOwnProperty(w)) return ex[w];
      // not hop 3: words shorter than three characters are left alone.
      if (w.length < 3) return w;

      // prelude: drop one leading apostrophe, mark consonant y as Y.
      if (w.charAt(0) === "'") w = w.slice(1);
      for (i = 0; i < w.length; i++) {
        if (w.charAt(i) === 'y' && (i === 0 || isV(i - 1))) {
          w = w.slice(0, i) + 'Y' + w.slice(i + 1);
          yFound = true;
        }
      }

      // mark_regions: p1 = R1 start (or after gener/commun/arsen), p2 = R2 start.
      p1 = p2 = w.length;
      sfx = /^(gener|commun|arsen)/.exec(w);
      i = sfx ? sfx[0].length : vnv(0);
      if (i >= 0) {
        p1 = i;
        i = vnv(p1);
        if (i >= 0) p2 = i;
      }

      // Step_1a
      to(suffix(/('|'s|'s')$/).length, '');
      sfx = suffix(/(sses|ied|ies|s|ss|us)$/);
      k = w.length - sfx.length;
      if (sfx === 'sses') to(4, 'ss');
      else if (sfx === 'ied' || sfx === 'ies') to(3, k >= 2 ? 'i' : 'ie'); // hop 2 <-'i' or <-'ie'
      else if (sfx === 's') {                                              // next gopast v delete
        for (i = k - 2; i >= 0 && !isV(i); i--) {}
        if (i >= 0) to(1, '');
      }

      // exception2: whole words left as they are after Step_1a.
      if (!/^(inning|outing|canning|herring|earring|proceed|exceed|succeed)$/.test(w)) {
        // Step_1b
        sfx = suffix(/(eed|eedly|ed|edly|ing|ingly)$/);
        k = w.length - sfx.length;
        if (sfx === 'eed' || sfx === 'eedly') {
          if (p1 <= k) to(sfx.length, 'ee');
        } else if (sfx) {
          for (i = k - 1; i >= 0 && !isV(i); i--) {}                      // test gopast v
          if (i >= 0) {
            to(sfx.length, '');
            sfx = suffix(/(at|bl|iz|bb|dd|ff|gg|mm|nn|pp|rr|tt)$/);
            if (sfx && sfx.charAt(0) === sfx.charAt(1)) to(1, '');   // bb dd ... tt: [next] delete
            else if (sfx || (k === p1 && shortv(k))) w += 'e';    // at bl iz, or '' (atmark p1 test shortv): <+'e'
          }
        }

        // Step_1c: final y/Y after a non-vowel that is not the first letter -> i
        k = w.length;
        if (/[yY]$/.test(w) && nonV(k - 2) && k - 2 > 0) to(1, 'i');

        // Step_2 (in R1)
        sfx = suffix(/(tional|enci|anci|abli|entli|izer|ization|ational|ation|ator|alism|aliti|alli|fulness|ousli|ousness|iveness|iviti|biliti|bli|ogi|fulli|lessli|li)$/);
        k = w.length - sfx.length;
        if (sfx && p1 <= k) {
          if (sfx === 'ogi') { if (w.charAt(k - 1) === 'l') to(3, 'og'); }
          else if (sfx === 'li') { if (inG('cdeghkmnrt', k - 1)) to(2, ''); }
          else to(sfx.length, {
            tional: 'tion', enci: 'ence', anci: 'ance', abli: 'able', entli: 'ent',
            izer: 'ize', ization: 'ize', ational: 'ate', ation: 'ate', ator: 'ate',
            alism: 'al', aliti: 'al', alli: 'al', fulness: 'ful', ousli: 'ous', ousness: 'ous',
            iveness: 'ive', iviti: 'ive', biliti: 'ble', bli: 'ble', fulli: 'ful', lessli: 'less'
          }[sfx]);
        }

        // Step_3 (in R1; ative in R2)
        sfx = suffix(/(tional|ational|alize|icate|iciti|ical|ful|ness|ative)$/);
        k = w.length - sfx.length;
        if (sfx && p1 <= k && (sfx !== 'ative' || p2 <= k)) {
          to(sfx.length, {
            tional: 'tion', ational: 'ate', alize: 'al', icate: 'ic', iciti: 'ic', ical: 'ic'
          }[sfx] || '');
        }

        // Step_4 (in R2; ion after s or t)
        sfx = suffix(/(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ism|ate|iti|ous|ive|ize|ion)$/);
        k = w.length - sfx.length;
        if (sfx && p2 <= k && (sfx !== 'ion' || /[st]/.test(w.charAt(k - 1)))) to(sfx.length, '');

        // Step_5: e (R2, or R1 and not shortv), l (R2 and after l)
        k = w.length - 1;
        sfx = w.charAt(k);
        if (sfx === 'e' && (p2 <= k || p1 <= k && !shortv(k)) ||
            sfx === 'l' && p2 <= k && w.charAt(k - 1) === 'l') to(1, '');
      }

      // postlude: Y back to y.
      return yFound ? w.replace(/Y/g, 'y') : w;
    }

    // Position just after "gopast v gopast non-v" starting at i, or -1.
    function vnv(i) {
      while (i < w.length && !isV(i)) i++;
      while (i < w.length && isV(i)) i++;
      return i < w.length ? i + 1 : -1;
    }

    // rust-stemmers counts characters (code points). Give each astral character
    // (a surrogate pair) a one-unit stand-in, \uFFFF. Like every non-ASCII
    // character it is never a vowel, never matched and never deleted, so the
    // saved originals can be put back in order at the end. A real \uFFFF is
    // saved the same way.
    var saved = [];
    w = stem(String(word).replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|\uFFFF/g, function (m) {
      saved.push(m);
      return '\uFFFF';
    }));
    return saved.length ? w.replace(/\uFFFF/g, function () { return saved.shift(); }) : w;
  }

  // ---- Text (src/search/text.rs) -----------------------------------------

  var STOP = new Set(("a an and are as at be been by do does for from how i in is it its me my of on or our " +
    "that the this to was we were what when why with you your").split(" "));
  var MARKS = /[\u0300-\u036f]/g;
  var WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;
  var JOINER = /[_.\-]/;
  var ALPHA = /\p{Alphabetic}/u;
  var NUMERIC = /^\p{N}+$/u;
  var NUM = /\p{N}/u;
  var LETTERS = /^\p{Alphabetic}+$/u;
  var UPPER = /\p{Uppercase}/u;
  var LOWER = /\p{Lowercase}/u;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").toLowerCase();
  }

  function chars(s) { return Array.from(s); }

  /* Runs of word characters and joiners, trimmed of joiners; an apostrophe
   * between two letters is dropped. */
  function pieces(text) {
    var cs = chars(text);
    var out = [];
    var current = "";
    function push() {
      var trimmed = current.replace(/^[_.\-]+|[_.\-]+$/g, "");
      if (trimmed) out.push(trimmed);
      current = "";
    }
    for (var i = 0; i < cs.length; i++) {
      var c = cs[i];
      if (WORD_CHAR.test(c) || JOINER.test(c)) {
        current += c;
        continue;
      }
      if ((c === "'" || c === "\u2019") && i > 0 && ALPHA.test(cs[i - 1]) && i + 1 < cs.length && ALPHA.test(cs[i + 1])) {
        continue;
      }
      push();
    }
    push();
    return out;
  }

  function splitWords(segment) {
    var cs = chars(segment);
    var out = [];
    var start = 0;
    for (var k = 1; k < cs.length; k++) {
      var c = cs[k], p = cs[k - 1], next = cs[k + 1];
      var boundary = NUM.test(p) !== NUM.test(c) ||
        (LOWER.test(p) && UPPER.test(c)) ||
        (UPPER.test(p) && UPPER.test(c) && next !== undefined && LOWER.test(next));
      if (boundary) {
        out.push(cs.slice(start, k).join(""));
        start = k;
      }
    }
    out.push(cs.slice(start).join(""));
    return out;
  }

  function keepWord(folded) {
    return chars(folded).length > 1 || NUMERIC.test(folded);
  }

  function termOf(folded, english) {
    return english && LETTERS.test(folded) ? porter2Stem(folded) : folded;
  }

  function analyze(text, english) {
    var a = { pieces: [], words: [] };
    pieces(text).forEach(function (raw) {
      var index = a.pieces.length;
      var first = a.words.length;
      raw.split(/[_.\-]/).filter(Boolean).forEach(function (segment) {
        splitWords(segment).forEach(function (word) {
          var folded = fold(word);
          if (!keepWord(folded)) return;
          a.words.push({ folded: folded, term: termOf(folded, english), stop: STOP.has(folded), piece: index });
        });
      });
      a.pieces.push({ whole: fold(raw), first: first, end: a.words.length });
    });
    return a;
  }

  /* Whether a piece is more than its one word, so that its whole is a term. */
  function isCompound(p, words) {
    var n = p.end - p.first;
    return n > 1 || (n === 1 && words[p.first].folded !== p.whole);
  }

  /* The terms of a text as tests/data/search-vectors.json lists them. */
  function terms(text) {
    var a = analyze(text, true);
    var out = [];
    a.pieces.forEach(function (p) {
      for (var i = p.first; i < p.end; i++) if (!a.words[i].stop) out.push(a.words[i].term);
      if (isCompound(p, a.words)) out.push(p.whole);
    });
    return out;
  }

  S.fold = fold;
  S.terms = terms;
  S.stem = function (w) { return porter2Stem(w); };

  // ---- Thesaurus (src/search/thesaurus.rs) --------------------------------

  /* [first word, end, group] for each concept the words state: at each word
   * the longest phrase that starts there, every group with one that long. */
  function concepts(groups, words) {
    var found = [];
    var i = 0;
    while (i < words.length) {
      var longest = 0;
      var hit = [];
      for (var g = 0; g < groups.length; g++) {
        var best = 0;
        groups[g][1].forEach(function (phrase) {
          if (phrase.length <= best || words.length < i + phrase.length) return;
          for (var k = 0; k < phrase.length; k++) if (phrase[k] !== words[i + k].term) return;
          best = phrase.length;
        });
        if (!best) continue;
        if (best > longest) { longest = best; hit = []; }
        if (best === longest) hit.push(g);
      }
      if (!longest) { i++; continue; }
      hit.forEach(function (g) { found.push([i, i + longest, g]); });
      i += longest;
    }
    return found;
  }

  // ---- The index -----------------------------------------------------------

  var index = null;          // the metadata object from search-index.js
  // Maps keyed by terms are made without a prototype: a query word such as
  // `constructor` or `__proto__` must not find Object's members.
  var termTable = Object.create(null); // term -> encoded postings (a string, or [all, short])
  var vocabulary = Object.create(null); // first character -> vocabulary words, for typos (sharded sites)
  var docs = [];             // doc id -> [code, title, summary, category, aliases, anchor]
  var pending = Object.create(null); // src -> promise
  var shardSet = null;
  var splitKeys = Object.create(null); // shard key -> the keys of the files it is split into
  var engine = null;

  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGITS = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGITS[ALPHABET.charAt(a)] = a;

  /* [doc, payload, ...] of postings written with `bits` of payload. */
  function decode(text, bits) {
    var out = [];
    var value = 0;
    var shift = 0;
    var doc = 0;
    var scale = Math.pow(2, bits);
    for (var i = 0; i < text.length; i++) {
      var digit = DIGITS[text.charAt(i)];
      value += (digit & 31) * Math.pow(2, shift);
      shift += 5;
      if (digit < 32) {
        doc += Math.floor(value / scale);
        out.push(doc, value % scale);
        value = 0;
        shift = 0;
      }
    }
    return out;
  }

  function shardKey(term) {
    var cs = chars(term);
    return (cs[0] || "_") + (cs[1] || "_");
  }

  /* The key of the shard file holding `term`: its shard key, or, when that
   * shard is split (files.rs's SPLIT_ABOVE), its first three characters. */
  function fileKey(term) {
    var k = shardKey(term);
    if (!splitKeys[k]) return k;
    return k + (chars(term)[2] || "_");
  }

  /* Every file key of a shard key: itself, or the files it is split into. */
  function fileKeys(k) {
    return splitKeys[k] || [k];
  }

  function isVocabulary(term) {
    return chars(term).length >= 3 && LETTERS.test(term);
  }

  function hex(key) {
    return Array.from(new TextEncoder().encode(key)).map(function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  S.load = function (meta) {
    index = meta;
    if (meta.docs) {
      docs = meta.docs;
      addTerms(meta.terms);
    } else {
      shardSet = new Set(meta.shards);
      meta.shards.forEach(function (key) {
        var cs = chars(key);
        if (cs.length !== 3) return;
        var k = cs[0] + cs[1];
        (splitKeys[k] = splitKeys[k] || []).push(key);
      });
    }
    engine = new Engine();
  };
  // Called by search/t-*.js shards.
  S.shard = function (key, table) {
    addTerms(table);
    loadedKeys[key] = true;
  };
  // Called by search/v-*.js vocabulary files.
  S.vocab = function (first, words) {
    vocabulary[first] = words;
  };
  // Called by search/d-*.js shards.
  S.docs = function (n, list) {
    var start = n * index.docs_per_shard;
    list.forEach(function (d, i) { docs[start + i] = d; });
  };

  var loadedKeys = Object.create(null);
  function addTerms(table) {
    Object.keys(table).forEach(function (term) {
      termTable[term] = table[term];
      if (engine) engine.addTerm(term);
    });
  }

  /* Loads an index file: with a <script> tag in a page; `S.loader`, when
   * set (tests under node), takes its place. */
  function loadScript(src) {
    if (pending[src]) return pending[src];
    if (S.loader) {
      pending[src] = Promise.resolve(S.loader(src));
      return pending[src];
    }
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

  function loadShards(keys) {
    if (!shardSet) return Promise.resolve();
    var wanted = keys.filter(function (k, i) { return keys.indexOf(k) === i && shardSet.has(k) && !loadedKeys[k]; });
    return Promise.all(wanted.map(function (k) { return loadScript("search/t-" + hex(k) + ".js"); }));
  }

  function loadVocabulary(firsts) {
    if (!shardSet) return Promise.resolve();
    var wanted = firsts.filter(function (c, i) {
      return firsts.indexOf(c) === i && vocabulary[c] === undefined && index.vocabulary.indexOf(c) >= 0;
    });
    return Promise.all(wanted.map(function (c) { return loadScript("search/v-" + hex(c) + ".js"); }));
  }

  function loadDocs(ids) {
    if (index.docs) return Promise.resolve();
    var shards = [];
    ids.forEach(function (id) {
      var n = Math.floor(id / index.docs_per_shard);
      if (!docs[id] && shards.indexOf(n) < 0) shards.push(n);
    });
    return Promise.all(shards.map(function (n) { return loadScript("search/d-" + n + ".js"); }));
  }

  // ---- The engine (src/search/engine.rs) -----------------------------------

  var CONTEXT_WORDS = new Set(["http", "https", "status", "code", "error", "err", "errno", "sqlstate",
    "statuscode", "exit", "state"]);
  var EXACT = 100, CONCEPT = 90, PREFIX = 80, ONE_TYPO = 70, TWO_TYPOS = 50;
  var RARE = 2;
  var LOOSE_NUMBER = 30;
  var PHRASE_POINTS = 470000, EXPLAIN_POINTS = 600000, WHOLE_FIELD_POINTS = 300000, COVER_POINTS = 300000;
  var LOOSE_CODE_POINTS = 3000 * 940000;
  var TIER_STEP = 1e13;
  var TYPO_CANDIDATES = 8, PREFIX_CANDIDATES = 16;

  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  /* Sorts strings as Rust does: by UTF-8 bytes, which for strings of one
   * kind of character is code point order (not UTF-16 order). */
  function byCodePoint(a, b) {
    var x = chars(a), y = chars(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d < 0 ? -1 : 1;
    }
    return x.length - y.length;
  }

  var SEPARATOR = /[-_.:\/]/;
  var SEPARATORS = /[-_.:\/]/g;

  function lastPart(code) {
    var at = Math.max(code.lastIndexOf("."), code.lastIndexOf(":"), code.lastIndexOf("/"));
    if (at < 0) return null;
    var last = code.slice(at + 1);
    return chars(last).length >= 3 ? last : null;
  }

  function idf(n, df) {
    return Math.round(Math.log(1 + (n - df + 0.5) / (df + 0.5)) * 1000);
  }

  /* The optimal string alignment distance of `a` and `b`, or `most + 1`
   * when it is larger. */
  function osa(a, b, most) {
    return osaPrefix(a, b, most, chars(b).length);
  }

  /* The smallest distance of `a` and a beginning of `b` at least `shortest`
   * characters long, or `most + 1` when it is larger: the table's last row. */
  function osaPrefix(a, b, most, shortest) {
    a = chars(a); b = chars(b);
    shortest = Math.min(shortest, b.length);
    if (a.length > b.length + most || shortest > a.length + most) return most + 1;
    var width = b.length + 1;
    var d = new Array((a.length + 1) * width);
    var i, j;
    for (i = 0; i <= a.length; i++) d[i * width] = i;
    for (j = 0; j < width; j++) d[j] = j;
    for (i = 1; i <= a.length; i++) {
      var rowMin = d[i * width];
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * width + j - 2] + 1);
        d[i * width + j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > most) return most + 1;
    }
    var best = most + 1;
    for (j = shortest; j <= b.length; j++) best = Math.min(best, d[a.length * width + j]);
    return best;
  }

  /* A term's distance to a word whose typo kept the stemmer from taking its
   * ending off: to the word without up to seven final characters, leaving
   * at least four; at least 1. */
  function unstemmedDistance(term, folded) {
    var shortest = Math.max(chars(folded).length - 7, 4);
    return Math.max(osaPrefix(term, folded, 1, shortest), 1);
  }

  function noisyToken(token) {
    var lower = token.toLowerCase();
    return lower.indexOf("://") >= 0 || lower.charAt(0) === "/" || lower.indexOf("~/") === 0 ||
      lower.indexOf("arn:") === 0 || lower.indexOf("@") >= 0 ||
      token.split("/").length > 2 || token.split("\\").length > 2;
  }

  function noisyPiece(folded) {
    var cs = chars(folded);
    var digits = 0, letters = 0;
    cs.forEach(function (c) { if (NUM.test(c)) digits++; if (ALPHA.test(c)) letters++; });
    return (cs.length >= 8 && digits >= 2 && letters >= 1) || (digits >= 6 && digits === cs.length);
  }

  var SPACE = /[\s\u0085]/;
  function isWhitespace(c) { return SPACE.test(c); }

  function parse(text) {
    var english = index.english;
    var typing = !(text.length && isWhitespace(text.charAt(text.length - 1)));
    var a = { pieces: [], words: [] };
    var noisy = [];
    text.split(/[\s\u0085]+/).filter(Boolean).forEach(function (token) {
      var part = analyze(token, english);
      var basePiece = a.pieces.length, baseWord = a.words.length;
      var tokenNoise = noisyToken(token);
      part.pieces.forEach(function (p) {
        noisy.push(tokenNoise || noisyPiece(p.whole));
        a.pieces.push({ whole: p.whole, first: p.first + baseWord, end: p.end + baseWord });
      });
      part.words.forEach(function (w) {
        a.words.push({ folded: w.folded, term: w.term, stop: w.stop, piece: w.piece + basePiece });
      });
    });
    var qpieces = a.pieces.map(function (p, i) {
      return { index: i, folded: p.whole, stop: STOP.has(p.whole), context: CONTEXT_WORDS.has(p.whole) };
    });
    var lastPiece = Math.max(0, a.pieces.length - 1);
    var words = [];
    var wordOf = [];
    var seen = new Set();
    a.words.forEach(function (w, i) {
      wordOf.push(null);
      if (w.stop || noisy[w.piece] || seen.has(w.term)) return;
      seen.add(w.term);
      wordOf[i] = words.length;
      words.push({
        term: w.term, folded: w.folded,
        letters: LETTERS.test(w.folded), digits: NUMERIC.test(w.folded),
        prefix: typing && w.piece === lastPiece && i + 1 === a.words.length
      });
    });
    var groupOf = words.map(function (_, k) { return k; });
    function rootOf(g) {
      while (groupOf[g] !== g) { groupOf[g] = groupOf[groupOf[g]]; g = groupOf[g]; }
      return g;
    }
    var spans = [];
    var spanTerms = new Set();
    a.pieces.forEach(function (piece, p) {
      if (noisy[p] || !isCompound(piece, a.words)) return;
      var covers = [];
      for (var i = piece.first; i < piece.end; i++) if (wordOf[i] !== null) covers.push(wordOf[i]);
      if (!covers.length || spanTerms.has(piece.whole)) return;
      spanTerms.add(piece.whole);
      spans.push({ term: piece.whole, quality: EXACT, covers: covers });
    });
    var clean = [];
    for (var c = 0; c < a.words.length; c++) if (!noisy[a.words[c].piece]) clean.push(c);
    concepts(index.thesaurus, clean.map(function (i) { return a.words[i]; })).forEach(function (f) {
      var term = index.thesaurus[f[2]][0];
      var covers = [];
      for (var i = f[0]; i < f[1]; i++) if (wordOf[clean[i]] !== null) covers.push(wordOf[clean[i]]);
      if (!covers.length || spanTerms.has(term)) return;
      spanTerms.add(term);
      spans.push({ term: term, quality: CONCEPT, covers: covers });
    });
    spans.forEach(function (span) {
      for (var i = 1; i < span.covers.length; i++) {
        var x = rootOf(span.covers[i - 1]), y = rootOf(span.covers[i]);
        groupOf[Math.max(x, y)] = Math.min(x, y);
      }
    });
    var groups = [];
    var groupIndex = new Map();
    words.forEach(function (_, k) {
      var r = rootOf(k);
      if (!groupIndex.has(r)) { groupIndex.set(r, groups.length); groups.push({ words: [], spans: [] }); }
      groups[groupIndex.get(r)].words.push(k);
    });
    spans.forEach(function (span) {
      groups[groupIndex.get(rootOf(span.covers[0]))].spans.push(span);
    });
    var bigrams = [];
    var previous = null;
    a.words.forEach(function (w, i) {
      if (w.stop) return;
      if (noisy[w.piece]) { previous = null; return; }
      var current = wordOf[i];
      if (current === null) {
        for (var k = 0; k < words.length; k++) if (words[k].term === w.term) { current = k; break; }
      }
      if (previous !== null && previous !== current &&
          !bigrams.some(function (b) { return b[0] === previous && b[1] === current; })) {
        bigrams.push([previous, current]);
      }
      previous = current;
    });
    return { pieces: qpieces, words: words, groups: groups, bigrams: bigrams, typing: typing };
  }

  function Engine() {
    var self = this;
    this.n = index.n;
    this.codes = new Map();
    var primary = index.docs ? index.docs.filter(function (d) { return !d[5]; }).map(function (d) { return d[0]; }) : index.codes;
    primary.forEach(function (code, doc) { self.codes.set(fold(code), doc); });
    var aliases = [];
    if (index.docs) {
      index.docs.forEach(function (d, doc) { (d[4] || []).forEach(function (alias) { aliases.push([alias, doc]); }); });
      aliases.sort(function (x, y) { return byCodePoint(x[0], y[0]); });
    } else {
      Object.keys(index.aliases).sort(byCodePoint).forEach(function (alias) { aliases.push([alias, index.aliases[alias]]); });
    }
    aliases.forEach(function (pair) { self.codes.set(fold(pair[0]), pair[1]); });
    Object.keys(index.redirects || {}).forEach(function (code) { self.codes.set(fold(code), index.redirects[code]); });
    this.parts = new Map();
    this.codes.forEach(function (doc, code) {
      var last = lastPart(code);
      if (last === null) return;
      var list = self.parts.get(last);
      if (!list) self.parts.set(last, (list = []));
      if (list.indexOf(doc) < 0) list.push(doc);
    });
    this.parts.forEach(function (list) { list.sort(function (x, y) { return x - y; }); });
    // A code typed without its separators, when that holds a letter and is
    // no other code nor the last part of one; the first code in order wins a
    // compact form two share.
    var compact = [];
    this.codes.forEach(function (doc, code) { if (SEPARATOR.test(code)) compact.push([code, doc]); });
    compact.sort(function (x, y) { return byCodePoint(x[0], y[0]) || x[1] - y[1]; });
    compact.forEach(function (pair) {
      var bare = pair[0].replace(SEPARATORS, "");
      if (chars(bare).length >= 3 && ALPHA.test(bare) && !self.codes.has(bare) && !self.parts.has(bare)) self.codes.set(bare, pair[1]);
    });
    var sorted = [];
    this.codes.forEach(function (doc, code) { sorted.push([code, doc]); });
    this.parts.forEach(function (list, part) { list.forEach(function (doc) { sorted.push([part, doc]); }); });
    sorted.sort(function (x, y) { return byCodePoint(x[0], y[0]) || x[1] - y[1]; });
    this.sortedCodes = sorted.filter(function (x, i) { return i === 0 || x[0] !== sorted[i - 1][0] || x[1] !== sorted[i - 1][1]; });
    this.removed = new Set(index.removed || []);
    this.decoded = Object.create(null);
    this.byKey = Object.create(null);
    this.byFirst = Object.create(null);
    Object.keys(termTable).forEach(function (term) { self.addTerm(term); });
  }

  Engine.prototype.addTerm = function (term) {
    var k = shardKey(term);
    (this.byKey[k] = this.byKey[k] || []).push(term);
    if (!shardSet && isVocabulary(term)) {
      var first = chars(term)[0];
      (this.byFirst[first] = this.byFirst[first] || []).push(term);
    }
  };

  Engine.prototype.has = function (term) {
    return termTable[term] !== undefined;
  };

  Engine.prototype.postings = function (term) {
    var d = this.decoded[term];
    if (d) return d;
    var raw = termTable[term];
    if (raw === undefined) return null;
    var all = decode(typeof raw === "string" ? raw : raw[0], 3);
    var short = typeof raw === "string" ? [] : decode(raw[1], 4);
    var df = all.length ? all.length / 2 : short.length / 2;
    d = { all: all, short: short, df: df, idf: idf(this.n, df) };
    this.decoded[term] = d;
    return d;
  };

  Engine.prototype.withKey = function (word) {
    return (this.byKey[shardKey(word)] || []).filter(isVocabulary);
  };

  Engine.prototype.typoNeighbours = function (word) {
    var firsts = chars(word).slice(0, 2);
    if (firsts.length === 2 && firsts[0] === firsts[1]) firsts.pop();
    var self = this;
    var out = [];
    firsts.forEach(function (c) {
      var list = shardSet ? vocabulary[c] : self.byFirst[c];
      if (list) out = out.concat(list);
    });
    return out.sort(byCodePoint);
  };

  Engine.prototype.isCode = function (folded) {
    return this.codes.has(folded) || this.parts.has(folded);
  };

  Engine.prototype.codeHits = function (q) {
    var self = this;
    var out = [];
    var seen = new Set();
    q.pieces.forEach(function (p) {
      var docs = self.codes.has(p.folded) ? [self.codes.get(p.folded)] : (self.parts.get(p.folded) || []);
      docs = docs.filter(function (d) { if (seen.has(d)) return false; seen.add(d); return true; });
      if (!docs.length) return;
      var numeric = NUMERIC.test(p.folded);
      var afterContext = q.pieces.slice(Math.max(0, p.index - 2), p.index).some(function (b) { return b.context; });
      var meaningful = q.pieces.filter(function (x) { return !x.stop && !x.context; }).length;
      out.push({ docs: docs, strong: !numeric || afterContext || meaningful <= 3 });
    });
    return out;
  };

  Engine.prototype.codesWithPrefix = function (prefix, limit) {
    var s = this.sortedCodes;
    var lo = 0, hi = s.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (byCodePoint(s[mid][0], prefix) < 0) lo = mid + 1; else hi = mid;
    }
    var found = [];
    for (var i = lo; i < s.length && s[i][0].indexOf(prefix) === 0 && found.length < 10000; i++) {
      if (s[i][0] !== prefix) found.push(s[i]);
    }
    found.sort(function (x, y) { return chars(x[0]).length - chars(y[0]).length || x[1] - y[1]; });
    var docs = [];
    for (var k = 0; k < found.length && docs.length < limit; k++) {
      if (docs.indexOf(found[k][1]) < 0) docs.push(found[k][1]);
    }
    return docs;
  };

  /* How many documents hold the word's own terms (-1: none in the index). */
  Engine.prototype.exactDf = function (w) {
    var self = this;
    var df = -1;
    [w.term, w.folded].forEach(function (t, i) {
      if ((i === 0 || t !== w.term) && self.has(t)) df = Math.max(df, self.postings(t).df);
    });
    return df;
  };

  /* Whether a word gets typo candidates: one not in the index, or a rare
   * one of six letters or more (a typo can stem to a rare term, as
   * `modifed` to `modif`). */
  Engine.prototype.seeksTypos = function (w) {
    var length = chars(w.folded).length;
    if (!w.letters) return false;
    var df = this.exactDf(w);
    return df < 0 ? length >= 4 : length >= 6 && df <= RARE;
  };

  /* The typo candidates of a word: its nearest neighbours; for a word in the
   * index, of those only the ones more documents hold, at half the quality
   * (`loading`: all of them, whose shards are wanted). */
  Engine.prototype.typos = function (w, loading) {
    if (!this.seeksTypos(w)) return [];
    var self = this;
    var df = this.exactDf(w);
    var length = chars(w.folded).length;
    var most = length >= 8 ? 2 : 1;
    var neighbours = this.typoNeighbours(w.folded).filter(function (c) {
      return chars(c).length >= 3 && c !== w.term && c !== w.folded;
    });
    var typos = [];
    neighbours.forEach(function (c) {
      // A stem may have lost its word's final e (`tabl`).
      var d = Math.min(osa(c, w.term, most), osa(c, w.folded, most), osa(c + "e", w.folded, most));
      if (d <= most) typos.push([d, c]);
    });
    // Nothing one typo away: the typo may have kept the word from stemming.
    // Scored as two typos, ranked after them (3).
    if (df < 0 && typos.every(function (t) { return t[0] > 1; })) {
      var near = typos.map(function (t) { return t[1]; });
      neighbours.forEach(function (c) {
        if (near.indexOf(c) < 0 && unstemmedDistance(c, w.folded) <= 1) typos.push([3, c]);
      });
    }
    typos.sort(function (x, y) { return x[0] - y[0] || byCodePoint(x[1], y[1]); });
    // Cut before the filter: only the nearest few's postings are loaded.
    typos = typos.slice(0, TYPO_CANDIDATES).filter(function (t) {
      if (df < 0 || loading) return true;
      var p = self.postings(t[1]);
      return p !== null && p.df > df;
    });
    return typos.map(function (t) {
      var quality = t[0] <= 1 ? ONE_TYPO : TWO_TYPOS;
      return [t[1], df < 0 ? quality : quality / 2];
    });
  };

  Engine.prototype.candidates = function (w) {
    var out = [];
    if (this.has(w.term)) out.push([w.term, EXACT]);
    if (w.folded !== w.term && this.has(w.folded)) out.push([w.folded, EXACT]);
    out = out.concat(this.typos(w));
    if (w.prefix && chars(w.folded).length >= 2) {
      var longer = this.withKey(w.folded).filter(function (c) {
        return c.indexOf(w.folded) === 0 && c !== w.folded && c !== w.term;
      });
      longer.sort(function (x, y) { return chars(x).length - chars(y).length || byCodePoint(x, y); });
      longer.slice(0, PREFIX_CANDIDATES).forEach(function (c) { out.push([c, PREFIX]); });
    }
    return out;
  };

  /* Calls f(doc, level, mask) for each [doc, level] of `all`, with the
   * doc's mask from `short` (0 when absent); both lists are in doc order. */
  function eachPosting(all, short, f) {
    var j = 0;
    for (var i = 0; i < all.length; i += 2) {
      var doc = all[i];
      while (j < short.length && short[j] < doc) j += 2;
      f(doc, all[i + 1], j < short.length && short[j] === doc ? short[j + 1] : 0);
    }
  }

  /* Scores per document in typed arrays (a catalog's common words match
   * thousands of documents): -1 is "no match", and PRESENT marks a document
   * that a group matched, whatever its mask. */
  var PRESENT = 256;

  Engine.prototype.textScores = function (q) {
    var self = this;
    var n = this.n;
    var levels = index.weights;
    var total = new Float64Array(n);
    var groupMasks = [];
    var groupIdfs = [];
    var matchedDocs = [];
    var inMatched = new Uint8Array(n);
    var bestTerm = q.words.map(function () { return null; });
    q.groups.forEach(function (group) {
      var idfMax = 0;
      var masks = new Int32Array(n);
      var seen = [];
      var see = function (doc, mask) {
        if (!masks[doc]) seen.push(doc);
        masks[doc] |= PRESENT | mask;
      };
      var wordScores = [];
      group.words.forEach(function (k) {
        var w = q.words[k];
        var best = new Float64Array(n).fill(-1);
        self.candidates(w).forEach(function (cand) {
          var p = self.postings(cand[0]);
          if (!p) return;
          if (bestTerm[k] === null) bestTerm[k] = cand[0];
          idfMax = Math.max(idfMax, p.idf);
          eachPosting(p.all, p.short, function (doc, level, mask) {
            var factor = w.digits && (mask & 1) === 0 ? LOOSE_NUMBER : 100;
            var points = p.idf * levels[level] * cand[1] * factor;
            if (!(best[doc] >= points)) best[doc] = points;
            see(doc, mask);
          });
        });
        wordScores.push(best);
      });
      var spanScores = group.spans.map(function (span) {
        var points = new Float64Array(n).fill(-1);
        var idf = 0, standsIn = 0;
        var p = self.postings(span.term);
        if (p) {
          idfMax = Math.max(idfMax, p.idf);
          idf = p.idf;
          // Where a phrase's words are not all there, the phrase met in
          // other words weighs as the phrase would; a concept of one word
          // weighs as itself.
          standsIn = idf;
          if (span.covers.length >= 2) {
            var words = 0;
            span.covers.forEach(function (k) {
              var w = self.postings(q.words[k].term);
              if (w) words += w.idf;
            });
            standsIn = Math.max(idf, words);
          }
          eachPosting(p.all, p.short, function (doc, level, mask) {
            points[doc] = levels[level] * span.quality * 100;
            see(doc, mask);
          });
        }
        var covers = [];
        for (var k = 0; k < group.words.length; k++) if (span.covers.indexOf(group.words[k]) >= 0) covers.push(k);
        return { covers: covers, points: points, idf: idf, standsIn: standsIn };
      });
      seen.forEach(function (doc) {
        function word(k) { var v = wordScores[k][doc]; return v < 0 ? 0 : v; }
        var allWords = 0;
        for (var k = 0; k < group.words.length; k++) allWords += word(k);
        var best = allWords;
        spanScores.forEach(function (s) {
          var v = s.points[doc];
          if (v < 0) return;
          var allThere = s.covers.every(function (k) { return word(k) > 0; });
          var rest = 0;
          for (var k = 0; k < group.words.length; k++) if (s.covers.indexOf(k) < 0) rest += word(k);
          best = Math.max(best, (allThere ? s.idf : s.standsIn) * v + rest);
        });
        total[doc] += best;
        if (!inMatched[doc]) { inMatched[doc] = 1; matchedDocs.push(doc); }
      });
      groupMasks.push(masks);
      groupIdfs.push(idfMax);
    });

    q.bigrams.forEach(function (b) {
      var ta = bestTerm[b[0]], tb = bestTerm[b[1]];
      if (ta === null || tb === null) return;
      var pa = self.postings(ta), pb = self.postings(tb);
      var p = self.postings(ta + " " + tb);
      if (!pa || !pb || !p) return;
      var points = Math.floor((pa.idf + pb.idf) / 2) * PHRASE_POINTS;
      for (var i = 0; i < p.short.length; i += 2) total[p.short[i]] += p.short[i + 1] !== 0 ? points : points / 2;
    });

    var weight = 0;
    groupIdfs.forEach(function (x) { weight += x; });
    if (weight > 0) {
      var tl = index.tl, ml = index.ml;
      matchedDocs.forEach(function (doc) {
        var cover = [0, 0, 0, 0], groupsIn = [0, 0, 0, 0], matched = 0;
        groupMasks.forEach(function (m, g) {
          if (!m[doc]) return;
          var mask = m[doc] & (PRESENT - 1);
          matched += groupIdfs[g];
          for (var f = 0; f < 4; f++) if (mask & (1 << f)) { cover[f] += groupIdfs[g]; groupsIn[f]++; }
        });
        var best = Math.max(0, cover[0], cover[1], cover[2], cover[3]);
        total[doc] += Math.floor(best * best / weight) * EXPLAIN_POINTS;
        total[doc] += Math.floor(matched * matched / weight) * COVER_POINTS;
        var titleLen = DIGITS[tl.charAt(doc)];
        if (titleLen > 0 && groupsIn[1] >= titleLen) total[doc] += cover[1] * WHOLE_FIELD_POINTS;
        var messageLen = DIGITS[ml.charAt(doc)];
        if (messageLen > 0 && groupsIn[2] >= messageLen) total[doc] += cover[2] * WHOLE_FIELD_POINTS;
      });
    }
    return total;
  };

  /* The best `limit` documents from `offset`; `category` breaks ties and
   * `only` (a category index) keeps that category alone. */
  Engine.prototype.search = function (q, offset, limit, category, only) {
    var n = this.n;
    if (!q.pieces.length) return { total: 0, hits: [] };
    var tier = new Uint8Array(n).fill(1);
    var bonus = new Float64Array(n);
    var touched = new Uint8Array(n);
    var self = this;
    var hits = this.codeHits(q);
    var onlyCodes = hits.length > 0 && q.pieces.every(function (p) { return p.context || p.stop || self.isCode(p.folded); });
    hits.forEach(function (hit, order) {
      hit.docs.forEach(function (doc) {
        var t, points;
        if (onlyCodes) { t = 3; points = (100 - Math.min(order, 99)) * TIER_STEP; }
        else if (hit.strong) { t = 2; points = 0; }
        else { t = 1; points = LOOSE_CODE_POINTS; }
        if (t > tier[doc]) { tier[doc] = t; bonus[doc] = points; }
        else if (t === tier[doc] && t > 1) bonus[doc] = Math.max(bonus[doc], points);
        else if (t === 1) bonus[doc] += points;
        touched[doc] = 1;
      });
    });
    if (!hits.length && q.pieces.length === 1 && q.typing) {
      this.codesWithPrefix(q.pieces[0].folded, 50).forEach(function (doc, i) {
        if (tier[doc] < 2) { tier[doc] = 2; bonus[doc] = (100 - i) * TIER_STEP; touched[doc] = 1; }
      });
    }
    var text = this.textScores(q);
    var found = [];
    var categoryOf = docCategory;
    for (var doc = 0; doc < n; doc++) {
      var score = text[doc];
      if (!(touched[doc] || score > 0)) continue;
      if (tier[doc] < 3 && this.removed.has(doc)) continue;
      if (only !== null && only !== undefined && categoryOf(doc) !== only) continue;
      found.push({ doc: doc, tier: tier[doc], score: bonus[doc] + score });
    }
    var same = function (h) { return category !== null && category !== undefined && categoryOf(h.doc) === category ? 1 : 0; };
    var order = function (x, y) {
      return y.tier - x.tier || compare(y.score, x.score) || same(y) - same(x) || x.doc - y.doc;
    };
    return { total: found.length, hits: firsts(found, offset + limit, order).slice(offset, offset + limit) };
  };

  /* The first `k` items of `list` in `order`, sorted: a heap of the best k
   * seen, its worst on top, so that a query matching thousands of documents
   * sorts only the few it shows. `order` is total, so ties fall as a full
   * sort would. */
  function firsts(list, k, order) {
    if (list.length <= k * 4) return list.sort(order).slice(0, k);
    var heap = [];
    var worse = function (i, j) { return order(heap[i], heap[j]) > 0; };
    var swap = function (i, j) { var t = heap[i]; heap[i] = heap[j]; heap[j] = t; };
    var down = function (i) {
      for (;;) {
        var l = 2 * i + 1, r = l + 1, top = i;
        if (l < heap.length && worse(l, top)) top = l;
        if (r < heap.length && worse(r, top)) top = r;
        if (top === i) return;
        swap(i, top);
        i = top;
      }
    };
    list.forEach(function (item) {
      if (heap.length < k) {
        heap.push(item);
        for (var i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
      } else if (k > 0 && order(item, heap[0]) < 0) {
        heap[0] = item;
        down(0);
      }
    });
    return heap.sort(order);
  }

  /* A document's category: from its card when loaded, else from the
   * per-document list of a sharded index. */
  function docCategory(doc) {
    return docs[doc] ? docs[doc][3] : index.cat[doc];
  }

  /* The shard keys and vocabulary a query needs before it can be ranked. */
  function prepare(q) {
    var keys = [];
    q.words.forEach(function (w) {
      keys.push(fileKey(w.term), fileKey(w.folded));
      // The word being typed meets the terms it begins: in its own file,
      // or, shorter than a split file's key, in all of its shard's files.
      if (w.prefix && chars(w.folded).length < 3) keys = keys.concat(fileKeys(shardKey(w.folded)));
    });
    q.groups.forEach(function (g) { g.spans.forEach(function (s) { keys.push(fileKey(s.term)); }); });
    return loadShards(keys).then(function () {
      var firsts = [];
      q.words.forEach(function (w) {
        if (engine.seeksTypos(w)) firsts = firsts.concat(chars(w.folded).slice(0, 2));
      });
      return loadVocabulary(firsts);
    }).then(function () {
      var more = [];
      q.words.forEach(function (w) { engine.typos(w, true).forEach(function (t) { more.push(fileKey(t[0])); }); });
      return loadShards(more);
    }).then(function () {
      // The shards of the phrases the words' best terms make (a phrase
      // of a one-letter term is keyed by the letter and a space).
      var best = q.words.map(function (w) {
        var c = engine.candidates(w).filter(function (c) { return engine.has(c[0]); })[0];
        return c ? c[0] : null;
      });
      var keys = [];
      q.bigrams.forEach(function (b) {
        if (best[b[0]] !== null && best[b[1]] !== null) keys.push(fileKey(best[b[0]] + " " + best[b[1]]));
      });
      return loadShards(keys);
    });
  }

  /* Runs a query; resolves to ranked results with their documents loaded.
   * Options: offset, limit (10), category (of the page, breaks ties), only
   * (a category index to keep). */
  S.search = function (query, options) {
    if (typeof options === "number") options = { limit: options };
    options = options || {};
    var limit = options.limit || 10;
    var offset = options.offset || 0;
    return ready().then(function () {
      var q = parse(query);
      if (!q.pieces.length) return { query: query, total: 0, results: [] };
      return prepare(q).then(function () {
        var ranked = engine.search(q, offset, limit, options.category, options.only);
        var ids = ranked.hits.map(function (r) { return r.doc; });
        if (index.fallback !== null && index.fallback !== undefined) ids.push(index.fallback);
        return loadDocs(ids).then(function () {
          return {
            query: query,
            parsed: q,
            total: ranked.total,
            results: ranked.hits.map(function (r) {
              var d = docs[r.doc];
              return {
                doc: r.doc,
                code: d[0],
                title: d[1],
                summary: d[2],
                category: index.categories[d[3]] || "",
                categoryIndex: d[3],
                aliases: d[4] || [],
                anchor: d[5] || "",
                removed: engine.removed.has(r.doc),
                tier: r.tier,
                score: r.score,
                path: docPath(d)
              };
            })
          };
        });
      });
    });
  };

  /* Entries near a code that has no page (the 404 page's address): what
   * search finds for it, then codes that begin as it does, the longest
   * shared beginning first. Resolves to up to `limit` results. */
  S.near = function (code, limit) {
    return S.search(code, limit).then(function (answer) {
      var ids = answer.results.map(function (r) { return r.doc; });
      var folded = fold(code);
      for (var end = chars(folded).length - 1; end > 0 && ids.length < limit; end--) {
        var prefix = chars(folded).slice(0, end).join("");
        var same = engine.codes.has(prefix) ? [engine.codes.get(prefix)] : [];
        same.concat(engine.codesWithPrefix(prefix, limit)).forEach(function (doc) {
          if (ids.length < limit && ids.indexOf(doc) < 0 && !engine.removed.has(doc)) ids.push(doc);
        });
      }
      return loadDocs(ids).then(function () {
        return ids.map(function (id) {
          var d = docs[id];
          return { code: d[0], title: d[1], path: docPath(d) };
        });
      });
    });
  };

  function pathOf(code) {
    return "errors/" + encodeURIComponent(code) + "/index.html";
  }

  /* A document's page: its entry's, at the variant's anchor for a variant. */
  function docPath(d) {
    return pathOf(d[0]) + (d[5] ? "#" + encodeURIComponent(d[5]) : "");
  }
  S.pathOf = pathOf;

  // ---- The page ------------------------------------------------------------

  if (typeof document === "undefined" || !document.getElementById) return;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Appends `text` to `parent`, wrapping the words that match the query in <mark>. */
  function highlight(parent, text, q) {
    var wanted = new Set();
    var prefixes = [];
    (q ? q.words : []).forEach(function (w) {
      wanted.add(w.term);
      wanted.add(w.folded);
      if (w.prefix) prefixes.push(w.folded);
    });
    var last = 0;
    var word = /[\p{Alphabetic}\p{N}]+/gu;
    var m;
    while ((m = word.exec(text))) {
      var f = fold(m[0]);
      var t = termOf(f, index && index.english);
      var match = wanted.has(f) || wanted.has(t) || prefixes.some(function (p) { return chars(p).length >= 2 && f.indexOf(p) === 0; });
      if (!match) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el("mark", "", m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /* The index of the category of the page the reader is on (its breadcrumb), or null. */
  function pageCategory() {
    var crumb = document.querySelector("nav.breadcrumb li:nth-child(2) a");
    if (!crumb || !index) return null;
    var at = index.categories.indexOf(crumb.textContent);
    return at >= 0 ? at : null;
  }

  function searchPage(query) {
    return root + "search/index.html?q=" + encodeURIComponent(query);
  }

  function renderFallback(box) {
    var id = index && index.fallback;
    if (id === null || id === undefined || !docs[id]) return;
    var d = docs[id];
    var p = el("p", "", "Not listed? ");
    var link = el("a", "", d[1]);
    link.href = root + pathOf(d[0]);
    p.appendChild(link);
    p.appendChild(document.createTextNode(": " + d[2]));
    box.appendChild(p);
    if (index.fallback_steps.length) {
      var list = el("ol", "search-fallback-steps");
      index.fallback_steps.forEach(function (step) { list.appendChild(el("li", "", step)); });
      box.appendChild(list);
    }
  }

  /* A result of a list page: a link to its page, with its code and `title`
   * (a node). */
  function resultItem(r, title) {
    var li = el("li", "result");
    var a = el("a", "result-link");
    a.href = root + r.path;
    a.appendChild(el("span", "code", r.code));
    a.appendChild(document.createTextNode(" "));
    a.appendChild(title);
    li.appendChild(a);
    return li;
  }

  // The results page (search/index.html): every result, paged, real links;
  // the query, category and page live in the address, so Back restores them.
  var PER_PAGE = 20;
  var resultsList = document.getElementById("results-list");
  if (resultsList) {
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var only = params.get("category") || "";
    var pageNumber = Math.max(1, parseInt(params.get("page"), 10) || 1);
    var form = document.getElementById("results-form");
    var qInput = document.getElementById("results-q");
    var select = document.getElementById("results-category");
    var status = document.getElementById("results-status");
    var pager = document.getElementById("results-pager");
    var fallbackBox = document.getElementById("results-fallback");
    qInput.value = query;
    select.value = only;
    only = select.value;
    select.addEventListener("change", function () { form.submit(); });
    var link = function (n) {
      var p = new URLSearchParams();
      p.set("q", query);
      if (only) p.set("category", only);
      if (n > 1) p.set("page", String(n));
      return "index.html?" + p.toString();
    };
    if (!query.trim()) {
      status.textContent = "Type a code, the message you got, or what went wrong.";
      qInput.focus();
    } else {
      status.textContent = "Searching…";
      ready().then(function () {
        // The category's number in the index: its place in errdex.yaml.
        var chosen = select.options[select.selectedIndex];
        var onlyIndex = only && chosen ? Number(chosen.getAttribute("data-index")) : null;
        return S.search(query, {
          offset: (pageNumber - 1) * PER_PAGE, limit: PER_PAGE, only: onlyIndex
        }).then(function (answer) {
          resultsList.textContent = "";
          answer.results.forEach(function (r) {
            var title = el("span", "result-title");
            highlight(title, r.title, answer.parsed);
            var li = resultItem(r, title);
            if (r.anchor) li.appendChild(el("span", "result-variant code", r.anchor));
            li.appendChild(el("span", "result-category", r.category));
            var summary = el("p", "result-summary");
            highlight(summary, r.summary, answer.parsed);
            li.appendChild(summary);
            resultsList.appendChild(li);
          });
          resultsList.start = (pageNumber - 1) * PER_PAGE + 1;
          var pages = Math.ceil(answer.total / PER_PAGE);
          var where = only ? " in " + select.options[select.selectedIndex].textContent : "";
          if (answer.total === 0) {
            status.textContent = "No results for “" + query.trim() + "”" + where + ".";
            renderFallback(fallbackBox);
          } else {
            var first = (pageNumber - 1) * PER_PAGE + 1;
            var last = first + answer.results.length - 1;
            status.textContent = (answer.total === 1 ? "1 result" : answer.total + " results") +
              " for “" + query.trim() + "”" + where +
              (pages > 1 ? "; " + first + "–" + last + " shown." : ".");
          }
          pager.textContent = "";
          pager.hidden = pages <= 1;
          if (pages > 1) {
            if (pageNumber > 1) {
              var prev = el("a", "pager-previous", "Previous");
              prev.href = link(pageNumber - 1);
              prev.rel = "prev";
              pager.appendChild(prev);
            }
            var list = el("ul", "pager-pages");
            for (var n = 1; n <= pages; n++) {
              if (pages > 9 && n > 2 && n < pages - 1 && Math.abs(n - pageNumber) > 2) {
                if (list.lastChild && list.lastChild.className !== "gap") list.appendChild(el("li", "gap", "…"));
                continue;
              }
              var item = el("li");
              if (n === pageNumber) {
                var current = el("span", "", String(n));
                current.setAttribute("aria-current", "page");
                item.appendChild(current);
              } else {
                var to = el("a", "", String(n));
                to.href = link(n);
                to.setAttribute("aria-label", "Page " + n);
                item.appendChild(to);
              }
              list.appendChild(item);
            }
            pager.appendChild(list);
            if (pageNumber < pages) {
              var next = el("a", "pager-next", "Next");
              next.href = link(pageNumber + 1);
              next.rel = "next";
              pager.appendChild(next);
            }
          }
        });
      }).catch(function () {
        status.textContent = "Search is unavailable: its index could not be loaded.";
      });
    }
  } else if (document.getElementById("not-found-near")) {
    // The 404 page: a missing code in the address is searched for.
    var match = /\/errors\/([^\/]+)\/?(?:index\.html)?$/.exec(window.location.pathname);
    var missing = null;
    try { missing = match && decodeURIComponent(match[1]); } catch (e) { missing = null; }
    if (missing) {
      ready().then(function () { return S.near(missing, 5); }).then(function (near) {
        var box = document.getElementById("not-found-near");
        document.getElementById("near-code").textContent = missing;
        var list = document.getElementById("near-list");
        near.forEach(function (r) {
          list.appendChild(resultItem(r, el("span", "result-title", r.title)));
        });
        var more = document.getElementById("near-search");
        more.href = searchPage(missing);
        box.hidden = false;
      }).catch(function () {});
    }
  }

  // ---- The search box in the header ------------------------------------------

  var input = document.getElementById("search-input");
  if (!input) return;
  var boxForm = input.form;
  var popup = el("div", "search-popup");
  popup.hidden = true;
  var boxStatus = el("p", "search-status");
  boxStatus.id = "search-status";
  boxStatus.setAttribute("role", "status");
  boxStatus.setAttribute("aria-live", "polite");
  var listbox = el("ul", "search-listbox");
  listbox.id = "search-listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Search results");
  var more = el("a", "search-more");
  more.hidden = true;
  var boxFallback = el("div", "search-fallback");
  popup.appendChild(boxStatus);
  popup.appendChild(listbox);
  popup.appendChild(more);
  popup.appendChild(boxFallback);
  boxForm.appendChild(popup);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "search-listbox");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-describedby", "search-status");

  var active = -1;
  var current = [];
  var currentTotal = 0;
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

  function go(path) {
    window.location.href = root + path;
  }

  function render(answer) {
    current = answer.results;
    currentTotal = answer.total;
    listbox.textContent = "";
    boxFallback.textContent = "";
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
    more.hidden = answer.total <= shown;
    if (!more.hidden) {
      more.textContent = "All " + answer.total + " results";
      more.href = searchPage(answer.query);
    }
    if (answer.total === 0) {
      boxStatus.textContent = "No results for “" + answer.query.trim() + "”.";
      renderFallback(boxFallback);
    } else if (answer.total > shown) {
      boxStatus.textContent = answer.total + " results; showing the first " + shown + ".";
    } else {
      boxStatus.textContent = answer.total === 1 ? "1 result." : answer.total + " results.";
    }
    listbox.hidden = shown === 0;
    open(true);
  }

  function run() {
    var value = input.value;
    var mine = ++generation;
    if (!value.trim()) {
      current = [];
      listbox.textContent = "";
      boxFallback.textContent = "";
      boxStatus.textContent = "";
      more.hidden = true;
      open(false);
      return Promise.resolve();
    }
    return ready().then(function () {
      return S.search(value, { limit: 10, category: pageCategory() });
    }).then(function (answer) {
      if (mine === generation) render(answer);
    }, function () {
      if (mine === generation) {
        boxStatus.textContent = "Search is unavailable: its index could not be loaded.";
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
    } else if (event.key === "Enter" && !event.isComposing) {
      // The option chosen; an exact code; otherwise every result, on the results page.
      var chosen = active >= 0 ? current[active] : (current[0] && current[0].tier === 3 ? current[0] : null);
      event.preventDefault();
      if (chosen && !popup.hidden) go(chosen.path);
      else if (input.value.trim()) window.location.href = searchPage(input.value);
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
      if (document.activeElement !== input && !popup.contains(document.activeElement)) open(false);
    }, 150);
  });

  // Loaded when the reader first went to the box (errdex.js): what they
  // typed meanwhile is searched now.
  if (document.activeElement === input) {
    ready().catch(function () {});
    if (input.value.trim()) run();
  }
})();
