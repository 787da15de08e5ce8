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
function markScrollers() {
  const boxes = document.querySelectorAll(
    "main .pst-scrollable-table-container, main .sop-chart__canvas, main .sop-chart__data");
  for (const box of boxes) {
    const overflows = box.scrollWidth > box.clientWidth + 1;
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
window.addEventListener("load", () => {
  markScrollers();
  setTimeout(markScrollers, 1500);  /* charts are drawn after load */
});
window.addEventListener("resize", markScrollers);
document.addEventListener("toggle", markScrollers, true);  /* a chart's data table opened */
