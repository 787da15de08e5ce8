/* The search page lists each page once, in one part of the site at a time: the report first
   (the default), or one sector edition (?in=po, vo, mbo). Without this, every hit came four times
   (report + three editions) and a page with several matching sections once per section.
   Sphinx's searchtools.js does the search; this wraps its result list (lib/slim.py adds this
   script to search.html only). */
(function () {
  "use strict";
  if (typeof Search === "undefined" || typeof Search._performSearch !== "function") return;
  var SCOPES = [["rapport", "het rapport"], ["po", "editie po"], ["vo", "editie vo"],
                ["mbo", "editie mbo"]];
  var params = new URLSearchParams(window.location.search);
  var scope = params.get("in");
  if (!SCOPES.some(function (s) { return s[0] === scope; })) scope = "rapport";

  function partOf(docname) {
    var m = /^book\/editions\/(po|vo|mbo)\//.exec(docname);
    return m ? m[1] : "rapport";
  }

  function scopeBar(counts) {
    var bar = document.getElementById("sop-zoek-in");
    if (!bar) {
      bar = document.createElement("nav");
      bar.id = "sop-zoek-in";
      bar.className = "sop-zoek-in";
      bar.setAttribute("aria-label", "Zoeken in");
      var results = document.getElementById("search-results");
      if (!results) return;
      results.parentNode.insertBefore(bar, results);
    }
    bar.textContent = "";
    var label = document.createElement("span");
    label.textContent = "Zoek in: ";
    bar.appendChild(label);
    var list = document.createElement("ul");
    SCOPES.forEach(function (s) {
      var li = document.createElement("li");
      var text = s[1] + " (" + (counts[s[0]] || 0) + (counts[s[0]] === 1 ? " pagina)" : " pagina's)");
      if (s[0] === scope) {
        var here = document.createElement("strong");
        here.setAttribute("aria-current", "page");
        here.textContent = text;
        li.appendChild(here);
      } else {
        var a = document.createElement("a");
        var p = new URLSearchParams(window.location.search);
        p.set("in", s[0]);
        a.href = "?" + p.toString();
        a.textContent = text;
        li.appendChild(a);
      }
      list.appendChild(li);
    });
    bar.appendChild(list);
  }

  var original = Search._performSearch;
  Search._performSearch = function () {
    var results = original.apply(this, arguments);  // best last (the list is shown by pop())
    var titles = {};
    var index = Search._index || {};
    (index.docnames || []).forEach(function (d, i) { titles[d] = index.titles[i]; });
    var best = {}, counts = {};
    results.forEach(function (r, i) { best[r[0]] = i; });
    Object.keys(best).forEach(function (d) {
      var part = partOf(d);
      counts[part] = (counts[part] || 0) + 1;
    });
    scopeBar(counts);
    return results.filter(function (r, i) {
      return best[r[0]] === i && partOf(r[0]) === scope;
    }).map(function (r) {
      var one = r.slice();
      if (titles[r[0]]) one[1] = titles[r[0]];  // the page's title, not "page > section"
      return one;
    });
  };
})();
