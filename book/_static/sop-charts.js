// Render every chart on the page with Vega (served by this site: _static/sop/vega-bundle.js).
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

  function renderAll() {
    var canvases = document.querySelectorAll("div.sop-chart__canvas[data-spec]");
    canvases.forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-spec"));
      if (!block || typeof window.vegaEmbed !== "function") {
        el.setAttribute("data-error", "vega niet geladen");
        return;
      }
      var spec = JSON.parse(block.textContent);
      window.vegaEmbed(el, spec, { renderer: "svg", actions: false, ast: true, tooltip: TIP })
        .then(function () {
          if (el.querySelector(".mark-rect path, .mark-symbol path") && /"tooltip"/.test(block.textContent)) {
            touch(el);
            keyboard(el);
          }
          el.setAttribute("data-rendered", "true");
        })
        .catch(function (err) {
          el.setAttribute("data-error", String(err));
          console.error("Figuur niet getekend:", err);
        });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
