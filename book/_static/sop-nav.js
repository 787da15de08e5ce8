/* The menu buttons. sphinx-book-theme puts its own "primary" and "secondary" toggle in the
   article header, but both themes attach their click handlers to the FIRST .primary-toggle /
   .secondary-toggle of the page: pydata's header button, which this layout hides. So the visible
   buttons did nothing (on a phone the navigation could not be opened). Forward their clicks to
   the first button: pydata then opens the navigation as a dialog on small screens, and the book
   theme shows or hides the sidebar on wide ones. (lib/navigation.py adds this script.) */
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary-toggle", "secondary-toggle"]) {
    const [first, ...others] = document.querySelectorAll(`button.${kind}`);
    if (!first) continue;
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    }
  }
});

/* Tables and charts wider than the screen scroll sideways in their own box (the box takes
   keyboard focus, so arrow keys scroll it). Say so above the box, in words, while it overflows. */
/* On a touch screen: swipe; with a mouse and keyboard: scroll or use the arrow keys. */
function scrollHint() {
  const touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  return touch
    ? "Breder dan het scherm: veeg opzij om alles te zien."
    : "Breder dan het scherm: schuif opzij (of gebruik de pijltjestoetsen) om alles te zien.";
}
/* markScrollers(boxes) checks the given boxes (all of the page without an argument): first every
   width is read, then the hints are written, so the page is laid out once, not once per box. On
   load only the boxes near the screen are checked, and the others when they come near it: a long
   page (a chapter with 25 tables) opens without measuring what the reader has not reached. */
const SCROLL_BOXES = "main .pst-scrollable-table-container, main .sop-chart__canvas, " +
  "main .sop-chart__data";
function markScrollers(boxes) {
  const list = Array.from(boxes || document.querySelectorAll(SCROLL_BOXES));
  const measured = list.map((box) => [box, box.scrollWidth > box.clientWidth + 1]);
  for (const [box, overflows] of measured) {
    const hint = box.previousElementSibling;
    const has = hint && hint.classList.contains("sop-scroll-hint");
    if (overflows && !has) {
      const p = document.createElement("p");
      p.className = "sop-scroll-hint";
      p.textContent = scrollHint();
      box.before(p);
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    } else if (!overflows && has) {
      hint.remove();
    }
  }
}
const nearScreen = new Set();
function boxesIn(el) {
  const inner = Array.from(el.querySelectorAll(SCROLL_BOXES));
  return el.matches && el.matches(SCROLL_BOXES) ? [el, ...inner] : inner;
}
function watchScrollers() {
  const boxes = document.querySelectorAll(SCROLL_BOXES);
  if (!("IntersectionObserver" in window)) {
    markScrollers(boxes);
    return;
  }
  const io = new IntersectionObserver((entries) => {
    const come = [];
    for (const e of entries) {
      if (e.isIntersecting) {
        nearScreen.add(e.target);
        come.push(e.target);
      } else {
        nearScreen.delete(e.target);
      }
    }
    if (come.length) markScrollers(come);
  }, { rootMargin: "300px 0px" });
  boxes.forEach((box) => io.observe(box));
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", watchScrollers);
} else {
  watchScrollers();
}
/* a box away from the screen is checked again when it comes near; those near it now at once */
window.addEventListener("resize", () => markScrollers(nearScreen));
/* a chart drawn (sop-charts.js), a chart's data table opened */
document.addEventListener("sop-chart-drawn",
  (e) => markScrollers(boxesIn(e.target.closest("figure") || e.target)));
document.addEventListener("toggle", (e) => markScrollers(boxesIn(e.target)), true);
