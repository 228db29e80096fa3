// tilbook site search: no dependencies, no inline code (works under `default-src 'self'`).
// Reads the sharded index that `tilbook build` writes to search/ (see tilbook/site/search_index.py):
// Hangul/CJK query parts match as substrings of 2+ characters (bigram shards), other words by prefix.
// Its messages come from the form's data-* attributes (the page's language); ArrowDown/ArrowUp move
// through the results, Enter opens one, Escape goes back to the box.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("#search-input");
  var list = form.querySelector("#search-results");
  var root = form.getAttribute("data-search-root") || "";
  var status = form.querySelector("#search-status");
  function text(name, fallback) { return form.getAttribute("data-" + name) || fallback; }
  var base = root + "search/";
  var CJK = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff]/;
  var WORD = /[\p{L}\p{N}]/u;
  var cache = new Map();
  var SHOWN = 10;
  var MAX_CHUNKS = 40;
  var ticket = 0;

  function normalise(text) { return text.normalize("NFC").toLowerCase(); }
  function isCjk(ch) { return CJK.test(ch); }

  function runs(text) {
    var out = [], cur = "", kind = null;
    var chars = Array.from(normalise(text));
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      var k = isCjk(c) ? "c" : (WORD.test(c) && c !== "_") ? "w" : null;
      if (k === null && (c === "'" || c === "\u2019") && kind === "w" && i + 1 < chars.length &&
          WORD.test(chars[i + 1]) && !isCjk(chars[i + 1])) { cur += c; continue; }
      if (k !== kind && cur) { out.push(cur); cur = ""; }
      kind = k;
      if (k !== null) { cur += c; }
    }
    if (cur) { out.push(cur); }
    return out;
  }

  function hex(text) {
    return Array.from(text).map(function (c) { return c.codePointAt(0).toString(16); }).join("");
  }
  function shardKey(term) {
    var chars = Array.from(term);
    return hex(isCjk(chars[0]) ? chars[0] : chars.slice(0, 2).join(""));
  }
  function getJSON(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path).then(function (r) { return r.ok ? r.json() : {}; })
        .catch(function () { return {}; }));
    }
    return cache.get(path);
  }
  function bigrams(chars) {  // each one once (tokens.bigrams, as a set in insertion order)
    var grams = [];
    for (var i = 0; i + 1 < chars.length; i++) {
      if (grams.indexOf(chars[i] + chars[i + 1]) < 0) { grams.push(chars[i] + chars[i + 1]); }
    }
    return grams;
  }

  // What is known of one term's documents (search_index._Postings): inline ones at once, a common
  // term's pages (oldest first in the index) read from the newest. `floor`: every document of
  // the term from this id on is known ("" once all are); `next`: the page to read next.
  function source(term, value, pageSize) {
    if (typeof value !== "number") { return { term: term, count: value.length, docs: value, next: -1, floor: "" }; }
    return { term: term, count: value, docs: [], next: Math.max(1, Math.floor(value / pageSize)) - 1, floor: "" };
  }
  async function readNext(s) {
    var listed = await getJSON("p/" + hex(s.term) + "-" + s.next + ".json");
    var page = typeof listed === "string" && listed ? listed.split(" ") : [];
    s.docs = s.docs.concat(page);
    s.floor = s.next === 0 ? "" : (page.length ? page[0] : s.floor);
    s.next -= 1;
  }

  function wordMatches(word, haystack, hayRuns) {
    var parts = runs(word);
    if (parts.some(function (p) { return isCjk(Array.from(p)[0]); })) { return haystack.indexOf(word) >= 0; }
    return parts.every(function (p) { return hayRuns.some(function (r) { return r.indexOf(p) === 0; }); });
  }

  async function search(query) {
    var words = normalise(query).split(/\s+/).filter(Boolean);
    var meta = getJSON("meta.json");  // fetched while the terms are looked up
    // one group per CJK bigram and per other word part: a note must be in every group, and is in a
    // group when it is in the postings of any of its terms (the words a prefix starts)
    var wanted = [];
    words.forEach(function (word) {
      runs(word).forEach(function (part) {
        var chars = Array.from(part);
        if (!isCjk(chars[0])) {
          wanted.push({ key: shardKey(part), matches: function (term) { return term.indexOf(part) === 0; } });
        } else if (chars.length >= 2) {  // every bigram: a page each, and the text check fetches fewer chunks
          bigrams(chars).forEach(function (gram) {
            wanted.push({ key: shardKey(gram), matches: function (term) { return term === gram; } });
          });
        }
      });
    });
    if (!wanted.length) { return { results: [], complete: true, tooShort: true }; }
    var tables = await Promise.all(wanted.map(function (w) { return getJSON("t/" + w.key + ".json"); }));
    var info = await meta;
    var bits = info.chunk_bits || 8, pageSize = info.page_postings || 512;
    var groups = wanted.map(function (w, g) {
      return Object.keys(tables[g]).filter(w.matches).sort().map(function (term) {
        return source(term, tables[g][term], pageSize);
      });
    });
    if (!groups.every(function (group) { return group.length; })) { return { results: [], complete: true, tooShort: false }; }
    // a group with a term in every note rules nothing out: its pages are not read (one group stays)
    var narrowing = groups.filter(function (group) {
      return group.every(function (s) { return s.count !== info.documents; });
    });
    groups = narrowing.length ? narrowing : groups.slice(0, 1);
    var chunkOf = function (doc) {  // the top `bits` bits of the id's hex digits 3-5 (search_index.chunk_of)
      var key = (parseInt(doc.slice(3, 6), 16) >> (12 - bits)).toString(16);
      while (key.length < Math.ceil(bits / 4)) { key = "0" + key; }
      return key;
    };
    var results = [], chunks = new Set(), checked = new Set(), stop = false;

    async function check(candidates) {  // newest first, each batch's chunks fetched at once
      var i = 0;
      while (i < candidates.length && results.length < SHOWN && !stop) {
        var batch = candidates.slice(i, i + SHOWN), loads = [];
        for (var b = 0; b < batch.length; b++) {
          var chunk = chunkOf(batch[b]);
          if (!chunks.has(chunk)) {
            if (chunks.size >= MAX_CHUNKS) { batch = batch.slice(0, b); stop = true; break; }
            chunks.add(chunk);
            loads.push(getJSON("d/" + chunk + ".json"));
          }
        }
        await Promise.all(loads);
        for (var k = 0; k < batch.length && results.length < SHOWN; k++, i++) {
          var doc = batch[k];
          var entry = (await getJSON("d/" + chunkOf(doc) + ".json"))[doc];
          if (!entry) { continue; }
          var haystack = normalise(entry[1] + "\n" + entry[4]);
          var hayRuns = runs(haystack);
          if (words.every(function (word) { return wordMatches(word, haystack, hayRuns); })) {
            results.push({ url: entry[0], title: entry[1], date: entry[2], category: entry[3], text: entry[4] });
          }
        }
      }
    }

    var all = [].concat.apply([], groups);
    var due = all.filter(function (s) { return s.next >= 0; });
    for (;;) {
      await Promise.all(due.map(readNext));
      // notes from `floor` on are known in every group: those are final, and ids sort by day
      var floor = groups.map(function (group) {
        return group.reduce(function (top, s) { return s.floor > top ? s.floor : top; }, "");
      }).reduce(function (top, f) { return f > top ? f : top; }, "");
      var known = null;
      groups.forEach(function (group) {
        var union = new Set();
        group.forEach(function (s) { s.docs.forEach(function (d) { union.add(d); }); });
        known = known === null ? Array.from(union) : known.filter(function (d) { return union.has(d); });
      });
      var candidates = known.filter(function (d) { return d >= floor && !checked.has(d); });
      candidates.sort().reverse();
      candidates.forEach(function (d) { checked.add(d); });
      await check(candidates);
      if (results.length >= SHOWN || stop || !floor) {
        return { results: results, complete: !stop && !floor, tooShort: false };
      }
      due = all.filter(function (s) { return s.floor === floor; });
    }
  }

  function snippet(text, words) {
    var lower = normalise(text);
    var parts = [];
    words.forEach(function (w) { runs(w).forEach(function (p) { parts.push(p); }); });
    var at = -1;
    parts.forEach(function (p) { var k = lower.indexOf(p); if (k >= 0 && (at < 0 || k < at)) { at = k; } });
    var start = Math.max(0, at - 40), end = Math.min(text.length, (at < 0 ? 0 : at) + 120);
    var piece = text.slice(start, end), pieceLower = lower.slice(start, end);
    var out = document.createElement("p");
    if (start > 0) { out.appendChild(document.createTextNode("…")); }
    var pos = 0;
    while (pos < piece.length) {
      var next = -1, len = 0;
      parts.forEach(function (p) {
        var k = pieceLower.indexOf(p, pos);
        if (k >= 0 && (next < 0 || k < next)) { next = k; len = p.length; }
      });
      if (next < 0) { out.appendChild(document.createTextNode(piece.slice(pos))); break; }
      out.appendChild(document.createTextNode(piece.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + len);
      out.appendChild(mark);
      pos = next + len;
    }
    if (end < text.length) { out.appendChild(document.createTextNode("…")); }
    return out;
  }

  function say(message) { if (status) { status.textContent = message; } }

  function show(found, words) {
    list.textContent = "";
    if (found.tooShort) {
      var hint = document.createElement("li");
      hint.textContent = text("too-short", "Type two or more syllables.");
      list.appendChild(hint);
      say(hint.textContent);
      return;
    }
    if (!found.results.length) {
      var none = document.createElement("li");
      none.className = "no-results";
      none.textContent = text("none", "No notes found.");
      list.appendChild(none);
      say(none.textContent);
      return;
    }
    say(found.results.length === 1 ? text("found-one", "1 note found.")
      : text("found-many", "{count} notes found.").replace("{count}", String(found.results.length)));
    found.results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.url;
      a.textContent = r.title;
      var time = document.createElement("time");
      time.dateTime = r.date;
      time.textContent = r.date;
      var cat = document.createElement("span");
      cat.className = "category";
      cat.textContent = r.category;
      li.appendChild(a); li.appendChild(time); li.appendChild(cat);
      li.appendChild(snippet(r.text, words));
      list.appendChild(li);
    });
  }

  async function run() {
    var query = input.value.trim();
    var mine = ++ticket;
    if (!query) { list.textContent = ""; say(""); return; }
    var found = await search(query);
    if (mine === ticket) {
      show(found, normalise(query).split(/\s+/).filter(Boolean));
      form.setAttribute("data-state", "done");
    }
  }

  var timer = null;
  input.addEventListener("input", function () {
    form.setAttribute("data-state", "busy");
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first && form.getAttribute("data-state") === "done") { first.click(); } else { run(); }
  });

  function move(step) {  // focus the result `step` away from the focused one (the box is before the first)
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!links.length) { return false; }
    var at = links.indexOf(document.activeElement);
    var next = at + step;
    if (next < 0) { input.focus(); return true; }
    links[Math.min(next, links.length - 1)].focus();
    return true;
  }
  form.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (move(event.key === "ArrowDown" ? 1 : -1)) { event.preventDefault(); }
    } else if (event.key === "Escape") {
      if (document.activeElement !== input) { input.focus(); } else { list.textContent = ""; say(""); }
    }
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
