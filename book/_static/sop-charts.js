// Render the charts on the page with Vega (served by this site: _static/sop/vega-bundle.js, loaded
// when the first chart comes near the screen).
// The spec sits in a JSON data block beside its canvas; no inline script, no network, no eval
// (vega-embed's "ast" option interprets expressions instead of compiling them).
//
// Tooltips (vega-tooltip, in the bundle) show on hover and, anchored to the mark rather than the
// pointer, also:
// - on tap: a tap gives no pointermove (and ends with a pointerout), so a click on a mark (or on
//   the value label beside it) shows its tooltip, and a tap elsewhere or Escape hides it; while
//   the page or the chart box scrolls, the tooltip stays beside its mark;
// - from the keyboard: the chart box takes focus (Tab); arrow down/up (and Home/End) step from
//   mark to mark, in reading order, showing each mark's tooltip, outlining the mark and reading
//   the same text out through a live region. Arrow left/right keep scrolling a box that is wider
//   than the screen. The data table under each chart holds the same fields as the tooltips.
// Both go through Vega's own tooltip path: a synthetic pointermove (show) or mouseout (hide) on
// the mark's SVG element, the events Vega listens to; it maps them to the mark (no private API).
(function () {
  "use strict";
  var TIP = { anchor: "mark", position: ["top", "bottom", "right", "left"], offsetX: 8, offsetY: 8 };
  var shown = null; // { el, chart } of the tooltip on screen after a tap or key

  function centre(el) {
    var r = el.getBoundingClientRect();
    return { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
  }

  function send(el, type) {
    var at = centre(el);
    var init = { bubbles: true, cancelable: true, clientX: at.clientX, clientY: at.clientY,
                 pointerType: "mouse", isPrimary: true };
    var ev = type.indexOf("pointer") === 0 && typeof PointerEvent === "function"
      ? new PointerEvent(type, init) : new MouseEvent(type, init);
    el.dispatchEvent(ev);
  }

  function hide() {
    if (!shown) return;
    var s = shown;
    shown = null;
    s.el.classList.remove("sop-mark--focus");
    if (s.el.isConnected) send(s.el, "mouseout");
  }

  function show(el, chart) {
    if (shown && shown.el === el) return;
    hide();
    send(el, "pointermove");
    shown = { el: el, chart: chart };
  }

  // the page scrolled under a tooltip that a tap or key opened: keep it beside its mark
  var pending = false;
  function follow() {
    if (!shown || pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      if (shown && shown.el.isConnected) send(shown.el, "pointermove");
    });
  }

  function tipText(item) {
    var tip = item && item.tooltip;
    if (tip == null) return "";
    if (typeof tip !== "object") return String(tip);
    return Object.keys(tip).map(function (k) { return k + ": " + tip[k]; }).join("; ");
  }

  // The marks that carry a tooltip: bars (rect) and points (symbol); the text labels beside them
  // repeat the same tooltip and are skipped. Reading order: top to bottom, left to right; a chart
  // whose marks mostly stand side by side (a trend over the years) goes left to right first.
  function marks(canvas) {
    var els = Array.prototype.slice.call(
      canvas.querySelectorAll(".mark-rect path, .mark-symbol path"));
    var list = els.filter(function (el) {
      var item = el.__data__;
      return item && item.tooltip != null && !el.closest(".role-legend");
    }).map(function (el) {
      var r = el.getBoundingClientRect();
      return { el: el, x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
    });
    var rows = {};
    list.forEach(function (m) { rows[m.y] = 1; });
    var byColumn = Object.keys(rows).length > list.length / 2 && list.length > 3 &&
      canvas.querySelector(".mark-line");
    list.sort(function (a, b) {
      return byColumn ? (a.x - b.x) || (a.y - b.y) : (a.y - b.y) || (a.x - b.x);
    });
    return list.map(function (m) { return m.el; });
  }

  function hint(canvas) {
    var p = document.createElement("p");
    p.className = "sop-chart__keys";
    p.id = canvas.getAttribute("data-spec") + "-toetsen";
    p.textContent = "Pijl omlaag of omhoog: de waarden één voor één, met hun gegevens. " +
      "Esc: verbergen.";
    var live = document.createElement("p");
    live.className = "sop-chart__live";
    live.setAttribute("aria-live", "polite");
    canvas.after(p, live);
    var described = canvas.getAttribute("aria-describedby");
    canvas.setAttribute("aria-describedby", (described ? described + " " : "") + p.id);
    canvas.setAttribute("aria-keyshortcuts", "ArrowDown ArrowUp Home End Escape");
    return live;
  }

  function keyboard(canvas) {
    var live = hint(canvas);
    var at = -1;
    canvas.addEventListener("keydown", function (e) {
      var key = e.key;
      if (key === "Escape") {
        if (shown) { hide(); e.preventDefault(); }
        return;
      }
      if (["ArrowDown", "ArrowUp", "Home", "End"].indexOf(key) < 0) return;
      var list = marks(canvas);
      if (!list.length) return;
      e.preventDefault();
      var current = shown && shown.chart === canvas ? list.indexOf(shown.el) : -1;
      if (current >= 0) at = current;
      if (key === "Home") at = 0;
      else if (key === "End") at = list.length - 1;
      else if (key === "ArrowDown") at = current < 0 && at < 0 ? 0 : Math.min(at + 1, list.length - 1);
      else at = current < 0 && at < 0 ? 0 : Math.max(at - 1, 0);
      var el = list[at];
      // a box wider than the screen scrolls to the mark first, so its tooltip sits beside it
      if (el.scrollIntoView) el.scrollIntoView({ block: "nearest", inline: "nearest" });
      show(el, canvas);
      el.classList.add("sop-mark--focus");
      live.textContent = (at + 1) + " van " + list.length + ": " + tipText(el.__data__);
    });
    canvas.addEventListener("blur", function () {
      if (shown && shown.chart === canvas) hide();
    });
  }

  function touch(canvas) {
    // a real mouse moving over the chart: Vega shows and hides the tooltips itself again
    canvas.addEventListener("pointermove", function (e) {
      if (e.isTrusted && e.pointerType === "mouse" && shown && shown.chart === canvas) {
        shown.el.classList.remove("sop-mark--focus");
        shown = null;
      }
    });
    canvas.addEventListener("click", function (e) {
      var el = e.target && e.target.closest ? e.target.closest(".mark-rect path, .mark-symbol path, .mark-text text") : null;
      var item = el && el.__data__;
      if (!item || item.tooltip == null) return;
      // a label beside a bar stands for its bar: the tooltip is the same
      show(el, canvas);
    });
  }

  document.addEventListener("click", function (e) {
    if (!shown) return;
    var inside = e.target && e.target.closest && e.target.closest(".sop-chart__canvas");
    var onMark = inside && e.target.__data__ && e.target.__data__.tooltip != null;
    if (!onMark) hide();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  window.addEventListener("scroll", follow, { passive: true });
  document.addEventListener("scroll", follow, { passive: true, capture: true });  // a chart box
  window.addEventListener("resize", follow);

  // ---- Charts that fit a phone -------------------------------------------------------------
  // The stored specs are drawn for a desktop column. In a narrower box (a phone), a copy of the
  // spec is adapted before Vega draws it; the stored spec is never changed:
  // - a chart of horizontal rows (bars, dots): the row labels go above their marks, wrapped over
  //   at most three lines, and the marks get the whole width;
  // - facets: their labels above each panel, the panels as wide as the box;
  // - other charts: as wide as the box; legends below the chart, wrapping into columns.
  // Whatever still does not fit (a fixed diagram) is scaled down to the width of its box.
  var NARROW = 600;          // px: below this box width, charts are adapted
  var LINE = 15;             // px per line of a row label
  var MAX_LINES = 3;
  var FONT = "12px DejaVu Sans, Verdana, sans-serif";

  function copy(obj) { return JSON.parse(JSON.stringify(obj)); }

  var measurer = null;
  function textWidth(text) {
    if (!measurer) measurer = document.createElement("canvas").getContext("2d");
    measurer.font = FONT;
    return measurer.measureText(text).width;
  }

  function wrap(text, width) {
    var words = String(text).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      var next = line ? line + " " + w : w;
      if (line && textWidth(next) > width) { lines.push(line); line = w; } else line = next;
    });
    if (line) lines.push(line);
    if (lines.length > MAX_LINES) {
      lines = lines.slice(0, MAX_LINES);
      var last = lines[MAX_LINES - 1];
      while (last && textWidth(last + " …") > width) last = last.replace(/\s*\S+$/, "");
      lines[MAX_LINES - 1] = last + " …";
    }
    return lines;
  }

  function layersOf(unit) { return unit.layer ? unit.layer : [unit]; }
  function markType(layer) {
    var m = layer.mark;
    return m && typeof m === "object" ? m.type : m;
  }

  // every value a nominal field can take, from the spec's inline data
  function values(spec, field) {
    var found = [], seen = {};
    var sets = spec.datasets || {};
    Object.keys(sets).forEach(function (k) {
      sets[k].forEach(function (row) {
        var v = row[field];
        if (v != null && !seen[v]) { seen[v] = 1; found.push(String(v)); }
      });
    });
    ((spec.data && spec.data.values) || []).forEach(function (row) {
      var v = row[field];
      if (v != null && !seen[v]) { seen[v] = 1; found.push(String(v)); }
    });
    return found;
  }

  function legendsBelow(spec, width) {
    spec.config = spec.config || {};
    spec.config.legend = Object.assign({}, spec.config.legend, { orient: "bottom" });
    var walkEnc = function (node) {
      if (!node || typeof node !== "object") return;
      if (Array.isArray(node)) { node.forEach(walkEnc); return; }
      ["color", "fill", "stroke", "shape", "size", "opacity", "fillOpacity", "strokeDash"].forEach(function (ch) {
        var enc = node.encoding && node.encoding[ch];
        if (enc && enc.legend !== null && (enc.field || enc.condition)) {
          enc.legend = Object.assign({}, enc.legend, {
            orient: "bottom", direction: "horizontal",
            columns: Math.max(1, Math.floor(width / 170)), labelLimit: width - 30
          });
        }
      });
      if (node.layer) walkEnc(node.layer);
      if (node.spec) walkEnc(node.spec);
    };
    walkEnc(spec);
  }

  // rows: y nominal/ordinal with x quantitative in some layer
  function rowChart(unit) {
    return layersOf(unit).some(function (l) {
      var e = l.encoding || {};
      return e.y && (e.y.type === "nominal" || e.y.type === "ordinal") && e.y.field &&
        e.x && e.x.type === "quantitative";
    });
  }

  function adaptRows(spec, unit, plot) {
    var layers = layersOf(unit);
    var field = null;
    layers.forEach(function (l) {
      var y = l.encoding && l.encoding.y;
      if (y && y.field && !field && y.axis !== null) field = y.field;
    });
    if (!field) return false;
    var labels = values(spec, field);
    var lines = labels.map(function (t) { return wrap(t, plot); });
    var most = lines.reduce(function (m, l) { return Math.max(m, l.length); }, 1);
    var bars = layers.some(function (l) { return markType(l) === "bar"; });
    var markH = bars ? 16 : 12;
    var step = most * LINE + markH + 8;
    // every label as many lines as the longest (empty lines first), set from its top: the last
    // line then sits just above the mark in every row
    lines = lines.map(function (l) {
      while (l.length < most) l = [""].concat(l);
      return l;
    });
    var expr = JSON.stringify(lines) + "[indexof(" + JSON.stringify(labels) + ", datum.value)]";
    layers.forEach(function (l) {
      var y = l.encoding && l.encoding.y;
      if (!y || y.field !== field) return;
      if (y.axis !== null) {
        y.axis = Object.assign({}, y.axis, {
          orient: "left", labelAlign: "left", labelBaseline: "top", labelPadding: 0,
          ticks: false, domain: false, labelLimit: plot, labelOffset: -(most * LINE + markH / 2 + 2),
          labelLineHeight: LINE, labelOverlap: false, labelExpr: expr, labelBound: false,
          grid: false, title: null, zindex: 1
        });
      }
      if (markType(l) === "bar") {
        l.mark = Object.assign({}, typeof l.mark === "object" ? l.mark : { type: "bar" });
        delete l.mark.height;
        l.mark.height = markH;
      }
    });
    unit.height = { step: step };
    unit.width = plot;
    return true;
  }

  function narrowSpec(spec, box) {
    var out = copy(spec);
    var facet = out.facet && out.spec;
    var unit = facet ? out.spec : out;
    var room = 44;  // the value labels at the end of a bar, the last tick label
    var plot = Math.max(120, box - room);
    if (facet) {
      ["row", "column"].forEach(function (k) {
        var f = out.facet[k];
        if (!f) return;
        f.header = Object.assign({}, f.header, { labelOrient: "top", labelAnchor: "start",
          labelAngle: 0, labelAlign: "left", titleOrient: "top", titleAnchor: "start", titleAngle: 0 });
      });
      if (out.facet.column && !out.facet.row) { out.facet.row = out.facet.column; delete out.facet.column; }
    }
    if (rowChart(unit)) {
      adaptRows(out, unit, plot);
    } else if (typeof unit.width === "number" && unit.width > box - 60) {
      unit.width = Math.max(120, box - 60);
    }
    legendsBelow(out, box);
    return out;
  }

  function fitSvg(el, box) {
    var svg = el.querySelector("svg");
    if (!svg) return;
    var w = parseFloat(svg.getAttribute("width")), h = parseFloat(svg.getAttribute("height"));
    if (w > box + 1 && h) {
      if (!svg.getAttribute("viewBox")) svg.setAttribute("viewBox", "0 0 " + w + " " + h);
      svg.setAttribute("width", box);
      svg.setAttribute("height", Math.round(h * box / w));
      el.setAttribute("data-scaled", "true");
    }
  }

  // Tooltips stay inside the window: vega-tooltip places them by the mark; one that would stick
  // out (a mark near an edge) is moved back in.
  function keepInside(tip) {
    var r = tip.getBoundingClientRect();
    if (!r.width || getComputedStyle(tip).visibility === "hidden") return;
    var m = 4, dx = 0, dy = 0;
    if (r.right > innerWidth - m) dx = innerWidth - m - r.right;
    if (r.left + dx < m) dx = m - r.left;
    if (r.bottom > innerHeight - m) dy = innerHeight - m - r.bottom;
    if (r.top + dy < m) dy = m - r.top;
    if (dx) tip.style.left = (parseFloat(tip.style.left || r.left) + dx) + "px";
    if (dy) tip.style.top = (parseFloat(tip.style.top || r.top) + dy) + "px";
  }
  function watchTooltip() {
    var hook = function () {
      var tip = document.getElementById("vg-tooltip-element");
      if (!tip || tip.__sopWatched) return !!tip;
      tip.__sopWatched = true;
      new MutationObserver(function () { keepInside(tip); })
        .observe(tip, { attributes: true, attributeFilter: ["style", "class"], childList: true });
      keepInside(tip);  // it was placed before this observer could see it
      return true;
    };
    if (!hook()) {
      var mo = new MutationObserver(function () { if (hook()) mo.disconnect(); });
      mo.observe(document.body, { childList: true });
    }
  }

  function draw(el, spec, block) {
    var box = Math.floor(el.clientWidth);
    var narrow = box > 0 && box < NARROW;
    el.setAttribute("data-width", String(box));
    var shown = narrow ? narrowSpec(spec, box) : spec;
    return window.vegaEmbed(el, shown, { renderer: "svg", actions: false, ast: true, tooltip: TIP })
      .then(function (result) {
        if (el.__sopView) el.__sopView.finalize();
        el.__sopView = result.view;
        fitSvg(el, box);
        if (!el.__sopBound && el.querySelector(".mark-rect path, .mark-symbol path") && /"tooltip"/.test(block.textContent)) {
          el.__sopBound = true;
          touch(el);
          keyboard(el);
        }
        el.setAttribute("data-layout", narrow ? "smal" : "breed");
        el.setAttribute("data-rendered", "true");
        // sop-nav.js checks whether the drawing is wider than its box (a scroll hint)
        el.dispatchEvent(new CustomEvent("sop-chart-drawn", { bubbles: true }));
      });
  }

  // ---- Drawing only what a reader comes to ------------------------------------------------
  // Vega (900 kB) is loaded, and a chart drawn, only when a chart comes near the screen: a page
  // opens with its text at once instead of after every chart on it was drawn. window.sopCharts
  // .drawAll() draws every chart now (the accessibility gate and the tests call it, through
  // lib.sitecheck.CHARTS_DRAWN; printing calls it too).
  var BUNDLE = (function () {
    var me = document.currentScript && document.currentScript.src;
    return me ? me.replace(/sop-charts\.js(\?.*)?$/, "sop/vega-bundle.js") : "";
  })();
  var vegaLoading = null;
  function ensureVega() {
    if (typeof window.vegaEmbed === "function") return Promise.resolve();
    if (!vegaLoading) {
      vegaLoading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = BUNDLE;
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error("vega niet geladen")); };
        document.head.appendChild(s);
      });
    }
    return vegaLoading;
  }

  // A chart's spec sits in a file of its own (lib/slim.py), a script that calls sopSpec(sha, spec);
  // once loaded, the spec is also put into the chart's (empty) data block.
  var specWaiting = {};
  window.sopSpec = function (sha, spec) {
    (specWaiting[sha] || []).forEach(function (fn) { fn(spec); });
    delete specWaiting[sha];
  };
  function loadSpec(block) {
    if (!block) return Promise.reject(new Error("geen spec"));
    var src = block.getAttribute("data-src");
    if (!src || block.textContent.trim()) return Promise.resolve(JSON.parse(block.textContent));
    var sha = block.getAttribute("data-sha");
    return new Promise(function (resolve, reject) {
      (specWaiting[sha] = specWaiting[sha] || []).push(function (spec) {
        block.textContent = JSON.stringify(spec);
        resolve(spec);
      });
      var s = document.createElement("script");
      s.src = src;
      s.onerror = function () { reject(new Error("figuur niet geladen: " + src)); };
      document.head.appendChild(s);
    });
  }

  function start(el) {
    if (el.__sopStarted) return el.__sopStarted;
    var block = document.getElementById(el.getAttribute("data-spec"));
    var specP = loadSpec(block);
    el.__sopStarted = Promise.all([ensureVega(), specP]).then(function (got) {
      if (!block || typeof window.vegaEmbed !== "function") throw new Error("vega niet geladen");
      var spec = got[1];
      // a phone turned sideways, a window made wider: draw again when the box width changes
      // across the narrow limit or by more than a little within it
      var last = Math.floor(el.clientWidth);
      window.addEventListener("resize", function () {
        var now = Math.floor(el.clientWidth);
        var crossed = (now < NARROW) !== (last < NARROW);
        if (!crossed && (now >= NARROW || Math.abs(now - last) < 24)) return;
        last = now;
        hide();
        draw(el, spec, block).catch(function (err) { console.error("Figuur niet getekend:", err); });
      });
      return draw(el, spec, block);
    }).catch(function (err) {
      el.setAttribute("data-error", String(err && err.message || err));
      console.error("Figuur niet getekend:", err);
    });
    return el.__sopStarted;
  }

  function canvases() {
    return Array.prototype.slice.call(document.querySelectorAll("div.sop-chart__canvas[data-spec]"));
  }

  function drawAll() {
    return Promise.all(canvases().map(start));
  }
  window.sopCharts = { drawAll: drawAll };
  window.addEventListener("beforeprint", drawAll);

  function renderAll() {
    watchTooltip();
    var list = canvases();
    if (!("IntersectionObserver" in window)) { drawAll(); return; }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); start(e.target); }
      });
    }, { rootMargin: "400px 0px" });
    list.forEach(function (el) { io.observe(el); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
