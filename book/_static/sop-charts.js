// Render every chart on the page with Vega (served by this site: _static/sop/vega-bundle.js).
// The spec sits in a JSON data block beside its canvas; no inline script, no network.
(function () {
  "use strict";
  function renderAll() {
    var canvases = document.querySelectorAll("div.sop-chart__canvas[data-spec]");
    canvases.forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-spec"));
      if (!block || typeof window.vegaEmbed !== "function") {
        el.setAttribute("data-error", "vega niet geladen");
        return;
      }
      var spec = JSON.parse(block.textContent);
      window.vegaEmbed(el, spec, { renderer: "svg", actions: false, ast: true })
        .then(function () { el.setAttribute("data-rendered", "true"); })
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
